package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// Who keeps targets and their weekly reports: the county offices and the departments.
var targetEditors = fugong.RolesFor(fugong.PermTargetEdit)

const targetCols = `t.id, t.region_code, t.name, t.unit, t.planned, t.year, t.start_day, COALESCE(t.org_unit_id, 0), t.working_group, t.leader, t.demo, t.version,
	COALESCE((SELECT r.done FROM target_reports r WHERE r.target_id = t.id ORDER BY r.week DESC LIMIT 1), 0)`

func scanTarget(row interface{ Scan(...any) error }, t *fugong.Target, extra ...any) error {
	return row.Scan(append([]any{&t.ID, &t.County, &t.Name, &t.Unit, &t.Planned, &t.Year, &t.StartDay, &t.OrgUnitID, &t.WorkingGroup, &t.Leader, &t.Demo, &t.Version, &t.Done}, extra...)...)
}

// FindTargets lists the targets in the caller's scope with their latest progress.
func (db *DB) FindTargets(ctx context.Context, sc fugong.Scope, f fugong.TargetFilter) ([]fugong.Target, int, error) {
	var a args
	c := []string{TargetScope(sc, "t", &a)}
	if f.Year != 0 {
		c = append(c, "t.year = "+a.add(f.Year))
	}
	if f.OrgUnitID != 0 {
		c = append(c, "t.org_unit_id = "+a.add(f.OrgUnitID))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+targetCols+`, COUNT(*) OVER() FROM targets t`+where(c)+` ORDER BY t.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find targets: %w", err)
	}
	defer rows.Close()
	var out []fugong.Target
	total := 0
	for rows.Next() {
		var t fugong.Target
		if err := scanTarget(rows, &t, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// FindTarget returns one target in the caller's scope with its parcels.
func (db *DB) FindTarget(ctx context.Context, sc fugong.Scope, id int64) (fugong.Target, error) {
	return db.findTarget(ctx, db.R, sc, id)
}

func (db *DB) findTarget(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Target, error) {
	var a args
	var t fugong.Target
	if err := scanTarget(q.QueryRowContext(ctx, `SELECT `+targetCols+` FROM targets t WHERE t.id = `+a.add(id)+` AND `+TargetScope(sc, "t", &a), a.vals...), &t); err != nil {
		return t, mapErr(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, target_id, name, planned FROM target_parcels WHERE target_id = $1 ORDER BY id`, id)
	if err != nil {
		return t, fmt.Errorf("target parcels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p fugong.TargetParcel
		if err := rows.Scan(&p.ID, &p.TargetID, &p.Name, &p.Planned); err != nil {
			return t, err
		}
		t.Parcels = append(t.Parcels, p)
	}
	return t, rows.Err()
}

// CreateTarget validates and saves a target with its parcels.
func (db *DB) CreateTarget(ctx context.Context, sc fugong.Scope, t *fugong.Target) error {
	if err := sc.Require(targetEditors...); err != nil {
		return err
	}
	t.County = sc.County
	if sc.Role == fugong.RoleDepartment {
		t.OrgUnitID = sc.OrgUnitID // a department keeps its own targets (TargetScope)
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateTargetTx(ctx, tx, t) })
}

// CreateTargetTx writes a validated target inside the caller's transaction.
func (db *DB) CreateTargetTx(ctx context.Context, q Querier, t *fugong.Target) error {
	var org any
	if t.OrgUnitID != 0 {
		org = t.OrgUnitID
	}
	t.Version = 1
	if err := q.QueryRowContext(ctx, `INSERT INTO targets (region_code, name, unit, planned, year, start_day, org_unit_id, working_group, leader, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, t.County, t.Name, t.Unit, t.Planned, t.Year, t.StartDay, org, t.WorkingGroup, t.Leader, t.Demo).Scan(&t.ID); err != nil {
		return fmt.Errorf("create target: %w", mapErr(err))
	}
	for i := range t.Parcels {
		p := &t.Parcels[i]
		p.TargetID = t.ID
		if err := q.QueryRowContext(ctx, `INSERT INTO target_parcels (region_code, target_id, name, planned) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.County, t.ID, p.Name, p.Planned).Scan(&p.ID); err != nil {
			return fmt.Errorf("create target parcel: %w", err)
		}
	}
	return db.Audit(ctx, q, t.County, "create", "targets", t.ID, nil, t)
}

