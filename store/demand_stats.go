package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"fugong"
)

// The figures of one demand as bits of one integer, so that the database hands back four
// narrow columns per demand rather than sixteen (reading columns is most of the cost on
// SQLite, and a GROUP BY there sorts every row first: both measured slower).
const (
	bitRespondedOnTime = 1 << iota
	bitSameDayDue
	bitSameDayMet
	bitSolved
	bitSolvedOnTime
	bitOnSite
	bitLate
	bitResponded
	bitEscalated
)

// Stats computes the demand figures in the caller's scope for the days from..to
// (inclusive; empty for no bound), broken down by one of fugong.DemandStatDims (or
// "county" for a province), with the figures of the whole.
//
// The county-wide roles and a province read the figures kept per day (demand_day_stats)
// and a county takes its exact medians from the demands' two minute columns; a province
// reads its medians from the minutes kept per day (demand_minutes.go), within a bucket's
// width of the exact ones. Everyone else's figures are computed from their demands (statsFromRows).
func (s *Demands) Stats(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	if !keptScope(sc) {
		return s.statsFromRows(ctx, sc, by, from, to)
	}
	// A province breaks its figures down by county, category or day; a county by
	// anything but county.
	province := sc.Role == fugong.RoleProvince
	if by == "county" && !province || province && by != "county" && by != "category" && by != "day" {
		return nil, fugong.DemandFigures{}, fugong.Invalid(map[string]fugong.Msg{"by": fugong.M("demand.stats_by")})
	}
	// The county-wide roles of a county see the same figures; concurrent callers share
	// one computation that starts after they asked, so that whoever just solved a demand
	// sees it counted. A province writes nothing: like its screen, its figures over a
	// hundred counties are shared for DashboardTTL.
	key := sc.County + "|" + by + "|" + from + "|" + to
	compute := func(ctx context.Context) (any, error) {
		groups, all, err := s.keptStats(ctx, sc, by, from, to)
		return keptResult{groups, all}, err
	}
	var v any
	var err error
	if province && s.DB.DashboardTTL > 0 {
		v, err = s.DB.sharedStale(ctx, "province-figures|"+key, compute)
	} else {
		v, err = s.DB.figures.do(ctx, key, compute)
	}
	if err != nil {
		return nil, fugong.DemandFigures{}, err
	}
	r := v.(keptResult)
	return append([]fugong.DemandFigures(nil), r.groups...), r.all, nil
}

type keptResult struct {
	groups []fugong.DemandFigures
	all    fugong.DemandFigures
}

// keptStats computes Stats of a county or a province from the kept figures.
func (s *Demands) keptStats(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	groups, all, err := s.DB.keptStats(ctx, sc, by, from, to)
	if err != nil {
		return nil, all, err
	}
	if sc.Role != fugong.RoleProvince {
		if err := s.medians(ctx, sc, by, from, to, groups, &all); err != nil {
			return nil, all, err
		}
	}
	labels, err := s.labels(ctx, sc.County, by)
	if err != nil {
		return nil, all, err
	}
	for i := range groups {
		if l, ok := labels[groups[i].Key]; ok {
			groups[i].Label = l
		}
	}
	sortFigures(groups, by)
	all.Key, all.Label = "", ""
	return groups, all, nil
}

// keptScope reports whether sc's figures are kept per day: those of whole counties.
func keptScope(sc fugong.Scope) bool {
	return sc.Is(fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader, fugong.RoleProvince)
}

// medianSet is the exact median minutes of each group (by key) and of the whole: response
// and solution, -1 for none.
type medianSet struct {
	groups map[string][2]int
	whole  [2]int
}

// medians fills the groups' and the whole's exact median minutes, computed from the
// demands themselves (they cannot be added up from the kept rows). Ranking 20,000
// demands is what a county's figures cost: measured on the generated province, a window
// query ranking them in SQLite cost several times more than reading two narrow columns
// into Go. So, like the live screen's figures, the medians of a county and period are
// shared for DashboardTTL by everyone who asks (the counts beside them are not: they
// are read afresh for each caller), and recomputed behind the callers: they are at most
// staleFor TTLs old (20 s by default), and no caller waits for their recomputation.
func (s *Demands) medians(ctx context.Context, sc fugong.Scope, by, from, to string, groups []fugong.DemandFigures, all *fugong.DemandFigures) error {
	compute := func(ctx context.Context) (any, error) { return s.computeMedians(ctx, sc, by, from, to) }
	var v any
	var err error
	if s.DB.DashboardTTL > 0 {
		v, err = s.DB.sharedStale(ctx, "medians|"+sc.County+"|"+by+"|"+from+"|"+to, compute)
	} else {
		v, err = compute(ctx)
	}
	if err != nil {
		return err
	}
	m := v.(medianSet)
	for i := range groups {
		if p, ok := m.groups[groups[i].Key]; ok {
			groups[i].ResponseMedian, groups[i].SolutionMedian = p[0], p[1]
		}
	}
	all.ResponseMedian, all.SolutionMedian = m.whole[0], m.whole[1]
	return nil
}

