package fugong

// Region levels, from the province down to the village.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelTownship = "township"
	LevelVillage  = "village"
)

// Region is an administrative division. Province, city and county carry six-digit
// GB/T 2260 codes; townships and villages the statistics bureau's twelve-digit codes.
type Region struct {
	Code       string
	Name       string
	ParentCode string
	Level      string
	// Demo marks a code invented for the demo county (villages are not in the official list).
	Demo bool
}

var levelOrder = map[string]int{LevelProvince: 0, LevelCity: 1, LevelCounty: 2, LevelTownship: 3, LevelVillage: 4}

// ValidLevel reports whether l is a known level.
func ValidLevel(l string) bool { _, ok := levelOrder[l]; return ok }

// CheckRegionCode checks the shape of a code for its level: six digits for county and
// above (GB/T 2260, with the trailing zero pairs a province or city has), twelve for a
// township or village. It returns a catalogue key, or "" when the code is well formed.
func CheckRegionCode(code, level string) string {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	if !digits(code) {
		return "region.code_digits"
	}
	switch level {
	case LevelProvince:
		if len(code) != 6 || code[2:] != "0000" || code[:2] == "00" {
			return "region.code_province"
		}
	case LevelCity:
		if len(code) != 6 || code[4:] != "00" || code[2:4] == "00" {
			return "region.code_city"
		}
	case LevelCounty:
		if len(code) != 6 || code[4:] == "00" {
			return "region.code_county"
		}
	case LevelTownship:
		if len(code) != 12 || code[9:] != "000" || code[6:9] == "000" {
			return "region.code_township"
		}
	case LevelVillage:
		if len(code) != 12 || code[9:] == "000" {
			return "region.code_village"
		}
	default:
		return "region.level"
	}
	return ""
}

// IsParentOf reports whether parent is the level directly above child and its code
// is a prefix of the child's in the way GB/T 2260 nests them.
func (r Region) IsParentOf(child Region) bool {
	lp, ok1 := levelOrder[r.Level]
	lc, ok2 := levelOrder[child.Level]
	if !ok1 || !ok2 || lc != lp+1 {
		return false
	}
	switch r.Level {
	case LevelProvince:
		return child.Code[:2] == r.Code[:2]
	case LevelCity:
		return child.Code[:4] == r.Code[:4]
	case LevelCounty:
		return child.Code[:6] == r.Code
	case LevelTownship:
		return child.Code[:9] == r.Code[:9]
	}
	return false
}

// CountyOf returns the six-digit county code a code of any level at or below the county
// belongs to.
func CountyOf(code string) string {
	if len(code) < 6 {
		return code
	}
	return code[:6]
}
