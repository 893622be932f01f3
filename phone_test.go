package fugong

import "testing"

func TestCheckPhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"13807441234", ""},
		{"19907441234", ""},
		{"12807441234", "worker.phone"}, // no 12x mobile numbers
		{"1380744123", "worker.phone"},
		{"138074412345", "worker.phone"},
		{"1380744123a", "worker.phone"},
		{"23807441234", "worker.phone"},
		{"１3807441234", "worker.phone"},
	} {
		if got := CheckPhone(tt.in); got != tt.want {
			t.Errorf("CheckPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13807441234", "", "1", "1380744123x", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckPhone(s) != "" || s == "" {
			return
		}
		if len(s) != 11 || s[0] != '1' || s[1] < '3' {
			t.Fatalf("accepted %q", s)
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				t.Fatalf("accepted %q with a non-digit", s)
			}
		}
	})
}

// The masks DESIGN.md asks for; kept in one place, the domain.
func TestMasks(t *testing.T) {
	if got := MaskIDNumber("430821199001011234"); got != "430821********1234" {
		t.Errorf("ID number mask: %s", got)
	}
	if got := MaskPhone("13807441234"); got != "138****1234" {
		t.Errorf("phone mask: %s", got)
	}
	if got := MaskPhone("123"); got != "***" {
		t.Errorf("short value mask: %s", got)
	}
}
