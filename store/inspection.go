package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"fugong"
)

// JobRectificationOverdue is the job that flags and notifies a rectification still open
// after its deadline; its payload names the rectification and the deadline it checks.
const JobRectificationOverdue = "rectification.overdue"

// CanInspect reports whether the caller may record findings and verify rectifications:
// the command, admin, and the officers of the organisation department (县委组织部).
func (db *DB) CanInspect(ctx context.Context, sc fugong.Scope) (bool, error) {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand:
		return true, nil
	case fugong.RoleDepartment:
		set, err := db.FindLiaisonSettings(ctx, sc.County)
		if err != nil {
			return false, err
		}
		var name string
		if err := db.R.QueryRowContext(ctx, `SELECT name FROM org_units WHERE id = $1`, sc.OrgUnitID).Scan(&name); err != nil {
			return false, mapErr(err)
		}
		return name == set.InspectionOrg, nil
	}
	return false, nil
}

// inspectionScope limits inspections to what sc may see: the whole county for county-wide
// roles and inspectors; a liaison the findings against them; an enterprise those against it;
// a township those against enterprises in its township.
func inspectionScope(sc fugong.Scope, inspector bool, a *args) string {
	if inspector || sc.Role.CountyWide() {
		return "i.region_code = " + a.add(sc.County)
	}
	switch sc.Role {
	case fugong.RoleLiaison:
		return "i.target_user_id = " + a.add(sc.UserID)
	case fugong.RoleEnterprise:
		return "(i.target_kind = 'enterprise' AND i.enterprise_id = " + a.add(sc.EnterpriseID) + ")"
	case fugong.RoleTownship:
		return "(i.target_kind = 'enterprise' AND " + EnterpriseIDScope(sc, "i.enterprise_id", "i.region_code", a) + ")"
	}
	return "1 = 0"
}

// inspectionTargets answers the users a finding is addressed to: the liaison, or the
// enterprise's accounts.
func inspectionTargets(ctx context.Context, q Querier, in fugong.Inspection) ([]int64, error) {
	if in.TargetKind == fugong.TargetLiaison {
		return []int64{in.TargetUserID}, nil
	}
	return recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE enterprise_id = $1 AND disabled = FALSE`, in.EnterpriseID))
}

type overduePayload struct {
	RectificationID int64  `json:"rectification_id"`
	Deadline        string `json:"deadline"`
}

// enqueueOverdue promises the overdue check for the first moment after the deadline's day.
func (db *DB) enqueueOverdue(ctx context.Context, q Querier, county string, r fugong.Rectification, loc *time.Location) error {
	d, err := time.ParseInLocation(time.DateOnly, r.Deadline, loc)
	if err != nil {
		return err
	}
	p, _ := json.Marshal(overduePayload{RectificationID: r.ID, Deadline: r.Deadline})
	return db.EnqueueJob(ctx, q, county, JobRectificationOverdue, string(p), d.AddDate(0, 0, 1))
}

// CreateInspection records a finding against a liaison or an enterprise, with its
// criticism and, when a deadline is set, a rectification; the target is notified and the
// overdue check is queued, all in one transaction.
func (db *DB) CreateInspection(ctx context.Context, sc fugong.Scope, loc *time.Location, in *fugong.Inspection, t Text) error {
	ok, err := db.CanInspect(ctx, sc)
	if err != nil {
		return err
	}
	if !ok {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	today := fugong.Day(db.Clock.Now(), loc)
	in.County, in.InspectorID = sc.County, sc.UserID
	if err := in.Validate(today); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		county := fugong.Scope{Role: fugong.RoleCommand, County: sc.County}
		f := fugong.FieldErrors{}
		if in.TargetUserID != 0 {
			var role string
			if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1 AND region_code = $2`, in.TargetUserID, sc.County).Scan(&role); err != nil || role != string(fugong.RoleLiaison) {
				f.Add("target_user_id", "inspection.not_liaison")
			}
		}
		if in.EnterpriseID != 0 {
			if _, err := db.findEnterprise(ctx, tx, county, in.EnterpriseID); err != nil {
				f.Add("enterprise_id", "error.not_found")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO inspections (region_code, inspector_id, target_kind, target_user_id, enterprise_id, inspected_on, finding, criticism, demo, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			in.County, in.InspectorID, in.TargetKind, nullID(in.TargetUserID), nullID(in.EnterpriseID), in.InspectedOn, in.Finding, in.Criticism, in.Demo, now).Scan(&in.ID); err != nil {
			return fmt.Errorf("create inspection: %w", err)
		}
		in.CreatedAt = fromMS(now)
		if err := db.Audit(ctx, tx, in.County, "create", "inspections", in.ID, nil, in); err != nil {
			return err
		}
		body := t("inspection.notice_body", in.Finding, in.Criticism)
		if r := in.Rectification; r != nil {
			r.County, r.InspectionID, r.Version = in.County, in.ID, 1
			if err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (region_code, inspection_id, deadline, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
				r.County, r.InspectionID, r.Deadline, r.State, now).Scan(&r.ID); err != nil {
				return fmt.Errorf("create rectification: %w", err)
			}
			r.CreatedAt, r.UpdatedAt = fromMS(now), fromMS(now)
			if err := db.Audit(ctx, tx, in.County, "create", "rectifications", r.ID, nil, r); err != nil {
				return err
			}
			if err := db.enqueueOverdue(ctx, tx, in.County, *r, loc); err != nil {
				return err
			}
			body += "\n" + t("rectification.notice_deadline", r.Deadline)
		}
		targets, err := inspectionTargets(ctx, tx, *in)
		if err != nil {
			return err
		}
		return db.notifyInApp(ctx, tx, in.County, targets, t("inspection.notice_subject"), body, "inspections", in.ID)
	})
}

