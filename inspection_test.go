package fugong

import (
	"testing"
	"time"
)

// Every action from every state by every party: the state machine of 限期整改.
func TestRectificationStateMachine(t *testing.T) {
	now := time.Date(2020, 3, 9, 10, 0, 0, 0, time.UTC)
	type party struct {
		name                  string
		byTarget, byInspector bool
	}
	parties := []party{{"target", true, false}, {"inspector", false, true}, {"bystander", false, false}}
	// want[state][action][party] is the resulting state, or the error code.
	want := map[string]map[string]map[string]string{
		RectificationOpen: {
			ActionReport: {"target": RectificationReported, "inspector": EFORBIDDEN, "bystander": EFORBIDDEN},
			ActionVerify: {"target": EFORBIDDEN, "inspector": ECONFLICT, "bystander": EFORBIDDEN},
			ActionReturn: {"target": EFORBIDDEN, "inspector": ECONFLICT, "bystander": EFORBIDDEN},
		},
		RectificationReported: {
			ActionReport: {"target": ECONFLICT, "inspector": EFORBIDDEN, "bystander": EFORBIDDEN},
			ActionVerify: {"target": EFORBIDDEN, "inspector": RectificationClosed, "bystander": EFORBIDDEN},
			ActionReturn: {"target": EFORBIDDEN, "inspector": RectificationOpen, "bystander": EFORBIDDEN},
		},
		RectificationClosed: {
			ActionReport: {"target": ECONFLICT, "inspector": EFORBIDDEN, "bystander": EFORBIDDEN},
			ActionVerify: {"target": EFORBIDDEN, "inspector": ECONFLICT, "bystander": EFORBIDDEN},
			ActionReturn: {"target": EFORBIDDEN, "inspector": ECONFLICT, "bystander": EFORBIDDEN},
		},
	}
	for _, state := range RectificationStates {
		for _, action := range RectificationActions {
			for _, p := range parties {
				r := Rectification{State: state, Deadline: "2020-03-12"}
				err := r.Apply(RectificationStep{Action: action, ByTarget: p.byTarget, ByInspector: p.byInspector, Text: "已整改", Today: "2020-03-09"}, now)
				got := r.State
				if err != nil {
					got = ErrorCode(err)
					if r.State != state {
						t.Errorf("%s %s by %s failed but moved the state to %s", state, action, p.name, r.State)
					}
				}
				if w := want[state][action][p.name]; got != w {
					t.Errorf("%s --%s by %s--> %s, want %s", state, action, p.name, got, w)
				}
			}
		}
	}
}

func TestRectificationStepsKeepTheirRecord(t *testing.T) {
	now := time.Date(2020, 3, 9, 10, 0, 0, 0, time.UTC)
	r := Rectification{State: RectificationOpen, Deadline: "2020-03-05"}
	if !r.Overdue("2020-03-06") || r.Overdue("2020-03-05") {
		t.Errorf("a rectification is overdue from the day after its deadline")
	}
	if err := r.Apply(RectificationStep{Action: ActionReport, ByTarget: true, Text: "  "}, now); ErrorCode(err) != EINVALID {
		t.Errorf("a report with no text: %v, want invalid", err)
	}
	if err := r.Apply(RectificationStep{Action: ActionReport, ByTarget: true, Text: "已逐户走访核实"}, now); err != nil || r.ReportedAt != now || r.Overdue("2020-03-09") {
		t.Fatalf("report: %v %+v", err, r)
	}
	if err := r.Apply(RectificationStep{Action: ActionReturn, ByInspector: true, Text: "", Today: "2020-03-09"}, now); ErrorCode(err) != EINVALID {
		t.Errorf("sending back without a note: %v, want invalid", err)
	}
	if err := r.Apply(RectificationStep{Action: ActionReturn, ByInspector: true, Text: "台账不全", Deadline: "2020-03-01", Today: "2020-03-09"}, now); ErrorCode(err) != EINVALID {
		t.Errorf("sending back with a deadline in the past: %v, want invalid", err)
	}
	if err := r.Apply(RectificationStep{Action: ActionReturn, ByInspector: true, Text: "台账不全", Deadline: "2020-03-12", Today: "2020-03-09"}, now); err != nil {
		t.Fatal(err)
	}
	if r.State != RectificationOpen || r.Returns != 1 || r.Deadline != "2020-03-12" || r.Note != "台账不全" {
		t.Errorf("after sending back: %+v", r)
	}
	if err := r.Apply(RectificationStep{Action: "approve", ByInspector: true}, now); ErrorCode(err) != EINVALID {
		t.Errorf("an unknown action: %v, want invalid", err)
	}
}

func TestInspectionValidate(t *testing.T) {
	cases := []struct {
		name  string
		in    Inspection
		field string
	}{
		{"liaison without a person", Inspection{TargetKind: TargetLiaison, Finding: "工作措施不够到位"}, "target_user_id"},
		{"enterprise without an enterprise", Inspection{TargetKind: TargetEnterprise, Finding: "x"}, "enterprise_id"},
		{"unknown target", Inspection{TargetKind: "township", Finding: "x"}, "target_kind"},
		{"no finding", Inspection{TargetKind: TargetLiaison, TargetUserID: 3}, "finding"},
		{"in the future", Inspection{TargetKind: TargetLiaison, TargetUserID: 3, Finding: "x", InspectedOn: "2020-03-10"}, "inspected_on"},
		{"deadline past", Inspection{TargetKind: TargetLiaison, TargetUserID: 3, Finding: "x", Rectification: &Rectification{Deadline: "2020-03-08"}}, "deadline"},
		{"deadline not a date", Inspection{TargetKind: TargetLiaison, TargetUserID: 3, Finding: "x", Rectification: &Rectification{Deadline: "3月12日"}}, "deadline"},
		{"good", Inspection{TargetKind: TargetLiaison, TargetUserID: 3, Finding: "对企业复工复产情况掌握不够全面", Rectification: &Rectification{Deadline: "2020-03-09"}}, ""},
	}
	for _, c := range cases {
		err := c.in.Validate("2020-03-09")
		e := AsError(err)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if _, ok := e.Fields[c.field]; err == nil || !ok {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
}
