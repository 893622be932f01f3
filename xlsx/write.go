package xlsx

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Typed values for a row of an export, so that a spreadsheet program takes each cell for
// what it is: Date a date cell (shown 2020-03-09), Money a number with two decimals, Percent
// a percentage, Text a code kept as text (a credit code or ID number of digits only would
// otherwise turn into 9.14E+17). Other values: a string is text, an integer a number.
type (
	// Date is a day written YYYY-MM-DD; "" is an empty cell.
	Date string
	// Money is an amount in fen, shown in yuan: 1,234.50.
	Money int64
	// Percent is a rate in percent, as fugong.Percent gives it: 89.8 shows 89.8%.
	Percent float64
	// Text is a code: credit code, ID number, phone.
	Text string
)

// YesNo is a yes-or-no column's cell as the offices write it: 是 or 否 (建档立卡贫困户),
// the words their imports read back.
func YesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// widthRows are the first rows a Writer holds to fit its columns' widths to them.
const widthRows = 100

// Writer streams a one-sheet workbook: the header row bold and frozen, then data rows,
// so that an export of any size is written without holding it in memory. The columns are
// as wide as the header and the first rows need (a Chinese character counts two).
type Writer struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	st      styles
	headers []string
	pending [][]any // the first rows, until the widths are set
	row     int
	started bool
}

// styles are a workbook's cell styles by kind.
type styles struct{ head, date, money, pct, text int }

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	dateFmt, pctFmt := "yyyy-mm-dd", "0.0%"
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.head, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&st.date, excelize.Style{CustomNumFmt: &dateFmt}},
		{&st.money, excelize.Style{NumFmt: 4}}, // #,##0.00
		{&st.pct, excelize.Style{CustomNumFmt: &pctFmt}},
		{&st.text, excelize.Style{NumFmt: 49}}, // @
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// NewWriter starts a workbook whose sheet is named sheet and whose first row is headers.
func NewWriter(sheet string, headers []string) (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	return newSheet(f, st, sheet, headers)
}

func newSheet(f *excelize.File, st styles, sheet string, headers []string) (*Writer, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	if err != nil {
		return nil, err
	}
	return &Writer{f: f, sw: sw, st: st, headers: headers}, nil
}

// Add writes one data row: strings, integers, booleans, nil, or the typed values above.
func (w *Writer) Add(values ...any) error {
	if w.started {
		return w.write(values)
	}
	w.pending = append(w.pending, values)
	if len(w.pending) < widthRows {
		return nil
	}
	return w.start()
}

// start sets the columns' widths from the header and the rows held, then writes them.
func (w *Writer) start() error {
	w.started = true
	widths := make([]int, len(w.headers))
	for i, h := range w.headers {
		widths[i] = textWidth(h) + 2 // the bold header and the filter arrow
	}
	for _, r := range w.pending {
		for i, v := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(CSVText(v)))
		}
	}
	for i, n := range widths {
		if err := w.sw.SetColWidth(i+1, i+1, float64(min(max(n+2, 8), 60))); err != nil {
			return err
		}
	}
	head := make([]any, len(w.headers))
	for i, h := range w.headers {
		head[i] = excelize.Cell{Value: h, StyleID: w.st.head}
	}
	if err := w.write(head); err != nil {
		return err
	}
	for _, r := range w.pending {
		if err := w.write(r); err != nil {
			return err
		}
	}
	w.pending = nil
	return nil
}

func (w *Writer) write(values []any) error {
	w.row++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = w.cell(v)
	}
	addr, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(addr, cells)
}

// cell is a value as excelize writes it, with its style.
func (w *Writer) cell(v any) any {
	switch v := v.(type) {
	case Date:
		if v == "" {
			return nil
		}
		t, err := time.Parse(time.DateOnly, string(v))
		if err != nil {
			return string(v)
		}
		return excelize.Cell{Value: t, StyleID: w.st.date}
	case Money:
		return excelize.Cell{Value: float64(v) / 100, StyleID: w.st.money}
	case Percent:
		return excelize.Cell{Value: float64(v) / 100, StyleID: w.st.pct}
	case Text:
		return excelize.Cell{Value: string(v), StyleID: w.st.text}
	}
	return v
}

