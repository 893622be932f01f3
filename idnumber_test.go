package fugong

import (
	"testing"
	"time"
)

func TestCheckIDNumber(t *testing.T) {
	tests := []struct {
		name, id, want string
	}{
		{"the standard's own example", "11010519491231002X", ""},
		{"a Cili number", "430821199001011235", ""},
		{"check digit 0", "430821198802290030", ""}, // a leap day
		{"lower-case x is not normalised here", "11010519491231002x", "idnumber.char"},
		{"wrong check character", "110105194912310021", "idnumber.check"},
		{"seventeen characters", "11010519491231002", "idnumber.length"},
		{"nineteen characters", "11010519491231002X1", "idnumber.length"},
		{"empty", "", "idnumber.length"},
		{"letter inside", "1101051949123100AX", "idnumber.char"},
		{"X not at the end", "X10105194912310021", "idnumber.char"},
		{"province 00", "000105194912310021", "idnumber.region"},
		{"29 February of a common year", "430821198902290015", "idnumber.birth"},
		{"month 13", "430821199013010015", "idnumber.birth"},
		{"day 00", "430821199001000015", "idnumber.birth"},
		{"before 1900", "430821189912310015", "idnumber.birth"},
		{"full-width digits", "４３０８２１１９９００１０１１２３８", "idnumber.length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckIDNumber(tt.id); got != tt.want {
				t.Errorf("CheckIDNumber(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}

func TestIDNumberCheckCharMakesValidNumbers(t *testing.T) {
	for _, body := range []string{"43082119900101123", "43082120000229001", "11010519491231002", "43082119650615777"} {
		id := body + string(IDNumberCheckChar(body))
		if k := CheckIDNumber(id); k != "" {
			t.Errorf("%s: %s", id, k)
		}
	}
	if c := IDNumberCheckChar("11010519491231002"); c != 'X' {
		t.Errorf("check character of the standard's example = %c, want X", c)
	}
}

func TestIDNumberBirthGenderAge(t *testing.T) {
	id := "430821199001011235"
	b, ok := IDNumberBirth(id)
	if !ok || b.Format(time.DateOnly) != "1990-01-01" {
		t.Fatalf("birth %v %v", b, ok)
	}
	if g := IDNumberGender(id); g != GenderMale {
		t.Errorf("gender %q, want male (3 is odd)", g)
	}
	if g := IDNumberGender("11010519491231002X"); g != GenderFemale {
		t.Errorf("gender %q, want female (2 is even)", g)
	}
	day := time.Date(2020, 3, 9, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		birth string
		want  int
	}{{"1990-01-01", 30}, {"1990-03-09", 30}, {"1990-03-10", 29}, {"2000-02-29", 20}} {
		bd, _ := time.Parse(time.DateOnly, tt.birth)
		if got := AgeOn(bd, day); got != tt.want {
			t.Errorf("age on 2020-03-09 of someone born %s = %d, want %d", tt.birth, got, tt.want)
		}
	}
}

// FuzzCheckIDNumber checks that the check never panics, that what it accepts has the
// standard's shape, and that changing the check character of a valid number breaks it.
func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "430821199001011235", "", "X", "000000000000000000", "43082119900230123X", "4308211990010112３8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckIDNumber(s) != "" {
			return
		}
		if len(s) != 18 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		if _, ok := IDNumberBirth(s); !ok {
			t.Fatalf("accepted %q without a real birth date", s)
		}
		if s[17] != IDNumberCheckChar(s[:17]) {
			t.Fatalf("accepted %q with a wrong check character", s)
		}
		for _, c := range "0123456789X" {
			if byte(c) != s[17] && CheckIDNumber(s[:17]+string(c)) == "" {
				t.Fatalf("accepted %q and also %q", s, s[:17]+string(c))
			}
		}
	})
}
