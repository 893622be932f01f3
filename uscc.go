package fugong

import "strings"

// usccChars is the character set of GB 32100-2015: digits and upper-case letters
// without I, O, S, V and Z. A character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC trims spaces and upper-cases a credit code as a user might type it.
func NormalizeUSCC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckUSCC checks a unified social credit code (统一社会信用代码) against GB 32100-2015:
// eighteen characters from the allowed set, a registration-authority and type pair,
// a six-digit region code, and the check character. It returns a catalogue key for the
// first rule broken, or "" when the code is valid.
func CheckUSCC(code string) string {
	if len(code) != 18 {
		return "uscc.length"
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(usccChars, code[i])
		if v < 0 {
			return "uscc.char"
		}
		if i >= 2 && i < 8 && v > 9 {
			return "uscc.region"
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if code[17] != usccChars[check] {
		return "uscc.check"
	}
	return ""
}

// USCCCheckChar returns the check character for the first seventeen characters of a
// credit code, for generators and for telling a user what the code should end with.
func USCCCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += strings.IndexByte(usccChars, first17[i]) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}
