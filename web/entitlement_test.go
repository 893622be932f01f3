package web

import (
	"strings"
	"testing"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in  string
		fen int64
		ok  bool
	}{
		{"18600.00", 1_860_000, true}, {"18600", 1_860_000, true}, {"0.5", 50, true}, {"1,234.56", 123_456, true}, {" 7.07 ", 707, true},
		{"", 0, false}, {"1.234", 0, false}, {"-1", 0, false}, {"1e3", 0, false}, {".5", 0, false}, {"1.-5", 0, false}, {"1.x", 0, false}, {"+5", 0, false}, {"1.+5", 0, false},
	}
	for _, tt := range tests {
		fen, ok := parseYuan(tt.in)
		if fen != tt.fen || ok != tt.ok {
			t.Errorf("parseYuan(%q) = %d, %v; want %d, %v", tt.in, fen, ok, tt.fen, tt.ok)
		}
	}
}

// FuzzParseYuan checks that whatever parses shows back as the same amount.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"18600.00", "0.5", "1,234.56", "", "-0.01", "99999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, ok := parseYuan(s)
		if !ok {
			return
		}
		if fen < 0 {
			t.Fatalf("parseYuan(%q) = %d < 0", s, fen)
		}
		back, ok := parseYuan(fenText(fen))
		if !ok || back != fen || strings.Count(fenText(fen), ".") != 1 {
			t.Fatalf("parseYuan(%q) = %d; fenText %q reads back as %d", s, fen, fenText(fen), back)
		}
	})
}
