package store

import (
	"context"
	"fmt"
	"sort"

	"fugong"
)

// AreaCounties names the counties under a province's or city's code that the database
// holds (regions of level county), by code.
func (db *DB) AreaCounties(ctx context.Context, area string) (map[string]string, error) {
	var a args
	c := CountyScope(fugong.Scope{Role: fugong.RoleProvince, County: area}, "code", &a)
	rows, err := db.R.QueryContext(ctx, `SELECT code, name FROM regions WHERE level = 'county' AND `+c, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("counties of %s: %w", area, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}

// ProvinceDashboard is the province role's screen for day: each county under the area
// with its resumption and the demands of the day, and the area's totals. Like the
// county's live screen, its figures are shared for DashboardTTL by every caller of the
// same area.
func (db *DB) ProvinceDashboard(ctx context.Context, sc fugong.Scope, day string) (fugong.ProvinceDashboard, error) {
	if err := sc.Require(fugong.RoleProvince); err != nil {
		return fugong.ProvinceDashboard{}, err
	}
	if db.DashboardTTL <= 0 {
		return db.provinceDashboard(ctx, sc, day)
	}
	v, err := db.shared(ctx, "province|"+sc.County+"|"+day, func(ctx context.Context) (any, error) { return db.provinceDashboard(ctx, sc, day) })
	return v.(fugong.ProvinceDashboard), err
}

func (db *DB) provinceDashboard(ctx context.Context, sc fugong.Scope, day string) (fugong.ProvinceDashboard, error) {
	out := fugong.ProvinceDashboard{Area: sc.County, Day: day, ComputedAt: db.Clock.Now()}
	names, err := db.AreaCounties(ctx, sc.County)
	if err != nil {
		return out, err
	}
	counties := map[string]*fugong.CountyFigures{}
	for code, name := range names {
		counties[code] = &fugong.CountyFigures{Code: code, Name: name}
	}
	county := func(code string) *fugong.CountyFigures {
		c := counties[code]
		if c == nil {
			c = &fugong.CountyFigures{Code: code, Name: code}
			counties[code] = c
		}
		return c
	}
	// Resumption and attendance on the day, counted as ResumptionTrend counts them (poverty
	// workshops apart), from the rows kept per county and day (resumption_day_stats): the
	// enterprises on day '', those resumed added up to the day, the day's daily reports.
	var a args
	d := a.add(day)
	rows, err := db.R.QueryContext(ctx, `SELECT s.region_code, SUM(s.enterprises), SUM(CASE WHEN s.day <> '' AND s.day <= `+d+` THEN s.resumed ELSE 0 END),
		SUM(CASE WHEN s.day = `+d+` THEN s.reports ELSE 0 END), SUM(CASE WHEN s.day = `+d+` THEN s.on_duty ELSE 0 END),
		SUM(CASE WHEN s.day = `+d+` THEN s.payroll ELSE 0 END)
		FROM resumption_day_stats s WHERE `+CountyScope(sc, "s.region_code", &a)+` AND s.day <= `+d+` GROUP BY s.region_code`, a.vals...)
	if err != nil {
		return out, fmt.Errorf("province resumption: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var f fugong.CountyFigures
		if err := rows.Scan(&code, &f.Enterprises, &f.Resumed, &f.Reports, &f.OnDuty, &f.Payroll); err != nil {
			return out, err
		}
		c := county(code)
		c.Enterprises, c.Resumed, c.Reports, c.OnDuty, c.Payroll = f.Enterprises, f.Resumed, f.Reports, f.OnDuty, f.Payroll
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	var b args
	demands, err := db.keptFigures(ctx, "s.region_code", keptClauses(sc, dimAll, day, day, &b), &b)
	if err != nil {
		return out, err
	}
	for code, f := range demands {
		county(code).Demands = *f
	}
	for _, c := range counties {
		c.Demands.Key, c.Demands.Label = c.Code, c.Name
		out.Counties = append(out.Counties, *c)
		out.Total.Enterprises += c.Enterprises
		out.Total.Resumed += c.Resumed
		out.Total.Reports += c.Reports
		out.Total.OnDuty += c.OnDuty
		out.Total.Payroll += c.Payroll
		out.Total.Demands.Merge(c.Demands)
	}
	sort.Slice(out.Counties, func(i, j int) bool { return out.Counties[i].Code < out.Counties[j].Code })
	return out, nil
}
