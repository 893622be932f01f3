package fugong

import (
	"strings"
	"testing"
	"time"
)

// idWith completes seventeen digits with their check character.
func idWith(first17 string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return first17 + string(idCheckChars[sum%11])
}

func TestCheckIDNumber(t *testing.T) {
	tests := []struct {
		id, want string
	}{
		// The worked example of GB 11643-1999 and numbers published as samples.
		{"11010519491231002X", ""},
		{"440524188001010014", ""},                       // the standard's own example, born in 1880
		{idWith("43082117991231001"), "id_number.birth"}, // before 1800
		{"110101199003074477", ""},
		{"430821198507150019", ""},
		{idWith("43082120000229001"), ""},                // a leap day
		{idWith("43082119000229001"), "id_number.birth"}, // 1900 was not a leap year
		{idWith("43082120010229001"), "id_number.birth"}, // nor was 2001
		{idWith("43082119991301001"), "id_number.birth"}, // month 13
		{idWith("43082119990431001"), "id_number.birth"}, // 31 April
		{idWith("43082119990100001"), "id_number.birth"}, // day 0
		{"11010519491231002x", "id_number.char"},         // lower case x
		{"110105194912310021", "id_number.check"},        // wrong check digit
		{"11010519491231002", "id_number.length"},        // 17 characters
		{"11010519491231002XX", "id_number.length"},      // 19
		{"", "id_number.length"},
		{"11010519491231A02X", "id_number.char"},
		{"１10105194912310021", "id_number.length"}, // a full-width digit is three bytes
		{"110105194912310 2X", "id_number.char"},
	}
	for _, tt := range tests {
		if got := CheckIDNumber(tt.id); got != tt.want {
			t.Errorf("CheckIDNumber(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// Every single-digit change of a valid number is caught by the check character.
func TestCheckIDNumberCatchesEveryTypo(t *testing.T) {
	valid := "430821198507150019"
	for i := 0; i < 17; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == valid[i] {
				continue
			}
			typo := valid[:i] + string(d) + valid[i+1:]
			if CheckIDNumber(typo) == "" {
				t.Errorf("typo at %d (%s) passes", i, typo)
			}
		}
	}
}

func FuzzCheckIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "430821198507150019", "", "X", "110105194912310021", "43082119000229001X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := CheckIDNumber(s)
		if k != "" && !strings.HasPrefix(k, "id_number.") {
			t.Fatalf("key %q", k)
		}
		if k == "" {
			if len(s) != 18 || !realDate(s[6:14]) {
				t.Fatalf("%q passes but is malformed", s)
			}
			if idWith(s[:17]) != s {
				t.Fatalf("%q passes with a wrong check character", s)
			}
		}
	})
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
	id := idWith("43082119900101123")
	b, ok := IDNumberBirth(id)
	if !ok || b.Format(time.DateOnly) != "1990-01-01" {
		t.Fatalf("birth %v %v", b, ok)
	}
	if _, ok := IDNumberBirth(idWith("43082119000229001")); ok {
		t.Errorf("29 February 1900 is not a day")
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
