package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"fugong"
)

// sheetReader streams the cells of one worksheet of an .xlsx package straight from its
// XML, the part of a million-row import that excelize's general reader (encoding/xml,
// one struct per cell) spends most of its time in. It knows the few elements a
// worksheet's data is made of — row, c, v, is, t, r, rPh, f — and skips the rest.
type sheetReader struct {
	br      *bufio.Reader
	sst     []string
	buf     []byte // the current tag or text
	line    int    // the current row's number
	maxRow  int    // the last row number to read
	maxCols int    // cells to the right of these columns are not kept
	// date1904 is set when the workbook counts its dates from 1904-01-01.
	date1904 bool
}

// openSheet finds the first sheet of the package and its shared strings, and refuses
// them unread when they would unpack beyond lim. Part names are matched without regard
// to case, as the package format (OPC) has them: a workbook whose relations name
// sharedStrings.xml may hold xl/SharedStrings.xml.
func openSheet(zr *zip.Reader, lim Limits) (*sheetReader, io.Closer, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(files, "xl/workbook.xml", &wb); err != nil {
		return nil, nil, err
	}
	if len(wb.Sheets) == 0 {
		return nil, nil, ErrNoHeader
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, nil, err
	}
	target := func(t string) string {
		if strings.HasPrefix(t, "/") {
			return strings.ToLower(strings.TrimPrefix(t, "/"))
		}
		return strings.ToLower(path.Clean("xl/" + t))
	}
	var sheetName, sstName string
	for _, r := range rels.Rels {
		switch {
		case r.ID == wb.Sheets[0].ID:
			sheetName = target(r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sstName = target(r.Target)
		}
	}
	f := files[sheetName]
	if f == nil {
		return nil, nil, fmt.Errorf("the workbook names a sheet %q it does not hold", sheetName)
	}
	sf := files[sstName]
	unpacked := f.UncompressedSize64
	if sf != nil {
		if sf.UncompressedSize64 > MaxSharedStrings {
			return nil, nil, &Problem{fugong.M("sheet.too_large", sf.UncompressedSize64>>20, MaxSharedStrings>>20)}
		}
		unpacked += sf.UncompressedSize64
	}
	if unpacked > uint64(lim.Unpacked) {
		return nil, nil, &Problem{fugong.M("sheet.too_large", unpacked>>20, lim.Unpacked>>20)}
	}
	s := &sheetReader{maxRow: lim.Rows + 1, maxCols: MaxColumns}
	// xsd:boolean: "1" or "true" (Excel writes 1, LibreOffice true).
	s.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	if sf != nil {
		var err error
		if s.sst, err = readSharedStrings(sf); err != nil {
			return nil, nil, err
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	s.br = bufio.NewReaderSize(rc, 256<<10)
	return s, rc, nil
}

func decodePart(files map[string]*zip.File, name string, v any) error {
	f := files[name]
	if f == nil {
		return fmt.Errorf("no %s in the package", name)
	}
	if f.UncompressedSize64 > maxPart {
		return &Problem{fugong.M("sheet.too_large", f.UncompressedSize64>>20, maxPart>>20)}
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// maxPart bounds the workbook's own parts (its list of sheets and their relations).
const maxPart = 4 << 20

// readSharedStrings reads the shared strings table: each <si>'s text runs, without the
// phonetic guides (rPh).
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := &sheetReader{br: bufio.NewReaderSize(rc, 256<<10)}
	var out []string
	var text strings.Builder
	in, skip := false, 0
	for {
		name, kind, err := s.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch {
		case name == "si" && kind == startTag:
			in = true
			text.Reset()
		case name == "si" && kind == emptyTag:
			out = append(out, "")
		case name == "si" && kind == endTag:
			in = false
			out = append(out, text.String())
		case name == "rPh" && kind == startTag:
			skip++
		case name == "rPh" && kind == endTag:
			skip--
		case name == "t" && kind == startTag && in && skip == 0:
			t, err := s.text()
			if err != nil {
				return nil, err
			}
			text.WriteString(t)
		}
	}
}

const (
	startTag = iota
	endTag
	emptyTag
	otherTag // comments, processing instructions, declarations
)

// next reads up to and through the next tag, returning its local name (no prefix) and
// kind; s.buf holds the tag's attributes. A '>' inside a quoted attribute value does not
// end the tag; comments and CDATA sections are read to their own ends and skipped.
func (s *sheetReader) next() (string, int, error) {
	for {
		_, err := s.br.ReadSlice('<')
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) { // else a long text between tags: skip on
			return "", 0, err
		}
	}
	s.buf = s.buf[:0]
	var quote byte // the quote of an attribute value the tag is in, or 0
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return "", 0, fmt.Errorf("unfinished tag: %w", err)
		}
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > maxTag {
			return "", 0, errors.New("a tag longer than 1 MB")
		}
		if s.buf[0] == '!' || s.buf[0] == '?' {
			if err == nil {
				break
			}
			continue
		}
		quote = quoteAfter(chunk, quote)
		if err == nil && quote == 0 {
			break
		}
	}
	t := s.buf[:len(s.buf)-1] // without '>'
	kind := startTag
	switch {
	case len(t) > 0 && (t[0] == '?' || t[0] == '!'):
		for _, sec := range [][2]string{{"!--", "-->"}, {"![CDATA[", "]]>"}} {
			if bytes.HasPrefix(s.buf, []byte(sec[0])) {
				// a comment or CDATA section holding '>': read on to its end
				for len(s.buf) < len(sec[0])+len(sec[1])-1 || !bytes.HasSuffix(s.buf, []byte(sec[1])) {
					chunk, err := s.br.ReadSlice('>')
					s.buf = append(s.buf, chunk...)
					if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
						return "", 0, err
					}
					if len(s.buf) > maxTag {
						return "", 0, errors.New("a comment longer than 1 MB")
					}
				}
			}
		}
		return "", otherTag, nil
	case len(t) > 0 && t[0] == '/':
		kind, t = endTag, t[1:]
	case len(t) > 0 && t[len(t)-1] == '/':
		kind, t = emptyTag, t[:len(t)-1]
	}
	end := bytes.IndexAny(t, " \t\r\n")
	if end < 0 {
		end = len(t)
	}
	name := t[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	s.buf = t[end:]
	return string(name), kind, nil
}

// maxTag bounds a tag, a comment or a cell's text.
const maxTag = 1 << 20

// quoteAfter is the quote an attribute value is open in after b, starting in quote (0:
// outside any value).
func quoteAfter(b []byte, quote byte) byte {
	if quote == 0 && bytes.IndexByte(b, '"') < 0 && bytes.IndexByte(b, '\'') < 0 {
		return 0
	}
	for _, c := range b {
		switch {
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case c == quote:
			quote = 0
		}
	}
	return quote
}

// attr finds an attribute's raw value in the current tag.
func (s *sheetReader) attr(name string) string {
	a := s.buf
	for {
		i := bytes.Index(a, []byte(name))
		if i < 0 {
			return ""
		}
		rest := a[i+len(name):]
		if (i == 0 || isSpace(a[i-1])) && len(rest) > 1 && rest[0] == '=' && (rest[1] == '"' || rest[1] == '\'') {
			q := rest[1]
			if j := bytes.IndexByte(rest[2:], q); j >= 0 {
				return string(rest[2 : 2+j])
			}
			return ""
		}
		a = rest
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// text reads the character data up to the next tag (not consuming it) and decodes its
// entities; CDATA sections within it are taken as they are.
func (s *sheetReader) text() (string, error) {
	var out []byte
	plain := true // out is the raw text, without entities
	for {
		var raw []byte
		for {
			chunk, err := s.br.ReadSlice('<')
			raw = append(raw, chunk...)
			if err == nil {
				s.br.UnreadByte()
				raw = raw[:len(raw)-1]
				break
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				return "", err
			}
			if len(out)+len(raw) > maxTag {
				return "", errors.New("a cell longer than 1 MB")
			}
		}
		if bytes.IndexByte(raw, '&') >= 0 {
			u, err := unescape(raw)
			if err != nil {
				return "", err
			}
			raw, plain = []byte(u), false
		}
		if out == nil && plain {
			out = raw
		} else {
			out = append(out, raw...)
		}
		if p, _ := s.br.Peek(len(cdataOpen)); !bytes.Equal(p, cdataOpen) {
			return string(out), nil
		}
		s.br.Discard(len(cdataOpen))
		start := len(out)
		for len(out)-start < len(cdataClose) || !bytes.HasSuffix(out, cdataClose) {
			chunk, err := s.br.ReadSlice('>')
			out = append(out, chunk...)
			if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
				return "", err
			}
			if len(out) > maxTag {
				return "", errors.New("a cell longer than 1 MB")
			}
		}
		out, plain = out[:len(out)-len(cdataClose)], false
	}
}

var cdataOpen, cdataClose = []byte("<![CDATA["), []byte("]]>")

// unescape decodes XML's entities and character references.
func unescape(b []byte) (string, error) {
	var sb strings.Builder
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			sb.Write(b)
			break
		}
		sb.Write(b[:i])
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 {
			return "", errors.New("an unfinished entity")
		}
		ent := string(b[1:j])
		b = b[j+1:]
		switch ent {
		case "amp":
			sb.WriteByte('&')
		case "lt":
			sb.WriteByte('<')
		case "gt":
			sb.WriteByte('>')
		case "quot":
			sb.WriteByte('"')
		case "apos":
			sb.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				err = fmt.Errorf("unknown entity &%s;", ent)
			}
			if err != nil {
				return "", err
			}
			sb.WriteRune(rune(n))
		}
	}
	return sb.String(), nil
}

