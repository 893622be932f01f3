package fugong

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// ChecklistItem is one standard an enterprise of a focus area must meet before it
// resumes (定标准): a prevention plan, masks for N days, an isolation room… They are data,
// edited by command, so that the next crisis brings its own list. An item with an empty
// FocusArea applies to every enterprise, poverty workshops included.
type ChecklistItem struct {
	ID        int64
	County    string
	FocusArea string
	Position  int
	Text      string
	Required  bool
	Version   int64
}

// Validate checks a checklist item before it is saved.
func (c *ChecklistItem) Validate() error {
	f := FieldErrors{}
	c.Text = strings.TrimSpace(c.Text)
	if c.Text == "" {
		f.Add("text", "field.required")
	} else if len([]rune(c.Text)) > 200 {
		f.Add("text", "field.too_long")
	}
	if c.FocusArea != "" && !oneOf(c.FocusArea, FocusAreas) {
		f.Add("focus_area", "enterprise.focus_area")
	}
	return f.Err()
}

// Declaration states: a declaration waits for the township, then for the industry
// department, and ends approved or rejected.
const (
	DeclTownship   = "township"
	DeclDepartment = "department"
	DeclApproved   = "approved"
	DeclRejected   = "rejected"
)

// Review decisions.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

// Declaration is an enterprise's request to resume (复工申报): a planned date and its
// answers to the checklist of its focus area.
type Declaration struct {
	ID           int64
	County       string
	EnterpriseID int64
	PlannedOn    string // YYYY-MM-DD
	// Answers maps a checklist item id to whether the enterprise meets it.
	Answers    map[int64]bool
	Note       string
	State      string
	DeclaredBy int64
	Declarer   string // username
	DeclaredAt time.Time
	Version    int64
	UpdatedAt  time.Time
	// Enterprise is the declaring enterprise's name, for lists.
	Enterprise string
	Township   string
	FocusArea  string
}

// Validate checks a declaration against the checklist that applies: every required item
// must be met, and the planned date must be a real day.
func (d *Declaration) Validate(items []ChecklistItem) error {
	f := FieldErrors{}
	if _, err := time.Parse(time.DateOnly, d.PlannedOn); err != nil {
		f.Add("planned_on", "field.date")
	}
	d.Note = strings.TrimSpace(d.Note)
	if len([]rune(d.Note)) > 1000 {
		f.Add("note", "field.too_long")
	}
	for _, it := range items {
		if it.Required && !d.Answers[it.ID] {
			f.AddLabelled(ItemField(it.ID), M("label.quoted", it.Text), "declaration.item_required")
		}
	}
	return f.Err()
}

// ItemField names the form field of a checklist item's answer.
func ItemField(id int64) string { return "item_" + strconv.FormatInt(id, 10) }

// Review is one decision on a declaration, always with its reason (强监管).
type Review struct {
	ID            int64
	County        string
	DeclarationID int64
	EnterpriseID  int64
	Stage         string // DeclTownship or DeclDepartment
	Decision      string
	Reason        string
	UserID        int64
	Username      string
	At            time.Time
}

