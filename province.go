package fugong

import "time"

// A province's or a city's command (the province role) reads its counties side by side:
// each county's resumption on the day and the figures of the demands that came in that
// day, and the area's totals.

// CountyFigures are one county's figures on the province's screen.
type CountyFigures struct {
	Code, Name  string
	Enterprises int
	Resumed     int
	// Reports, OnDuty and Payroll are the day's daily reports, the employees on duty they
	// report and their enterprises' payroll (attendance = OnDuty ÷ Payroll).
	Reports, OnDuty, Payroll int
	// Demands are the figures of the day's demands (no medians).
	Demands DemandFigures
}

// ResumptionRate is resumed ÷ enterprises, in percent.
func (c CountyFigures) ResumptionRate() float64 { return Percent(c.Resumed, c.Enterprises) }

// AttendanceRate is on duty ÷ payroll of the enterprises that reported, in percent.
func (c CountyFigures) AttendanceRate() float64 { return Percent(c.OnDuty, c.Payroll) }

// ProvinceDashboard is the province role's screen for one day.
type ProvinceDashboard struct {
	// Area is the province's or city's region code.
	Area       string
	Day        string
	ComputedAt time.Time
	Counties   []CountyFigures
	Total      CountyFigures
}

// Merge adds the counts of g to f (the medians are not kept: they cannot be added).
func (f *DemandFigures) Merge(g DemandFigures) {
	f.Total += g.Total
	f.RespondedOnTime += g.RespondedOnTime
	f.SameDayDue += g.SameDayDue
	f.SameDayMet += g.SameDayMet
	f.Solved += g.Solved
	f.SolvedOnTime += g.SolvedOnTime
	f.OnSite += g.OnSite
	f.Late += g.Late
	f.Escalated += g.Escalated
	f.Rated += g.Rated
	f.RatingSum += g.RatingSum
	f.Satisfied += g.Satisfied
	f.ResponseMedian, f.SolutionMedian = -1, -1
}
