package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// FindWorkshops lists the poverty workshops of the caller's county as the board shows
// them on day: each with its latest headcount reported on or before day. The board and
// its statistic are published figures (the seed's "全县33家…"), so every role of the
// county sees the whole county; reporting a day is scoped (SaveWorkshopDay).
func (db *DB) FindWorkshops(ctx context.Context, sc fugong.Scope, day string) ([]fugong.Workshop, error) {
	var a args
	d := a.add(day)
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, e.village, e.status, e.resumed_on,
		COALESCE(w.day, ''), COALESCE(w.workers, 0), COALESCE(w.poor_workers, 0), COALESCE(w.shifts, 0), COALESCE(w.daily_wage, 0)
		FROM enterprises e LEFT JOIN workshop_days w ON w.enterprise_id = e.id
			AND w.day = (SELECT MAX(x.day) FROM workshop_days x WHERE x.enterprise_id = e.id AND x.day <= `+d+`)
		WHERE e.workshop = TRUE AND e.region_code = `+a.add(sc.County)+` ORDER BY e.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find workshops: %w", err)
	}
	defer rows.Close()
	var out []fugong.Workshop
	for rows.Next() {
		var w fugong.Workshop
		if err := rows.Scan(&w.EnterpriseID, &w.Name, &w.Township, &w.Village, &w.Status, &w.ResumedOn, &w.Day, &w.Workers, &w.PoorWorkers, &w.Shifts, &w.DailyWage); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// workshopReporters are the roles that report a workshop's day.
var workshopReporters = fugong.RolesFor(fugong.PermWorkshopReport)

// SaveWorkshopDay records (or corrects) a workshop's headcount for a day.
func (db *DB) SaveWorkshopDay(ctx context.Context, sc fugong.Scope, d *fugong.WorkshopDay, today string) error {
	if err := sc.Require(workshopReporters...); err != nil {
		return err
	}
	var a args
	var one int
	err := db.R.QueryRowContext(ctx, `SELECT 1 FROM enterprises e WHERE e.id = `+a.add(d.EnterpriseID)+` AND e.workshop = TRUE AND `+EnterpriseScope(sc, "e", &a), a.vals...).Scan(&one)
	if err != nil {
		return mapErr(err)
	}
	d.County = sc.County
	if err := d.Validate(today); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.SaveWorkshopDayTx(ctx, tx, d) })
}

// SaveWorkshopDayTx writes a validated day inside the caller's transaction.
func (db *DB) SaveWorkshopDayTx(ctx context.Context, q Querier, d *fugong.WorkshopDay) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO workshop_days (region_code, enterprise_id, day, workers, poor_workers, shifts, daily_wage, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (enterprise_id, day, region_code) DO UPDATE SET workers = excluded.workers,
		poor_workers = excluded.poor_workers, shifts = excluded.shifts, daily_wage = excluded.daily_wage`,
		d.County, d.EnterpriseID, d.Day, d.Workers, d.PoorWorkers, d.Shifts, d.DailyWage, db.now()); err != nil {
		return fmt.Errorf("save workshop day: %w", err)
	}
	return db.Audit(ctx, q, d.County, "update", "workshop_days", fmt.Sprintf("%d/%s", d.EnterpriseID, d.Day), nil, d)
}

// EmploymentStats counts, in the caller's scope, the seekers registered, referred and
// placed (on duty), the poor households among them, and by home township how many work
// in their own township.
func (db *DB) EmploymentStats(ctx context.Context, sc fugong.Scope) (fugong.EmploymentStats, error) {
	var a args
	var st fugong.EmploymentStats
	const onDuty = `EXISTS (SELECT 1 FROM referrals r WHERE r.seeker_id = s.id AND r.state = 'on_duty'`
	rows, err := db.R.QueryContext(ctx, `SELECT s.township, COUNT(*),
		SUM(CASE WHEN s.poor THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.seeker_id = s.id) THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+onDuty+`) THEN 1 ELSE 0 END),
		SUM(CASE WHEN s.poor AND `+onDuty+`) THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+onDuty+` AND r.township = s.township) THEN 1 ELSE 0 END)
		FROM job_seekers s WHERE `+seekerScope(sc, &a)+` GROUP BY s.township ORDER BY s.township`, a.vals...)
	if err != nil {
		return st, fmt.Errorf("employment stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t fugong.TownshipEmployment
		var poor int
		if err := rows.Scan(&t.Township, &t.Registered, &poor, &t.Referred, &t.Placed, &t.PlacedPoor, &t.PlacedLocal); err != nil {
			return st, err
		}
		st.Registered += t.Registered
		st.Poor += poor
		st.Referred += t.Referred
		st.Placed += t.Placed
		st.PlacedPoor += t.PlacedPoor
		st.ByTownship = append(st.ByTownship, t)
	}
	return st, rows.Err()
}
