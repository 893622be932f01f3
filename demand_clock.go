package fugong

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// ClockPolicy is a county's same-day settings (DESIGN.md, "Same-day rule").
type ClockPolicy struct {
	// Response is the time by which someone acts on a demand (default 1 h).
	Response time.Duration
	// LateMinute is the minute of the day (local) from which a new demand counts for the
	// next day (default 22:00 = 1320).
	LateMinute int
	// Warning is how long before a deadline the owner is warned (default 2 h).
	Warning time.Duration
	// Solution overrides a category's solution time, by category key (the county's
	// settings demand.solution_hours.<key>).
	Solution map[string]time.Duration
}

// DefaultClockPolicy is the rule as the county wrote it.
var DefaultClockPolicy = ClockPolicy{Response: time.Hour, LateMinute: 22 * 60, Warning: 2 * time.Hour}

// ParseLateHour reads "HH:MM" into minutes of the day.
func ParseLateHour(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("late hour %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// SameDay returns the day a demand received at t counts for and its same-day deadline:
// 24:00 local time of that day. A demand that arrives at or after the late hour counts for
// the next day, so it is due at 24:00 of the next day.
func SameDay(t time.Time, loc *time.Location, lateMinute int) (string, time.Time) {
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if l.Hour()*60+l.Minute() >= lateMinute {
		day = day.AddDate(0, 0, 1)
	}
	return day.Format(time.DateOnly), day.AddDate(0, 0, 1)
}

// Deadlines sets a new demand's day and its three clocks from its category and the policy.
func (d *Demand) Deadlines(p ClockPolicy, loc *time.Location) {
	cat, _ := FindCategory(d.Category)
	resp := p.Response
	if cat.Response > 0 {
		resp = cat.Response
	}
	d.Day, d.SameDayDue = SameDay(d.ReceivedAt, loc, p.LateMinute)
	d.ResponseDue = d.ReceivedAt.Add(resp)
	sol := cat.Solution
	if v, ok := p.Solution[cat.Key]; ok && v > 0 {
		sol = v
	}
	d.SolutionDue = d.ReceivedAt.Add(sol)
	d.ResponseMinutes, d.SolutionMinutes = -1, -1
}

// Clocks a demand runs on.
const (
	ClockResponse = "response"
	ClockSameDay  = "same_day"
	ClockSolution = "solution"
)

// Warning bits in Demand.Warned.
const (
	WarnSameDay  = 1
	WarnSolution = 2
)

// ClockCheck is what one look at a demand's clocks found due.
type ClockCheck struct {
	// Late lists the clocks that ran out now, unmet; each escalates one step.
	Late []string
	// Warn lists the deadlines close enough to warn the owner of.
	Warn []string
	// Next is when to look again; zero when no clock is left to watch.
	Next time.Time
}

// CheckClocks decides, at now, which of d's clocks ran out unmet and which deadlines to
// warn of. It is pure: the caller records the outcome, so that a second look at the same
// moment finds nothing new (clock jobs may run twice).
func (d *Demand) CheckClocks(now time.Time, warning time.Duration) ClockCheck {
	var c ClockCheck
	next := func(t time.Time) {
		if t.After(now) && (c.Next.IsZero() || t.Before(c.Next)) {
			c.Next = t
		}
	}
	closed := d.State == DemandClosed
	// Response: someone acted on it.
	if !d.ResponseLate && d.RespondedAt.IsZero() && !closed {
		if !now.Before(d.ResponseDue) {
			c.Late = append(c.Late, ClockResponse)
		} else {
			next(d.ResponseDue)
		}
	}
	// Same day: solved or escalated to an owner by 24:00.
	if !d.SameDayLate && d.OwnedAt.IsZero() && !closed {
		switch {
		case !now.Before(d.SameDayDue):
			c.Late = append(c.Late, ClockSameDay)
		case d.Warned&WarnSameDay == 0 && !now.Before(d.SameDayDue.Add(-warning)):
			c.Warn = append(c.Warn, ClockSameDay)
			next(d.SameDayDue)
		default:
			if d.Warned&WarnSameDay == 0 {
				next(d.SameDayDue.Add(-warning))
			}
			next(d.SameDayDue)
		}
	}
	// Solution: solved within the category's time, the waits not counted. While waiting
	// the clock stands still; resuming starts a fresh look.
	if !d.SolutionLate && DemandOpen(d.State) && d.State != DemandWaiting {
		due := d.SolutionDue
		switch {
		case !now.Before(due):
			c.Late = append(c.Late, ClockSolution)
		case d.Warned&WarnSolution == 0 && !now.Before(due.Add(-warning)):
			c.Warn = append(c.Warn, ClockSolution)
			next(due)
		default:
			if d.Warned&WarnSolution == 0 {
				next(due.Add(-warning))
			}
			next(due)
		}
	}
	return c
}

// Minutes is the whole minutes in d, rounded up so that any lateness counts.
func Minutes(d time.Duration) int {
	return int(math.Ceil(d.Minutes()))
}

// RecordResponse notes the first act of a person on the demand at t.
func (d *Demand) RecordResponse(t time.Time) {
	if !d.RespondedAt.IsZero() {
		return
	}
	d.RespondedAt = t
	d.ResponseMinutes = Minutes(t.Sub(d.ReceivedAt))
	d.ResponseOver = Minutes(t.Sub(d.ResponseDue))
}

// RecordOwned notes that the demand was solved or handed to an owner at t, which is what
// the same-day rule asks for.
func (d *Demand) RecordOwned(t time.Time) {
	if !d.OwnedAt.IsZero() {
		return
	}
	d.OwnedAt = t
	d.SameDayOver = Minutes(t.Sub(d.SameDayDue))
}

// RecordSolved notes the solution at t: the minutes it took, the waits not counted.
func (d *Demand) RecordSolved(t time.Time) {
	d.SolvedAt = t
	d.SolutionMinutes = Minutes(t.Sub(d.ReceivedAt) - d.Paused)
	d.SolutionOver = Minutes(t.Sub(d.SolutionDue))
}

// StartWaiting stops the solution clock.
func (d *Demand) StartWaiting(t time.Time) { d.WaitingSince = t }

// StopWaiting restarts the solution clock, moving its deadline by the time waited.
func (d *Demand) StopWaiting(t time.Time) {
	if d.WaitingSince.IsZero() {
		return
	}
	w := t.Sub(d.WaitingSince)
	if w > 0 {
		d.Paused += w
		d.SolutionDue = d.SolutionDue.Add(w)
	}
	d.WaitingSince = time.Time{}
}

// Ladder levels: who owns a demand, from the liaison up to the enterprise's linked
// county leader. A department owns what is dispatched to it; its head is the command.
const (
	LevelLiaison    = "liaison"
	LevelTownshipO  = "township"
	LevelCommand    = "command"
	LevelLeader     = "leader"
	LevelDepartment = "department"
)

// LevelEscalated reports whether a demand at level has been handed up out of the
// township: to the command, a department or a leader (the dashboard's 上报 figure).
func LevelEscalated(level string) bool {
	return level == LevelCommand || level == LevelDepartment || level == LevelLeader
}

// Ladder is the escalation ladder, bottom first.
var Ladder = []string{LevelLiaison, LevelTownshipO, LevelCommand, LevelLeader}

// LadderUp returns the rung above level and whether there is one: liaison → township →
// command → the linked county leader; a department's is the command.
func LadderUp(level string) (string, bool) {
	if level == LevelDepartment {
		return LevelCommand, true
	}
	for i, l := range Ladder {
		if l == level && i+1 < len(Ladder) {
			return Ladder[i+1], true
		}
	}
	return level, false
}

// Head is whom an urge goes to besides the owner: the rung above, or the command at the top.
func Head(level string) string {
	if up, ok := LadderUp(level); ok {
		return up
	}
	return LevelCommand
}

// FormatDeadline writes a deadline in loc with layout (a time.Format layout ending in
// "15:04"), showing midnight as 24:00 of the day before: the same-day rule's deadline of
// 9 March is "03-09 24:00", the day the offices count it for, not "03-10 00:00".
func FormatDeadline(t time.Time, loc *time.Location, layout string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 || !strings.HasSuffix(layout, "15:04") {
		return t.Format(layout)
	}
	return t.Add(-time.Minute).Format(strings.TrimSuffix(layout, "15:04")) + "24:00"
}

// Reopen undoes a solution the enterprise does not accept. The solution clock is not
// restarted: it still runs from when the demand came in (its waits not counted), so a
// reopened demand is late as soon as its first deadline has passed, and it never counts
// as solved on time (Reopens).
func (d *Demand) Reopen() {
	d.SolvedAt, d.ConfirmedAt, d.Rating, d.OnSite = time.Time{}, time.Time{}, 0, false
	d.SolutionMinutes, d.SolutionOver = -1, 0
	d.Reopens++
}
