package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"fugong"
)

// DemandRaiser turns the demand a liaison writes on a visit into a demand of the demands
// workflow. It runs inside the visit's transaction, so that the visit, its demand and their
// audit lines commit together or not at all; it returns the new demand's id.
type DemandRaiser interface {
	RaiseFromVisit(ctx context.Context, tx *sql.Tx, sc fugong.Scope, v *fugong.Visit) (int64, error)
}

// VisitLogOnly is the DemandRaiser used until the demands workflow is wired in: the demand
// stays on the visit (visit_demands) and no workflow demand is made.
type VisitLogOnly struct{}

// RaiseFromVisit makes no workflow demand.
func (VisitLogOnly) RaiseFromVisit(context.Context, *sql.Tx, fugong.Scope, *fugong.Visit) (int64, error) {
	return 0, nil
}

// VisitTasks is the county's list of what a liaison does on a visit.
func (db *DB) VisitTasks(ctx context.Context, county string) ([]string, error) {
	s, err := db.Setting(ctx, county, "liaison.visit_tasks", "")
	return fugong.ParseTasks(s), err
}

// CreateVisit logs a liaison's visit and the demand raised on it in one transaction. A
// visit whose client UUID is already stored is not made again: the first one is returned
// with created false. An enterprise the liaison is not assigned to answers not_found.
func (db *DB) CreateVisit(ctx context.Context, sc fugong.Scope, loc *time.Location, v *fugong.Visit, raiser DemandRaiser) (created bool, err error) {
	if err := sc.Allow(fugong.PermVisitLog); err != nil {
		return false, err
	}
	if raiser == nil {
		raiser = VisitLogOnly{}
	}
	uuid := strings.ToLower(strings.TrimSpace(v.ClientUUID))
	if first, err := db.visitByUUID(ctx, db.W, sc, uuid); err == nil {
		*v = first
		return false, nil
	} else if fugong.ErrorCode(err) != fugong.ENOTFOUND {
		return false, err
	}
	if _, err := db.findEnterprise(ctx, db.R, sc, v.EnterpriseID); err != nil {
		return false, err
	}
	tasks, err := db.VisitTasks(ctx, sc.County)
	if err != nil {
		return false, err
	}
	v.County, v.UserID = sc.County, sc.UserID
	if err := v.Validate(tasks, db.Clock.Now(), loc); err != nil {
		return false, err
	}
	err = db.WithTx(ctx, func(tx *sql.Tx) error { return db.createVisitTx(ctx, tx, sc, v, raiser) })
	if fugong.ErrorCode(err) == fugong.ECONFLICT {
		// Two sends of one form crossed: the other one won.
		if first, ferr := db.visitByUUID(ctx, db.W, sc, uuid); ferr == nil {
			*v = first
			return false, nil
		}
	}
	return err == nil, err
}