// Validate checks a review's decision and reason.
func (r *Review) Validate() error {
	f := FieldErrors{}
	if r.Decision != DecisionApprove && r.Decision != DecisionReject {
		f.Add("decision", "review.decision")
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Reason == "" {
		f.Add("reason", "review.reason_required")
	} else if len([]rune(r.Reason)) > 1000 {
		f.Add("reason", "field.too_long")
	}
	return f.Err()
}

// ReviewerRoles returns who may decide a declaration in a state: of the table's reviewers
// (declaration.review), the township at the first stage, the industry department at the
// second; the others (the command) may stand in for either.
func ReviewerRoles(state string) []Role {
	stages := map[string]Role{DeclTownship: RoleTownship, DeclDepartment: RoleDepartment}
	stage, ok := stages[state]
	if !ok {
		return nil
	}
	var out []Role
	for _, r := range RolesFor(PermDeclarationReview) {
		if r == stage || r != RoleTownship && r != RoleDepartment {
			out = append(out, r)
		}
	}
	return out
}

// NextState is where a declaration goes after a decision at its current stage.
func NextState(state, decision string) string {
	if decision == DecisionReject {
		return DeclRejected
	}
	if state == DeclTownship {
		return DeclDepartment
	}
	return DeclApproved
}

// DeclarationFilter selects declarations.
type DeclarationFilter struct {
	EnterpriseID int64
	State        string
	Limit        int
	Offset       int
}

// Event is one line of an enterprise's timeline: a status change, a declaration, a
// review, a link. Kind names a catalogue key "event.<kind>".
type Event struct {
	ID           int64
	County       string
	EnterpriseID int64
	Day          string
	At           time.Time
	Kind         string
	Detail       string
	Username     string
	// Name is the person's display name, joined for display.
	Name string
}

// Timeline event kinds.
const (
	EventStatus   = "status"
	EventDeclared = "declared"
	EventReviewed = "reviewed"
	EventReport   = "report"
)

// DailyReport is an enterprise's report for one day (企业日报). There is one per enterprise
// per day: a second report that day edits the first.
type DailyReport struct {
	ID           int64
	County       string
	EnterpriseID int64
	Day          string
	OnDuty       int // employees at work today
	Capacity     int // percent of normal capacity (产能恢复率)
	MaskStock    int
	MasksUsed    int
	// ReturnedOutside counts workers back today from outside the county.
	ReturnedOutside int
	ReportedBy      int64
	ReportedAt      time.Time
	Version         int64
	Enterprise      string
}

// Validate checks a daily report.
func (d *DailyReport) Validate() error {
	f := FieldErrors{}
	if _, err := time.Parse(time.DateOnly, d.Day); err != nil {
		f.Add("day", "field.date")
	}
	for name, v := range map[string]int{"on_duty": d.OnDuty, "mask_stock": d.MaskStock, "masks_used": d.MasksUsed, "returned_outside": d.ReturnedOutside} {
		if v < 0 {
			f.Add(name, "field.not_negative")
		}
	}
	if d.Capacity < 0 || d.Capacity > 100 {
		f.Add("capacity", "report.capacity")
	}
	return f.Err()
}

// DailyReportFilter selects daily reports.
type DailyReportFilter struct {
	EnterpriseID int64
	Day          string
	Limit        int
	Offset       int
}

// DefaultReportHour is the local hour by which a resumed enterprise should have sent
// the day's report; the county may set another (setting "resumption.report_hour").
const DefaultReportHour = 10

// Statistics definitions (DESIGN.md, "Definitions are the offices' own").
//
// The resumption statistic counts the enterprises of the registry that are not poverty
// workshops (扶贫车间 are counted on their own, as the seed does: 33, of which 14
// resumed). An enterprise is resumed on a day when its resumed_on is that day or earlier
// and it had not stopped again by then. Resumption rate = resumed ÷ enterprises in scope.
// Attendance rate = on duty ÷ payroll, over the resumed enterprises that reported that day.

// ResumptionCount is one row of the statistics: a group (a township, a focus area, "all")
// with its figures.
type ResumptionCount struct {
	Key     string
	Total   int
	Resumed int
	// OnDuty and Payroll are summed over the day's reports, for the attendance rate.
	OnDuty  int
	Payroll int
	// Reported counts the day's reports.
	Reported int
}

// Rate is the resumption rate in percent.
func (c ResumptionCount) Rate() float64 { return Percent(c.Resumed, c.Total) }

// AttendanceRate is the attendance rate in percent.
func (c ResumptionCount) AttendanceRate() float64 { return Percent(c.OnDuty, c.Payroll) }

// Percent is num ÷ den in percent rounded to one decimal, 0 when den is 0.
func Percent(num, den int) float64 {
	if den <= 0 {
		return 0
	}
	return math.Round(float64(num)*1000/float64(den)) / 10
}

// ResumptionStats are the figures for one day and scope, by every dimension the
// offices report.
type ResumptionStats struct {
	Day          string
	All          ResumptionCount
	ByTownship   []ResumptionCount
	ByFocusArea  []ResumptionCount
	ByAboveScale []ResumptionCount // keys "true" and "false"
	// Workshops are the poverty workshops, counted on their own.
	Workshops ResumptionCount
	// Series is the resumed count at the end of each day from the first resumption up to Day.
	Series []DayCount
}

// DayCount is a figure on a day.
type DayCount struct {
	Day   string
	Count int
}

// Coverage lists what nobody is responsible for: above-scale enterprises and key
// projects with no linked county leader, and enterprises with no liaison.
type Coverage struct {
	UnledEnterprises []Enterprise
	UnledProjects    []KeyProject
	NoLiaison        []Enterprise
}
