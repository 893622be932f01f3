package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"fugong"
)

// The demand figures are kept per county, day and group in demand_day_stats (migration
// 00023), changed in the transaction of every write that changes a demand's share of
// them: intake adds the new demands of a batch with one upsert, a step or a clock the
// difference between the demand before and after. The county-wide figures and a
// province's read these rows instead of every demand.

// dayStat is one demand's share of the figures, or a sum of them: the counting columns of
// demand_day_stats in statCols order.
type dayStat [12]int64

const statCols = "total, responded, responded_on_time, same_day_met, solved, solved_on_time, on_site, late, escalated, rated, rating_sum, satisfied"

// The dimensions a demand is counted in; the figures of the whole and by day are those of
// dimAll added up (dimCategory would give the same: every demand has one category).
const (
	dimCategory   = "category"
	dimTownship   = "township"
	dimLiaison    = "liaison"
	dimDepartment = "department"
	// dimDispatched counts once each demand dispatched to any department (grp ''): the
	// whole of the figures by department.
	dimDispatched = "dispatched"
	// dimAll counts every demand once (grp ''): the whole, by day and by county, in a
	// tenth of the rows of the categories.
	dimAll = "all"
)

// demandDayStat is d's share, as fugong.DemandFigures.Add counts it (times compared as
// stored, in milliseconds).
func demandDayStat(d *fugong.Demand) dayStat {
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	responded := ms(d.RespondedAt) != 0
	solved := ms(d.SolvedAt) != 0 && !fugong.DemandOpen(d.State)
	s := dayStat{1, b(responded), b(responded && ms(d.RespondedAt) <= ms(d.ResponseDue)),
		b(ms(d.OwnedAt) != 0 && ms(d.OwnedAt) <= ms(d.SameDayDue)),
		b(solved), b(solved && d.SolutionOver <= 0 && d.Reopens == 0), b(solved && d.OnSite),
		b(d.ResponseLate || d.SameDayLate || d.SolutionLate), b(fugong.LevelEscalated(d.Level)),
		b(d.Rating > 0), 0, b(d.Rating >= 4)}
	if d.Rating > 0 {
		s[10] = int64(d.Rating)
	}
	return s
}

// statKey is a group of the kept figures; with kind set (minutesResponse or
// minutesSolution), a bucket of its kept minutes (demand_minutes.go), counted in [0].
type statKey struct {
	county, dim, day, grp string
	kind                  string
	bucket                int
}

// statDelta gathers changes to the figures by group, to be written with one statement.
type statDelta map[statKey]*dayStat

// add adds sign × d's share to each of d's groups.
func (m statDelta) add(d *fugong.Demand, sign int64) {
	s := demandDayStat(d)
	keys := []statKey{{county: d.County, dim: dimAll, day: d.Day}, {county: d.County, dim: dimCategory, day: d.Day, grp: d.Category},
		{county: d.County, dim: dimTownship, day: d.Day, grp: d.Township}, {county: d.County, dim: dimLiaison, day: d.Day, grp: fmt.Sprint(d.LiaisonID)}}
	for _, o := range d.Departments {
		keys = append(keys, statKey{county: d.County, dim: dimDepartment, day: d.Day, grp: fmt.Sprint(o)})
	}
	if len(d.Departments) > 0 {
		keys = append(keys, statKey{county: d.County, dim: dimDispatched, day: d.Day})
	}
	m.addMinutes(d, sign)
	for _, k := range keys {
		t := m[k]
		if t == nil {
			t = &dayStat{}
			m[k] = t
		}
		for i := range s {
			t[i] += sign * s[i]
		}
	}
}

var dayStatRows = newMultiRow("demand_day_stats", "ON CONFLICT (dim, region_code, day, grp, shard) DO UPDATE SET "+func() string {
	var set []string
	for _, c := range strings.Split(statCols, ", ") {
		set = append(set, c+" = demand_day_stats."+c+" + excluded."+c)
	}
	return strings.Join(set, ", ")
}(), append([]string{"region_code", "dim", "day", "grp", "shard"}, strings.Split(statCols, ", ")...)...)

// Shards of demand_day_stats: PostgreSQL's group writers each write their own (0–3), other
// transactions one of the rest at random; SQLite has one writer and uses 0.
const (
	groupShards = 4
	statShards  = 16
)

// otherShard is the shard of a transaction outside the group writers.
func (db *DB) otherShard() int {
	if db.Dialect.Name == "sqlite" {
		return 0
	}
	return groupShards + rand.IntN(statShards-groupShards)
}

