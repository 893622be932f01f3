package fugong

import (
	"fmt"
	"testing"
)

// TestAdvanceEveryPair tries every stage to every stage: only the next one is allowed.
func TestAdvanceEveryPair(t *testing.T) {
	for i, from := range PartyStages {
		for j, to := range append(PartyStages, "chairman", "") {
			p := PartyApplication{Stage: from, AppliedOn: "2018-01-01", ActivistOn: "2018-02-01", CandidateOn: "2019-01-01", ProbationaryOn: "2019-02-01"}
			err := p.Advance(to, "2020-03-01", "2020-03-09")
			ok := j == i+1 && j < len(PartyStages)
			if (err == nil) != ok {
				t.Errorf("%s → %s: %v", from, to, err)
			}
			if ok && (p.Stage != to || *p.stageDay(to) != "2020-03-01") {
				t.Errorf("%s → %s: stage %s, day %s", from, to, p.Stage, *p.stageDay(to))
			}
			if !ok && p.Stage != from {
				t.Errorf("%s → %s refused but the stage moved to %s", from, to, p.Stage)
			}
		}
	}
}

func TestAdvanceDates(t *testing.T) {
	tests := []struct {
		day, key string
	}{
		{"2020-02-01", ""},                 // the same day the application came
		{"2020-01-31", "party.day_before"}, // before it
		{"2020-03-09", ""},                 // today
		{"2020-03-10", "party.day_future"},
		{"2020-02-30", "field.date"},
		{"2020-02-29", ""}, // leap day
	}
	for _, tt := range tests {
		p := PartyApplication{Stage: StageApplicant, AppliedOn: "2020-02-01"}
		err := p.Advance(StageActivist, tt.day, "2020-03-09")
		got := ""
		if e := AsError(err); err != nil {
			got = e.Fields["day"].Key
		}
		if got != tt.key {
			t.Errorf("%s: %q, want %q", tt.day, got, tt.key)
		}
	}
}

func TestPartyApplicationValidate(t *testing.T) {
	p := PartyApplication{Name: "聂勇", Unit: "县人民医院", AppliedOn: "2020-02-01"}
	if err := p.Validate(); err != nil || p.Stage != StageApplicant {
		t.Errorf("%v %s", err, p.Stage)
	}
	bad := PartyApplication{Name: "x", Unit: "y", AppliedOn: "2月1日", Stage: "chairman"}
	e := AsError(bad.Validate())
	if e == nil || e.Fields["applied_on"].Key == "" || e.Fields["stage"].Key == "" {
		t.Errorf("%v", e)
	}
}

// A year as activist before development, a year of probation before full membership:
// refused a day early, naming the first day it is allowed; 29 February counts to 1 March.
func TestAdvanceAfterAYear(t *testing.T) {
	tests := []struct {
		stage, since, to, day, key string
		args                       []any
	}{
		{StageActivist, "2019-10-08", StageCandidate, "2020-03-06", "party.activist_year", []any{"2019-10-08", "2020-10-08"}},
		{StageActivist, "2019-03-06", StageCandidate, "2020-03-05", "party.activist_year", []any{"2019-03-06", "2020-03-06"}},
		{StageActivist, "2019-03-06", StageCandidate, "2020-03-06", "", nil},
		{StageProbationary, "2020-02-29", StageMember, "2021-02-28", "party.probation_year", []any{"2020-02-29", "2021-03-01"}},
		{StageProbationary, "2020-02-29", StageMember, "2021-03-01", "", nil},
	}
	for _, tt := range tests {
		p := PartyApplication{Stage: tt.stage, AppliedOn: "2018-01-01", ActivistOn: tt.since, CandidateOn: "2019-01-01"}
		if tt.stage == StageProbationary {
			p.ActivistOn, p.CandidateOn, p.ProbationaryOn = "2018-01-01", "2019-01-01", tt.since
		}
		err := p.Advance(tt.to, tt.day, "2030-01-01")
		var got Msg
		if e := AsError(err); err != nil {
			got = e.Fields["day"]
		}
		if got.Key != tt.key || fmt.Sprint(got.Args) != fmt.Sprint(tt.args) {
			t.Errorf("%s since %s → %s on %s: %v, want %s %v", tt.stage, tt.since, tt.to, tt.day, got, tt.key, tt.args)
		}
	}
}

// TestPartyCheckDates: a correction keeps every rule Advance keeps, each refusal naming
// the day's own field.
func TestPartyCheckDates(t *testing.T) {
	cand := func() PartyApplication {
		return PartyApplication{Name: "秦明树", Unit: "三合镇凤鹤山村", Stage: StageCandidate, AppliedOn: "2018-09-10", ActivistOn: "2019-03-01", CandidateOn: "2020-03-06"}
	}
	tests := []struct {
		name  string
		edit  func(*PartyApplication)
		field string
		key   string
	}{
		{"as entered", func(p *PartyApplication) {}, "", ""},
		{"activist a year to the day", func(p *PartyApplication) { p.ActivistOn = "2019-03-06" }, "", ""},
		{"activist less than a year", func(p *PartyApplication) { p.ActivistOn = "2019-03-07" }, "candidate_on", "party.activist_year"},
		{"activist before applying", func(p *PartyApplication) { p.AppliedOn = "2019-03-02" }, "activist_on", "party.day_before"},
		{"a day of a stage not reached", func(p *PartyApplication) { p.MemberOn = "2020-03-01" }, "member_on", "party.not_reached.member_on"},
		{"a reached stage without a day", func(p *PartyApplication) { p.ActivistOn = "" }, "activist_on", "field.date"},
		{"a day after today", func(p *PartyApplication) { p.CandidateOn = "2020-03-10" }, "candidate_on", "party.day_future"},
		{"year 0", func(p *PartyApplication) { p.AppliedOn = "0000-01-01" }, "applied_on", "field.date_too_early"},
		{"probation less than a year", func(p *PartyApplication) {
			p.Stage, p.ProbationaryOn, p.MemberOn = StageMember, "2020-03-07", "2020-03-08"
		}, "member_on", "party.probation_year"},
		{"leap day probation to 1 March", func(p *PartyApplication) {
			p.Stage, p.ProbationaryOn, p.MemberOn = StageMember, "2016-02-29", "2017-03-01"
			p.AppliedOn, p.ActivistOn, p.CandidateOn = "2014-01-01", "2014-06-01", "2016-01-01"
		}, "", ""},
	}
	for _, tt := range tests {
		p := cand()
		tt.edit(&p)
		err := p.CheckDates("2020-03-09")
		got := ""
		if e := AsError(err); err != nil {
			got = e.Fields[tt.field].Key
			if len(e.Fields) != 1 || got == "" {
				t.Errorf("%s: fields %v, want %s", tt.name, e.Fields, tt.field)
			}
		}
		if got != tt.key {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.key)
		}
	}
	p := cand()
	err := p.Edit(PartyEdit{Name: " ", Unit: "三合镇凤鹤山村", AppliedOn: "2018-09-10", ActivistOn: "2019-03-01", CandidateOn: "2019-04-01"}, "2020-03-09")
	if e := AsError(err); e == nil || e.Fields["name"].Key != "field.required" || e.Fields["candidate_on"].Key != "party.activist_year" {
		t.Errorf("an edit with no name and a short activist year: %v", err)
	}
}
