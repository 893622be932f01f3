package store

import (
	"context"
	"fmt"
	"sort"

	"fugong"
)

// StatsInGo is how Stats computed the demand figures before it aggregated in SQL
// (kept for the test that the two agree): it computes the demand figures in the caller's scope for the days from..to
// (inclusive; empty for no bound), broken down by one of fugong.DemandStatDims, with the
// figures of the whole. Rows are read once and counted in Go, so that medians are exact.
func (s *Demands) StatsInGo(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	var all fugong.DemandFigures
	var a args
	key, join := "", ""
	switch by {
	case "category":
		key = "d.category"
	case "township":
		key = "d.township"
	case "liaison":
		key = "CAST(d.liaison_id AS TEXT)"
	case "department":
		key, join = "CAST(g.org_unit_id AS TEXT)", " JOIN demand_assignments g ON g.demand_id = d.id"
	case "day":
		key = "d.day"
	default:
		return nil, all, fugong.Invalid(map[string]fugong.Msg{"by": fugong.M("demand.stats_by")})
	}
	c := []string{DemandScope(sc, "d", &a)}
	if from != "" {
		c = append(c, "d.day >= "+a.add(from))
	}
	if to != "" {
		c = append(c, "d.day <= "+a.add(to))
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+key+`, d.id, d.state, d.on_site, d.response_due, d.responded_at, d.response_minutes, d.same_day_due, d.owned_at,
		d.solved_at, d.solution_minutes, d.solution_over, d.response_late, d.same_day_late, d.solution_late, d.rating FROM demands d`+join+where(c), a.vals...)
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
			&solved, &d.SolutionMinutes, &d.SolutionOver, &d.ResponseLate, &d.SameDayLate, &d.SolutionLate, &d.Rating); err != nil {
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
	sort.Slice(out, func(i, j int) bool {
		if by == "day" {
			return out[i].Key < out[j].Key
		}
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	all.Key, all.Label = "", ""
	all.Finish()
	return out, all, nil
}
