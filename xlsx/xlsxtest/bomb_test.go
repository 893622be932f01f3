package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

func TestBombIsAGoodZip(t *testing.T) {
	b := Bomb("xl/worksheets/sheet1.xml", 5<<20)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		n, err := io.Copy(io.Discard, rc)
		t.Log(f.Name, n, f.UncompressedSize64, err, len(b))
		if err != nil {
			t.Fatal(err)
		}
	}
}