const inspectionCols = `i.id, i.region_code, i.inspector_id, i.target_kind, COALESCE(i.target_user_id, 0), COALESCE(i.enterprise_id, 0), i.inspected_on, i.finding,
	i.criticism, i.demo, i.created_at, iu.display_name, COALESCE(tu.display_name, ''), COALESCE(e.name, ''),
	COALESCE(r.id, 0), COALESCE(r.deadline, ''), COALESCE(r.state, ''), COALESCE(r.report, ''), COALESCE(r.reported_at, 0), COALESCE(r.note, ''),
	COALESCE(r.closed_at, 0), COALESCE(r.returns, 0), COALESCE(r.overdue_notified, ''), COALESCE(r.version, 0), COALESCE(r.created_at, 0), COALESCE(r.updated_at, 0)`

const inspectionFrom = ` FROM inspections i JOIN users iu ON iu.id = i.inspector_id LEFT JOIN users tu ON tu.id = i.target_user_id
	LEFT JOIN enterprises e ON e.id = i.enterprise_id LEFT JOIN rectifications r ON r.inspection_id = i.id`

func scanInspection(row interface{ Scan(...any) error }, in *fugong.Inspection, extra ...any) error {
	var created, reported, closed, rc, ru int64
	var r fugong.Rectification
	dest := []any{&in.ID, &in.County, &in.InspectorID, &in.TargetKind, &in.TargetUserID, &in.EnterpriseID, &in.InspectedOn, &in.Finding,
		&in.Criticism, &in.Demo, &created, &in.InspectorName, &in.TargetName, &in.EnterpriseName,
		&r.ID, &r.Deadline, &r.State, &r.Report, &reported, &r.Note, &closed, &r.Returns, &r.OverdueNotified, &r.Version, &rc, &ru}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	in.CreatedAt = fromMS(created)
	if in.TargetKind == fugong.TargetEnterprise {
		in.TargetName = in.EnterpriseName
	}
	in.Rectification = nil
	if r.ID != 0 {
		r.County, r.InspectionID = in.County, in.ID
		r.ReportedAt, r.ClosedAt, r.CreatedAt, r.UpdatedAt = fromMS(reported), fromMS(closed), fromMS(rc), fromMS(ru)
		in.Rectification = &r
	}
	return nil
}

// FindInspection returns one inspection in the caller's scope.
func (db *DB) FindInspection(ctx context.Context, sc fugong.Scope, id int64) (fugong.Inspection, error) {
	return db.findInspection(ctx, db.R, sc, id)
}

func (db *DB) findInspection(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Inspection, error) {
	insp, err := db.CanInspect(ctx, sc)
	if err != nil {
		return fugong.Inspection{}, err
	}
	var a args
	var in fugong.Inspection
	err = scanInspection(q.QueryRowContext(ctx, `SELECT `+inspectionCols+inspectionFrom+` WHERE i.id = `+a.add(id)+` AND `+inspectionScope(sc, insp, &a), a.vals...), &in)
	return in, mapErr(err)
}

