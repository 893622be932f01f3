package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"fugong"
)

// ResumptionStats computes the resumption figures of the caller's scope at the end of day,
// by township, focus area and the above-scale flag, with the poverty workshops apart and
// the resumed count day by day (definitions: fugong.ResumptionCount).
func (db *DB) ResumptionStats(ctx context.Context, sc fugong.Scope, day string) (fugong.ResumptionStats, error) {
	out := fugong.ResumptionStats{Day: day, All: fugong.ResumptionCount{Key: "all"}, Workshops: fugong.ResumptionCount{Key: "workshop"}}
	var a args
	d := a.add(day)
	// An enterprise counts as resumed on day when it resumed by then and had not stopped again.
	resumed := `CASE WHEN e.resumed_on <> '' AND e.resumed_on <= ` + d + ` AND NOT (e.status = '` + fugong.StatusStopped + `' AND e.status_date <= ` + d + `) THEN 1 ELSE 0 END`
	// Grouped in the order of the index enterprises_stats and joined to the day's report
	// through daily_reports_duty, so that neither table is read, only their indexes, and
	// nothing is sorted (00011_scale.sql).
	rows, err := db.R.QueryContext(ctx, `SELECT e.township, e.focus_area, e.above_scale, e.workshop, COUNT(*), SUM(`+resumed+`),
		COALESCE(SUM(r.on_duty), 0), COALESCE(SUM(CASE WHEN r.enterprise_id IS NULL THEN 0 ELSE e.payroll END), 0), COUNT(r.enterprise_id)
		FROM enterprises e LEFT JOIN daily_reports r ON r.enterprise_id = e.id AND r.day = `+d+`
		WHERE `+EnterpriseScope(sc, "e", &a)+` GROUP BY e.workshop, e.township, e.focus_area, e.above_scale`, a.vals...)
	if err != nil {
		return out, fmt.Errorf("resumption stats: %w", err)
	}
	defer rows.Close()
	town, focus, above := map[string]*fugong.ResumptionCount{}, map[string]*fugong.ResumptionCount{}, map[string]*fugong.ResumptionCount{}
	addTo := func(m map[string]*fugong.ResumptionCount, key string, g fugong.ResumptionCount) {
		c := m[key]
		if c == nil {
			c = &fugong.ResumptionCount{Key: key}
			m[key] = c
		}
		sum(c, g)
	}
	for rows.Next() {
		var g fugong.ResumptionCount
		var township, area string
		var aboveScale, workshop bool
		if err := rows.Scan(&township, &area, &aboveScale, &workshop, &g.Total, &g.Resumed, &g.OnDuty, &g.Payroll, &g.Reported); err != nil {
			return out, err
		}
		if workshop {
			sum(&out.Workshops, g)
			continue
		}
		sum(&out.All, g)
		addTo(town, township, g)
		addTo(focus, area, g)
		addTo(above, strconv.FormatBool(aboveScale), g)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.ByTownship, out.ByFocusArea, out.ByAboveScale = sorted(town), sorted(focus), sorted(above)

	var b args
	d = b.add(day)
	series, err := db.R.QueryContext(ctx, `SELECT e.resumed_on, COUNT(*) FROM enterprises e WHERE `+EnterpriseScope(sc, "e", &b)+
		` AND e.workshop = FALSE AND e.resumed_on <> '' AND e.resumed_on <= `+d+` GROUP BY e.resumed_on ORDER BY e.resumed_on`, b.vals...)
	if err != nil {
		return out, fmt.Errorf("resumption series: %w", err)
	}
	defer series.Close()
	n := 0
	for series.Next() {
		var dc fugong.DayCount
		if err := series.Scan(&dc.Day, &dc.Count); err != nil {
			return out, err
		}
		n += dc.Count
		dc.Count = n
		out.Series = append(out.Series, dc)
	}
	return out, series.Err()
}

func sum(c *fugong.ResumptionCount, g fugong.ResumptionCount) {
	c.Total += g.Total
	c.Resumed += g.Resumed
	c.OnDuty += g.OnDuty
	c.Payroll += g.Payroll
	c.Reported += g.Reported
}

func sorted(m map[string]*fugong.ResumptionCount) []fugong.ResumptionCount {
	out := make([]fugong.ResumptionCount, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
