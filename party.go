package fugong

import (
	"strings"
	"time"
)

// The stages of a party application, in order: applicant (入党申请人), activist (入党积极
// 分子), development object (发展对象) and member (党员).
const (
	StageApplicant = "applicant"
	StageActivist  = "activist"
	StageCandidate = "candidate"
	StageMember    = "member"
)

// PartyStages lists the stages in the order an application moves through them.
var PartyStages = []string{StageApplicant, StageActivist, StageCandidate, StageMember}

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
	MemberOn     string
	Demo         bool
	Version      int64
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
	Unit                                       string
	Applications                               int
	Applicants, Activists, Candidates, Members int
}
