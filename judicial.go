package fugong

import (
	"strings"
	"time"
)

// JudicialVisit is a visit of the court or the procuratorate to an enterprise (上门摸排
// 企业困难、对接司法需求): who went, when, and the judicial need it took in, which
// becomes a demand of the category 司法 dispatched to the visiting body.
type JudicialVisit struct {
	ID             int64
	County         string
	OrgUnitID      int64
	OrgUnitName    string
	EnterpriseID   int64
	EnterpriseName string
	Day            string
	Visitor        string
	Note           string
	// Need is the judicial need taken in; empty when the visit found none.
	Need     string
	Matter   string
	DemandID int64
	Demo     bool
}

// JudicialCategory is the demand category a judicial need is raised under.
const JudicialCategory = "legal"

// Validate checks a visit.
func (v *JudicialVisit) Validate() error {
	f := FieldErrors{}
	v.Visitor, v.Note, v.Need, v.Matter = strings.TrimSpace(v.Visitor), strings.TrimSpace(v.Note), strings.TrimSpace(v.Need), strings.TrimSpace(v.Matter)
	if v.EnterpriseID <= 0 {
		f.Add("enterprise_id", "field.required")
	}
	if v.OrgUnitID <= 0 {
		f.Add("org_unit_id", "field.required")
	}
	if _, err := time.Parse(time.DateOnly, v.Day); err != nil {
		f.Add("day", "field.date")
	}
	if v.Visitor == "" {
		f.Add("visitor", "field.required")
	}
	if len([]rune(v.Need)) > 2000 || len([]rune(v.Note)) > 2000 {
		f.Add("need", "field.too_long")
	}
	return f.Err()
}