// write applies the changes, in key order (so that two transactions lock rows in the same
// order), skipping groups whose figures did not change. A transaction writes them once,
// after every other row it updates: on PostgreSQL a transaction that held figures' rows
// while it waited for a demand's row could deadlock with one that held that demand and
// waited for the same figures (a coordinated action against a step on one of its demands).
func (m statDelta) write(ctx context.Context, db *DB, q Querier, shard int) error {
	keys := make([]statKey, 0, len(m))
	for k, s := range m {
		if *s != (dayStat{}) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.county != b.county {
			return a.county < b.county
		}
		if a.dim != b.dim {
			return a.dim < b.dim
		}
		if a.day != b.day {
			return a.day < b.day
		}
		if a.grp != b.grp {
			return a.grp < b.grp
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.bucket < b.bucket
	})
	vals := make([]any, 0, len(keys)*dayStatRows.ncol)
	for _, k := range keys {
		if k.kind != "" {
			continue
		}
		vals = append(vals, k.county, k.dim, k.day, k.grp, shard)
		for _, v := range m[k] {
			vals = append(vals, v)
		}
	}
	if len(vals) > 0 {
		if err := dayStatRows.exec(ctx, db, q, vals); err != nil {
			return fmt.Errorf("demand figures of the day: %w", err)
		}
	}
	return m.writeMinutes(ctx, db, q, keys, shard)
}

