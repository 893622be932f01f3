package fugong

import (
	"strings"
	"time"
)

// How a phone came onto the opt-out list.
const (
	OptOutGateway = "gateway" // the villager replied TD; the SMS gateway passed it on
	OptOutVillage = "village" // the villager asked the village cadre, who entered it
)

// IsOptOut reports whether an SMS reply asks for no more broadcasts: TD, T, N, 退订 or
// 取消 (any case, with spaces or punctuation around), as gateways pass them on.
func IsOptOut(reply string) bool {
	r := strings.ToUpper(strings.Trim(strings.TrimSpace(reply), "。.!！ "))
	switch r {
	case "TD", "T", "N", "退订", "TD退订", "取消", "退订短信":
		return true
	}
	return false
}

// OptOut is a phone no broadcast reaches again (退订), kept by a keyed hash and shown
// masked.
type OptOut struct {
	County     string
	Phone      string // masked
	Source     string
	RecordedBy string
	At         time.Time
}
