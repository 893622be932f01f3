package store

import (
	"context"
	"fmt"

	"fugong"
)

// StatsInGo is how Stats computed the demand figures before the database evaluated
// their definitions, kept for the test that the two agree: every demand's sixteen
// columns read and counted in Go by fugong.DemandFigures.Add.
func (s *Demands) StatsInGo(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	var all fugong.DemandFigures
	var a args
	key, join, c, err := demandSelection(sc, by, from, to, &a)
	if err != nil {
		return nil, all, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+key+`, d.id, d.state, d.on_site, d.response_due, d.responded_at, d.response_minutes, d.same_day_due, d.owned_at,
		d.solved_at, d.solution_minutes, d.solution_over, d.response_late, d.same_day_late, d.solution_late, d.rating, d.reopens FROM demands d`+join+where(c), a.vals...)
	if err != nil {
		return nil, all, fmt.Errorf("demand stats: %w", err)
	}
	defer rows.Close()
	now := s.DB.Clock.Now()
	groups := map[string]*fugong.DemandFigures{}
	seen := map[int64]bool{}
	for rows.Next() {
		var d fugong.Demand
		var k string
		var respDue, responded, sameDue, owned, solved int64
		if err := rows.Scan(&k, &d.ID, &d.State, &d.OnSite, &respDue, &responded, &d.ResponseMinutes, &sameDue, &owned,
			&solved, &d.SolutionMinutes, &d.SolutionOver, &d.ResponseLate, &d.SameDayLate, &d.SolutionLate, &d.Rating, &d.Reopens); err != nil {
			return nil, all, err
		}
		d.ResponseDue, d.RespondedAt, d.SameDayDue, d.OwnedAt, d.SolvedAt = fromMS(respDue), fromMS(responded), fromMS(sameDue), fromMS(owned), fromMS(solved)
		g := groups[k]
		if g == nil {
			g = &fugong.DemandFigures{Key: k, Label: k}
			groups[k] = g
		}
		g.Add(d, now)
		if !seen[d.ID] { // a demand dispatched to two departments counts once in the whole
			seen[d.ID] = true
			all.Add(d, now)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, all, err
	}
	labels, err := s.labels(ctx, sc.County, by)
	if err != nil {
		return nil, all, err
	}
	out := make([]fugong.DemandFigures, 0, len(groups))
	for k, g := range groups {
		if l, ok := labels[k]; ok {
			g.Label = l
		}
		g.Finish()
		out = append(out, *g)
	}
	sortFigures(out, by)
	all.Key, all.Label = "", ""
	all.Finish()
	return out, all, nil
}
