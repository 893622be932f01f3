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
		// Codes published on the national enterprise credit system.
		{"91350100M000100Y43", ""},
		{"91330100799655058B", ""}, // 阿里巴巴（中国）有限公司
		{"9144030071526726XG", ""}, // 腾讯科技（深圳）有限公司
		{"914403001922038216", ""}, // 华为技术有限公司
		{"91350100M000100Y42", "uscc.check"},
		{"91350100M000100Y4", "uscc.length"},
		{"91350100M000100Y433", "uscc.length"},
		{"", "uscc.length"},
		{"91350100M0001O0Y43", "uscc.char"}, // the letter O is not in the set
		{"91350100I000100Y43", "uscc.char"},
		{"91350100m000100Y43", "uscc.char"}, // lower case before normalising
		{"913501A0M000100Y43", "uscc.region"},
		{"94350100M000100Y4" + "X", "uscc.kind"}, // 工商 registers no type 4
		{"B1350100M000100Y4" + "X", "uscc.kind"}, // no authority B
		{"12100000400000624D", ""},               // 国家统计局, a 机关 (1 1)
		{"91430821202000742N", "uscc.org_code"},  // the old demo's: 20200074-2 should end 6
		{"91430821202000746N", "uscc.check"},     // its organisation code mended, not yet its check
		{"９1350100M000100Y43", "uscc.length"},    // a full-width digit is three bytes
	}
	for _, tt := range tests {
		if got := CheckUSCC(tt.code); got != tt.want {
			t.Errorf("CheckUSCC(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	if CheckUSCC(NormalizeUSCC(" 91350100m000100y43 ")) != "" {
		t.Error("a code typed in lower case with spaces should pass once normalised")
	}
}

// Every check character the generator makes is accepted, and every other one refused.
func TestEveryWrongCheckCharacterIsRefused(t *testing.T) {
	for n := 0; n < 200; n++ {
		org := fmt.Sprintf("2020%04d", n)
		body := "91430821" + org + string(OrgCodeCheckChar(org))
		good := body + string(USCCCheckChar(body))
		if k := CheckUSCC(good); k != "" {
			t.Fatalf("generated %s refused: %s", good, k)
		}
		for i := 0; i < len(usccChars); i++ {
			if c := usccChars[i]; c != good[17] && CheckUSCC(body+string(c)) != "uscc.check" {
				t.Fatalf("%s%c accepted with a wrong check character", body, c)
			}
		}
	}
}

// GB 11714-1997's check character, on organisation codes as published.
func TestOrgCodeCheckChar(t *testing.T) {
	for _, code := range []string{"M000100Y4", "799655058", "71526726X", "192203821", "MA4L00003", "202000746"} {
		if got := OrgCodeCheckChar(code[:8]); got != code[8] {
			t.Errorf("OrgCodeCheckChar(%q) = %c, want %c", code[:8], got, code[8])
		}
	}
}

func TestUSCCCheckCharMakesValidCodes(t *testing.T) {
	for _, body := range []string{"91430821MA4L00003", "93430821000000000", "12430821000000000"} {
		code := body + string(USCCCheckChar(body))
		if k := CheckUSCC(code); k != "" {
			t.Errorf("%s: %s", code, k)
		}
	}
}

func FuzzCheckUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "914403001922038216", "", "ZZZZZZZZZZZZZZZZZZ", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := CheckUSCC(s)
		if k == "" {
			if len(s) != 18 || s[17] != USCCCheckChar(s[:17]) {
				t.Fatalf("%q accepted without a correct check character", s)
			}
			for i := 0; i < 18; i++ {
				if !strings.ContainsRune(usccChars, rune(s[i])) {
					t.Fatalf("%q accepted with a character outside the set", s)
				}
			}
		} else if !strings.HasPrefix(k, "uscc.") {
			t.Fatalf("unexpected key %q", k)
		}
	})
}
