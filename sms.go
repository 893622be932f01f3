package fugong

import "strings"

// SMS encodings (3GPP TS 23.038).
const (
	EncodingGSM7 = "GSM-7"
	EncodingUCS2 = "UCS-2"
)

// gsm7Basic is the GSM 03.38 default alphabet; gsm7Ext the characters of its extension
// table, which take an escape and so count twice.
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Ext   = "^{}\\[~]|€\f"
)

// SMSInfo says how a text goes out as SMS: its encoding, its length in that encoding's
// units (septets or UTF-16 code units), and the parts a phone receives.
type SMSInfo struct {
	Encoding string
	Units    int
	// PerPart is the capacity of one part: 160 or 70 for a single message, 153 or 67 for
	// each part of a concatenated one (the user data header takes the rest).
	PerPart int
	Parts   int
	Texts   []string
}

// SplitSMS counts and splits a text as the network does. Text of the GSM 7-bit alphabet
// only goes as GSM-7: 160 septets in one message, 153 per part when longer. Anything else
// — any Chinese character — makes the whole message UCS-2: 70 characters in one message,
// 67 per part when longer; a character outside the BMP takes two units. A part never
// splits an escape pair or a surrogate pair.
func SplitSMS(text string) SMSInfo {
	info := SMSInfo{Encoding: EncodingGSM7}
	units := func(r rune) int {
		switch {
		case strings.ContainsRune(gsm7Basic, r):
			return 1
		case strings.ContainsRune(gsm7Ext, r):
			return 2
		}
		return -1
	}
	for _, r := range text {
		if units(r) < 0 {
			info.Encoding = EncodingUCS2
			break
		}
	}
	single, multi := 160, 153
	if info.Encoding == EncodingUCS2 {
		single, multi = 70, 67
		units = func(r rune) int {
			if r > 0xFFFF {
				return 2
			}
			return 1
		}
	}
	for _, r := range text {
		info.Units += units(r)
	}
	if info.Units == 0 {
		info.PerPart = single
		return info
	}
	if info.Units <= single {
		info.PerPart, info.Parts, info.Texts = single, 1, []string{text}
		return info
	}
	info.PerPart = multi
	var part strings.Builder
	n := 0
	for _, r := range text {
		u := units(r)
		if n+u > multi {
			info.Texts = append(info.Texts, part.String())
			part.Reset()
			n = 0
		}
		part.WriteRune(r)
		n += u
	}
	info.Texts = append(info.Texts, part.String())
	info.Parts = len(info.Texts)
	return info
}

// SealedRecipient prefixes an outbox recipient that is personal data sealed with the
// data keys (a job seeker's phone): the outbox never holds the number in clear, and the
// deliverer opens it only to hand it to the gateway.
const SealedRecipient = "sealed:"
