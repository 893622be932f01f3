package fugong

import "strings"

// usccChars is the character set of GB 32100-2015: digits and upper-case letters
// without I, O, S, V and Z. A character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccKinds lists, per registration authority (the first character), the organisation
// types (the second character) it registers: GB 32100-2015 appendix A (1 机构编制,
// 5 民政, 9 工商, Y 其他) and the authority codes the national standards body assigned
// since (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室,
// N 农业农村).
var usccKinds = map[byte]string{
	'1': "1239", // 机关, 事业单位, 中央编办直管群众团体, 其他
	'2': "19",   // 外国常驻新闻机构, 其他
	'3': "123459",
	'4': "19",
	'5': "1239", // 社会团体, 民办非企业单位, 基金会, 其他
	'6': "129",
	'7': "129",
	'8': "19",
	'9': "123", // 企业, 个体工商户, 农民专业合作社
	'A': "19",
	'N': "1239", // 组级, 村级, 乡镇级, 其他农村集体经济组织
	'Y': "1",
}

// orgCodeWeights are GB 11714-1997's weights for the eight body characters of an
// organisation code, which a credit code carries as its characters 9–17.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// NormalizeUSCC trims spaces and upper-cases a credit code as a user might type it.
func NormalizeUSCC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckUSCC checks a unified social credit code (统一社会信用代码) against GB 32100-2015:
// eighteen characters from the allowed set, a registration-authority and type pair,
// a six-digit region code, the check character, and the organisation code it embeds
// (characters 9–17, GB 11714-1997) with its own check character. It returns a catalogue
// key for the first rule broken, or "" when the code is valid.
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
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	if !strings.ContainsRune(usccKinds[code[0]], rune(code[1])) {
		return "uscc.kind"
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return "uscc.region"
		}
	}
	if code[17] != usccChars[(31-sum%31)%31] {
		return "uscc.check"
	}
	if code[16] != OrgCodeCheckChar(code[8:16]) {
		return "uscc.org_code"
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

// OrgCodeCheckChar returns the check character of GB 11714-1997 for the eight body
// characters of an organisation code: digits count as themselves and letters A–Z as
// 10–35; the check is 11 − (weighted sum mod 11), written X for 10 and 0 for 11.
func OrgCodeCheckChar(first8 string) byte {
	sum := 0
	for i := 0; i < 8 && i < len(first8); i++ {
		v := 0
		switch c := first8[i]; {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}
