package xlsx

import (
	"bytes"
	"strings"
	"testing"
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
	if err := WriteCSV(&b, []string{"姓名", "村"}, [][]string{{"王兵", "大兴村"}}); err != nil {
		t.Fatal(err)
	}
	s, err := ReadCSV(&b)
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
		s, err := ReadCSV(bytes.NewReader(data))
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
	err = EachXLSX(bytes.NewReader(b), func(h []string) error { heads = h; return nil }, func(r Row) error { got = append(got, r); return nil })
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