// computeMedians reads two narrow columns of the demands in scope that were responded to
// or solved, and takes the exact medians of each group and of the whole.
func (s *Demands) computeMedians(ctx context.Context, sc fugong.Scope, by, from, to string) (medianSet, error) {
	var out medianSet
	var a args
	key, join, c, err := demandSelection(sc, by, from, to, &a)
	if err != nil {
		return out, err
	}
	solved := `d.solved_at <> 0 AND d.state IN ('` + fugong.DemandSolved + `', '` + fugong.DemandConfirmed + `', '` + fugong.DemandClosed + `')`
	c = append(c, `(d.responded_at <> 0 OR `+solved+`)`)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+key+`, d.id, CASE WHEN d.responded_at <> 0 THEN d.response_minutes ELSE NULL END,
		CASE WHEN `+solved+` THEN d.solution_minutes ELSE NULL END FROM demands d`+join+where(c), a.vals...)
	if err != nil {
		return out, fmt.Errorf("demand medians: %w", err)
	}
	defer rows.Close()
	type lists struct{ response, solution []int }
	by1 := map[string]*lists{}
	var whole lists
	seen := map[int64]bool{}
	for rows.Next() {
		var k string
		var id int64
		var response, solution sql.NullInt64
		if err := rows.Scan(&k, &id, &response, &solution); err != nil {
			return out, err
		}
		l := by1[k]
		if l == nil {
			l = &lists{}
			by1[k] = l
		}
		add := func(l *lists) {
			if response.Valid {
				l.response = append(l.response, int(response.Int64))
			}
			if solution.Valid {
				l.solution = append(l.solution, int(solution.Int64))
			}
		}
		add(l)
		if join == "" || !seen[id] {
			if join != "" {
				seen[id] = true
			}
			add(&whole)
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.groups = make(map[string][2]int, len(by1))
	for k, l := range by1 {
		out.groups[k] = [2]int{fugong.Median(l.response), fugong.Median(l.solution)}
	}
	out.whole = [2]int{fugong.Median(whole.response), fugong.Median(whole.solution)}
	return out, nil
}

// statsFromRows computes the figures from the demands in sc's scope. The definitions of
// fugong.DemandFigures.Add are written once as SQL below (one CASE per figure, evaluated
// by the database); Go adds them up and takes the exact medians.
func (s *Demands) statsFromRows(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	var all fugong.DemandFigures
	var a args
	key, join, c, err := demandSelection(sc, by, from, to, &a)
	if err != nil {
		return nil, all, err
	}
	bit := func(b int, cond string) string {
		return `CASE WHEN ` + cond + ` THEN ` + strconv.Itoa(b) + ` ELSE 0 END`
	}
	met := `d.owned_at <> 0 AND d.owned_at <= d.same_day_due`
	responded := `d.responded_at <> 0`
	solved := `d.solved_at <> 0 AND d.state IN ('` + fugong.DemandSolved + `', '` + fugong.DemandConfirmed + `', '` + fugong.DemandClosed + `')`
	bits := bit(bitRespondedOnTime, responded+` AND d.responded_at <= d.response_due`) + ` + ` +
		bit(bitSameDayDue, `(`+met+`) OR d.same_day_due <= `+a.add(ms(s.DB.Clock.Now()))) + ` + ` + bit(bitSameDayMet, met) + ` + ` +
		bit(bitSolved, solved) + ` + ` + bit(bitSolvedOnTime, solved+` AND d.solution_over <= 0 AND d.reopens = 0`) + ` + ` + bit(bitOnSite, solved+` AND d.on_site`) + ` + ` +
		bit(bitLate, `d.response_late OR d.same_day_late OR d.solution_late`) + ` + ` + bit(bitResponded, responded) + ` + ` +
		bit(bitEscalated, `d.level IN ('`+fugong.LevelCommand+`', '`+fugong.LevelDepartment+`', '`+fugong.LevelLeader+`')`)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+key+`, d.id, `+bits+`, d.rating, d.response_minutes, d.solution_minutes FROM demands d`+join+where(c), a.vals...)
	if err != nil {
		return nil, all, fmt.Errorf("demand stats: %w", err)
	}
	defer rows.Close()
	type group struct {
		f                  fugong.DemandFigures
		response, solution []int
	}
	var whole group
	groups := map[string]*group{}
	seen := map[int64]bool{}
	add := func(g *group, bits, rating, response, solution int) {
		f := &g.f
		f.Total++
		count := func(b int, n *int) {
			if bits&b != 0 {
				*n++
			}
		}
		count(bitRespondedOnTime, &f.RespondedOnTime)
		count(bitSameDayDue, &f.SameDayDue)
		count(bitSameDayMet, &f.SameDayMet)
		count(bitSolved, &f.Solved)
		count(bitSolvedOnTime, &f.SolvedOnTime)
		count(bitOnSite, &f.OnSite)
		count(bitLate, &f.Late)
		count(bitEscalated, &f.Escalated)
		if rating > 0 {
			f.Rated++
			f.RatingSum += rating
			if rating >= 4 {
				f.Satisfied++
			}
		}
		if bits&bitResponded != 0 {
			g.response = append(g.response, response)
		}
		if bits&bitSolved != 0 {
			g.solution = append(g.solution, solution)
		}
	}
	for rows.Next() {
		var k string
		var id int64
		var bits, rating, response, solution int
		if err := rows.Scan(&k, &id, &bits, &rating, &response, &solution); err != nil {
			return nil, all, err
		}
		g := groups[k]
		if g == nil {
			g = &group{f: fugong.DemandFigures{Key: k, Label: k}}
			groups[k] = g
		}
		add(g, bits, rating, response, solution)
		if join == "" || !seen[id] { // a demand dispatched to two departments counts once in the whole
			if join != "" {
				seen[id] = true
			}
			add(&whole, bits, rating, response, solution)
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
			g.f.Label = l
		}
		g.f.ResponseMedian, g.f.SolutionMedian = fugong.Median(g.response), fugong.Median(g.solution)
		out = append(out, g.f)
	}
	sortFigures(out, by)
	all = whole.f
	all.Key, all.Label = "", ""
	all.ResponseMedian, all.SolutionMedian = fugong.Median(whole.response), fugong.Median(whole.solution)
	return out, all, nil
}

