package fugong

import "testing"

func TestCheckIDNumber(t *testing.T) {
	tests := []struct{ v, want string }{
		{"11010519491231002X", ""},
		{"11010519491231002x", ""},
		{"110105194912310021", "id_number.check"},
		{"1101051949123100", "id_number.length"},
		{"11010519491231A02X", "id_number.digits"},
		{"430821199001011237", CheckIDNumber("430821199001011237")},
	}
	for _, tt := range tests {
		if got := CheckIDNumber(tt.v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.v, got, tt.want)
		}
	}
	if MaskIDNumber("11010519491231002X") != "110105********002X" || MaskPhone("13812345678") != "138****5678" {
		t.Errorf("masks: %s %s", MaskIDNumber("11010519491231002X"), MaskPhone("13812345678"))
	}
}

func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "", "430821", "11010519491231002Ｘ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckIDNumber(s) == "" && len(s) < 18 {
			t.Errorf("%q accepted", s)
		}
	})
}

func TestParseTemperature(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"36.5", 365, true}, {"37.3", 373, true}, {"37", 370, true}, {" 38.0 ", 380, true},
		{"37.25", 0, false}, {"3.7", 0, false}, {"46", 0, false}, {"abc", 0, false}, {"", 0, false}, {"-37", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseTemperature(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%q: %d %v", tt.in, got, err)
		}
	}
	for _, tt := range []struct {
		t     int
		fever bool
	}{{372, false}, {373, true}, {400, true}, {360, false}} {
		if Fever(tt.t) != tt.fever {
			t.Errorf("%d: fever %v", tt.t, !tt.fever)
		}
	}
}

func FuzzParseTemperature(f *testing.F) {
	for _, s := range []string{"36.5", "37.3", "37", "", "99.99", "3.7.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTemperature(s)
		if err == nil && (v < 340 || v > 429) {
			t.Errorf("%q parsed to %d", s, v)
		}
	})
}
