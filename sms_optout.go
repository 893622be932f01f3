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

// Villager is a villager a village cadre keeps a phone for (村民通讯录), so that job news
// reaches the village at large and not only the registered job seekers. The phone is
// personal data: sealed, found by its keyed hash, shown masked.
type Villager struct {
	ID        int64
	County    string
	Village   string
	Name      string
	Phone     string
	Poor      bool // from a registered poor household: reached first
	Demo      bool
	CreatedAt time.Time
}

// Validate checks a villager before it is saved.
func (v *Villager) Validate() error {
	f := FieldErrors{}
	v.Name, v.Phone = strings.TrimSpace(v.Name), strings.TrimSpace(v.Phone)
	if v.Name == "" {
		f.Add("name", "field.required")
	} else if len([]rune(v.Name)) > 50 {
		f.Add("name", "field.too_long")
	}
	if v.Phone == "" {
		f.Add("phone", "field.required")
	} else if k := CheckPhone(v.Phone); k != "" {
		f.Add("phone", k)
	}
	if CheckRegionCode(v.Village, LevelVillage) != "" {
		f.Add("village", "villager.village")
	}
	return f.Err()
}
