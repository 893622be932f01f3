package fugong

import (
	"strings"
	"time"
)

// Target is an office's yearly target (目标责任): new reserve land 2,000 亩, land swap
// 2,000 亩, afforestation 2,000 亩 and 40,000 trees. It is broken down to parcels or
// sites (指标细化到宗地), owned by a working group and its leader, reported weekly
// (工作进度周报告) and assessed at the end of the year (年底目标考核).
type Target struct {
	ID           int64
	County       string
	Name         string
	Unit         string // 亩, 株…
	Planned      int64
	Year         int
	StartDay     string // the first day progress is expected, YYYY-MM-DD
	OrgUnitID    int64
	WorkingGroup string
	Leader       string
	Demo         bool
	Version      int64
	Parcels      []TargetParcel
	// Done is the latest weekly report's cumulative figure.
	Done int64
}

// TargetParcel is one parcel or site a target is broken down to.
type TargetParcel struct {
	ID       int64
	TargetID int64
	Name     string
	Planned  int64
}

// TargetReport is a target's weekly progress: the cumulative amount done by the end of
// the week. Week is the week's Monday; a second report for a week replaces the first.
type TargetReport struct {
	ID       int64
	County   string
	TargetID int64
	Week     string
	Done     int64
	Note     string
	Username string
	At       time.Time
}

// Validate checks a target before it is saved; its parcels may not plan more than it.
func (t *Target) Validate() error {
	f := FieldErrors{}
	t.Name, t.Unit = strings.TrimSpace(t.Name), strings.TrimSpace(t.Unit)
	t.WorkingGroup, t.Leader = strings.TrimSpace(t.WorkingGroup), strings.TrimSpace(t.Leader)
	if t.Name == "" {
		f.Add("name", "field.required")
	} else if len([]rune(t.Name)) > 200 {
		f.Add("name", "field.too_long")
	}
	if t.Unit == "" {
		f.Add("unit", "field.required")
	}
	if t.Planned <= 0 {
		f.Add("planned", "target.planned")
	}
	if t.Year < 2000 || t.Year > 2100 {
		f.Add("year", "target.year")
	}
	if _, err := time.Parse(time.DateOnly, t.StartDay); err != nil {
		f.Add("start_day", "field.date")
	}
	if t.Leader == "" {
		f.Add("leader", "field.required")
	}
	var sum int64
	for _, p := range t.Parcels {
		if strings.TrimSpace(p.Name) == "" || p.Planned <= 0 {
			f.Add("parcels", "target.parcel")
		}
		sum += p.Planned
	}
	if sum > t.Planned {
		f.Add("parcels", "target.parcels_over")
	}
	return f.Err()
}

// Validate checks a weekly report and moves its week to the week's Monday.
func (r *TargetReport) Validate(t Target) error {
	f := FieldErrors{}
	d, err := time.Parse(time.DateOnly, r.Week)
	if err != nil {
		f.Add("week", "field.date")
	} else {
		r.Week = Monday(d).Format(time.DateOnly)
		if r.Week < Monday(mustDay(t.StartDay)).Format(time.DateOnly) {
			f.Add("week", "target.week_before_start")
		}
	}
	if r.Done < 0 {
		f.Add("done", "field.not_negative")
	}
	r.Note = strings.TrimSpace(r.Note)
	if len([]rune(r.Note)) > 2000 {
		f.Add("note", "field.too_long")
	}
	return f.Err()
}

func mustDay(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// MissedWeeks lists the Mondays of the finished weeks, from the target's start up to the
// week before today's, that have no report: what the weekly rule flags.
func MissedWeeks(t Target, reported []string, today time.Time) []string {
	have := map[string]bool{}
	for _, w := range reported {
		have[w] = true
	}
	start, err := time.Parse(time.DateOnly, t.StartDay)
	if err != nil {
		return nil
	}
	this := Monday(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
	var out []string
	for w := Monday(start); w.Before(this); w = w.AddDate(0, 0, 7) {
		if k := w.Format(time.DateOnly); !have[k] {
			out = append(out, k)
		}
	}
	return out
}

// Assessment is a target's year-end assessment against its plan.
type Assessment struct {
	Planned, Done int64
	// Rate is done ÷ planned in per mille, so that no float decides the outcome.
	Rate        int64
	Met         bool
	MissedWeeks int
}

// Assess measures a target against its plan: met when the cumulative amount done
// reaches the planned amount.
func Assess(t Target, missed int) Assessment {
	a := Assessment{Planned: t.Planned, Done: t.Done, MissedWeeks: missed}
	if t.Planned > 0 {
		a.Rate = t.Done * 1000 / t.Planned
	}
	a.Met = t.Planned > 0 && t.Done >= t.Planned
	return a
}

// TargetFilter selects targets.
type TargetFilter struct {
	Year          int
	OrgUnitID     int64
	Limit, Offset int
}
