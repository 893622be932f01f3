package secret

import (
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
