package fugong

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Inspection targets: a finding is against a liaison's work or an enterprise's.
const (
	TargetLiaison    = "liaison"
	TargetEnterprise = "enterprise"
)

// InspectionFindings are the findings the organisation department writes most often, as the
// seed words them; offered as suggestions, any text may be written.
var InspectionFindings = []string{"对企业复工复产情况掌握不够全面", "工作措施不够到位", "蹲点时间不足", "诉求未及时上报", "防控制度落实不到位"}

// Inspection is a check (督查) on a liaison's or an enterprise's work by the command or the
// organisation department: a finding, a criticism, and when a deadline is set, a
// rectification (限期整改).
type Inspection struct {
	ID           int64
	County       string
	InspectorID  int64
	TargetKind   string
	TargetUserID int64 // the liaison, for a finding against a liaison
	EnterpriseID int64 // the enterprise, for a finding against an enterprise (optional for a liaison)
	InspectedOn  string
	Finding      string
	Criticism    string
	Demo         bool
	CreatedAt    time.Time
	// Rectification is the order to put it right, or nil.
	Rectification *Rectification

	// Joined for display.
	InspectorName  string
	TargetName     string
	EnterpriseName string
}

// Validate checks an inspection and its rectification, if any, on day today.
func (in *Inspection) Validate(today string) error {
	f := FieldErrors{}
	in.Finding = strings.TrimSpace(in.Finding)
	in.Criticism = strings.TrimSpace(in.Criticism)
	switch in.TargetKind {
	case TargetLiaison:
		if in.TargetUserID <= 0 {
			f.Add("target_user_id", "field.required")
		}
	case TargetEnterprise:
		if in.EnterpriseID <= 0 {
			f.Add("enterprise_id", "field.required")
		}
		in.TargetUserID = 0
	default:
		f.Add("target_kind", "inspection.target_kind")
	}
	if in.InspectedOn == "" {
		in.InspectedOn = today
	}
	if _, err := time.Parse(time.DateOnly, in.InspectedOn); err != nil {
		f.Add("inspected_on", "field.date")
	} else if in.InspectedOn > today {
		f.Add("inspected_on", "inspection.future")
	}
	if in.Finding == "" {
		f.Add("finding", "field.required")
	} else if utf8.RuneCountInString(in.Finding) > 1000 {
		f.Add("finding", "field.too_long")
	}
	if utf8.RuneCountInString(in.Criticism) > 1000 {
		f.Add("criticism", "field.too_long")
	}
	if r := in.Rectification; r != nil {
		if _, err := time.Parse(time.DateOnly, r.Deadline); err != nil {
			f.Add("deadline", "field.date")
		} else if r.Deadline < today {
			f.Add("deadline", "rectification.deadline_past")
		}
		r.State = RectificationOpen
	}
	return f.Err()
}

// Rectification states: open (the target is putting it right), reported (the target says
// it is fixed), closed (the inspector verified the fix). Sending a report back reopens it.
const (
	RectificationOpen     = "open"
	RectificationReported = "reported"
	RectificationClosed   = "closed"
)

// RectificationStates lists the states in order.
var RectificationStates = []string{RectificationOpen, RectificationReported, RectificationClosed}

// Rectification actions.
const (
	ActionReport = "report" // the target reports the fix
	ActionVerify = "verify" // the inspector verifies and closes
	ActionReturn = "return" // the inspector sends the report back
)

// RectificationActions lists the actions.
var RectificationActions = []string{ActionReport, ActionVerify, ActionReturn}

// Rectification is the order to put a finding right by a deadline.
type Rectification struct {
	ID           int64
	County       string
	InspectionID int64
	Deadline     string // YYYY-MM-DD, the last day
	State        string
	Report       string // what the target did
	ReportedAt   time.Time
	Note         string // the inspector's note on verifying or sending back
	ClosedAt     time.Time
	Returns      int
	// OverdueNotified is the deadline for which the overdue notice was sent.
	OverdueNotified string
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Overdue reports whether the rectification is still open after its deadline's day.
func (r Rectification) Overdue(today string) bool {
	return r.State == RectificationOpen && r.Deadline != "" && today > r.Deadline
}

// RectificationStep is one action on a rectification by a party.
type RectificationStep struct {
	Action string
	// ByTarget is set when the actor is the target (the liaison, or the enterprise's
	// account); ByInspector when the actor may inspect.
	ByTarget, ByInspector bool
	Text                  string // the report, or the inspector's note
	Deadline              string // a new deadline when sending back, optional
	Today                 string
}

// Apply moves r by one step, or says why it may not: the state machine of 限期整改.
//
//	open     --report (target)-->    reported
//	reported --verify (inspector)--> closed
//	reported --return (inspector)--> open (with a note, and a new deadline if given)
func (r *Rectification) Apply(s RectificationStep, now time.Time) error {
	f := FieldErrors{}
	text := strings.TrimSpace(s.Text)
	switch s.Action {
	case ActionReport:
		if !s.ByTarget {
			return Errorf(EFORBIDDEN, "error.forbidden")
		}
		if r.State != RectificationOpen {
			return Conflict("rectification.wrong_state")
		}
		if text == "" {
			f.Add("text", "rectification.report_required")
			return f.Err()
		}
		r.State, r.Report, r.ReportedAt = RectificationReported, text, now
	case ActionVerify:
		if !s.ByInspector {
			return Errorf(EFORBIDDEN, "error.forbidden")
		}
		if r.State != RectificationReported {
			return Conflict("rectification.wrong_state")
		}
		r.State, r.Note, r.ClosedAt = RectificationClosed, text, now
	case ActionReturn:
		if !s.ByInspector {
			return Errorf(EFORBIDDEN, "error.forbidden")
		}
		if r.State != RectificationReported {
			return Conflict("rectification.wrong_state")
		}
		if text == "" {
			f.Add("text", "rectification.note_required")
		}
		if s.Deadline != "" {
			if _, err := time.Parse(time.DateOnly, s.Deadline); err != nil {
				f.Add("deadline", "field.date")
			} else if s.Deadline < s.Today {
				f.Add("deadline", "rectification.deadline_past")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		r.State, r.Note = RectificationOpen, text
		r.Returns++
		if s.Deadline != "" {
			r.Deadline = s.Deadline
		}
	default:
		f.Add("action", "rectification.action")
		return f.Err()
	}
	return nil
}

// InspectionFilter selects inspections; empty fields do not filter.
type InspectionFilter struct {
	TargetKind string
	State      string // the rectification's state
	Overdue    bool
	// Rectified keeps only findings with a rectification.
	Rectified bool
	Limit     int
	Offset    int
}
