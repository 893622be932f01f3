package secret

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenAndRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	k1, err := Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	sealed := k1.Seal("430821199001011234")
	if strings.Contains(sealed, "1234") || sealed == k1.Seal("430821199001011234") {
		t.Fatal("sealing shows the value or is deterministic")
	}
	if v, err := k1.Open(sealed); err != nil || v != "430821199001011234" {
		t.Fatalf("open: %q %v", v, err)
	}
	if k1.Hash("13800000000") != k1.Hash("13800000000") || k1.Hash("13800000000") == k1.Hash("13800000001") {
		t.Fatal("keyed hash must be stable and distinct")
	}
	// A new key appended seals from now on; the old one still opens.
	k2, err := Parse("hash " + strings.Repeat("ab", 32) + "\nkey k1 " + strings.Repeat("cd", 32) + "\nkey k2 " + strings.Repeat("ef", 32) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	old, _ := Parse("hash " + strings.Repeat("ab", 32) + "\nkey k1 " + strings.Repeat("cd", 32) + "\n")
	s := old.Seal("x")
	if v, err := k2.Open(s); err != nil || v != "x" || k2.Current() != "k2" || !strings.HasPrefix(k2.Seal("y"), "k2:") {
		t.Fatalf("rotation: %q %v", v, err)
	}
	if _, err := k1.Open(s[:len(s)-2] + "AA"); err == nil {
		t.Fatal("a tampered value opened")
	}
}

func TestRotateThenReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	k, err := Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	old := k.Seal("13807441234")
	h := k.Hash("13807441234")
	id, err := Rotate(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Reload(path); err != nil {
		t.Fatal(err)
	}
	if k.Current() != id || !strings.HasPrefix(k.Seal("x"), id+":") {
		t.Fatalf("after reload the new key %s should seal; current %s", id, k.Current())
	}
	if v, err := k.Open(old); err != nil || v != "13807441234" {
		t.Fatalf("a value sealed before the rotation no longer opens: %v", err)
	}
	if k.Hash("13807441234") != h {
		t.Fatal("the lookup hash changed with the rotation")
	}
}

// A large file sealed as a stream opens at random with the keys (also after a rotation),
// holds nothing in clear, and does not open when changed, cut or given other keys.
func TestSealStream(t *testing.T) {
	k1, _ := Parse("hash " + strings.Repeat("ab", 32) + "\nkey k1 " + strings.Repeat("cd", 32) + "\n")
	plain := bytes.Repeat([]byte("430821199001011234,13807441234\n"), 10_000) // 310 KB: several chunks
	var buf bytes.Buffer
	w, err := k1.SealStream(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sealed := buf.Bytes()
	if bytes.Contains(sealed, []byte("430821199001011234")) || bytes.Contains(sealed, []byte("AGE-SECRET-KEY")) {
		t.Fatal("a sealed stream holds an ID number or its key in clear")
	}
	k2, _ := Parse("hash " + strings.Repeat("ab", 32) + "\nkey k1 " + strings.Repeat("cd", 32) + "\nkey k2 " + strings.Repeat("ef", 32) + "\n")
	for _, k := range []*Keys{k1, k2} {
		r, err := k.OpenStream(bytes.NewReader(sealed), int64(len(sealed)))
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 100)
		if _, err := r.ReadAt(got, 200_000); err != nil || !bytes.Equal(got, plain[200_000:200_100]) {
			t.Fatalf("random read: %v", err)
		}
		if all, err := io.ReadAll(r); err != nil || !bytes.Equal(all, plain) {
			t.Fatalf("read all: %d bytes, %v", len(all), err)
		}
	}
	other, _ := Parse("hash " + strings.Repeat("ab", 32) + "\nkey k1 " + strings.Repeat("12", 32) + "\n")
	if _, err := other.OpenStream(bytes.NewReader(sealed), int64(len(sealed))); !errors.Is(err, ErrStreamTampered) {
		t.Fatalf("other keys: %v", err)
	}
	cut := sealed[:len(sealed)-70_000]
	if _, err := k1.OpenStream(bytes.NewReader(cut), int64(len(cut))); err == nil {
		t.Fatal("a cut stream opened")
	}
	changed := bytes.Clone(sealed)
	changed[len(changed)/2] ^= 1
	r, err := k1.OpenStream(bytes.NewReader(changed), int64(len(changed)))
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if err == nil {
		t.Fatal("a changed stream read")
	}
	if _, err := k1.OpenStream(bytes.NewReader(plain), int64(len(plain))); !errors.Is(err, ErrStreamTampered) {
		t.Fatalf("a file in clear: %v", err)
	}
}
