// Package xlsx reads and writes the offices' ledgers (台账) as .xlsx with Chinese headers,
// and as CSV. excelize lives only here. Reading maps each row to the sheet's own column
// names and keeps the row and column of every cell, so that an import can name each bad
// cell as "第 3 行 · 信用代码".
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fugong"
)

// Row is one data row of a sheet: its 1-based row number in the sheet and its cells by
// header name, as stored (a date cell is its serial number, a number its digits).
type Row struct {
	Line     int
	Cells    map[string]string
	date1904 bool // the workbook counts its dates from 1904
}

// Get returns a cell's trimmed text by header name.
func (r Row) Get(col string) string { return strings.TrimSpace(r.Cells[col]) }

// Day reads a date cell by header name, as Day does, in the date system of the row's
// workbook: a date cell of a workbook that counts from 1904 (Excel for Mac before 2011,
// and a workbook with that option set) holds a serial 1,462 days smaller.
func (r Row) Day(col string) (string, bool) { return day(r.Get(col), r.date1904) }

// Sheet is what was read: the headers in order and the data rows (blank rows skipped).
// Date1904 is set when the workbook counts its dates from 1904-01-01 (its workbookPr
// says date1904="1"); a CSV holds no serials and never is.
type Sheet struct {
	Headers  []string
	Rows     []Row
	Date1904 bool
}

// ErrNoHeader is returned when the first row is empty.
var ErrNoHeader = errors.New("the first row holds no column names")

// Limits bound what one import reads. The unpacked size is checked before anything is
// read, against the sizes the package declares for the sheet and its shared strings (the
// unzipping holds the package to them), so that a small file that would unpack to
// gigabytes is refused at once; rows are counted as they are read. The zero value is the
// ledgers' limits.
type Limits struct {
	Rows     int   // data rows, at most
	Unpacked int64 // bytes: the sheet's XML and its shared strings unpacked, or a CSV file
}

// The limits of the imports. A ledger (enterprises, projects, links, demands, job seekers,
// the power sheet, a dispatch list) is read whole into memory and checked row by row;
// the workers ledger is streamed.
const (
	LedgerRows     = 20_000
	LedgerUnpacked = 64 << 20
	// MaxRows and MaxUnpacked bound the workers ledger: a million rows unpack to some
	// 200 MB.
	MaxRows     = 2_000_000
	MaxUnpacked = 1 << 30
	// MaxSharedStrings bounds the shared-strings table, which is held in memory while the
	// sheet is read.
	MaxSharedStrings = 256 << 20
	// MaxColumns bounds the columns read; MaxRowBytes a row's text.
	MaxColumns  = 256
	MaxRowBytes = 64 << 10
)

// WorkerLimits are the workers ledger's limits.
func WorkerLimits() Limits { return Limits{Rows: MaxRows, Unpacked: MaxUnpacked} }

func (l Limits) orDefault() Limits {
	if l.Rows <= 0 {
		l.Rows = LedgerRows
	}
	if l.Unpacked <= 0 {
		l.Unpacked = LedgerUnpacked
	}
	return l
}

// Problem is a reading error the user can act on: a file too large, too many rows, a
// row too long. Its message says so.
type Problem struct{ Msg fugong.Msg }

func (p *Problem) Error() string { return fmt.Sprintf("%s %v", p.Msg.Key, p.Msg.Args) }

func tooManyRows(n int) error { return &Problem{fugong.M("sheet.too_many_rows", n)} }

// Explain turns a Problem into the invalid error that says it, naming the file; other
// errors are returned as they are.
func Explain(err error) error {
	var p *Problem
	if errors.As(err, &p) {
		return fugong.Invalid(map[string]fugong.Msg{"file": p.Msg})
	}
	return err
}

// FileError is what an import answers when its file could not be read: the problem in
// words when there is one, a field error of the import's own (head's answer) as it is,
// else unreadable, the import's message for a file it cannot read.
func FileError(err error, unreadable string) error {
	var p *Problem
	switch {
	case errors.As(err, &p):
		return fugong.Invalid(map[string]fugong.Msg{"file": p.Msg})
	case fugong.ErrorCode(err) == fugong.EINVALID:
		return err
	}
	return fugong.Invalid(map[string]fugong.Msg{"file": fugong.M(unreadable)})
}

// Read reads a ledger, .csv by its name or else .xlsx, within lim, into memory: the
// headers and every non-blank row.
func Read(name string, r io.Reader, lim Limits) (*Sheet, error) {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return ReadCSV(r, lim)
	}
	return readXLSX(r, lim)
}

// ReadXLSX reads the first sheet of an .xlsx workbook within the ledgers' limits.
func ReadXLSX(r io.Reader) (*Sheet, error) { return readXLSX(r, Limits{}) }

func readXLSX(r io.Reader, lim Limits) (*Sheet, error) {
	out := &Sheet{}
	err := eachRow(r, lim, func(h []string, date1904 bool) error {
		out.Headers, out.Date1904 = h, date1904
		return nil
	}, out.add)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// add keeps a data row by its headers.
func (s *Sheet) add(line int, cols []string) error {
	cells := make(map[string]string, len(s.Headers))
	for i, h := range s.Headers {
		if i < len(cols) {
			cells[h] = cols[i]
		}
	}
	s.Rows = append(s.Rows, Row{Line: line, Cells: cells, date1904: s.Date1904})
	return nil
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

// FindColumns finds each field's column among a sheet's headers by any of the headers it
// goes by (names: a field's headers, its own first, then those offices also write — 手机
// for 手机号): the header found per field, the first in the sheet's order, and the sheet's
// other headers.
func FindColumns(headers []string, names map[string][]string) (found map[string]string, other []string) {
	found = map[string]string{}
	known := map[string]string{}
	for field, hs := range names {
		for _, h := range hs {
			known[h] = field
		}
	}
	for _, h := range headers {
		h = strings.TrimSpace(h)
		if f, ok := known[h]; ok {
			if _, dup := found[f]; !dup {
				found[f] = h
				continue
			}
		}
		if h != "" {
			other = append(other, h)
		}
	}
	return found, other
}

// ContentType is the MIME type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
