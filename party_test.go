package fugong

import "testing"

// TestAdvanceEveryPair tries every stage to every stage: only the next one is allowed.
func TestAdvanceEveryPair(t *testing.T) {
	for i, from := range PartyStages {
		for j, to := range append(PartyStages, "chairman", "") {
			p := PartyApplication{Stage: from, AppliedOn: "2020-02-01", ActivistOn: "2020-02-01", CandidateOn: "2020-02-01"}
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