// row reads the next row that has a cell, returning its number and its cells by column
// (missing cells are ""); io.EOF after the last.
func (s *sheetReader) row() (int, []string, error) {
	var cells []string
	col, typ, size := 0, "", 0
	inRow, inCell, inIs, skip := false, false, false, 0
	var value strings.Builder
	have := false
	for {
		name, kind, err := s.next()
		if err != nil {
			if err == io.EOF && inRow {
				return 0, nil, io.ErrUnexpectedEOF
			}
			return 0, nil, err
		}
		switch name {
		case "row":
			switch kind {
			case startTag, emptyTag:
				n, err := strconv.Atoi(s.attr("r"))
				if err != nil || n <= s.line {
					n = s.line + 1
				}
				if n > s.maxRow {
					return 0, nil, tooManyRows(s.maxRow - 1)
				}
				s.line, cells, col, size = n, make([]string, 0, cap(cells)), 0, 0
				if kind == startTag {
					inRow = true
				}
			case endTag:
				if inRow && len(cells) > 0 {
					return s.line, cells, nil
				}
				inRow = false
			}
		case "c":
			if !inRow || kind == endTag && !inCell {
				continue
			}
			if kind == endTag {
				inCell = false
				if have && col < s.maxCols {
					v := value.String()
					if typ == "s" {
						i, err := strconv.Atoi(strings.TrimSpace(v))
						if err != nil || i < 0 || i >= len(s.sst) {
							return 0, nil, fmt.Errorf("row %d: shared string %q out of range", s.line, v)
						}
						v = s.sst[i]
					}
					if size += len(v); size > MaxRowBytes {
						return 0, nil, &Problem{fugong.M("sheet.row_too_long", s.line, MaxRowBytes>>10)}
					}
					for len(cells) <= col {
						cells = append(cells, "")
					}
					cells[col] = v
				}
				col++
				continue
			}
			if r := s.attr("r"); r != "" {
				c, err := columnOf(r)
				if err != nil {
					return 0, nil, fmt.Errorf("row %d: %w", s.line, err)
				}
				col = c
			}
			if kind == emptyTag {
				col++
				continue
			}
			typ, inCell, have = s.attr("t"), true, false
			value.Reset()
		case "is":
			inIs = kind == startTag
		case "rPh":
			switch kind {
			case startTag:
				skip++
			case endTag:
				skip--
			}
		case "v", "t":
			if !inCell || kind != startTag || skip > 0 || (name == "t") != inIs {
				continue
			}
			t, err := s.text()
			if err != nil {
				return 0, nil, fmt.Errorf("row %d: %w", s.line, err)
			}
			if value.WriteString(t); value.Len() > maxTag {
				return 0, nil, fmt.Errorf("row %d: a cell longer than 1 MB", s.line)
			}
			have = true
		}
	}
}

// columnOf is the 0-based column of a cell reference like "AB12".
func columnOf(ref string) (int, error) {
	n := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			if i == 0 {
				break
			}
			if n > 16384 {
				break
			}
			return n - 1, nil
		}
		n = n*26 + int(c-'a'+1)
		if n > 16384 {
			break
		}
	}
	return 0, fmt.Errorf("bad cell reference %q", ref)
}
