// Package xlsx reads and writes the offices' ledgers (台账) as .xlsx with Chinese headers,
// and as CSV. excelize lives only here. Reading maps each row to the sheet's own column
// names and keeps the row and column of every cell, so that an import can name each bad
// cell as "第 3 行 · 信用代码".
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Row is one data row of a sheet: its 1-based row number in the sheet and its cells by
// header name.
type Row struct {
	Line  int
	Cells map[string]string
}

// Get returns a cell's trimmed text by header name.
func (r Row) Get(col string) string { return strings.TrimSpace(r.Cells[col]) }

// Sheet is what was read: the headers in order and the data rows (blank rows skipped).
type Sheet struct {
	Headers []string
	Rows    []Row
}

// ErrNoHeader is returned when the first row is empty.
var ErrNoHeader = errors.New("the first row holds no column names")

// MaxRows bounds an import; larger ledgers are split by the office.
const MaxRows = 2_000_000

// ReadXLSX reads the first sheet of an .xlsx workbook row by row, without loading the
// whole sheet into memory.
func ReadXLSX(r io.Reader) (*Sheet, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrNoHeader
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs [][]string
	out := &Sheet{}
	line := 0
	for rows.Next() {
		line++
		cols, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", line, err)
		}
		if line == 1 {
			recs = append(recs, cols)
			continue
		}
		if err := out.add(recs, line, cols); err != nil {
			return nil, err
		}
	}
	if len(recs) == 0 {
		return nil, ErrNoHeader
	}
	return out, rows.Error()
}

// add keeps a data row, setting the headers from the first row on first use.
func (s *Sheet) add(head [][]string, line int, cols []string) error {
	if s.Headers == nil {
		for _, h := range head[0] {
			s.Headers = append(s.Headers, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		}
		if len(s.Headers) == 0 {
			return ErrNoHeader
		}
	}
	blank := true
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil
	}
	if len(s.Rows) >= MaxRows {
		return fmt.Errorf("more than %d rows", MaxRows)
	}
	cells := make(map[string]string, len(s.Headers))
	for i, h := range s.Headers {
		if i < len(cols) {
			cells[h] = cols[i]
		}
	}
	s.Rows = append(s.Rows, Row{Line: line, Cells: cells})
	return nil
}

// ReadCSV reads a CSV ledger with the same header rules (UTF-8, optional BOM).
func ReadCSV(r io.Reader) (*Sheet, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	out := &Sheet{}
	var head [][]string
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if line == 1 {
			head = append(head, append([]string(nil), rec...))
			continue
		}
		if err := out.add(head, line, rec); err != nil {
			return nil, err
		}
	}
	if head == nil {
		return nil, ErrNoHeader
	}
	if out.Headers == nil {
		out.add(head, 1, nil)
	}
	return out, nil
}

// Read picks the reader by file name: .csv or else .xlsx.
func Read(name string, r io.Reader) (*Sheet, error) {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return ReadCSV(r)
	}
	return ReadXLSX(r)
}

// Missing returns the required columns the sheet lacks.
func (s *Sheet) Missing(required ...string) []string {
	have := map[string]bool{}
	for _, h := range s.Headers {
		have[h] = true
	}
	var out []string
	for _, c := range required {
		if !have[c] {
			out = append(out, c)
		}
	}
	return out
}

// Writer streams a one-sheet workbook: the header row bold, then data rows, so that an
// export of any size is written without holding it all in memory.
type Writer struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewWriter starts a workbook whose sheet is named sheet and whose first row is headers.
func NewWriter(sheet string, headers []string) (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	w := &Writer{f: f, sw: sw}
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{Value: h, StyleID: style}
	}
	if err := w.sw.SetColWidth(1, max(1, len(headers)), 16); err != nil {
		return nil, err
	}
	return w, w.write(cells)
}

func (w *Writer) write(cells []any) error {
	w.row++
	addr, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(addr, cells)
}

// Add writes one data row; values are strings, integers or booleans as they should show.
func (w *Writer) Add(values ...any) error { return w.write(values) }

// Finish writes the workbook to out.
func (w *Writer) Finish(out io.Writer) error {
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.f.WriteTo(out)
	w.f.Close()
	return err
}

