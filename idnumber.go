package fugong

import (
	"strings"
	"time"
)

// idWeights are the weights of GB 11643-1999's ISO 7064 MOD 11-2 check: 2^(17-i) mod 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// NormalizeIDNumber trims spaces and upper-cases the check character x as people type it.
func NormalizeIDNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckIDNumber checks a citizen identity number (公民身份号码) against GB 11643-1999:
// eighteen characters, seventeen digits and a check character (digit or X), an address
// code whose province part is not 00, a birth date that is a real calendar day from 1900
// on, and the ISO 7064 MOD 11-2 check character. It returns a catalogue key for the first
// rule broken, or "" when the number is valid. Whether the birth date lies in the future
// depends on today, so callers that know the day check that with IDNumberBirth.
func CheckIDNumber(id string) string {
	if len(id) != 18 {
		return "idnumber.length"
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "idnumber.char"
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := id[17]
	if (last < '0' || last > '9') && last != 'X' {
		return "idnumber.char"
	}
	if id[:2] == "00" {
		return "idnumber.region"
	}
	if _, ok := IDNumberBirth(id); !ok {
		return "idnumber.birth"
	}
	if last != idCheckChars[sum%11] {
		return "idnumber.check"
	}
	return ""
}

// IDNumberCheckChar returns the check character for the first seventeen digits, for
// generators and for telling a user what the number should end with.
func IDNumberCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// IDNumberBirth reads the birth date (characters 7–14, YYYYMMDD) of an eighteen-character
// number, reporting false when it is not a real day from 1 January 1900 on.
func IDNumberBirth(id string) (time.Time, bool) {
	if len(id) < 14 {
		return time.Time{}, false
	}
	s := id[6:14]
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse("20060102", s)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, false
	}
	return t, true
}

// Genders as stored; the catalogue names them.
const (
	GenderMale   = "male"
	GenderFemale = "female"
)

// IDNumberGender reads the gender from the sequence code's last digit (character 17):
// odd for men, even for women.
func IDNumberGender(id string) string {
	if len(id) < 17 || id[16] < '0' || id[16] > '9' {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return GenderMale
	}
	return GenderFemale
}

// AgeOn returns the age in whole years on day of someone born on birth.
func AgeOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}
