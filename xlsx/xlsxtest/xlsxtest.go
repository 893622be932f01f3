// Package xlsxtest makes workbooks for tests that no office program would: zip bombs, a
// few bytes on disk that declare (truthfully) a part of gigabytes.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
)

// Bomb is an .xlsx package whose part (the sheet, or the shared strings) unpacks to at
// least size bytes of well-formed XML — a cell or a shared string of one letter repeated —
// though the package is some size/1000 bytes: its deflate stream is written by hand, one
// literal and then back-references of 258 bytes, 13 bits each.
func Bomb(part string, size int64) []byte {
	return build(part, size, "", "")
}

// Package is an .xlsx package of one sheet with the given XML for the sheet and the
// shared strings (none when sst is ""), for a test of how a reader takes the XML itself.
func Package(sheet, sst string) []byte {
	return build("", 0, sheet, sst)
}

func build(part string, size int64, sheet, sst string) []byte {
	const sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>`
	const sheetTail = `</t></is></c></row></sheetData></worksheet>`
	const sstHead = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`
	const sstTail = `</t></si></sst>`
	small := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
		"xl/sharedStrings.xml":       `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si></sst>`,
	}
	if sheet != "" {
		small["xl/worksheets/sheet1.xml"] = sheet
	}
	if sst != "" {
		small["xl/sharedStrings.xml"] = sst
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
		if name == part {
			head, tail := sheetHead, sheetTail
			if part == "xl/sharedStrings.xml" {
				head, tail = sstHead, sstTail
			}
			data, n, crc := deflateRun(head, 'a', size, tail)
			w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(n)})
			if err != nil {
				panic(err)
			}
			w.Write(data)
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		w.Write([]byte(small[name]))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// deflateRun is a deflate stream (one block, fixed codes) of head, then c repeated so that
// the whole is at least size bytes, then tail; with the unpacked length and its CRC-32.
func deflateRun(head string, c byte, size int64, tail string) ([]byte, int64, uint32) {
	var w bitWriter
	w.bits(1, 1) // the final block
	w.bits(1, 2) // fixed Huffman codes
	for i := 0; i < len(head); i++ {
		w.literal(head[i])
	}
	w.literal(c)
	run := size - int64(len(head)) - int64(len(tail)) - 1
	matches := max(0, (run+257)/258)
	for range matches {
		w.code(0b11000101, 8) // length 258 (symbol 285)
		w.code(0, 5)          // distance 1
	}
	for i := 0; i < len(tail); i++ {
		w.literal(tail[i])
	}
	w.code(0, 7) // end of block
	n := int64(len(head)) + 1 + 258*matches + int64(len(tail))
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	for left := 1 + 258*matches; left > 0; left -= int64(len(chunk)) {
		crc = crc32.Update(crc, crc32.IEEETable, chunk[:min(left, int64(len(chunk)))])
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	return w.flush(), n, crc
}

// bitWriter writes a deflate stream's bits, least significant first.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code, most significant bit first.
func (w *bitWriter) code(v uint64, n uint) {
	var r uint64
	for i := uint(0); i < n; i++ {
		r = r<<1 | (v>>i)&1
	}
	w.bits(r, n)
}

// literal writes a byte with the fixed literal codes.
func (w *bitWriter) literal(c byte) {
	if c < 144 {
		w.code(0b00110000+uint64(c), 8)
	} else {
		w.code(0b110010000+uint64(c)-144, 9)
	}
}

func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.nacc = 0, 0
	}
	return w.out
}
