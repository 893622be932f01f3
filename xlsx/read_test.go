package xlsx

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"fugong/xlsx/xlsxtest"
)

const sheetNS = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="urn:x">`

func rowsOf(t *testing.T, b []byte, lim Limits) ([]string, map[int][]string, error) {
	t.Helper()
	var heads []string
	got := map[int][]string{}
	err := EachRow(bytes.NewReader(b), lim, func(h []string) error { heads = h; return nil }, func(line int, cells []string) error {
		got[line] = cells
		return nil
	})
	return heads, got, err
}

// A '>' inside an attribute's value, a comment holding one, and CDATA in a cell: the
// reader once ended a tag at the first '>' and took the rest for the cell's text.
func TestEachRowReadsTagsWholeWithGreaterThanInValues(t *testing.T) {
	sheet := sheetNS + `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>` +
		`<row r="2" x:note="a>b" x:q='"c>d"'><c r="A2" t="inlineStr" x:tip="<x>"><is><t>王兵</t></is></c><!-- a > b --><c r="B2" t="inlineStr"><is><t>甲<![CDATA[<b>&amp;</b>]]>乙&amp;</t></is></c></row>` +
		`</sheetData></worksheet>`
	heads, got, err := rowsOf(t, xlsxtest.Package(sheet, ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(heads, ",") != "姓名,备注" || strings.Join(got[2], "|") != "王兵|甲<b>&amp;</b>乙&" {
		t.Fatalf("headers %q, row 2 %q", heads, got[2])
	}
}

// A package of 13 MB whose sheet unpacks to 2 GiB (deflate at its best would make it 2 MB), and one whose shared strings unpack to
// 300 MiB, are refused from what the package declares, before anything is unpacked:
// nothing is allocated to speak of and nothing is left in the temporary folder, even when
// the upload had to be spooled there.
func TestZipBombsAreRefusedUnread(t *testing.T) {
	for _, c := range []struct {
		part string
		size int64
		lim  Limits
	}{
		{"xl/worksheets/sheet1.xml", 2 << 30, WorkerLimits()},
		{"xl/worksheets/sheet1.xml", 2 << 30, Limits{}},
		{"xl/sharedStrings.xml", 300 << 20, WorkerLimits()},
	} {
		bomb := xlsxtest.Bomb(c.part, c.size)
		if len(bomb) > 16<<20 {
			t.Fatalf("the bomb is %d bytes", len(bomb))
		}
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		// A reader that is no file: the package is spooled to the temporary folder first.
		err := EachRow(io.MultiReader(bytes.NewReader(bomb)), c.lim, func([]string) error { return nil }, func(int, []string) error { return nil })
		runtime.ReadMemStats(&after)
		var p *Problem
		if !errors.As(err, &p) || p.Msg.Key != "sheet.too_large" {
			t.Fatalf("%s of %d bytes: %v", c.part, c.size, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
			t.Errorf("%s: reading the bomb allocated %d MB", c.part, n>>20)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("left in TMPDIR: %v", left)
		}
	}
}

func TestRowsColumnsAndRowSizeAreBounded(t *testing.T) {
	rows := [][]any{}
	for i := range 11 {
		rows = append(rows, []any{"王兵", i})
	}
	b, err := Build("s", []string{"姓名", "序号"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	var p *Problem
	if _, _, err := rowsOf(t, b, Limits{Rows: 10}); !errors.As(err, &p) || p.Msg.Key != "sheet.too_many_rows" || p.Msg.Args[0] != 10 {
		t.Errorf("11 rows within 10: %v", err)
	}
	if _, _, err := rowsOf(t, b, Limits{Rows: 11}); err != nil {
		t.Errorf("11 rows within 11: %v", err)
	}
	var csv bytes.Buffer
	WriteCSV(&csv, []string{"姓名", "序号"}, rows)
	if _, err := ReadCSV(bytes.NewReader(csv.Bytes()), Limits{Rows: 10}); !errors.As(err, &p) || p.Msg.Key != "sheet.too_many_rows" {
		t.Errorf("CSV of 11 rows within 10: %v", err)
	}
	// A cell far to the right of the headers is not kept (a row of 16,384 cells each).
	sheet := sheetNS + `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>王兵</t></is></c><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>`
	if _, got, err := rowsOf(t, xlsxtest.Package(sheet, ""), Limits{}); err != nil || len(got[2]) != 1 {
		t.Errorf("row 2: %d cells, %v", len(got[2]), err)
	}
	long := strings.Repeat("长", MaxRowBytes/3+1)
	b, _ = Build("s", []string{"姓名"}, [][]any{{long}})
	if _, _, err := rowsOf(t, b, Limits{}); !errors.As(err, &p) || p.Msg.Key != "sheet.row_too_long" || p.Msg.Args[0] != 2 {
		t.Errorf("a row of %d bytes: %v", len(long), err)
	}
}

// A CSV is read in the encoding it was saved in, told by its content.
func TestReadCSVTellsTheEncoding(t *testing.T) {
	text := "企业名称,统一社会信用代码\r\n慈利县江垭镇供销合作社,91430821MA4L0000X0\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ",", "\t"))
	for name, in := range map[string]string{"UTF-8": text, "UTF-8 with BOM": "\ufeff" + text, "GBK": gbk, "UTF-16 tab-separated": u16} {
		s, err := ReadCSV(strings.NewReader(in), Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.Join(s.Headers, ",") != "企业名称,统一社会信用代码" || len(s.Rows) != 1 || s.Rows[0].Get("企业名称") != "慈利县江垭镇供销合作社" || s.Rows[0].Line != 2 {
			t.Errorf("%s: %q %+v", name, s.Headers, s.Rows)
		}
	}
}

// Row numbers are the spreadsheet's: a quoted cell over two lines is one row, an empty
// line is a row.
func TestReadCSVNumbersRowsAsASpreadsheetDoes(t *testing.T) {
	s, err := ReadCSV(strings.NewReader("名称,备注\n甲,\"两\n行\"\n\n乙,x\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != 2 || s.Rows[0].Line != 2 || s.Rows[1].Line != 4 || s.Rows[1].Get("名称") != "乙" {
		t.Fatalf("%+v", s.Rows)
	}
}

func TestDay(t *testing.T) {
	for in, want := range map[string]string{
		"2020-03-09": "2020-03-09", "2020-3-9": "2020-03-09", "2020/3/9": "2020-03-09", "2020.3.9": "2020-03-09", "2020年3月9日": "2020-03-09",
		"20200309": "2020-03-09", "2020/3/9 0:00": "2020-03-09", "2020-03-09 00:00:00": "2020-03-09", "2020-03-09T08:00:00+08:00": "2020-03-09",
		"43899": "2020-03-09", "43899.5": "2020-03-09", " 43899 ": "2020-03-09", "10000": "1927-05-18",
		"3/9/20": "2020-03-09", "03/09/2020": "2020-03-09", "12/31/29": "2029-12-31", "1/1/30": "1930-01-01",
		"2020-2-29": "2020-02-29", "2019-2-29": "", "2020/13/1": "", "13/9/20": "", "9.3.2020": "", "0": "", "-1": "", "2020": "",
		"": "", "明天": "", "2020-03": "", "2020年3月": "", "3/9": "", "99999999": "",
	} {
		got, ok := Day(in)
		if got != want || ok != (want != "") {
			t.Errorf("Day(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestCode(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"91430821MA4L0000X0", "91430821MA4L0000X0", true},
		{" 430821198507150019 ", "430821198507150019", true}, // all digits: exact, text
		{"13912345678", "13912345678", true},
		{"1.3912345678E+10", "13912345678", true},
		{"13912345678.0", "13912345678", true},
		{"4.3082119850715E+17", "4.3082119850715E+17", false},   // Excel: 15 digits kept
		{"4.3082119850715E+017", "4.3082119850715E+017", false}, // LibreOffice
		{"9.14E+17", "9.14E+17", false},
		{"4.30821E+11", "430821000000", true},
		{"9143082156E1234567", "9143082156E1234567", true}, // a credit code with an E
		{"1.5", "1.5", true},
		{"", "", true},
	} {
		got, ok := Code(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Code(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestDecimal(t *testing.T) {
	for in, want := range map[string]string{"1234.5600000000002": "1234.56", "3500": "3500", "3500.5": "3500.5", "1E+3": "1000.00", "1234.567": "1234.567", "abc": "abc", "0.30000000000000004": "0.30"} {
		if got := Decimal(in, 2); got != want {
			t.Errorf("Decimal(%q, 2) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDay(f *testing.F) {
	for _, s := range []string{"2020-03-09", "2020年3月9日", "3/9/20", "43899.5", "20200309", "2020.3.9 8:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day, ok := Day(s)
		if !ok {
			return
		}
		if again, ok2 := Day(day); !ok2 || again != day || len(day) != 10 {
			t.Fatalf("Day(%q) = %q, which reads back as %q, %v", s, day, again, ok2)
		}
	})
}

func FuzzCode(f *testing.F) {
	for _, s := range []string{"4.3082119850715E+17", "13912345678", "1.3912345678E+10", "91430821MA4L0000X0", "1.5e-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := Code(s)
		if !ok {
			if code != strings.TrimSpace(s) {
				t.Fatalf("a lost code %q changed to %q", s, code)
			}
			return
		}
		if again, ok := Code(code); !ok || again != code {
			t.Fatalf("Code(%q) = %q, which reads back as %q", s, code, again)
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("名称,代码\n甲,1\n"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("名称,代码\n甲,1\n")
	f.Add([]byte(gbk))
	f.Add([]byte("\xff\xfea\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeText(bytes.NewReader(data), 1<<20)
		if err == nil && !utf8Valid(b) {
			t.Fatalf("%q decoded to invalid UTF-8 %q", data, b)
		}
	})
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// A serial of a workbook counting from 1904 is the day 1,462 days after the same serial
// counted from 1900, and reads back as itself.
func FuzzDay1904(f *testing.F) {
	for _, s := range []string{"42437", "42437.5", "2020/3/9", "1", "2957003", "61"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := day(s, true)
		if !ok {
			return
		}
		if again, ok2 := day(got, true); !ok2 || again != got {
			t.Fatalf("day(%q, 1904) = %q, which reads back as %q, %v", s, got, again, ok2)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !isSerial(strings.TrimSpace(s)) {
			return
		}
		if in1900, ok := Day(strconv.FormatFloat(v+1462, 'f', -1, 64)); ok && in1900 != got {
			t.Fatalf("serial %q: %s counted from 1904, %s from 1900 plus 1,462 days", s, got, in1900)
		}
	})
}
