package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fugong"
)

// A province's medians (issue 23): medians cannot be added up from counts, so the minutes a
// demand took to be responded to and to be solved are kept as histograms per county, day
// and group (demand_day_minutes, migration 00423: the whole, dim 'all', and by category),
// changed with the counts in the transaction of every write, and a province's median is
// read from the histograms of its counties. Intake adds nothing to them (a new demand has
// no minutes yet); a step that responds to or solves a demand moves it into its bucket.
//
// Buckets are exact up to ten minutes and about a sixth of their lower bound wide above
// (the last one, 30 days, holds everything longer); within a bucket the median is read
// as if its demands were spread evenly, so a province's median is within a bucket's width
// of the exact one (a county's own medians are exact: they are taken from its demands).

// minuteBuckets are the buckets' lower bounds in minutes.
var minuteBuckets = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100, 110,
	120, 135, 150, 165, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600, 720, 840, 960, 1080, 1200, 1440, 1680, 1920, 2160, 2400,
	2880, 3360, 3840, 4320, 5040, 5760, 7200, 8640, 10080, 14400, 20160, 30240, 43200}

// Kinds of kept minutes.
const (
	minutesResponse = "response"
	minutesSolution = "solution"
)

// minuteBucket is the bucket of m minutes.
func minuteBucket(m int) int {
	i := sort.SearchInts(minuteBuckets, m+1) - 1
	return minuteBuckets[max(i, 0)]
}

