package fugong

import (
	"sort"
	"time"
)

// Demand figures, as the command reports them:
//   - response rate: demands acted on within the response target ÷ demands;
//   - same-day rate: demands solved or handed to an owner by 24:00 of their day ÷ demands
//     whose day is over or that met it;
//   - on-time solution rate: demands solved within their category's time, never reopened,
//     ÷ solved;
//   - solution rate: solved (including confirmed and closed) ÷ demands;
//   - satisfaction: the mean rating of confirmed demands (1–5), and the share rated 4 or 5;
//   - median minutes to respond and to solve.

// DemandStatDims lists the dimensions the figures are broken down by.
var DemandStatDims = []string{"category", "township", "liaison", "department", "day"}

// DemandFigures are the figures of one group of demands.
type DemandFigures struct {
	Key, Label      string
	Total           int
	RespondedOnTime int
	SameDayDue      int
	SameDayMet      int
	Solved          int
	SolvedOnTime    int
	OnSite          int
	Late            int
	// Escalated counts the demands handed up to the command, a department or a leader.
	Escalated int
	Rated     int
	RatingSum int
	Satisfied int
	// Median minutes, -1 when there is nothing to take it of.
	ResponseMedian, SolutionMedian int

	response, solution []int
}

// Add counts one demand at now.
func (f *DemandFigures) Add(d Demand, now time.Time) {
	f.Total++
	if !d.RespondedAt.IsZero() {
		f.response = append(f.response, d.ResponseMinutes)
		if !d.RespondedAt.After(d.ResponseDue) {
			f.RespondedOnTime++
		}
	}
	met := !d.OwnedAt.IsZero() && !d.OwnedAt.After(d.SameDayDue)
	if met || !now.Before(d.SameDayDue) {
		f.SameDayDue++
	}
	if met {
		f.SameDayMet++
	}
	if !d.SolvedAt.IsZero() && !DemandOpen(d.State) {
		f.Solved++
		f.solution = append(f.solution, d.SolutionMinutes)
		if d.SolutionOver <= 0 && d.Reopens == 0 {
			f.SolvedOnTime++
		}
		if d.OnSite {
			f.OnSite++
		}
	}
	if d.ResponseLate || d.SameDayLate || d.SolutionLate {
		f.Late++
	}
	if LevelEscalated(d.Level) {
		f.Escalated++
	}
	if d.Rating > 0 {
		f.Rated++
		f.RatingSum += d.Rating
		if d.Rating >= 4 {
			f.Satisfied++
		}
	}
}

// Finish computes the medians.
func (f *DemandFigures) Finish() {
	f.ResponseMedian, f.SolutionMedian = median(f.response), median(f.solution)
}

// Median is the median of xs as the figures take it (the upper middle rounded half up
// for an even count), -1 for none; xs is not changed.
func Median(xs []int) int { return median(xs) }

func median(xs []int) int {
	if len(xs) == 0 {
		return -1
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m] + 1) / 2
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// ResponseRate is responded on time ÷ demands.
func (f DemandFigures) ResponseRate() float64 { return ratio(f.RespondedOnTime, f.Total) }

// SameDayRate is met ÷ demands whose day is over or that met it.
func (f DemandFigures) SameDayRate() float64 { return ratio(f.SameDayMet, f.SameDayDue) }

// OnTimeRate is solved on time ÷ solved.
func (f DemandFigures) OnTimeRate() float64 { return ratio(f.SolvedOnTime, f.Solved) }

// SolutionRate is solved ÷ demands.
func (f DemandFigures) SolutionRate() float64 { return ratio(f.Solved, f.Total) }

// Satisfaction is the mean rating, 0 when none.
func (f DemandFigures) Satisfaction() float64 { return ratio(f.RatingSum, f.Rated) }

// SatisfiedRate is rated 4 or 5 ÷ rated.
func (f DemandFigures) SatisfiedRate() float64 { return ratio(f.Satisfied, f.Rated) }
