package xlsx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWorkbookRoundTripKeepsChineseHeadersAndRowNumbers(t *testing.T) {
	b, err := Build("企业台账", []string{"企业名称", "统一社会信用代码", "在册员工"}, [][]any{
		{"慈利联兴新材料科技有限公司", "91430821MA4L0000X0", 430},
		{"", "", ""},
		{"慈利宏发油脂有限公司", "91430821MA4L0001X0", 204},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadXLSX(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Headers, ",") != "企业名称,统一社会信用代码,在册员工" {
		t.Fatalf("headers: %v", s.Headers)
	}
	if len(s.Rows) != 2 {
		t.Fatalf("want 2 rows (the blank one skipped), got %d", len(s.Rows))
	}
	if s.Rows[1].Line != 4 || s.Rows[1].Get("在册员工") != "204" || s.Rows[1].Get("企业名称") != "慈利宏发油脂有限公司" {
		t.Fatalf("second row: %+v", s.Rows[1])
	}
	if m := s.Missing("企业名称", "乡镇"); len(m) != 1 || m[0] != "乡镇" {
		t.Fatalf("missing: %v", m)
	}
}

func TestCSVWithBOM(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, []string{"姓名", "村"}, [][]any{{"王兵", "大兴村"}}); err != nil {
		t.Fatal(err)
	}
	s, err := ReadCSV(&b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Headers[0] != "姓名" || s.Rows[0].Get("村") != "大兴村" || s.Rows[0].Line != 2 {
		t.Fatalf("read back: %+v", s)
	}
}

func TestNotAWorkbook(t *testing.T) {
	if _, err := ReadXLSX(strings.NewReader("hello")); err == nil {
		t.Fatal("a text file read as a workbook")
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("名称,代码\n甲,1\n"))
	f.Add([]byte("\ufeffa,b\n\"x\ny\",2\n,\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadCSV(bytes.NewReader(data), Limits{})
		if err != nil {
			return
		}
		for _, r := range s.Rows {
			if r.Line < 2 {
				t.Fatalf("data row numbered %d", r.Line)
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	b, _ := Build("s", []string{"a"}, [][]any{{"1"}})
	f.Add(b)
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadXLSX(bytes.NewReader(data)) // must not panic
	})
}

func TestEachXLSXStreamsRowsWithLines(t *testing.T) {
	b, err := Build("员工", []string{"姓名", "身份证号"}, [][]any{{"王兵", "11010519491231002X"}, {"", ""}, {"李娟", "430821198507150019"}})
	if err != nil {
		t.Fatal(err)
	}
	var heads []string
	var got []Row
	err = EachXLSX(bytes.NewReader(b), Limits{}, func(h []string) error { heads = h; return nil }, func(r Row) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 2 || heads[1] != "身份证号" {
		t.Fatalf("headers %v", heads)
	}
	if len(got) != 2 || got[0].Line != 2 || got[1].Line != 4 || got[1].Get("姓名") != "李娟" {
		t.Fatalf("rows %+v", got)
	}
}

// EachRow reads what excelize writes the same as excelize reads it: shared strings, inline
// strings, numbers (a phone typed as a number keeps its digits), booleans, rich text,
// characters XML escapes, cells skipped within a row and rows skipped within the sheet.
func TestEachRowReadsAsExcelizeDoes(t *testing.T) {
	f := excelize.NewFile()
	sh := "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "姓名")
	set("B1", "身份证号")
	set("C1", "手机号")
	set("D1", "备注")
	set("A2", "王兵")
	set("B2", "11010519491231002X")
	set("C2", 13912345678)
	set("D2", `a & b <c> "d" 'e'`)
	set("A3", "李娟")
	set("C3", true)
	set("A6", " 赵 ")
	set("D6", 3.25)
	if err := f.SetCellRichText(sh, "B6", []excelize.RichTextRun{{Text: "43082119"}, {Text: "8507150019", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{}
	g, err := excelize.OpenReader(bytes.NewReader(b.Bytes()), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := g.Rows(sh)
	for n := 1; rows.Next(); n++ {
		cols, _ := rows.Columns()
		if len(cols) > 0 && n > 1 {
			want[n] = cols
		}
	}
	got := map[int][]string{}
	var heads []string
	err = EachRow(bytes.NewReader(b.Bytes()), Limits{}, func(h []string) error { heads = h; return nil }, func(line int, cells []string) error {
		got[line] = cells
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(heads, ",") != "姓名,身份证号,手机号,备注" {
		t.Fatalf("headers %v", heads)
	}
	if len(got) != len(want) {
		t.Fatalf("rows: got %v, want %v", got, want)
	}
	for line, w := range want {
		if strings.Join(got[line], "|") != strings.Join(w, "|") {
			t.Errorf("line %d: got %q, want %q", line, got[line], w)
		}
	}
	if got[2][2] != "13912345678" || got[6][1] != "430821198507150019" {
		t.Errorf("a phone typed as a number or a rich-text ID lost digits: %v", got)
	}
}

// A workbook streamed by excelize (inline strings) reads back with its line numbers.
func TestEachRowStreamed(t *testing.T) {
	b, err := Build("员工", []string{"姓名", "身份证号"}, [][]any{{"王兵", "11010519491231002X"}, {"", ""}, {"李娟", 430821198507150019}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = EachRow(bytes.NewReader(b), Limits{}, func([]string) error { return nil }, func(line int, cells []string) error {
		got = append(got, fmt.Sprint(line, cells))
		return nil
	})
	if err != nil || strings.Join(got, ";") != "2 [王兵 11010519491231002X];4 [李娟 430821198507150019]" {
		t.Fatalf("got %v, %v", got, err)
	}
}

func FuzzEachRow(f *testing.F) {
	b, _ := Build("s", []string{"a", "b"}, [][]any{{"1", "x&y"}, {2, true}})
	f.Add(b)
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 1
		EachRow(bytes.NewReader(data), Limits{}, func([]string) error { return nil }, func(line int, cells []string) error {
			if line <= last {
				t.Fatalf("line %d after %d", line, last)
			}
			last = line
			return nil
		}) // must not panic
	})
}
