package fugong

import (
	"strings"
	"time"
)

// HazardPoint is a geological hazard point (地质灾害隐患点): where it is, who is at risk,
// the warning equipment set up (警示牌、撤离路线牌、安置牌, whistles and gongs), the
// avoidance cards handed out (避险明白卡) and its emergency plan (应急预案).
type HazardPoint struct {
	ID             int64
	County         string
	Name           string
	Township       string
	Village        string
	Location       string
	Households     int
	People         int
	WarningSigns   int
	RouteSigns     int
	PlacementSigns int
	Whistles       int
	Gongs          int
	AvoidanceCards int
	Plan           string
	// PatrolDays is how many days may pass between patrols before one counts as missed.
	PatrolDays int
	Demo       bool
	Version    int64
	// LastPatrol is the day of the latest patrol, "" when none.
	LastPatrol string
}

// Validate checks a hazard point before it is saved.
func (h *HazardPoint) Validate() error {
	f := FieldErrors{}
	h.Name, h.Location, h.Plan = strings.TrimSpace(h.Name), strings.TrimSpace(h.Location), strings.TrimSpace(h.Plan)
	if h.Name == "" {
		f.Add("name", "field.required")
	}
	if CheckRegionCode(h.Township, LevelTownship) != "" {
		f.Add("township", "enterprise.township")
	}
	for name, v := range map[string]int{"households": h.Households, "people": h.People, "warning_signs": h.WarningSigns, "route_signs": h.RouteSigns,
		"placement_signs": h.PlacementSigns, "whistles": h.Whistles, "gongs": h.Gongs, "avoidance_cards": h.AvoidanceCards} {
		if v < 0 {
			f.Add(name, "field.not_negative")
		}
	}
	if h.People < h.Households {
		f.Add("people", "hazard.people_households")
	}
	if h.PatrolDays <= 0 {
		h.PatrolDays = 7
	}
	return f.Err()
}

// DutyDay is one day of the flood-season duty roster (汛期值班表): the leader on duty
// (带班领导) and the staff.
type DutyDay struct {
	Day    string
	Leader string
	Staff  string
}

// Validate checks a roster day: a day of the flood season with a leader.
func (d *DutyDay) Validate() error {
	f := FieldErrors{}
	d.Leader, d.Staff = strings.TrimSpace(d.Leader), strings.TrimSpace(d.Staff)
	if t, err := time.Parse(time.DateOnly, d.Day); err != nil {
		f.Add("day", "field.date")
	} else if !FloodSeason(t) {
		f.Add("day", "hazard.not_flood_season")
	}
	if d.Leader == "" {
		f.Add("leader", "field.required")
	}
	return f.Err()
}

// FloodSeason reports whether a day lies in the flood season, February to October
// (the industrial park branch's roster runs 2月至10月).
func FloodSeason(day time.Time) bool {
	return day.Month() >= time.February && day.Month() <= time.October
}

// Patrol is one visit of a hazard point (巡查), recorded on a phone on site.
type Patrol struct {
	ID            int64
	County        string
	HazardPointID int64
	Day           string
	At            time.Time
	Username      string
	Finding       string
	// Danger marks a finding that needs a risk notice to the households.
	Danger bool
}

// Validate checks a patrol record.
func (p *Patrol) Validate() error {
	f := FieldErrors{}
	p.Finding = strings.TrimSpace(p.Finding)
	if p.Finding == "" {
		f.Add("finding", "field.required")
	} else if len([]rune(p.Finding)) > 2000 {
		f.Add("finding", "field.too_long")
	}
	return f.Err()
}

// RiskNotice is a notice of danger handed to a household of a hazard point (险情通知书).
type RiskNotice struct {
	ID            int64
	HazardPointID int64
	Household     string
	Day           string
	Note          string
}

// Validate checks a risk notice.
func (n *RiskNotice) Validate() error {
	f := FieldErrors{}
	n.Household, n.Note = strings.TrimSpace(n.Household), strings.TrimSpace(n.Note)
	if n.Household == "" {
		f.Add("household", "field.required")
	}
	if _, err := time.Parse(time.DateOnly, n.Day); err != nil {
		f.Add("day", "field.date")
	}
	return f.Err()
}

// Flood-season alert kinds.
const (
	AlertDutyEmpty    = "duty_empty"
	AlertPatrolMissed = "patrol_missed"
)

// FloodAlert is something the flood-season watch must tell the command: a roster day
// with no leader on duty, or a hazard point not patrolled within its interval.
type FloodAlert struct {
	Kind    string
	Day     string
	PointID int64
	Point   string
}

// FloodAlerts lists the alerts of a day: none outside the flood season; the day's duty
// when it has no leader; each point whose last patrol is more than its interval ago.
func FloodAlerts(day time.Time, duty *DutyDay, points []HazardPoint) []FloodAlert {
	if !FloodSeason(day) {
		return nil
	}
	d := day.Format(time.DateOnly)
	var out []FloodAlert
	if duty == nil || strings.TrimSpace(duty.Leader) == "" {
		out = append(out, FloodAlert{Kind: AlertDutyEmpty, Day: d})
	}
	for _, p := range points {
		every := p.PatrolDays
		if every <= 0 {
			every = 7
		}
		due := day.AddDate(0, 0, -every).Format(time.DateOnly)
		if p.LastPatrol == "" || p.LastPatrol < due {
			out = append(out, FloodAlert{Kind: AlertPatrolMissed, Day: d, PointID: p.ID, Point: p.Name})
		}
	}
	return out
}

// HazardFilter selects hazard points.
type HazardFilter struct {
	Township      string
	Limit, Offset int
}
