package fugong

import "time"

// idWeights are the weights of GB 11643-1999's check character (ISO 7064 MOD 11-2) for
// the first seventeen digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum modulo 11 to the check character.
const idCheckChars = "10X98765432"

// CheckIDNumber checks a citizen ID number (公民身份号码) against GB 11643-1999: eighteen
// characters, seventeen digits then a digit or X, a birth date (characters 7–14) that is
// a real calendar date from 1800 on (the standard's own example, 440524188001010014, was
// born in 1880), and the check character. It returns a catalogue key
// for the first rule broken, or "" when the number is valid.
func CheckIDNumber(s string) string {
	if len(s) != 18 {
		return "id_number.length"
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "id_number.char"
		}
		sum += int(s[i]-'0') * idWeights[i]
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' {
		return "id_number.char"
	}
	if !realDate(s[6:14]) {
		return "id_number.birth"
	}
	if s[17] != idCheckChars[sum%11] {
		return "id_number.check"
	}
	return ""
}

// realDate reports whether an eight-digit YYYYMMDD is a calendar date from 1800 to 2099.
func realDate(d string) bool {
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, m, day := n(d[0:4]), n(d[4:6]), n(d[6:8])
	if y < 1800 || y > 2099 || m < 1 || m > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return day <= days
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
// number, reporting false when it is not a real day from 1800 on.
func IDNumberBirth(id string) (time.Time, bool) {
	if len(id) < 14 {
		return time.Time{}, false
	}
	for i := 6; i < 14; i++ {
		if id[i] < '0' || id[i] > '9' {
			return time.Time{}, false
		}
	}
	if !realDate(id[6:14]) {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", id[6:14])
	return t, err == nil
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
