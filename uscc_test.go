package fugong

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheckUSCC(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		// The example code of GB 32100-2015's worked check-character computation, and
		// another code whose check character is right.
		{"91350100M000100Y43", ""},
		{"91110000802100433B", ""},
		{"911100001000000000", "uscc.check"},
		{"91350100M000100Y42", "uscc.check"},
		{"91350100M000100Y4", "uscc.length"},
		{"91350100M000100Y433", "uscc.length"},
		{"", "uscc.length"},
		{"91350100M000100YI3", "uscc.char"}, // I is not used
		{"91350100M000100YO3", "uscc.char"},
		{"9135010OM000100Y43", "uscc.char"},
		{"91350100m000100Y43", "uscc.char"}, // not normalised
		{"913A0100M000100Y43", "uscc.region"},
		{"中国石油化工集团公司12", "uscc.length"},
	}
	for _, tt := range tests {
		if got := CheckUSCC(tt.code); got != tt.want {
			t.Errorf("CheckUSCC(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	// Every check character the generator makes is accepted, and every other one refused.
	for n := 0; n < 200; n++ {
		body := fmt.Sprintf("9143082120200%04d", n)
		good := body + string(USCCCheckChar(body))
		if k := CheckUSCC(good); k != "" {
			t.Fatalf("generated %s refused: %s", good, k)
		}
		for i := 0; i < len(usccChars); i++ {
			if c := usccChars[i]; c != good[17] {
				if CheckUSCC(body+string(c)) != "uscc.check" {
					t.Fatalf("%s%c accepted with a wrong check character", body, c)
				}
			}
		}
	}
	if NormalizeUSCC(" 91350100m000100y43 ") != "91350100M000100Y43" {
		t.Errorf("normalise does not trim and upper-case")
	}
}

// FuzzCheckUSCC: the check never panics, accepts only 18 characters of the set, and
// agrees with USCCCheckChar on the last one.
func FuzzCheckUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91110000802100433B", "", "IOSVZ", "中国石油化工集团公司", "913501OOM000100Y43\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := CheckUSCC(s)
		if k != "" {
			return
		}
		if len(s) != 18 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		for i := 0; i < 18; i++ {
			if !strings.ContainsRune(usccChars, rune(s[i])) {
				t.Fatalf("accepted %q with %q", s, s[i])
			}
		}
		if USCCCheckChar(s[:17]) != s[17] {
			t.Fatalf("accepted %q but its check character is %c", s, USCCCheckChar(s[:17]))
		}
	})
}
