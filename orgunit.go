package fugong

import (
	"crypto/rand"
	"slices"
	"strings"
)

// OrgKinds are the kinds of org unit the set-up pages offer.
var OrgKinds = []string{OrgCommand, OrgDepartment, OrgTownship}

// Validate checks an org unit before it is saved: a known kind, a name, a township
// office's township (a twelve-digit code) and a department's focus areas, each one of
// FocusAreas. The focus areas are put in a canonical comma-separated form.
func (o *OrgUnit) Validate() error {
	f := FieldErrors{}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" || len([]rune(o.Name)) > 64 {
		f.Add("name", "field.required")
	}
	if !slices.Contains(OrgKinds, o.Kind) {
		f.Add("kind", "orgunit.kind")
	}
	if o.Kind == OrgTownship {
		if CheckRegionCode(o.Region, LevelTownship) != "" {
			f.Add("region", "orgunit.township_required")
		}
	} else {
		o.Region = ""
	}
	var areas []string
	for _, a := range splitList(o.FocusAreas) {
		if slices.Contains(areas, a) {
			continue
		}
		if !slices.Contains(FocusAreas, a) {
			f.Add("focus_areas", "orgunit.focus_area", a)
			continue
		}
		areas = append(areas, a)
	}
	if o.Kind != OrgDepartment {
		areas = nil
	}
	o.FocusAreas = strings.Join(areas, ",")
	return f.Err()
}

// initialAlphabet leaves out characters read wrongly off paper (0/O, 1/l/I).
const initialLetters, initialDigits = "abcdefghjkmnpqrstuvwxyz", "23456789"

// NewInitialPassword makes a password the office hands out on paper or by SMS: five
// letters and five digits from characters nobody misreads; it passes CheckPassword.
// Its owner must change it at first login.
func NewInitialPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	out := make([]byte, 10)
	for i, c := range b {
		if i < 5 {
			out[i] = initialLetters[int(c)%len(initialLetters)]
		} else {
			out[i] = initialDigits[int(c)%len(initialDigits)]
		}
	}
	return string(out)
}
