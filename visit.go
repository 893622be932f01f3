package fugong

import (
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultVisitTasks is what a liaison does on a visit, as the seed lists it (宣传政策、核查信息、
// 排查监测、协助消毒, preventive medicine handed out, 岗前排查, 卫生制度落实). The county may
// set its own list (setting liaison.visit_tasks, one task a line): the list is data.
var DefaultVisitTasks = []string{"宣传政策", "核查信息", "排查监测", "协助消毒", "发放口罩或预防中药", "岗前排查", "卫生制度检查"}

// VisitDemandCategories are the kinds of demand a liaison can raise from a visit; the keys
// are the demands workflow's category keys.
var VisitDemandCategories = []string{"supplies", "labour", "materials", "utilities", "logistics", "finance", "legal", "other"}

// Visit is a liaison's on-site presence at an assigned enterprise (蹲点): checked in, what
// was done, what was found, checked out — written on a phone, sent once even when the
// network drops.
type Visit struct {
	ID     int64
	County string
	// ClientUUID is made by the browser when the form opens; a resend carries the same one.
	ClientUUID   string
	EnterpriseID int64
	UserID       int64
	// Day is the local calendar day of the check-in.
	Day          string
	CheckedInAt  time.Time
	CheckedOutAt time.Time
	// Located is set when the browser gave a position.
	Located   bool
	Latitude  float64
	Longitude float64
	AccuracyM int
	Tasks     []string
	Findings  string
	// Demand is the demand raised in the same step, or nil.
	Demand *VisitDemand
	Demo   bool

	CreatedAt time.Time
	// Joined for display.
	EnterpriseName string
	LiaisonName    string
}

// VisitDemand is a demand raised on a visit: what the enterprise needs and whether the
// liaison solved it on site (现场解决).
type VisitDemand struct {
	ID          int64
	VisitID     int64
	Category    string
	Description string
	OnSite      bool
	// DemandID is the demand in the demands workflow, 0 when none was made.
	DemandID int64
}

// Visit time limits: a form kept offline may arrive days later, but not weeks; a phone's
// clock may run a little fast.
const (
	VisitMaxAge  = 7 * 24 * time.Hour
	VisitMaxSkew = 10 * time.Minute
)

// ValidUUID reports whether s looks like a UUID (8-4-4-4-12 hexadecimal digits).
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Validate checks a visit against the county's task list at time now, and sets its Day in loc.
func (v *Visit) Validate(tasks []string, now time.Time, loc *time.Location) error {
	f := FieldErrors{}
	v.ClientUUID = strings.ToLower(strings.TrimSpace(v.ClientUUID))
	if !ValidUUID(v.ClientUUID) {
		f.Add("client_uuid", "visit.client_uuid")
	}
	if v.EnterpriseID <= 0 {
		f.Add("enterprise_id", "field.required")
	}
	if v.CheckedOutAt.IsZero() {
		v.CheckedOutAt = now
	}
	switch {
	case v.CheckedInAt.IsZero():
		f.Add("checked_in_at", "field.required")
	case v.CheckedInAt.After(v.CheckedOutAt):
		f.Add("checked_out_at", "visit.out_before_in")
	case v.CheckedOutAt.After(now.Add(VisitMaxSkew)):
		f.Add("checked_out_at", "visit.future")
	case v.CheckedInAt.Before(now.Add(-VisitMaxAge)):
		f.Add("checked_in_at", "visit.too_old")
	case v.CheckedOutAt.Sub(v.CheckedInAt) > 24*time.Hour:
		f.Add("checked_out_at", "visit.too_long")
	}
	seen := map[string]bool{}
	var kept []string
	for _, t := range v.Tasks {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		if !oneOf(t, tasks) {
			f.Add("tasks", "visit.task_unknown", t)
		}
		seen[t] = true
		kept = append(kept, t)
	}
	v.Tasks = kept
	v.Findings = strings.TrimSpace(v.Findings)
	if len(v.Tasks) == 0 && v.Findings == "" {
		f.Add("tasks", "visit.empty")
	}
	if utf8.RuneCountInString(v.Findings) > 2000 {
		f.Add("findings", "field.too_long")
	}
	if v.Located && (v.Latitude < -90 || v.Latitude > 90 || v.Longitude < -180 || v.Longitude > 180 || v.AccuracyM < 0) {
		f.Add("location", "visit.location")
	}
	if d := v.Demand; d != nil {
		d.Description = strings.TrimSpace(d.Description)
		if d.Description == "" {
			f.Add("demand_description", "field.required")
		} else if utf8.RuneCountInString(d.Description) > 1000 {
			f.Add("demand_description", "field.too_long")
		}
		if d.Category == "" {
			d.Category = "other"
		}
		if !oneOf(d.Category, VisitDemandCategories) {
			f.Add("demand_category", "visit.demand_category")
		}
	}
	if !v.CheckedInAt.IsZero() {
		v.Day = Day(v.CheckedInAt, loc)
	}
	return f.Err()
}

// VisitFilter selects visits; empty fields do not filter.
type VisitFilter struct {
	EnterpriseID int64
	UserID       int64
	From, To     string // days, inclusive
	Limit        int
	Offset       int
}

// ParseTasks reads a task list kept one task a line, falling back to DefaultVisitTasks.
func ParseTasks(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return DefaultVisitTasks
	}
	return out
}
