package fugong

import (
	"strings"
	"time"
)

// The stages of a party application, in order: applicant (入党申请人), activist (入党积极
// 分子), development object (发展对象), probationary member (预备党员) and full member
// (正式党员).
const (
	StageApplicant    = "applicant"
	StageActivist     = "activist"
	StageCandidate    = "candidate"
	StageProbationary = "probationary"
	StageMember       = "member"
)

// PartyStages lists the stages in the order an application moves through them.
var PartyStages = []string{StageApplicant, StageActivist, StageCandidate, StageProbationary, StageMember}

// PartyYear is the least time, in years, an activist is trained before becoming a
// development object (培养考察一年以上), and a probationary member serves before full
// membership (预备期一年), as the party's rules for admitting members set them.
const PartyYear = 1

// PartyApplication is an application to join the party from someone on the front line,
// with their contribution and the risk of their task, as the party organisations weigh
// them (综合考虑抗疫贡献、任务风险、一贯表现), and the date of each stage reached.
type PartyApplication struct {
	ID           int64
	County       string
	Name         string
	Unit         string // the unit or village whose party organisation received it
	Post         string
	Contribution string
	Risk         string
	Stage        string
	AppliedOn    string
	ActivistOn   string
	CandidateOn  string
	// ProbationaryOn is the day the branch admitted the applicant as a probationary member.
	ProbationaryOn string
	MemberOn       string
	Demo           bool
	Version        int64
}

// Validate checks a new application; it starts as an applicant.
func (p *PartyApplication) Validate() error {
	f := FieldErrors{}
	p.Name, p.Unit, p.Post = strings.TrimSpace(p.Name), strings.TrimSpace(p.Unit), strings.TrimSpace(p.Post)
	p.Contribution, p.Risk = strings.TrimSpace(p.Contribution), strings.TrimSpace(p.Risk)
	if p.Name == "" {
		f.Add("name", "field.required")
	}
	if p.Unit == "" {
		f.Add("unit", "field.required")
	}
	if _, err := time.Parse(time.DateOnly, p.AppliedOn); err != nil {
		f.Add("applied_on", "field.date")
	} else if p.AppliedOn < EarliestDay {
		f.Add("applied_on", "field.date_too_early")
	}
	if p.Stage == "" {
		p.Stage = StageApplicant
	}
	if stageIndex(p.Stage) < 0 {
		f.Add("stage", "party.stage")
	}
	return f.Err()
}

func stageIndex(s string) int {
	for i, x := range PartyStages {
		if x == s {
			return i
		}
	}
	return -1
}

// stageDay returns the field holding the day a stage was reached.
func (p *PartyApplication) stageDay(stage string) *string {
	switch stage {
	case StageApplicant:
		return &p.AppliedOn
	case StageActivist:
		return &p.ActivistOn
	case StageCandidate:
		return &p.CandidateOn
	case StageProbationary:
		return &p.ProbationaryOn
	case StageMember:
		return &p.MemberOn
	}
	return nil
}

// Advance moves an application to the next stage on day: only one stage at a time, in
// order, never before the stage it leaves was reached, never after today.
func (p *PartyApplication) Advance(to, day, today string) error {
	from := stageIndex(p.Stage)
	next := stageIndex(to)
	if next < 0 {
		return Invalid(map[string]Msg{"stage": M("party.stage")})
	}
	if from < 0 || next != from+1 {
		return Invalid(map[string]Msg{"stage": M("party.stage_order", p.Stage, to)})
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return Invalid(map[string]Msg{"day": M("field.date")})
	}
	if day < *p.stageDay(p.Stage) {
		return Invalid(map[string]Msg{"day": M("party.day_before")})
	}
	if day > today {
		return Invalid(map[string]Msg{"day": M("party.day_future")})
	}
	// A year as activist before development, a year of probation before membership.
	switch to {
	case StageCandidate:
		if from := p.ActivistOn; from != "" && day < AddYears(from, PartyYear) {
			return Invalid(map[string]Msg{"day": M("party.activist_year", from, AddYears(from, PartyYear))})
		}
	case StageMember:
		if from := p.ProbationaryOn; from != "" && day < AddYears(from, PartyYear) {
			return Invalid(map[string]Msg{"day": M("party.probation_year", from, AddYears(from, PartyYear))})
		}
	}
	p.Stage = to
	*p.stageDay(to) = day
	return nil
}

// PartyFilter selects party applications.
type PartyFilter struct {
	Stage         string
	Unit          string
	Limit, Offset int
}

// PartyCount counts a unit's applications by stage.
type PartyCount struct {
	Unit                                                     string
	Applications                                             int
	Applicants, Activists, Candidates, Probationary, Members int
}

// AddYears returns the date n years after day (YYYY-MM-DD); 29 February moves to 1 March.
func AddYears(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(n, 0, 0).Format(time.DateOnly)
}