// WriteCSV writes headers and rows as UTF-8 CSV with a BOM, so that the offices'
// spreadsheet program shows the Chinese right.
func WriteCSV(out io.Writer, headers []string, rows [][]string) error {
	if _, err := out.Write([]byte("\ufeff")); err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	if err := cw.Write(headers); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
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

// ContentType is the MIME type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// EachXLSX streams the first sheet of an .xlsx workbook: head gets the column names of
// the first row, then fn each data row (blank rows skipped), one at a time, so that a
// ledger of a million rows is never held in memory. An error from head or fn stops the
// reading and is returned.
func EachXLSX(r io.Reader, head func(headers []string) error, fn func(Row) error) error {
	var headers []string
	return EachRow(r, func(h []string) error {
		headers = h
		return head(h)
	}, func(line int, cols []string) error {
		cells := make(map[string]string, len(headers))
		for i, h := range headers {
			if i < len(cols) {
				cells[h] = cols[i]
			}
		}
		return fn(Row{Line: line, Cells: cells})
	})
}

// EachRow streams the first sheet of an .xlsx workbook as EachXLSX does, giving fn each
// data row's 1-based line and its cells in the headers' order (fn may keep the slice).
// Cells are read as stored, without number formats, so that an ID number or phone typed
// as a number keeps all its digits. r is read in place when it is a file, else spooled
// to a temporary file first: the workbook is never held in memory, and its sheet is
// unpacked as it is read (a million rows: some 40 MB packed, 200 MB unpacked).
func EachRow(r io.Reader, head func(headers []string) error, fn func(line int, cells []string) error) error {
	ra, size, cleanup, err := readerAt(r)
	if err != nil {
		return err
	}
	defer cleanup()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	s, rc, err := openSheet(zr)
	if err != nil {
		if errors.Is(err, ErrNoHeader) {
			return err
		}
		return fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	defer rc.Close()
	first := true
	for {
		line, cols, err := s.row()
		if errors.Is(err, io.EOF) {
			if first {
				return ErrNoHeader
			}
			return nil
		}
		if err != nil {
			return err
		}
		if first {
			first = false
			if line != 1 {
				return ErrNoHeader
			}
			var headers []string
			for _, h := range cols {
				headers = append(headers, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
			}
			if err := head(headers); err != nil {
				return err
			}
			continue
		}
		blank := true
		for _, c := range cols {
			if strings.TrimSpace(c) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		if err := fn(line, cols); err != nil {
			return err
		}
	}
}

// readerAt gives random access to r: in place for a file or an in-memory reader, else
// through a temporary file that cleanup removes.
func readerAt(r io.Reader) (io.ReaderAt, int64, func(), error) {
	switch v := r.(type) {
	case *os.File:
		st, err := v.Stat()
		if err != nil {
			return nil, 0, nil, err
		}
		return v, st.Size(), func() {}, nil
	case *bytes.Reader:
		return v, v.Size(), func() {}, nil
	}
	tmp, err := os.CreateTemp("", "fugong-upload-*.xlsx")
	if err != nil {
		return nil, 0, nil, err
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	n, err := io.Copy(tmp, r)
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return tmp, n, cleanup, nil
}

// Table is one sheet of a small workbook: its name, a bold header row and data rows.
type Table struct {
	Name    string
	Headers []string
	Rows    [][]any
}

// BuildTables writes a small workbook of several sheets in memory (a report: its
// sentences, then the tables behind them).
func BuildTables(tables []Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return nil, err
		}
		rows := append([][]any{make([]any, len(t.Headers))}, t.Rows...)
		for j, h := range t.Headers {
			rows[0][j] = h
		}
		for r, row := range rows {
			addr, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetSheetRow(t.Name, addr, &row); err != nil {
				return nil, err
			}
		}
		if len(t.Headers) > 0 {
			end, _ := excelize.ColumnNumberToName(len(t.Headers))
			f.SetCellStyle(t.Name, "A1", end+"1", style)
			f.SetColWidth(t.Name, "A", end, 16)
		}
	}
	var b bytes.Buffer
	_, err := f.WriteTo(&b)
	return b.Bytes(), err
}

// ReadTables reads every sheet of a small workbook as rows of cell texts, by sheet name.
func ReadTables(r io.Reader) (names []string, sheets map[string][][]string, err error) {
	f, err := excelize.OpenReader(r)
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
