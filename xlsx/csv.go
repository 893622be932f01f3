package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"fugong"
)

// DecodeText reads a text file saved by a spreadsheet program, at most limit bytes, as
// UTF-8, its encoding told by its content: UTF-8 with or without a byte-order mark,
// UTF-16 with one (Excel's "Unicode text"), else GB18030, which covers GBK and GB2312
// (what Chinese Excel and WPS save a CSV as, without a mark).
func DecodeText(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &Problem{fugong.M("sheet.too_large", (int64(len(b))+(1<<20)-1)>>20, limit>>20)}
	}
	return decodeText(b)
}

func decodeText(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		return b[3:], nil
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
	case utf8.Valid(b):
		return b, nil
	}
	return simplifiedchinese.GB18030.NewDecoder().Bytes(b)
}

// ReadCSV reads a CSV ledger within lim with the same rules as an .xlsx one: the first
// row holds the column names, blank rows are skipped, each row keeps its line number. A
// file whose first line has tabs and no commas is read as tab-separated.
func ReadCSV(r io.Reader, lim Limits) (*Sheet, error) {
	lim = lim.orDefault()
	b, err := DecodeText(r, lim.Unpacked)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if bytes.IndexByte(first, ',') < 0 && bytes.IndexByte(first, '\t') >= 0 {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	out := &Sheet{}
	// line is the row's number as a spreadsheet program shows it: one per record (a
	// quoted cell may span lines), counting the empty lines the reader skips. ended is
	// the number of lines read through, off the bytes.
	line, ended, off := 0, 0, int64(0)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line += max(1, pe.StartLine-ended)
			}
			return nil, &Problem{fugong.M("sheet.csv_line", line)}
		}
		start, _ := cr.FieldPos(0)
		line += max(1, start-ended)
		next := cr.InputOffset()
		ended += bytes.Count(b[off:next], []byte("\n"))
		off = next
		if out.Headers == nil {
			for i, h := range rec {
				rec[i] = strings.TrimSpace(h)
			}
			for len(rec) > 0 && rec[len(rec)-1] == "" {
				rec = rec[:len(rec)-1]
			}
			if len(rec) == 0 || line != 1 {
				return nil, ErrNoHeader
			}
			out.Headers = rec
			continue
		}
		if blank(rec) {
			continue
		}
		if len(out.Rows) >= lim.Rows {
			return nil, tooManyRows(lim.Rows)
		}
		size := 0
		for i, c := range rec {
			size += len(c)
			rec[i] = unneutralise(c)
		}
		if size > MaxRowBytes {
			return nil, &Problem{fugong.M("sheet.row_too_long", line, MaxRowBytes>>10)}
		}
		out.add(line, rec)
	}
	if out.Headers == nil {
		return nil, ErrNoHeader
	}
	return out, nil
}
