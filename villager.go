package fugong

import (
	"strings"
	"time"
)

// VillagerColumns are the contact list's columns as the village writes them (村民通讯录),
// the same on import and export.
var VillagerColumns = []string{"姓名", "手机号", "村", "建档立卡贫困户"}

// Villager is a villager a village cadre keeps a phone for (村民通讯录), so that job news
// reaches the village at large and not only the registered job seekers. The phone is
// personal data: sealed, found by its keyed hash, shown masked.
type Villager struct {
	ID      int64
	County  string
	Village string
	Name    string
	Phone   string
	Poor    bool // from a registered poor household: reached first
	Demo    bool
	// Version counts the villager's changes, for optimistic locking of a correction.
	Version   int64
	CreatedAt time.Time
	// RetiredAt is when the villager was taken off the list (moved away), by RetiredBy;
	// zero while on it. A retired villager is kept, because the broadcasts that reached
	// them keep their recipients, and no broadcast reaches them again.
	RetiredAt time.Time
	RetiredBy string
}

// Retired reports whether the villager was taken off the list.
func (v *Villager) Retired() bool { return !v.RetiredAt.IsZero() }

// Validate checks a villager before it is saved.
func (v *Villager) Validate() error { return v.validate(true) }

func (v *Villager) validate(phone bool) error {
	f := FieldErrors{}
	v.Name, v.Phone = strings.TrimSpace(v.Name), strings.TrimSpace(v.Phone)
	if v.Name == "" {
		f.Add("name", "villager.name_required")
	} else if len([]rune(v.Name)) > 50 {
		f.Add("name", "villager.name_too_long")
	}
	if phone {
		if v.Phone == "" {
			f.Add("phone", "villager.phone_required")
		} else if k := CheckPhone(v.Phone); k != "" {
			f.Add("phone", k)
		}
	}
	if CheckRegionCode(v.Village, LevelVillage) != "" {
		f.Add("village", "villager.village")
	}
	return f.Err()
}

// VillagerFilter selects villagers of the contact lists: Query is part of a name, the
// last four digits of a phone (尾号, as the masked phone shows them) or a whole phone.
type VillagerFilter struct {
	Query         string
	Limit, Offset int
}

// VillagerEdit corrects a villager of the list (a wrong phone, a typo in the name, the
// poor-household flag, the village): every field as it should be. An empty phone, or the
// masked phone as it was shown, keeps the phone the list holds, so that a correction
// needs no one to see the phone unmasked; an empty village keeps the village.
type VillagerEdit struct {
	Village string
	Name    string
	Phone   string
	Poor    bool
}

// Edit applies e to v (whose Phone is the masked one) and checks the result; it reports
// whether the phone changes, v.Phone then holding the new one in clear.
func (v *Villager) Edit(e VillagerEdit) (phoneChanged bool, err error) {
	if v.Retired() {
		return false, Conflict("villager.retired")
	}
	phone := NormalizePhone(e.Phone)
	phoneChanged = phone != "" && phone != v.Phone
	if phoneChanged {
		v.Phone = phone
	}
	if e.Village != "" {
		v.Village = e.Village
	}
	v.Name, v.Poor = e.Name, e.Poor
	return phoneChanged, v.validate(phoneChanged)
}
