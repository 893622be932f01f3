package fugong

// idWeights are the weights of GB 11643-1999's check character (ISO 7064 MOD 11-2) for
// the first seventeen digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum modulo 11 to the check character.
const idCheckChars = "10X98765432"

// CheckIDNumber checks a citizen ID number (公民身份号码) against GB 11643-1999: eighteen
// characters, seventeen digits then a digit or X, a birth date (characters 7–14) that is
// a real calendar date from 1900 on, and the check character. It returns a catalogue key
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

// realDate reports whether an eight-digit YYYYMMDD is a calendar date from 1900 to 2099.
func realDate(d string) bool {
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, m, day := n(d[0:4]), n(d[4:6]), n(d[6:8])
	if y < 1900 || y > 2099 || m < 1 || m > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return day <= days
}
