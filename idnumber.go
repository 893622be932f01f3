package fugong

import "strings"

// CheckIDNumber checks a citizen ID number (GB 11643-1999): 17 digits and a check
// character computed with weights 2^(17-i) mod 11. It returns "" when valid, or the
// message key of what is wrong.
func CheckIDNumber(v string) string {
	v = strings.ToUpper(strings.TrimSpace(v))
	if len(v) != 18 {
		return "id_number.length"
	}
	sum := 0
	w := 1
	weights := [17]int{}
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		weights[i] = w
	}
	for i := 0; i < 17; i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return "id_number.digits"
		}
		sum += int(c-'0') * weights[i]
	}
	if "10X98765432"[sum%11] != v[17] {
		return "id_number.check"
	}
	return ""
}

// MaskIDNumber shows an ID number as 430821********1234, a phone as 138****5678.
func MaskIDNumber(v string) string { return maskMiddle(v, 6, 4) }

// MaskPhone shows a phone number as 138****5678.
func MaskPhone(v string) string { return maskMiddle(v, 3, 4) }

func maskMiddle(v string, keep, tail int) string {
	r := []rune(v)
	if len(r) <= keep+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep-tail) + string(r[len(r)-tail:])
}