// textWidth is the width of s in a spreadsheet's columns: two for a wide (Chinese)
// character, one for others.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// flush writes what is held and ends the sheet.
func (w *Writer) flush() error {
	if !w.started {
		if err := w.start(); err != nil {
			return err
		}
	}
	return w.sw.Flush()
}

// Next ends the sheet being written and starts another in the same workbook, named sheet
// with headers as its first row: a ledger and the entries behind it (each payment of an
// entitlement), streamed one after the other.
func (w *Writer) Next(sheet string, headers []string) error {
	if err := w.flush(); err != nil {
		return err
	}
	if _, err := w.f.NewSheet(sheet); err != nil {
		return err
	}
	n, err := newSheet(w.f, w.st, sheet, headers)
	if err != nil {
		return err
	}
	*w = *n
	return nil
}

// Finish writes the workbook to out.
func (w *Writer) Finish(out io.Writer) error {
	defer w.f.Close()
	if err := w.flush(); err != nil {
		return err
	}
	_, err := w.f.WriteTo(out)
	return err
}

// Build writes a workbook in memory: for tests and small exports.
func Build(sheet string, headers []string, rows [][]any) ([]byte, error) {
	w, err := NewWriter(sheet, headers)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := w.Add(r...); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	err = w.Finish(&b)
	return b.Bytes(), err
}

// Table is one sheet of a small workbook: its name, a header row and data rows.
type Table struct {
	Name    string
	Headers []string
	Rows    [][]any
}

// BuildTables writes a small workbook of several sheets in memory (a report: its
// sentences, then the tables behind them), each sheet as a Writer writes it.
func BuildTables(tables []Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return nil, err
		}
		w, err := newSheet(f, st, t.Name, t.Headers)
		if err != nil {
			return nil, err
		}
		for _, r := range t.Rows {
			if err := w.Add(r...); err != nil {
				return nil, err
			}
		}
		if err := w.flush(); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	_, err = f.WriteTo(&b)
	return b.Bytes(), err
}

// ReadTables reads every sheet of a small workbook (at most LedgerUnpacked unpacked) as
// rows of cell texts as shown, by sheet name.
func ReadTables(r io.Reader) (names []string, sheets map[string][][]string, err error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: LedgerUnpacked, UnzipXMLSizeLimit: LedgerUnpacked})
	if err != nil {
		return nil, nil, fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	defer f.Close()
	sheets = map[string][][]string{}
	names = f.GetSheetList()
	for _, n := range names {
		if sheets[n], err = f.GetRows(n); err != nil {
			return nil, nil, err
		}
	}
	return names, sheets, nil
}

// CSVText is a value as a CSV export writes it.
func CSVText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case Date:
		return string(v)
	case Money:
		sign := ""
		if v < 0 {
			sign, v = "-", -v
		}
		return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
	case Percent:
		return strconv.FormatFloat(float64(v), 'f', -1, 64) + "%"
	case Text:
		return string(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// WriteCSV writes headers and rows as UTF-8 CSV with a BOM, so that the offices'
// spreadsheet program shows the Chinese right. A cell that would start a formula (= + -
// @, or a tab or carriage return before one) is written with a quote before it, as OWASP
// advises against CSV injection; a long code of digits only is followed by a tab, so that
// the spreadsheet keeps it as text rather than 9.14E+17.
func WriteCSV(out io.Writer, headers []string, rows [][]any) error {
	if _, err := out.Write([]byte("\ufeff")); err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	rec := make([]string, len(headers))
	for i, h := range headers {
		rec[i] = Neutralise(h)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range rows {
		rec = rec[:0]
		for _, v := range r {
			s := Neutralise(CSVText(v))
			if t, ok := v.(Text); ok && len(t) >= 12 && allDigits(string(t)) {
				s += "\t"
			}
			rec = append(rec, s)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Neutralise puts a quote before a cell that a spreadsheet program would take for a
// formula: one starting with = + - @, a tab or a carriage return.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch c, _ := utf8.DecodeRuneInString(s); c {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// unneutralise takes off the quote Neutralise put before a cell, when a CSV export comes
// back.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && Neutralise(s[1:]) != s[1:] {
		return s[1:]
	}
	return s
}
