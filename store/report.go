package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// Report answers the report of kind ending on day: the one made and kept that evening,
// or, when there is none yet, one computed now (not kept). Only county-wide roles read
// reports; the county is their scope.
func (db *DB) Report(ctx context.Context, sc fugong.Scope, kind, day string) (fugong.Report, error) {
	from, to, err := fugong.ReportPeriod(kind, day)
	if err != nil {
		return fugong.Report{}, err
	}
	if !sc.Can(fugong.PermDashboard) {
		return fugong.Report{}, fugong.NotFound()
	}
	r, err := db.FindReport(ctx, sc.County, kind, to)
	if err == nil || fugong.ErrorCode(err) != fugong.ENOTFOUND {
		return r, err
	}
	return db.MakeReport(ctx, sc, kind, from, to)
}

// MakeReport computes a report of the period from..to in scope.
func (db *DB) MakeReport(ctx context.Context, sc fugong.Scope, kind, from, to string) (fugong.Report, error) {
	d, err := db.dashboard(ctx, sc, from, to)
	if err != nil {
		return fugong.Report{}, err
	}
	return fugong.Report{County: sc.County, Kind: kind, From: from, To: to, GeneratedAt: db.Clock.Now(), Dashboard: d}, nil
}

// SaveReport keeps a report, replacing one of the same kind and last day.
func (db *DB) SaveReport(ctx context.Context, r *fugong.Report) error {
	body, err := json.Marshal(r.Dashboard)
	if err != nil {
		return err
	}
	err = db.W.QueryRowContext(ctx, `INSERT INTO reports (region_code, kind, from_day, to_day, body, generated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (region_code, kind, to_day) DO UPDATE SET from_day = excluded.from_day, body = excluded.body, generated_at = excluded.generated_at
		RETURNING id`, r.County, r.Kind, r.From, r.To, string(body), ms(r.GeneratedAt)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("save %s report %s: %w", r.Kind, r.To, err)
	}
	return nil
}

// FindReport returns the kept report of kind ending on day.
func (db *DB) FindReport(ctx context.Context, county, kind, day string) (fugong.Report, error) {
	r := fugong.Report{County: county, Kind: kind}
	var body string
	var at int64
	err := db.R.QueryRowContext(ctx, `SELECT id, from_day, to_day, body, generated_at FROM reports WHERE region_code = $1 AND kind = $2 AND to_day = $3`,
		county, kind, day).Scan(&r.ID, &r.From, &r.To, &body, &at)
	if err != nil {
		return r, mapErr(err)
	}
	r.GeneratedAt = fromMS(at)
	return r, json.Unmarshal([]byte(body), &r.Dashboard)
}

// FindReports lists the kept reports of kind, newest first.
func (db *DB) FindReports(ctx context.Context, county, kind string, limit int) ([]fugong.Report, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, from_day, to_day, generated_at FROM reports WHERE region_code = $1 AND kind = $2 ORDER BY to_day DESC LIMIT $3`,
		county, kind, limit)
	if err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	defer rows.Close()
	var out []fugong.Report
	for rows.Next() {
		r := fugong.Report{County: county, Kind: kind}
		var at int64
		if err := rows.Scan(&r.ID, &r.From, &r.To, &at); err != nil {
			return nil, err
		}
		r.GeneratedAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// JobEveningReports is the job that makes and keeps the evening's reports and schedules
// the next evening's.
const JobEveningReports = "reports.evening"

// Settings of the evening reports.
const (
	SettingReportHour    = "report.hour"    // local hour the reports are made, default 20
	SettingReportWeekday = "report.weekday" // weekday of the weekly report, 0 Sunday … 6, default 5 (Friday)
)

// ScheduleReports makes sure each county has its next evening's report job waiting,
// at the county's report hour after now.
func (db *DB) ScheduleReports(ctx context.Context, now time.Time) error {
	cs, err := db.counties(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := db.ScheduleReport(ctx, c, now); err != nil {
			return err
		}
	}
	return nil
}

// ScheduleReport enqueues county's next evening report job after now, unless one waits.
func (db *DB) ScheduleReport(ctx context.Context, county string, now time.Time) error {
	return db.scheduleOnce(ctx, county, JobEveningReports, now, SettingReportHour, 20)
}

// RunEveningReports makes and keeps the reports of the evening at, a job of county: the
// daily report of that day, and on the weekly report's weekday the weekly one; then it
// schedules the next evening.
func (db *DB) RunEveningReports(ctx context.Context, county string, at time.Time) error {
	sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
	day := fugong.Day(at, db.loc())
	kinds := []string{fugong.ReportDaily}
	wd, err := db.intSetting(ctx, county, SettingReportWeekday, 5)
	if err != nil {
		return err
	}
	if int(at.In(db.loc()).Weekday()) == wd {
		kinds = append(kinds, fugong.ReportWeekly)
	}
	for _, k := range kinds {
		from, to, err := fugong.ReportPeriod(k, day)
		if err != nil {
			return err
		}
		r, err := db.MakeReport(ctx, sc, k, from, to)
		if err != nil {
			return err
		}
		if err := db.SaveReport(ctx, &r); err != nil {
			return err
		}
	}
	return db.ScheduleReport(ctx, county, at)
}

func (db *DB) intSetting(ctx context.Context, county, name string, def int) (int, error) {
	s, err := db.Setting(ctx, county, name, strconv.Itoa(def))
	if err != nil {
		return def, err
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return def, nil
	}
	return v, nil
}