func (db *DB) createVisitTx(ctx context.Context, tx *sql.Tx, sc fugong.Scope, v *fugong.Visit, raiser DemandRaiser) error {
	now := db.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO visits (region_code, client_uuid, enterprise_id, user_id, day, checked_in_at, checked_out_at, located,
		latitude_e6, longitude_e6, accuracy_m, tasks, findings, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		v.County, v.ClientUUID, v.EnterpriseID, v.UserID, v.Day, ms(v.CheckedInAt), ms(v.CheckedOutAt), v.Located,
		e6(v.Latitude), e6(v.Longitude), v.AccuracyM, strings.Join(v.Tasks, "\n"), v.Findings, v.Demo, now).Scan(&v.ID)
	if err != nil {
		return fmt.Errorf("create visit: %w", mapErr(err))
	}
	v.CreatedAt = fromMS(now)
	if err := db.Audit(ctx, tx, v.County, "create", "visits", v.ID, nil, v); err != nil {
		return err
	}
	d := v.Demand
	if d == nil {
		return nil
	}
	d.VisitID = v.ID
	if d.DemandID, err = raiser.RaiseFromVisit(ctx, tx, sc, v); err != nil {
		return fmt.Errorf("raise demand from visit %d: %w", v.ID, err)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO visit_demands (region_code, visit_id, enterprise_id, user_id, day, category, description, on_site, demand_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		v.County, v.ID, v.EnterpriseID, v.UserID, v.Day, d.Category, d.Description, d.OnSite, d.DemandID, now).Scan(&d.ID); err != nil {
		return fmt.Errorf("create visit demand: %w", err)
	}
	return db.Audit(ctx, tx, v.County, "create", "visit_demands", d.ID, nil, d)
}

func e6(f float64) int64 { return int64(math.Round(f * 1e6)) }

const visitCols = `v.id, v.region_code, v.client_uuid, v.enterprise_id, v.user_id, v.day, v.checked_in_at, v.checked_out_at, v.located,
	v.latitude_e6, v.longitude_e6, v.accuracy_m, v.tasks, v.findings, v.demo, v.created_at, e.name, u.display_name,
	COALESCE(d.id, 0), COALESCE(d.category, ''), COALESCE(d.description, ''), COALESCE(d.on_site, FALSE), COALESCE(d.demand_id, 0)`

const visitFrom = ` FROM visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN users u ON u.id = v.user_id
	LEFT JOIN visit_demands d ON d.visit_id = v.id`

func scanVisit(row interface{ Scan(...any) error }, v *fugong.Visit, extra ...any) error {
	var in, out, created, lat, lng int64
	var tasks string
	var d fugong.VisitDemand
	dest := []any{&v.ID, &v.County, &v.ClientUUID, &v.EnterpriseID, &v.UserID, &v.Day, &in, &out, &v.Located, &lat, &lng, &v.AccuracyM, &tasks, &v.Findings,
		&v.Demo, &created, &v.EnterpriseName, &v.LiaisonName, &d.ID, &d.Category, &d.Description, &d.OnSite, &d.DemandID}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	v.CheckedInAt, v.CheckedOutAt, v.CreatedAt = fromMS(in), fromMS(out), fromMS(created)
	v.Latitude, v.Longitude = float64(lat)/1e6, float64(lng)/1e6
	v.Tasks = nil
	if tasks != "" {
		v.Tasks = strings.Split(tasks, "\n")
	}
	if d.ID != 0 {
		d.VisitID = v.ID
		v.Demand = &d
	}
	return nil
}

// visitScope limits visits to what sc may see: a liaison their own visits and those at the
// enterprises they are stationed at; everyone else the visits at enterprises in scope.
func visitScope(sc fugong.Scope, a *args) string {
	c := EnterpriseIDScope(sc, "v.enterprise_id", "v.region_code", a)
	if sc.Role == fugong.RoleLiaison {
		return "(v.user_id = " + a.add(sc.UserID) + " OR " + c + ")"
	}
	return c
}

func (db *DB) visitByUUID(ctx context.Context, q Querier, sc fugong.Scope, uuid string) (fugong.Visit, error) {
	var v fugong.Visit
	err := scanVisit(q.QueryRowContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.client_uuid = $1 AND v.region_code = $2`, uuid, sc.County), &v)
	if err != nil {
		return v, mapErr(err)
	}
	if v.UserID != sc.UserID {
		// Someone else's form: never show it.
		return fugong.Visit{}, fugong.Conflict("visit.uuid_taken")
	}
	return v, nil
}

// FindVisit returns one visit in the caller's scope.
func (db *DB) FindVisit(ctx context.Context, sc fugong.Scope, id int64) (fugong.Visit, error) {
	var a args
	var v fugong.Visit
	err := scanVisit(db.R.QueryRowContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.id = `+a.add(id)+` AND `+visitScope(sc, &a), a.vals...), &v)
	return v, mapErr(err)
}

// FindVisits lists visits in the caller's scope, newest first, with the total.
func (db *DB) FindVisits(ctx context.Context, sc fugong.Scope, f fugong.VisitFilter) ([]fugong.Visit, int, error) {
	var a args
	c := []string{visitScope(sc, &a)}
	if f.EnterpriseID != 0 {
		c = append(c, "v.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.UserID != 0 {
		c = append(c, "v.user_id = "+a.add(f.UserID))
	}
	if f.From != "" {
		c = append(c, "v.day >= "+a.add(f.From))
	}
	if f.To != "" {
		c = append(c, "v.day <= "+a.add(f.To))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+visitCols+`, COUNT(*) OVER()`+visitFrom+where(c)+
		` ORDER BY v.checked_in_at DESC, v.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find visits: %w", err)
	}
	defer rows.Close()
	var out []fugong.Visit
	total := 0
	for rows.Next() {
		var v fugong.Visit
		if err := scanVisit(rows, &v, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		err = db.R.QueryRowContext(ctx, `SELECT COUNT(*)`+visitFrom+where(c), a.vals[:len(a.vals)-2]...).Scan(&total)
	}
	return out, total, err
}