// SaveTargetReport records a target's weekly progress; a second report for the same
// week replaces the first.
func (db *DB) SaveTargetReport(ctx context.Context, sc fugong.Scope, r *fugong.TargetReport) error {
	if err := sc.Require(targetEditors...); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := db.findTarget(ctx, tx, sc, r.TargetID)
		if err != nil {
			return err
		}
		if err := r.Validate(t); err != nil {
			return err
		}
		others, err := weeklyFigures(ctx, tx, `SELECT week, done FROM target_reports WHERE target_id = $1 AND week <> $2`, r.TargetID, r.Week)
		if err != nil {
			return err
		}
		if err := r.CheckHistory(others, db.todayDate()); err != nil {
			return err
		}
		return db.SaveTargetReportTx(ctx, tx, t, r)
	})
}

// SaveTargetReportTx writes a validated report inside the caller's transaction.
func (db *DB) SaveTargetReportTx(ctx context.Context, q Querier, t fugong.Target, r *fugong.TargetReport) error {
	r.County = t.County
	if r.Username == "" {
		r.Username = fugong.ActorFrom(ctx).Username
	}
	if r.At.IsZero() {
		r.At = db.Clock.Now()
	}
	err := q.QueryRowContext(ctx, `INSERT INTO target_reports (region_code, target_id, week, done, note, username, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (target_id, week, region_code) DO UPDATE SET done = excluded.done, note = excluded.note, username = excluded.username, at = excluded.at
		RETURNING id`, r.County, r.TargetID, r.Week, r.Done, r.Note, r.Username, ms(r.At)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("save target report: %w", err)
	}
	return db.Audit(ctx, q, t.County, "report", "targets", t.ID, nil, r)
}

// FindTargetReports lists a target's weekly reports, newest week first.
func (db *DB) FindTargetReports(ctx context.Context, sc fugong.Scope, targetID int64) ([]fugong.TargetReport, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT r.id, r.region_code, r.target_id, r.week, r.done, r.note, r.username, r.at
		FROM target_reports r JOIN targets t ON t.id = r.target_id WHERE r.target_id = `+a.add(targetID)+` AND `+TargetScope(sc, "t", &a)+
		` ORDER BY r.week DESC`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find target reports: %w", err)
	}
	defer rows.Close()
	var out []fugong.TargetReport
	for rows.Next() {
		var r fugong.TargetReport
		var at int64
		if err := rows.Scan(&r.ID, &r.County, &r.TargetID, &r.Week, &r.Done, &r.Note, &r.Username, &at); err != nil {
			return nil, err
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// TargetBoard is one row of the weekly board: a target, the weeks it missed, and its
// assessment against the plan so far.
type TargetBoard struct {
	Target     fugong.Target
	Missed     []string
	Assessment fugong.Assessment
}

// TargetBoards computes the board of every target in scope as of today.
func (db *DB) TargetBoards(ctx context.Context, sc fugong.Scope, year int) ([]TargetBoard, error) {
	ts, _, err := db.FindTargets(ctx, sc, fugong.TargetFilter{Year: year, Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := make([]TargetBoard, 0, len(ts))
	for _, t := range ts {
		b, err := db.targetBoard(ctx, sc, t)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// TargetBoard is one target's row of the board, as the list shows it.
func (db *DB) TargetBoard(ctx context.Context, sc fugong.Scope, id int64) (TargetBoard, error) {
	t, err := db.FindTarget(ctx, sc, id)
	if err != nil {
		return TargetBoard{}, err
	}
	return db.targetBoard(ctx, sc, t)
}

func (db *DB) targetBoard(ctx context.Context, sc fugong.Scope, t fugong.Target) (TargetBoard, error) {
	rs, err := db.FindTargetReports(ctx, sc, t.ID)
	if err != nil {
		return TargetBoard{}, err
	}
	weeks := make([]string, len(rs))
	for i, r := range rs {
		weeks[i] = r.Week
	}
	missed := fugong.MissedWeeks(t, weeks, db.todayDate())
	return TargetBoard{Target: t, Missed: missed, Assessment: fugong.Assess(t, len(missed))}, nil
}

// weeklyFigures reads a weekly series (Monday → figure) with a query taking an id and
// the week to leave out.
func weeklyFigures(ctx context.Context, q Querier, query string, id int64, week string) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, query, id, week)
	if err != nil {
		return nil, fmt.Errorf("weekly figures: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var w string
		var v int64
		if err := rows.Scan(&w, &v); err != nil {
			return nil, err
		}
		out[w] = v
	}
	return out, rows.Err()
}

// latest is the last week of a weekly series, empty for none.
func latest(weeks map[string]int64) string {
	var l string
	for w := range weeks {
		l = max(l, w)
	}
	return l
}
