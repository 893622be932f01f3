package fugong

import (
	"regexp"
	"strings"
	"time"
)

// WorkshopArea is the supervision area of poverty workshops (扶贫车间). Workshops have no
// focus area of their own; a department whose FocusAreas include WorkshopArea supervises
// them all and reviews their declarations after the township (the county's 人社局, which
// certifies 就业扶贫车间).
const WorkshopArea = "扶贫车间"

var landlineRe = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)

// CheckContactPhone checks an enterprise's contact number: a mainland mobile number
// (1[3-9] and nine more digits, spaces, dashes and +86 dropped) or a fixed line with its
// area code (0744-5221234 or 07445221234). It returns the number as it is kept and a
// message key, empty when the number is acceptable or absent.
func CheckContactPhone(p string) (string, string) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", ""
	}
	if m := NormalizePhone(p); CheckPhone(m) == "" {
		return m, ""
	}
	if landlineRe.MatchString(p) {
		return p, ""
	}
	return p, "enterprise.contact_phone_invalid"
}

// CheckResumption is the rule behind 已复工: an enterprise becomes resumed only through an
// approved declaration of resumption (强监管), and only from a real day that is not after
// today. approved says whether the enterprise has an approved declaration. It is checked
// whenever the status is set to 已复工 by hand — the form or a ledger import — so that the
// list, the statistics and the review history cannot disagree.
func (e *Enterprise) CheckResumption(today string, approved bool) error {
	if e.Status != StatusResumed {
		return nil
	}
	f := FieldErrors{}
	if e.ResumedOn == "" {
		f.Add("resumed_on", "enterprise.resumed_on_required")
	} else if d, err := time.Parse(time.DateOnly, e.ResumedOn); err != nil {
		f.Add("resumed_on", "field.date")
	} else if d.Format(time.DateOnly) > today {
		f.Add("resumed_on", "enterprise.resumed_on_future")
	}
	if !approved {
		f.Add("status", "enterprise.resumed_needs_declaration")
	}
	return f.Err()
}

// CheckOwnTownship refuses a township officer putting an enterprise in another township:
// the record would leave their scope without anyone in that township knowing. An empty
// township means their own. It returns the township to keep and a message key.
func CheckOwnTownship(sc Scope, township string) (string, string) {
	if sc.Role != RoleTownship {
		return township, ""
	}
	if township == "" || township == sc.Region {
		return sc.Region, ""
	}
	return township, "enterprise.other_township"
}

// CheckOwnEnterprise is the rule for what an enterprise user writes: it acts for its own
// enterprise only. No enterprise given means its own; another one is refused (naming
// enterprise_id), never silently re-pointed to its own, so that a client with a wrong id
// learns of it. Other roles keep what they gave; their scope is checked by the store.
func CheckOwnEnterprise(sc Scope, id int64) (int64, error) {
	if sc.Role != RoleEnterprise {
		return id, nil
	}
	if id != 0 && id != sc.EnterpriseID {
		return id, Invalid(map[string]Msg{"enterprise_id": M("enterprise.not_own")})
	}
	return sc.EnterpriseID, nil
}
