package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// EachXLSX streams the first sheet of an .xlsx workbook within lim: head gets the column
// names of the first row, then fn each data row (blank rows skipped) by its headers, one
// at a time.
func EachXLSX(r io.Reader, lim Limits, head func(headers []string) error, fn func(Row) error) error {
	s := &Sheet{}
	return eachRow(r, lim, func(h []string, date1904 bool) error {
		s.Headers, s.Date1904 = h, date1904
		return head(h)
	}, func(line int, cols []string) error {
		s.Rows = s.Rows[:0]
		s.add(line, cols)
		return fn(s.Rows[0])
	})
}

// EachRow streams the first sheet of an .xlsx workbook within lim, giving head the
// column names of the first row, then fn each data row's 1-based line and its cells in
// the headers' order (fn may keep the slice); blank rows are skipped and cells right of
// the last header dropped. Cells are read as stored, without number formats, so that an
// ID number or phone typed as a number keeps all its digits and a date cell is its serial
// number (Day reads it). An error from head or fn stops the reading and is returned.
//
// r is read in place when it can be (a file, an upload part, an in-memory reader), else
// spooled to an unlinked temporary file: the workbook is never held in memory, nothing is
// left on disk should the process die, and the sheet is unpacked as it is read (a
// million rows: some 40 MB packed, 200 MB unpacked). A package whose sheet and shared
// strings would unpack beyond lim is refused before any of it is read.
func EachRow(r io.Reader, lim Limits, head func(headers []string) error, fn func(line int, cells []string) error) error {
	return eachRow(r, lim, func(h []string, _ bool) error { return head(h) }, fn)
}

// eachRow is EachRow, telling head also whether the workbook counts its dates from 1904.
func eachRow(r io.Reader, lim Limits, head func(headers []string, date1904 bool) error, fn func(line int, cells []string) error) error {
	lim = lim.orDefault()
	ra, size, cleanup, err := readerAt(r)
	if err != nil {
		return err
	}
	defer cleanup()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	s, rc, err := openSheet(zr, lim)
	if err != nil {
		var p *Problem
		if errors.Is(err, ErrNoHeader) || errors.As(err, &p) {
			return err
		}
		return fmt.Errorf("not an .xlsx workbook: %w", err)
	}
	defer rc.Close()
	first := true
	rows := 0
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
			headers := make([]string, len(cols))
			for i, h := range cols {
				headers[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			}
			for len(headers) > 0 && headers[len(headers)-1] == "" {
				headers = headers[:len(headers)-1]
			}
			if len(headers) == 0 {
				return ErrNoHeader
			}
			s.maxCols = len(headers)
			if err := head(headers, s.date1904); err != nil {
				return err
			}
			continue
		}
		if blank(cols) {
			continue
		}
		if rows++; rows > lim.Rows {
			return tooManyRows(lim.Rows)
		}
		if err := fn(line, cols); err != nil {
			return err
		}
	}
}

func blank(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readerAt gives random access to r: in place for a file, an upload's part or an
// in-memory reader, else through a temporary file, unlinked at once where the system
// allows it, that cleanup closes.
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
	case interface {
		io.ReaderAt
		io.Seeker
	}:
		n, err := v.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, 0, nil, err
		}
		return v, n, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "fugong-spool-*")
	if err != nil {
		return nil, 0, nil, err
	}
	removed := os.Remove(tmp.Name()) == nil // the open file stays readable
	cleanup := func() {
		tmp.Close()
		if !removed {
			os.Remove(tmp.Name())
		}
	}
	n, err := io.Copy(tmp, r)
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return tmp, n, cleanup, nil
}