// sortFigures orders groups by day, or the largest first.
func sortFigures(out []fugong.DemandFigures, by string) {
	sort.Slice(out, func(i, j int) bool {
		if by == "day" {
			return out[i].Key < out[j].Key
		}
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
}

// demandSelection is what the figures are taken of: the key of the dimension by (with
// the join it needs) and the clauses for the caller's scope and the days from..to.
func demandSelection(sc fugong.Scope, by, from, to string, a *args) (key, join string, c []string, err error) {
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
	case "county":
		key = "d.region_code"
	default:
		return "", "", nil, fugong.Invalid(map[string]fugong.Msg{"by": fugong.M("demand.stats_by")})
	}
	if sc.Role == fugong.RoleProvince {
		c = []string{CountyScope(sc, "d.region_code", a)}
	} else {
		c = []string{DemandScope(sc, "d", a)}
	}
	if from != "" {
		c = append(c, "d.day >= "+a.add(from))
	}
	if to != "" {
		c = append(c, "d.day <= "+a.add(to))
	}
	return key, join, c, nil
}

// labels names the keys of a dimension: townships, liaisons and departments by name.
func (s *Demands) labels(ctx context.Context, county, by string) (map[string]string, error) {
	q := ""
	switch by {
	case "township":
		return s.DB.RegionNames(ctx, county)
	case "county":
		return s.DB.AreaCounties(ctx, county)
	case "liaison":
		q = `SELECT id, display_name FROM users WHERE region_code = $1 AND role = 'liaison'`
	case "department":
		q = `SELECT id, name FROM org_units WHERE region_code = $1`
	default:
		return nil, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, q, county)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{"0": "—"}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[strconv.FormatInt(id, 10)] = name
	}
	return out, rows.Err()
}
