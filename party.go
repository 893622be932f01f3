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

// partyDayFields names, per stage, the field holding the day it was reached.
var partyDayFields = map[string]string{StageApplicant: "applied_on", StageActivist: "activist_on", StageCandidate: "candidate_on",
	StageProbationary: "probationary_on", StageMember: "member_on"}

// CheckDates checks the days of the stages an application has reached, as a correction
// (Edit) leaves them: each set and a real date, none before the stage it follows, none
// after today, no day of a stage not yet reached; a year as activist before development
// and a year of probation before membership, as Advance requires. A refusal names the
// day's own field.
func (p *PartyApplication) CheckDates(today string) error {
	f := FieldErrors{}
	reached := stageIndex(p.Stage)
	prev := ""
	for i, st := range PartyStages {
		day, field := *p.stageDay(st), partyDayFields[st]
		if i > reached {
			if day != "" {
				f.Add(field, "party.not_reached."+field)
			}
			continue
		}
		switch {
		case !ValidDay(day):
			f.Add(field, "field.date")
			continue
		case day < EarliestDay:
			f.Add(field, "field.date_too_early")
		case day > today:
			f.Add(field, "party.day_future")
		case day < prev:
			f.Add(field, "party.day_before")
		case st == StageCandidate && day < AddYears(p.ActivistOn, PartyYear):
			f.Add(field, "party.activist_year", p.ActivistOn, AddYears(p.ActivistOn, PartyYear))
		case st == StageMember && day < AddYears(p.ProbationaryOn, PartyYear):
			f.Add(field, "party.probation_year", p.ProbationaryOn, AddYears(p.ProbationaryOn, PartyYear))
		}
		prev = day
	}
	return f.Err()
}

// PartyEdit is a correction of a wrongly entered application: who, where, the front-line
// facts, and the days of the stages it has reached. Its stage moves only by Advance.
type PartyEdit struct {
	Name, Unit, Post, Contribution, Risk                         string
	AppliedOn, ActivistOn, CandidateOn, ProbationaryOn, MemberOn string
}

// Edit applies a correction as of today: the same checks as a new application
// (Validate), then the days (CheckDates).
func (p *PartyApplication) Edit(e PartyEdit, today string) error {
	p.Name, p.Unit, p.Post, p.Contribution, p.Risk = e.Name, e.Unit, e.Post, e.Contribution, e.Risk
	p.AppliedOn, p.ActivistOn, p.CandidateOn, p.ProbationaryOn, p.MemberOn = e.AppliedOn, e.ActivistOn, e.CandidateOn, e.ProbationaryOn, e.MemberOn
	f := FieldErrors{}
	for _, err := range []error{p.Validate(), p.CheckDates(today)} {
		if e := AsError(err); err != nil {
			for k, m := range e.Fields {
				if _, ok := f[k]; !ok {
					f[k] = m
				}
			}
		}
	}
	return f.Err()
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
