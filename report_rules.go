package fugong

import (
	"maps"
	"slices"
	"time"
)

// CheckPayroll refuses a daily report with more people on duty than the enterprise has on
// its payroll (在册员工): the attendance rate is on duty ÷ payroll, and one report of 9,999
// against 430 would put the county above 100 %. An enterprise that took on workers updates
// its payroll first.
func (d *DailyReport) CheckPayroll(payroll int) error {
	if d.OnDuty > payroll {
		return Invalid(map[string]Msg{"on_duty": M("report.on_duty_over_payroll", payroll)})
	}
	return nil
}

// checkWeekly checks one weekly report of a cumulative figure (a project's progress, a
// target's amount done) against the series it joins: its week may not be after the
// current one (today's Monday), and the figure may not be less than any earlier week's
// nor more than any later week's — progress never goes back. others maps the Monday of
// each other reported week to its figure.
func checkWeekly(f FieldErrors, week string, v int64, others map[string]int64, today time.Time, field string) {
	if week > Monday(today).Format(time.DateOnly) {
		f.Add("week", "report.week_future")
	}
	for _, w := range slices.Sorted(maps.Keys(others)) {
		switch x := others[w]; {
		case w < week && x > v:
			f.Add(field, "report.goes_back", w, x)
		case w > week && x < v:
			f.Add(field, "report.above_later", w, x)
		}
	}
}

// CheckHistory checks a validated weekly project report against the project's other
// weeks (Monday → progress) as of today.
func (r *ProjectReport) CheckHistory(others map[string]int64, today time.Time) error {
	f := FieldErrors{}
	checkWeekly(f, r.Week, int64(r.Progress), others, today, "progress")
	return f.Err()
}

// CheckHistory checks a validated weekly target report against the target's other weeks
// (Monday → cumulative amount done) as of today: the cumulative total never goes down.
func (r *TargetReport) CheckHistory(others map[string]int64, today time.Time) error {
	f := FieldErrors{}
	checkWeekly(f, r.Week, r.Done, others, today, "done")
	return f.Err()
}

// Percent is the assessment's rate in percent, one decimal, as the offices write rates.
func (a Assessment) Percent() float64 { return PercentOf(a.Done, a.Planned) }

// PercentOf is Percent for 64-bit amounts.
func PercentOf(num, den int64) float64 {
	if den <= 0 {
		return 0
	}
	return float64((num*1000+den/2)/den) / 10
}