// MinuteBucketSQL is minuteBucket as an SQL expression of the column col (the migration
// that fills the histograms from the demands already there, and RebuildDemandStats).
func (Dialect) MinuteBucketSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := len(minuteBuckets) - 1; i > 0; i-- {
		fmt.Fprintf(&b, " WHEN %s >= %d THEN %d", col, minuteBuckets[i], minuteBuckets[i])
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// addMinutes adds sign × d's minutes to the histograms of its groups in m.
func (m statDelta) addMinutes(d *fugong.Demand, sign int64) {
	var kinds [][2]any
	if !d.RespondedAt.IsZero() {
		kinds = append(kinds, [2]any{minutesResponse, d.ResponseMinutes})
	}
	if !d.SolvedAt.IsZero() && !fugong.DemandOpen(d.State) {
		kinds = append(kinds, [2]any{minutesSolution, d.SolutionMinutes})
	}
	for _, k := range kinds {
		b := minuteBucket(k[1].(int))
		// Each also in the group's row of all days (day ''), which the figures over all days
		// read: a hundred counties' whole histograms instead of every day's.
		for _, g := range []statKey{{d.County, dimAll, d.Day, "", k[0].(string), b}, {d.County, dimCategory, d.Day, d.Category, k[0].(string), b},
			{d.County, dimAll, "", "", k[0].(string), b}, {d.County, dimCategory, "", d.Category, k[0].(string), b}} {
			t := m[g]
			if t == nil {
				t = &dayStat{}
				m[g] = t
			}
			t[0] += sign
		}
	}
}

var minuteRows = newMultiRow("demand_day_minutes", "ON CONFLICT (dim, region_code, day, grp, kind, bucket, shard) DO UPDATE SET n = demand_day_minutes.n + excluded.n",
	"region_code", "dim", "day", "grp", "kind", "bucket", "shard", "n")

// writeMinutes writes the histograms' changes among keys (sorted), m's minute keys.
func (m statDelta) writeMinutes(ctx context.Context, db *DB, q Querier, keys []statKey, shard int) error {
	var vals []any
	for _, k := range keys {
		if k.kind != "" {
			vals = append(vals, k.county, k.dim, k.day, k.grp, k.kind, k.bucket, shard, m[k][0])
		}
	}
	if len(vals) == 0 {
		return nil
	}
	if err := minuteRows.exec(ctx, db, q, vals); err != nil {
		return fmt.Errorf("demand minutes of the day: %w", err)
	}
	return nil
}

// MinuteKind is a kind of kept minutes: its column of demands and which demands have it.
type MinuteKind struct{ Kind, Col, When string }

// MinuteGroup is a dimension the minutes are kept by, its group's SQL expression and
// what a GROUP BY adds for it (PostgreSQL refuses to group by a constant).
type MinuteGroup struct{ Dim, Grp, GroupBy string }

// MinuteKinds are the kinds of kept minutes (for the migration's template too).
func (Dialect) MinuteKinds() []MinuteKind {
	solved := `d.solved_at <> 0 AND d.state IN ('` + fugong.DemandSolved + `', '` + fugong.DemandConfirmed + `', '` + fugong.DemandClosed + `')`
	return []MinuteKind{{minutesResponse, "d.response_minutes", "d.responded_at <> 0"}, {minutesSolution, "d.solution_minutes", solved}}
}

// MinuteGroups are the dimensions the minutes are kept by.
func (Dialect) MinuteGroups() []MinuteGroup {
	return []MinuteGroup{{dimAll, "''", ""}, {dimCategory, "d.category", ", d.category"}}
}

// rebuildMinutes recomputes a county's histograms from its demands.
func (db *DB) rebuildMinutes(ctx context.Context, q Querier, county string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM demand_day_minutes WHERE region_code = $1`, county); err != nil {
		return fmt.Errorf("rebuild demand minutes: %w", err)
	}
	for _, k := range db.Dialect.MinuteKinds() {
		for _, g := range db.Dialect.MinuteGroups() {
			bucket := db.Dialect.MinuteBucketSQL(k.Col)
			for _, day := range [][2]string{{"d.day", ", d.day"}, {"''", ""}} {
				if _, err := q.ExecContext(ctx, `INSERT INTO demand_day_minutes (region_code, dim, day, grp, kind, bucket, shard, n)
					SELECT d.region_code, '`+g.Dim+`', `+day[0]+`, `+g.Grp+`, '`+k.Kind+`', `+bucket+`, 0, COUNT(*) FROM demands d
					WHERE d.region_code = $1 AND `+k.When+` GROUP BY d.region_code`+day[1]+g.GroupBy+`, `+bucket, county); err != nil {
					return fmt.Errorf("rebuild demand minutes: %w", err)
				}
			}
		}
	}
	return nil
}

// keptMedians fills the medians of the groups (by key) and of the whole from the kept
// histograms of the rows the clauses c select (alias s), key as in keptFigures.
func (db *DB) keptMedians(ctx context.Context, key string, c []string, a *args, groups map[string]*fugong.DemandFigures, whole *fugong.DemandFigures) error {
	sel := key
	if sel == "" {
		sel = "''"
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+sel+`, s.kind, s.bucket, SUM(s.n) FROM demand_day_minutes s`+where(c)+
		` GROUP BY `+sel+`, s.kind, s.bucket`, a.vals...)
	if err != nil {
		return fmt.Errorf("kept demand minutes: %w", err)
	}
	defer rows.Close()
	type hist map[int]int64
	by := map[string]map[string]hist{}
	all := map[string]hist{minutesResponse: {}, minutesSolution: {}}
	for rows.Next() {
		var k, kind string
		var bucket int
		var n int64
		if err := rows.Scan(&k, &kind, &bucket, &n); err != nil {
			return err
		}
		if by[k] == nil {
			by[k] = map[string]hist{minutesResponse: {}, minutesSolution: {}}
		}
		by[k][kind][bucket] += n
		all[kind][bucket] += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k, h := range by {
		if f := groups[k]; f != nil {
			f.ResponseMedian, f.SolutionMedian = histMedian(h[minutesResponse]), histMedian(h[minutesSolution])
		}
	}
	if whole != nil {
		whole.ResponseMedian, whole.SolutionMedian = histMedian(all[minutesResponse]), histMedian(all[minutesSolution])
	}
	return nil
}

// histMedian is the median of a histogram as fugong.Median takes it (the upper middle
// rounded half up for an even count), each bucket's values read as spread evenly over
// it; -1 for none.
func histMedian(h map[int]int64) int {
	var total int64
	for _, n := range h {
		total += n
	}
	if total <= 0 {
		return -1
	}
	at := func(rank int64) float64 {
		var before int64
		for i, b := range minuteBuckets {
			n := h[b]
			if n <= 0 || rank >= before+n {
				before += max(n, 0)
				continue
			}
			if i == len(minuteBuckets)-1 {
				return float64(b)
			}
			w := float64(minuteBuckets[i+1] - b)
			if w == 1 {
				return float64(b)
			}
			return float64(b) + w*(float64(rank-before)+0.5)/float64(n)
		}
		return float64(minuteBuckets[len(minuteBuckets)-1])
	}
	m := total / 2
	if total%2 == 1 {
		return int(at(m))
	}
	return int((at(m-1) + at(m) + 1) / 2)
}
