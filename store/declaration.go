package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// FindChecklist lists the checklist standards that apply to a focus area: the area's own
// and those for every area. An area of "*" lists every item of the county.
func (db *DB) FindChecklist(ctx context.Context, county, focusArea string) ([]fugong.ChecklistItem, error) {
	return db.findChecklist(ctx, db.R, county, focusArea)
}

func (db *DB) findChecklist(ctx context.Context, q Querier, county, focusArea string) ([]fugong.ChecklistItem, error) {
	var a args
	c := []string{"region_code = " + a.add(county)}
	if focusArea != "*" {
		c = append(c, "(focus_area = '' OR focus_area = "+a.add(focusArea)+")")
	}
	rows, err := q.QueryContext(ctx, `SELECT id, region_code, focus_area, position, text, required, version FROM checklist_items`+where(c)+
		` ORDER BY focus_area, position, id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find checklist: %w", err)
	}
	defer rows.Close()
	var out []fugong.ChecklistItem
	for rows.Next() {
		var it fugong.ChecklistItem
		if err := rows.Scan(&it.ID, &it.County, &it.FocusArea, &it.Position, &it.Text, &it.Required, &it.Version); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// SaveChecklistItem creates a checklist item (ID 0) or updates one at its read version.
// Only command and admin set the standards.
func (db *DB) SaveChecklistItem(ctx context.Context, sc fugong.Scope, it *fugong.ChecklistItem) error {
	if err := sc.Allow(fugong.PermChecklistEdit); err != nil {
		return err
	}
	it.County = sc.County
	if err := it.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.SaveChecklistItemTx(ctx, tx, it) })
}

// SaveChecklistItemTx is SaveChecklistItem inside the caller's transaction.
func (db *DB) SaveChecklistItemTx(ctx context.Context, tx Querier, it *fugong.ChecklistItem) error {
	if it.ID == 0 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO checklist_items (region_code, focus_area, position, text, required) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			it.County, it.FocusArea, it.Position, it.Text, it.Required).Scan(&it.ID); err != nil {
			return fmt.Errorf("create checklist item: %w", err)
		}
		it.Version = 1
		return db.Audit(ctx, tx, it.County, "create", "checklist_items", it.ID, nil, it)
	}
	var before fugong.ChecklistItem
	err := tx.QueryRowContext(ctx, `SELECT id, region_code, focus_area, position, text, required, version FROM checklist_items WHERE id = $1 AND region_code = $2`, it.ID, it.County).
		Scan(&before.ID, &before.County, &before.FocusArea, &before.Position, &before.Text, &before.Required, &before.Version)
	if err != nil {
		return mapErr(err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE checklist_items SET focus_area = $1, position = $2, text = $3, required = $4, version = version + 1 WHERE id = $5 AND version = $6`,
		it.FocusArea, it.Position, it.Text, it.Required, it.ID, it.Version)
	if err != nil {
		return fmt.Errorf("update checklist item: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.Conflict("error.stale")
	}
	it.Version++
	return db.Audit(ctx, tx, it.County, "update", "checklist_items", it.ID, before, it)
}

// DeleteChecklistItem removes a standard; declarations already made keep their answers.
func (db *DB) DeleteChecklistItem(ctx context.Context, sc fugong.Scope, id int64) error {
	if err := sc.Allow(fugong.PermChecklistEdit); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM checklist_items WHERE id = $1 AND region_code = $2`, id, sc.County)
		if err != nil {
			return fmt.Errorf("delete checklist item: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.NotFound()
		}
		return db.Audit(ctx, tx, sc.County, "delete", "checklist_items", id, map[string]int64{"id": id}, nil)
	})
}

const declarationCols = `d.id, d.region_code, d.enterprise_id, d.planned_on, d.answers, d.note, d.state, d.declared_by, d.declarer, d.declared_at, d.version, d.updated_at,
	e.name, e.township, e.focus_area`

func scanDeclaration(row interface{ Scan(...any) error }, d *fugong.Declaration, extra ...any) error {
	var answers string
	var at, up int64
	if err := row.Scan(append([]any{&d.ID, &d.County, &d.EnterpriseID, &d.PlannedOn, &answers, &d.Note, &d.State, &d.DeclaredBy, &d.Declarer, &at, &d.Version, &up,
		&d.Enterprise, &d.Township, &d.FocusArea}, extra...)...); err != nil {
		return err
	}
	d.DeclaredAt, d.UpdatedAt = fromMS(at), fromMS(up)
	return json.Unmarshal([]byte(answers), &d.Answers)
}

// Who may declare: the enterprise itself, its liaison, or command on their behalf.
var declarers = fugong.RolesFor(fugong.PermDeclare)

// CreateDeclaration records an enterprise's declaration of resumption: the
// enterprise must be in the caller's scope, not resumed and with no declaration under
// review; its answers must meet the checklist of its focus area. The enterprise becomes
// 申报中 and the township's review is due.
func (db *DB) CreateDeclaration(ctx context.Context, sc fugong.Scope, d *fugong.Declaration) error {
	if err := sc.Require(declarers...); err != nil {
		return err
	}
	today := db.Today()
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		e, err := db.findEnterprise(ctx, tx, sc, d.EnterpriseID)
		if err != nil {
			return err
		}
		if e.Status == fugong.StatusResumed {
			return fugong.Conflict("declaration.already_resumed")
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM declarations WHERE enterprise_id = $1 AND state IN ('township', 'department')`, e.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return fugong.Conflict("declaration.open")
		}
		items, err := db.findChecklist(ctx, tx, e.County, e.FocusArea)
		if err != nil {
			return err
		}
		if err := d.Validate(items); err != nil {
			return err
		}
		a := fugong.ActorFrom(ctx)
		d.County, d.State, d.DeclaredBy, d.Declarer = e.County, fugong.DeclTownship, a.UserID, a.Username
		d.Enterprise, d.Township, d.FocusArea = e.Name, e.Township, e.FocusArea
		if err := db.CreateDeclarationTx(ctx, tx, d, db.Clock.Now()); err != nil {
			return err
		}
		if err := db.setStatus(ctx, tx, e, fugong.StatusDeclaring, e.ResumedOn, today); err != nil {
			return err
		}
		if err := db.AddEvent(ctx, tx, fugong.Event{County: e.County, EnterpriseID: e.ID, Day: today, Kind: fugong.EventDeclared, Detail: d.PlannedOn, Username: a.Username}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, e.County, "create", "declarations", d.ID, nil, d)
	})
}

