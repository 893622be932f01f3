package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// Who sends an enterprise's daily report: the enterprise, its liaison, or command for them.
var reporters = fugong.RolesFor(fugong.PermDailyReport)

const dailyReportCols = `r.id, r.region_code, r.enterprise_id, r.day, r.on_duty, r.capacity, r.mask_stock, r.masks_used, r.returned_outside, r.reported_by, r.reported_at, r.version, e.name`

func scanDailyReport(row interface{ Scan(...any) error }, d *fugong.DailyReport, extra ...any) error {
	var at int64
	if err := row.Scan(append([]any{&d.ID, &d.County, &d.EnterpriseID, &d.Day, &d.OnDuty, &d.Capacity, &d.MaskStock, &d.MasksUsed, &d.ReturnedOutside,
		&d.ReportedBy, &at, &d.Version, &d.Enterprise}, extra...)...); err != nil {
		return err
	}
	d.ReportedAt = fromMS(at)
	return nil
}

// SaveDailyReport records a resumed enterprise's report for a day up to today. There is
// one report per enterprise and day: a second one that day edits the first.
func (db *DB) SaveDailyReport(ctx context.Context, sc fugong.Scope, d *fugong.DailyReport) error {
	if err := sc.Require(reporters...); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Day > db.Today() {
		return fugong.Invalid(map[string]fugong.Msg{"day": fugong.M("report.future")})
	}
	// Through the group commit: in the morning every enterprise reports at once, and a
	// transaction of its own per report would take the one writer for a commit each.
	return db.Group(ctx, func(gtx *sql.Tx) error {
		tx := db.Prepared(gtx)
		e, err := db.findEnterprise(ctx, tx, sc, d.EnterpriseID)
		if err != nil {
			return err
		}
		if e.Status != fugong.StatusResumed {
			return fugong.Conflict("report.not_resumed")
		}
		if err := d.CheckPayroll(e.Payroll); err != nil {
			return err
		}
		a := fugong.ActorFrom(ctx)
		d.County, d.ReportedBy, d.Enterprise = e.County, a.UserID, e.Name
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO daily_reports (region_code, enterprise_id, day, on_duty, capacity, mask_stock, masks_used, returned_outside, reported_by, reported_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (enterprise_id, day, region_code) DO UPDATE SET on_duty = excluded.on_duty, capacity = excluded.capacity, mask_stock = excluded.mask_stock,
				masks_used = excluded.masks_used, returned_outside = excluded.returned_outside, reported_by = excluded.reported_by,
				reported_at = excluded.reported_at, version = daily_reports.version + 1
			RETURNING id, version`, d.County, d.EnterpriseID, d.Day, d.OnDuty, d.Capacity, d.MaskStock, d.MasksUsed, d.ReturnedOutside, d.ReportedBy, now).Scan(&d.ID, &d.Version)
		if err != nil {
			return fmt.Errorf("save daily report: %w", err)
		}
		d.ReportedAt = fromMS(now)
		action := "create"
		if d.Version > 1 {
			action = "update"
		}
		return db.Audit(ctx, tx, d.County, action, "daily_reports", d.ID, nil, d)
	})
}

// FindDailyReports lists daily reports of the enterprises in the caller's scope, newest first.
func (db *DB) FindDailyReports(ctx context.Context, sc fugong.Scope, f fugong.DailyReportFilter) ([]fugong.DailyReport, int, error) {
	var a args
	c := []string{EnterpriseScope(sc, "e", &a)}
	if f.EnterpriseID != 0 {
		c = append(c, "r.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.Day != "" {
		c = append(c, "r.day = "+a.add(f.Day))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+dailyReportCols+`, COUNT(*) OVER() FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id`+where(c)+
		` ORDER BY r.day DESC, e.name LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find daily reports: %w", err)
	}
	defer rows.Close()
	var out []fugong.DailyReport
	total := 0
	for rows.Next() {
		var d fugong.DailyReport
		if err := scanDailyReport(rows, &d, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// FindMissingReports lists the enterprises in the caller's scope that were resumed on day
// and have sent no report for it.
func (db *DB) FindMissingReports(ctx context.Context, sc fugong.Scope, day string) ([]fugong.Enterprise, error) {
	var a args
	d := a.add(day)
	return queryEnterprises(ctx, db.R, "find missing reports", ` WHERE `+EnterpriseScope(sc, "e", &a)+
		` AND e.status = '`+fugong.StatusResumed+`' AND e.resumed_on <> '' AND e.resumed_on <= `+d+
		` AND NOT EXISTS (SELECT 1 FROM daily_reports r WHERE r.enterprise_id = e.id AND r.day = `+d+`) ORDER BY e.township, e.name`, a.vals...)
}
