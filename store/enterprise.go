package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

const enterpriseCols = `e.id, e.region_code, e.name, e.uscc, e.township, e.village, e.address, e.industry, e.focus_area, e.above_scale, e.park_tenant,
	e.monthly_rent, e.payroll, e.contact_name, e.contact_phone, e.workshop, e.status, e.status_date, e.resumed_on, e.demo, e.version, e.created_at, e.updated_at`

func scanEnterprise(row interface{ Scan(...any) error }, e *fugong.Enterprise, extra ...any) error {
	var c, u int64
	dest := []any{&e.ID, &e.County, &e.Name, &e.USCC, &e.Township, &e.Village, &e.Address, &e.Industry, &e.FocusArea, &e.AboveScale, &e.ParkTenant,
		&e.MonthlyRent, &e.Payroll, &e.ContactName, &e.ContactPhone, &e.Workshop, &e.Status, &e.StatusDate, &e.ResumedOn, &e.Demo, &e.Version, &c, &u}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	e.CreatedAt, e.UpdatedAt = fromMS(c), fromMS(u)
	return nil
}

// queryEnterprises runs `SELECT enterpriseCols FROM enterprises e` followed by rest (its
// WHERE and ORDER BY) and scans every row; what names the query in an error.
func queryEnterprises(ctx context.Context, q Querier, what, rest string, vals ...any) ([]fugong.Enterprise, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+enterpriseCols+` FROM enterprises e`+rest, vals...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []fugong.Enterprise
	for rows.Next() {
		var e fugong.Enterprise
		if err := scanEnterprise(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateEnterprise validates and saves an enterprise; a duplicate credit code is refused.
func (db *DB) CreateEnterprise(ctx context.Context, sc fugong.Scope, e *fugong.Enterprise) error {
	if err := sc.Allow(fugong.PermEnterpriseEdit); err != nil {
		return err
	}
	e.County = sc.County
	var k string
	if e.Township, k = fugong.CheckOwnTownship(sc, e.Township); k != "" {
		return fugong.Invalid(map[string]fugong.Msg{"township": fugong.M(k)})
	}
	if err := e.Validate(); err != nil {
		return err
	}
	// A new enterprise has no declaration yet, so it cannot start out 已复工.
	if err := e.CheckResumption(db.Today(), false); err != nil {
		return err
	}
	if err := checkTownship(ctx, db.R, e.County, e.Township, "township"); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateEnterpriseTx(ctx, tx, e) })
}

// approvedDeclaration reports whether an enterprise has a declaration of resumption that
// both reviews approved: the ground CheckResumption asks for.
func (db *DB) approvedDeclaration(ctx context.Context, q Querier, enterpriseID int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM declarations WHERE enterprise_id = $1 AND state = $2`, enterpriseID, fugong.DeclApproved).Scan(&n); err != nil {
		return false, fmt.Errorf("find approved declaration: %w", err)
	}
	return n > 0, nil
}

// CreateEnterpriseTx saves a validated enterprise inside the caller's transaction.
func (db *DB) CreateEnterpriseTx(ctx context.Context, q Querier, e *fugong.Enterprise) error {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	now := db.now()
	err := q.QueryRowContext(ctx, `INSERT INTO enterprises (region_code, name, uscc, township, village, address, industry, focus_area, above_scale, park_tenant,
		monthly_rent, payroll, contact_name, contact_phone, workshop, status, status_date, resumed_on, demo, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id`,
		e.County, e.Name, e.USCC, e.Township, e.Village, e.Address, e.Industry, e.FocusArea, e.AboveScale, e.ParkTenant,
		e.MonthlyRent, e.Payroll, e.ContactName, e.ContactPhone, e.Workshop, e.Status, e.StatusDate, e.ResumedOn, e.Demo, now).Scan(&e.ID)
	if err != nil {
		err = mapErr(err)
		if fugong.ErrorCode(err) == fugong.ECONFLICT {
			return fugong.Invalid(map[string]fugong.Msg{"uscc": fugong.M("uscc.duplicate")})
		}
		return fmt.Errorf("create enterprise: %w", err)
	}
	e.Version, e.CreatedAt, e.UpdatedAt = 1, fromMS(now), fromMS(now)
	return db.Audit(ctx, q, e.County, "create", "enterprises", e.ID, nil, e)
}

// FindEnterprise returns one enterprise in the caller's scope.
func (db *DB) FindEnterprise(ctx context.Context, sc fugong.Scope, id int64) (fugong.Enterprise, error) {
	return db.findEnterprise(ctx, db.R, sc, id)
}

func (db *DB) findEnterprise(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Enterprise, error) {
	var a args
	var e fugong.Enterprise
	err := scanEnterprise(q.QueryRowContext(ctx, `SELECT `+enterpriseCols+` FROM enterprises e WHERE e.id = `+a.add(id)+` AND `+EnterpriseScope(sc, "e", &a), a.vals...), &e)
	return e, mapErr(err)
}

// FindEnterprises lists the enterprises in the caller's scope that match f, with the total.
func (db *DB) FindEnterprises(ctx context.Context, sc fugong.Scope, f fugong.EnterpriseFilter) ([]fugong.Enterprise, int, error) {
	var a args
	c := []string{EnterpriseScope(sc, "e", &a)}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := a.add(like(q))
		c = append(c, "(lower(e.name) LIKE "+p+` ESCAPE '\' OR lower(e.uscc) LIKE `+p+` ESCAPE '\')`)
	}
	if f.Township != "" {
		c = append(c, "e.township = "+a.add(f.Township))
	}
	if f.FocusArea != "" {
		c = append(c, "e.focus_area = "+a.add(f.FocusArea))
	}
	if f.Status != "" {
		c = append(c, "e.status = "+a.add(f.Status))
	}
	if f.AboveScale != nil {
		c = append(c, "e.above_scale = "+a.add(*f.AboveScale))
	}
	limit, offset := page(f.Limit, f.Offset)
	out, err := queryEnterprises(ctx, db.R, "find enterprises", where(c)+
		` ORDER BY e.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, err
	}
	// A page that is not full is the last one and says the total; otherwise it is counted
	// apart. (COUNT(*) OVER() made the database gather every matching row, all columns,
	// before the page could be cut: 0.5–2 s at 100,000 enterprises; a COUNT(*) alone
	// reads an index when the filter allows it.)
	if len(out) > 0 && len(out) < limit || offset == 0 && len(out) == 0 {
		return out, offset + len(out), nil
	}
	total := 0
	err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises e`+where(c), a.vals[:len(a.vals)-2]...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("count enterprises: %w", err)
	}
	return out, total, nil
}

// UpdateEnterprise applies fn to the enterprise as the caller sees it and saves it if its
// version is still the one read: of two simultaneous edits, the second gets a conflict.
func (db *DB) UpdateEnterprise(ctx context.Context, sc fugong.Scope, id, version int64, fn func(e *fugong.Enterprise) error) (fugong.Enterprise, error) {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	var out fugong.Enterprise
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findEnterprise(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return fugong.Conflict("error.stale")
		}
		e := before
		if err := fn(&e); err != nil {
			return err
		}
		var k string
		if e.Township, k = fugong.CheckOwnTownship(sc, e.Township); k != "" {
			return fugong.Invalid(map[string]fugong.Msg{"township": fugong.M(k)})
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if e.Status == fugong.StatusResumed && (before.Status != fugong.StatusResumed || e.ResumedOn != before.ResumedOn) {
			ok, err := db.approvedDeclaration(ctx, tx, e.ID)
			if err != nil {
				return err
			}
			if err := e.CheckResumption(db.Today(), ok); err != nil {
				return err
			}
		}
		if e.Township != before.Township {
			if err := checkTownship(ctx, tx, e.County, e.Township, "township"); err != nil {
				return err
			}
		}
		if e.Status != before.Status {
			e.StatusDate = db.Today()
			if err := db.AddEvent(ctx, tx, fugong.Event{County: e.County, EnterpriseID: e.ID, Day: e.StatusDate, Kind: fugong.EventStatus, Detail: e.Status,
				Username: fugong.ActorFrom(ctx).Username}); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprises SET name = $1, uscc = $2, township = $3, village = $4, address = $5, industry = $6, focus_area = $7,
			above_scale = $8, park_tenant = $9, monthly_rent = $10, payroll = $11, contact_name = $12, contact_phone = $13, workshop = $14, status = $15,
			status_date = $16, resumed_on = $17, version = version + 1, updated_at = $18 WHERE id = $19 AND version = $20`,
			e.Name, e.USCC, e.Township, e.Village, e.Address, e.Industry, e.FocusArea, e.AboveScale, e.ParkTenant, e.MonthlyRent, e.Payroll,
			e.ContactName, e.ContactPhone, e.Workshop, e.Status, e.StatusDate, e.ResumedOn, db.now(), id, before.Version)
		if err != nil {
			err = mapErr(err)
			if fugong.ErrorCode(err) == fugong.ECONFLICT {
				return fugong.Invalid(map[string]fugong.Msg{"uscc": fugong.M("uscc.duplicate")})
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		e.Version = before.Version + 1
		out = e
		if err := db.EnqueueRecompute(ctx, tx, e.County, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, e.County, "update", "enterprises", id, before, e)
	})
	return out, err
}

// CreateKeyProjectTx saves a key project inside the caller's transaction.
func (db *DB) CreateKeyProjectTx(ctx context.Context, q Querier, p *fugong.KeyProject) error {
	err := q.QueryRowContext(ctx, `INSERT INTO key_projects (region_code, name, township, investment, stage, progress, demo) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.County, p.Name, p.Township, p.Investment, p.Stage, p.Progress, p.Demo).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("create key project: %w", err)
	}
	p.Version = 1
	return db.Audit(ctx, q, p.County, "create", "key_projects", p.ID, nil, p)
}

// AssignLiaisonTx assigns a liaison to an enterprise from a date.
func (db *DB) AssignLiaisonTx(ctx context.Context, q Querier, county string, enterpriseID, userID int64, from string) error {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO liaison_assignments (region_code, enterprise_id, user_id, from_date) VALUES ($1, $2, $3, $4) RETURNING id`,
		county, enterpriseID, userID, from).Scan(&id); err != nil {
		return fmt.Errorf("assign liaison: %w", err)
	}
	return db.Audit(ctx, q, county, "create", "liaison_assignments", id, nil, map[string]any{"enterprise_id": enterpriseID, "user_id": userID, "from_date": from})
}

// LinkLeaderTx links a county leader to an enterprise or a key project from a date.
func (db *DB) LinkLeaderTx(ctx context.Context, q Querier, county string, userID, enterpriseID, projectID int64, from string) error {
	var id int64
	if err := q.QueryRowContext(ctx, `INSERT INTO leader_links (region_code, user_id, enterprise_id, project_id, from_date) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		county, userID, nullID(enterpriseID), nullID(projectID), from).Scan(&id); err != nil {
		return fmt.Errorf("link leader: %w", err)
	}
	return db.Audit(ctx, q, county, "create", "leader_links", id, nil, map[string]any{"user_id": userID, "enterprise_id": enterpriseID, "project_id": projectID, "from_date": from})
}