// FindInspections lists inspections in the caller's scope, newest first; today decides
// which rectifications are overdue.
func (db *DB) FindInspections(ctx context.Context, sc fugong.Scope, f fugong.InspectionFilter, today string) ([]fugong.Inspection, int, error) {
	insp, err := db.CanInspect(ctx, sc)
	if err != nil {
		return nil, 0, err
	}
	var a args
	c := []string{inspectionScope(sc, insp, &a)}
	if f.TargetKind != "" {
		c = append(c, "i.target_kind = "+a.add(f.TargetKind))
	}
	if f.State != "" {
		c = append(c, "r.state = "+a.add(f.State))
	}
	if f.Rectified {
		c = append(c, "r.id IS NOT NULL")
	}
	if f.Overdue {
		c = append(c, "r.state = 'open' AND r.deadline < "+a.add(today))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+inspectionCols+`, COUNT(*) OVER()`+inspectionFrom+where(c)+
		` ORDER BY i.inspected_on DESC, i.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find inspections: %w", err)
	}
	defer rows.Close()
	var out []fugong.Inspection
	total := 0
	for rows.Next() {
		var in fugong.Inspection
		if err := scanInspection(rows, &in, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, in)
	}
	return out, total, rows.Err()
}

// ActOnRectification moves the rectification of inspection id by one step — the target
// reports the fix, the inspector verifies or sends it back — if version is still current,
// and tells the other side.
func (db *DB) ActOnRectification(ctx context.Context, sc fugong.Scope, loc *time.Location, id, version int64, step fugong.RectificationStep, t Text) (fugong.Inspection, error) {
	var out fugong.Inspection
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		in, err := db.findInspection(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if in.Rectification == nil {
			return fugong.NotFound()
		}
		before := *in.Rectification
		if version != 0 && before.Version != version {
			return fugong.Conflict("error.stale")
		}
		if step.ByInspector, err = db.CanInspect(ctx, sc); err != nil {
			return err
		}
		step.ByTarget = (sc.Role == fugong.RoleLiaison && in.TargetKind == fugong.TargetLiaison && in.TargetUserID == sc.UserID) ||
			(sc.Role == fugong.RoleEnterprise && in.TargetKind == fugong.TargetEnterprise && in.EnterpriseID == sc.EnterpriseID)
		now := db.Clock.Now()
		step.Today = fugong.Day(now, loc)
		r := before
		if err := r.Apply(step, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE rectifications SET state = $1, report = $2, reported_at = $3, note = $4, closed_at = $5, returns = $6, deadline = $7,
			version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10`,
			r.State, r.Report, ms(r.ReportedAt), r.Note, ms(r.ClosedAt), r.Returns, r.Deadline, ms(now), r.ID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		r.Version = before.Version + 1
		if err := db.Audit(ctx, tx, in.County, step.Action, "rectifications", r.ID, before, r); err != nil {
			return err
		}
		var to []int64
		if step.Action == fugong.ActionReport {
			to = []int64{in.InspectorID}
		} else if to, err = inspectionTargets(ctx, tx, in); err != nil {
			return err
		}
		if step.Action == fugong.ActionReturn && r.Deadline != before.Deadline {
			if err := db.enqueueOverdue(ctx, tx, in.County, r, loc); err != nil {
				return err
			}
		}
		in.Rectification = &r
		out = in
		return db.notifyInApp(ctx, tx, in.County, to, t("rectification.notice_"+step.Action), in.Finding+"\n"+r.Report+r.Note, "inspections", in.ID)
	})
	return out, err
}

// NotifyOverdueRectification is the overdue job: when the rectification is still open past
// the deadline the job was queued for, and no notice went out for that deadline, it tells
// the target and the inspector. Run twice, it notifies once.
func (db *DB) NotifyOverdueRectification(ctx context.Context, j fugong.Job, loc *time.Location, t Text) error {
	var p overduePayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return fmt.Errorf("overdue payload %q: %w", j.Payload, err)
	}
	today := fugong.Day(db.Clock.Now(), loc)
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var in fugong.Inspection
		err := scanInspection(tx.QueryRowContext(ctx, `SELECT `+inspectionCols+inspectionFrom+` WHERE r.id = $1`, p.RectificationID), &in)
		if err != nil {
			return mapErr(err)
		}
		r := in.Rectification
		if r.Deadline != p.Deadline || !r.Overdue(today) || r.OverdueNotified == r.Deadline {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET overdue_notified = $1 WHERE id = $2`, r.Deadline, r.ID); err != nil {
			return err
		}
		to, err := inspectionTargets(ctx, tx, in)
		if err != nil {
			return err
		}
		to = append(to, in.InspectorID)
		if err := db.Audit(ctx, tx, in.County, "overdue", "rectifications", r.ID, nil, map[string]string{"deadline": r.Deadline}); err != nil {
			return err
		}
		return db.notifyInApp(ctx, tx, in.County, to, t("rectification.notice_overdue"), t("rectification.overdue_body", in.TargetName, in.Finding, r.Deadline), "inspections", in.ID)
	})
}

// InspectionOfRectification returns the inspection a rectification belongs to; callers
// then read it through the scoped FindInspection.
func (db *DB) InspectionOfRectification(ctx context.Context, county string, id int64) (int64, error) {
	var in int64
	err := db.R.QueryRowContext(ctx, `SELECT inspection_id FROM rectifications WHERE id = $1 AND region_code = $2`, id, county).Scan(&in)
	return in, mapErr(err)
}