// RebuildDemandStats recomputes the kept figures of a county from its demands, for
// writers that insert demands in bulk (the demo, the province generator).
func (db *DB) RebuildDemandStats(ctx context.Context, q Querier, county string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM demand_day_stats WHERE region_code = $1`, county); err != nil {
		return fmt.Errorf("rebuild demand figures: %w", err)
	}
	solved := `d.solved_at <> 0 AND d.state IN ('` + fugong.DemandSolved + `', '` + fugong.DemandConfirmed + `', '` + fugong.DemandClosed + `')`
	sums := `COUNT(*), SUM(CASE WHEN d.responded_at <> 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.responded_at <> 0 AND d.responded_at <= d.response_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.owned_at <> 0 AND d.owned_at <= d.same_day_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + solved + ` THEN 1 ELSE 0 END), SUM(CASE WHEN ` + solved + ` AND d.solution_over <= 0 AND d.reopens = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + solved + ` AND d.on_site THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.response_late OR d.same_day_late OR d.solution_late THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.level IN ('` + fugong.LevelCommand + `', '` + fugong.LevelDepartment + `', '` + fugong.LevelLeader + `') THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.rating > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN d.rating > 0 THEN d.rating ELSE 0 END), SUM(CASE WHEN d.rating >= 4 THEN 1 ELSE 0 END)`
	for _, g := range []struct{ dim, grp, from, group string }{
		{dimAll, "''", "", ""},
		{dimCategory, "d.category", "", ", d.category"},
		{dimTownship, "d.township", "", ", d.township"},
		{dimLiaison, "CAST(d.liaison_id AS TEXT)", "", ", CAST(d.liaison_id AS TEXT)"},
		{dimDepartment, "CAST(g.org_unit_id AS TEXT)", " JOIN demand_assignments g ON g.demand_id = d.id", ", CAST(g.org_unit_id AS TEXT)"},
		{dimDispatched, "''", " JOIN (SELECT DISTINCT demand_id FROM demand_assignments) g ON g.demand_id = d.id", ""},
	} {
		_, err := q.ExecContext(ctx, `INSERT INTO demand_day_stats (region_code, dim, day, grp, shard, `+statCols+`)
			SELECT d.region_code, '`+g.dim+`', d.day, `+g.grp+`, 0, `+sums+` FROM demands d`+g.from+`
			WHERE d.region_code = $1 GROUP BY d.region_code, d.day`+g.group, county)
		if err != nil {
			return fmt.Errorf("rebuild demand figures by %s: %w", g.dim, err)
		}
	}
	return db.rebuildMinutes(ctx, q, county)
}

// statSelect is the select list that adds the kept rows up into fugong.DemandFigures
// (scanFigures): the same-day due count is the whole day's total once the day is over.
func statSelect(a *args, today string) string {
	return `COALESCE(SUM(s.total), 0), COALESCE(SUM(s.responded_on_time), 0),
		COALESCE(SUM(CASE WHEN s.day < ` + a.add(today) + ` THEN s.total ELSE s.same_day_met END), 0), COALESCE(SUM(s.same_day_met), 0),
		COALESCE(SUM(s.solved), 0), COALESCE(SUM(s.solved_on_time), 0), COALESCE(SUM(s.on_site), 0), COALESCE(SUM(s.late), 0),
		COALESCE(SUM(s.escalated), 0), COALESCE(SUM(s.rated), 0), COALESCE(SUM(s.rating_sum), 0), COALESCE(SUM(s.satisfied), 0)`
}

func scanFigures(row interface{ Scan(...any) error }, f *fugong.DemandFigures, extra ...any) error {
	dest := append(extra, &f.Total, &f.RespondedOnTime, &f.SameDayDue, &f.SameDayMet, &f.Solved, &f.SolvedOnTime, &f.OnSite, &f.Late,
		&f.Escalated, &f.Rated, &f.RatingSum, &f.Satisfied)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	f.ResponseMedian, f.SolutionMedian = -1, -1
	return nil
}

// keptFigures adds up the kept figures of the rows the clauses c select (alias s),
// grouped by the expression key ("" for the whole).
func (db *DB) keptFigures(ctx context.Context, key string, c []string, a *args) (map[string]*fugong.DemandFigures, error) {
	sel := statSelect(a, db.Today())
	q := `SELECT ` + sel + ` FROM demand_day_stats s` + where(c)
	if key != "" {
		q = `SELECT ` + key + `, ` + sel + ` FROM demand_day_stats s` + where(c) + ` GROUP BY ` + key
	}
	rows, err := db.R.QueryContext(ctx, q, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("kept demand figures: %w", err)
	}
	defer rows.Close()
	out := map[string]*fugong.DemandFigures{}
	for rows.Next() {
		f := &fugong.DemandFigures{}
		var k string
		var extra []any
		if key != "" {
			extra = []any{&k}
		}
		if err := scanFigures(rows, f, extra...); err != nil {
			return nil, err
		}
		f.Key, f.Label = k, k
		out[k] = f
	}
	return out, rows.Err()
}

// keptClauses select the kept rows of dim for the counties of sc over from..to: the
// caller's county for the county-wide roles, the counties under the area for a province.
func keptClauses(sc fugong.Scope, dim, from, to string, a *args) []string {
	c := []string{CountyScope(sc, "s.region_code", a), "s.dim = " + a.add(dim)}
	if from != "" {
		c = append(c, "s.day >= "+a.add(from))
	}
	if to != "" {
		c = append(c, "s.day <= "+a.add(to))
	}
	return c
}

// keptStats is Stats from the kept figures: the groups of by (the dimensions of
// fugong.DemandStatDims, and "county" for a province) and the whole, without medians.
func (db *DB) keptStats(ctx context.Context, sc fugong.Scope, by, from, to string) ([]fugong.DemandFigures, fugong.DemandFigures, error) {
	var all fugong.DemandFigures
	dim, key := by, "s.grp"
	switch by {
	case "day":
		dim, key = dimAll, "s.day"
	case "county":
		dim, key = dimAll, "s.region_code"
	case dimCategory, dimTownship, dimLiaison, dimDepartment:
	default:
		return nil, all, fugong.Invalid(map[string]fugong.Msg{"by": fugong.M("demand.stats_by")})
	}
	var a args
	groups, err := db.keptFigures(ctx, key, keptClauses(sc, dim, from, to, &a), &a)
	if err != nil {
		return nil, all, err
	}
	// The whole counts each demand once: every demand has one category; by department,
	// the demands dispatched to any.
	wholeDim := dimAll
	if by == dimDepartment {
		wholeDim = dimDispatched
	}
	var b args
	whole, err := db.keptFigures(ctx, "", keptClauses(sc, wholeDim, from, to, &b), &b)
	if err != nil {
		return nil, all, err
	}
	// A province's medians come from the kept minutes of the same rows (a county takes its
	// exact medians from its demands: Demands.medians).
	if sc.Role == fugong.RoleProvince {
		var c args
		mc := keptClauses(sc, dim, from, to, &c)
		if from == "" && to == "" && by != "day" {
			mc = append(mc, "s.day = ''") // the rows of all days
		} else {
			mc = append(mc, "s.day <> ''")
		}
		if err := db.keptMedians(ctx, key, mc, &c, groups, whole[""]); err != nil {
			return nil, all, err
		}
	}
	all = *whole[""]
	out := make([]fugong.DemandFigures, 0, len(groups))
	for _, g := range groups {
		if g.Total != 0 {
			out = append(out, *g)
		}
	}
	return out, all, nil
}
