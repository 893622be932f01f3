package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashIsArgon2idAndSalted(t *testing.T) {
	h1, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("correct horse")
	if !strings.HasPrefix(h1, "$argon2id$v=19$") || h1 == h2 {
		t.Fatalf("want salted argon2id hashes, got %s and %s", h1, h2)
	}
	if ok, err := CheckPassword(h1, "correct horse"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h1, "correct horsE"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := CheckPassword("plain", "x"); err == nil {
		t.Fatal("a malformed hash should be an error")
	}
}