// CreateDeclarationTx inserts a declaration as given, for the workflow and the demo.
func (db *DB) CreateDeclarationTx(ctx context.Context, q Querier, d *fugong.Declaration, at time.Time) error {
	answers, err := json.Marshal(d.Answers)
	if err != nil {
		return err
	}
	if d.Answers == nil {
		answers = []byte("{}")
	}
	d.DeclaredAt, d.UpdatedAt, d.Version = at, at, 1
	if err := q.QueryRowContext(ctx, `INSERT INTO declarations (region_code, enterprise_id, planned_on, answers, note, state, declared_by, declarer, declared_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		d.County, d.EnterpriseID, d.PlannedOn, string(answers), d.Note, d.State, d.DeclaredBy, d.Declarer, ms(at)).Scan(&d.ID); err != nil {
		return fmt.Errorf("create declaration: %w", err)
	}
	return nil
}

// FindDeclarations lists declarations of the enterprises in the caller's scope, newest first.
func (db *DB) FindDeclarations(ctx context.Context, sc fugong.Scope, f fugong.DeclarationFilter) ([]fugong.Declaration, int, error) {
	var a args
	c := []string{EnterpriseScope(sc, "e", &a)}
	if f.EnterpriseID != 0 {
		c = append(c, "d.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.State != "" {
		c = append(c, "d.state = "+a.add(f.State))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+declarationCols+`, COUNT(*) OVER() FROM declarations d JOIN enterprises e ON e.id = d.enterprise_id`+where(c)+
		` ORDER BY d.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find declarations: %w", err)
	}
	defer rows.Close()
	var out []fugong.Declaration
	total := 0
	for rows.Next() {
		var d fugong.Declaration
		if err := scanDeclaration(rows, &d, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// FindDeclaration returns one declaration of an enterprise in the caller's scope.
func (db *DB) FindDeclaration(ctx context.Context, sc fugong.Scope, id int64) (fugong.Declaration, error) {
	return db.findDeclaration(ctx, db.R, sc, id)
}

func (db *DB) findDeclaration(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Declaration, error) {
	var a args
	var d fugong.Declaration
	err := scanDeclaration(q.QueryRowContext(ctx, `SELECT `+declarationCols+` FROM declarations d JOIN enterprises e ON e.id = d.enterprise_id WHERE d.id = `+
		a.add(id)+` AND `+EnterpriseScope(sc, "e", &a), a.vals...), &d)
	return d, mapErr(err)
}

// ReviewDeclaration records a decision, with its reason, at the declaration's current
// stage (强监管): the township first, then the industry department. Approval at the
// department makes the enterprise resumed from the planned date; a rejection at either
// stage sends it back to 未复工. version is the declaration's version as the reviewer read it.
func (db *DB) ReviewDeclaration(ctx context.Context, sc fugong.Scope, id, version int64, r *fugong.Review) (fugong.Declaration, error) {
	var out fugong.Declaration
	today := db.Today()
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		d, err := db.findDeclaration(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		roles := fugong.ReviewerRoles(d.State)
		if roles == nil {
			return fugong.Conflict("declaration.closed")
		}
		if err := sc.Require(roles...); err != nil {
			return err
		}
		if version != 0 && version != d.Version {
			return fugong.Conflict("error.stale")
		}
		if err := r.Validate(); err != nil {
			return err
		}
		a := fugong.ActorFrom(ctx)
		r.County, r.DeclarationID, r.EnterpriseID, r.Stage, r.UserID, r.Username = d.County, d.ID, d.EnterpriseID, d.State, a.UserID, a.Username
		if err := db.CreateReviewTx(ctx, tx, r, db.Clock.Now()); err != nil {
			return err
		}
		before := d
		d.State = fugong.NextState(d.State, r.Decision)
		res, err := tx.ExecContext(ctx, `UPDATE declarations SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`, d.State, db.now(), d.ID, d.Version)
		if err != nil {
			return fmt.Errorf("review declaration: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		d.Version++
		e, err := db.findEnterprise(ctx, tx, fugong.Scope{Role: fugong.RoleAdmin, County: d.County}, d.EnterpriseID)
		if err != nil {
			return err
		}
		switch d.State {
		case fugong.DeclApproved:
			err = db.setStatus(ctx, tx, e, fugong.StatusResumed, d.PlannedOn, d.PlannedOn)
		case fugong.DeclRejected:
			err = db.setStatus(ctx, tx, e, fugong.StatusNotResumed, "", today)
		}
		if err != nil {
			return err
		}
		if err := db.AddEvent(ctx, tx, fugong.Event{County: d.County, EnterpriseID: d.EnterpriseID, Day: today, Kind: fugong.EventReviewed,
			Detail: r.Stage + ":" + r.Decision + ":" + r.Reason, Username: a.Username}); err != nil {
			return err
		}
		if d.DeclaredBy != 0 {
			if err := db.EnqueueNotification(ctx, tx, &fugong.Notification{County: d.County, Channel: fugong.ChannelInApp, UserID: d.DeclaredBy,
				Subject: "declaration." + r.Decision, Body: d.Enterprise + "：" + r.Reason, Entity: "declarations", EntityID: strconv.FormatInt(d.ID, 10)}); err != nil {
				return err
			}
		}
		out = d
		return db.Audit(ctx, tx, d.County, "review", "declarations", d.ID, before, map[string]any{"state": d.State, "review": r})
	})
	return out, err
}

// CreateReviewTx inserts a review as given, for the workflow and the demo.
func (db *DB) CreateReviewTx(ctx context.Context, q Querier, r *fugong.Review, at time.Time) error {
	r.At = at
	if err := q.QueryRowContext(ctx, `INSERT INTO declaration_reviews (region_code, declaration_id, enterprise_id, stage, decision, reason, user_id, username, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		r.County, r.DeclarationID, r.EnterpriseID, r.Stage, r.Decision, r.Reason, r.UserID, r.Username, ms(at)).Scan(&r.ID); err != nil {
		return fmt.Errorf("create review: %w", err)
	}
	return nil
}

// FindReviews lists a declaration's decisions in order.
func (db *DB) FindReviews(ctx context.Context, sc fugong.Scope, declarationID int64) ([]fugong.Review, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT r.id, r.region_code, r.declaration_id, r.enterprise_id, r.stage, r.decision, r.reason, r.user_id, r.username, r.at
		FROM declaration_reviews r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.declaration_id = `+a.add(declarationID)+` AND `+EnterpriseScope(sc, "e", &a)+
		` ORDER BY r.at, r.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find reviews: %w", err)
	}
	defer rows.Close()
	var out []fugong.Review
	for rows.Next() {
		var r fugong.Review
		var at int64
		if err := rows.Scan(&r.ID, &r.County, &r.DeclarationID, &r.EnterpriseID, &r.Stage, &r.Decision, &r.Reason, &r.UserID, &r.Username, &at); err != nil {
			return nil, err
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// setStatus changes an enterprise's status on a day, keeping the day of the change and a
// line on its timeline.
func (db *DB) setStatus(ctx context.Context, q Querier, e fugong.Enterprise, status, resumedOn, day string) error {
	if _, err := q.ExecContext(ctx, `UPDATE enterprises SET status = $1, status_date = $2, resumed_on = $3, version = version + 1, updated_at = $4 WHERE id = $5`,
		status, day, resumedOn, db.now(), e.ID); err != nil {
		return fmt.Errorf("set status: %w", err)
	}
	if status == e.Status {
		return nil
	}
	return db.AddEvent(ctx, q, fugong.Event{County: e.County, EnterpriseID: e.ID, Day: day, Kind: fugong.EventStatus, Detail: status, Username: fugong.ActorFrom(ctx).Username})
}

// AddEvent appends a line to an enterprise's timeline.
func (db *DB) AddEvent(ctx context.Context, q Querier, ev fugong.Event) error {
	at := db.now()
	if !ev.At.IsZero() {
		at = ms(ev.At)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO enterprise_events (region_code, enterprise_id, day, at, kind, detail, username) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		ev.County, ev.EnterpriseID, ev.Day, at, ev.Kind, ev.Detail, ev.Username); err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return nil
}

// FindEvents returns an enterprise's timeline, oldest first.
func (db *DB) FindEvents(ctx context.Context, sc fugong.Scope, enterpriseID int64) ([]fugong.Event, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT v.id, v.region_code, v.enterprise_id, v.day, v.at, v.kind, v.detail, v.username, COALESCE(u.display_name, '')
		FROM enterprise_events v JOIN enterprises e ON e.id = v.enterprise_id LEFT JOIN users u ON u.username = v.username AND u.region_code = v.region_code WHERE v.enterprise_id = `+a.add(enterpriseID)+` AND `+EnterpriseScope(sc, "e", &a)+
		` ORDER BY v.day, v.at, v.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []fugong.Event
	for rows.Next() {
		var v fugong.Event
		var at int64
		if err := rows.Scan(&v.ID, &v.County, &v.EnterpriseID, &v.Day, &at, &v.Kind, &v.Detail, &v.Username, &v.Name); err != nil {
			return nil, err
		}
		v.At = fromMS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
