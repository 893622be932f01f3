package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

// judicialScope limits visits to the county for county-wide roles and to a department's
// own visits; everyone else sees none.
func judicialScope(sc fugong.Scope, a *args) string {
	switch {
	case sc.Role.CountyWide():
		return "v.region_code = " + a.add(sc.County)
	case sc.Role == fugong.RoleDepartment && sc.OrgUnitID != 0:
		return "v.org_unit_id = " + a.add(sc.OrgUnitID)
	}
	return "1 = 0"
}

// RecordJudicialVisit records a visit of the court or the procuratorate (a department
// records its own; the command or admin names the body) to an enterprise of the county.
// A need taken in becomes a demand of the category 司法, created and dispatched to the
// visiting body through the demand workflow, so that the same-day rule watches it.
func (db *DB) RecordJudicialVisit(ctx context.Context, sc fugong.Scope, ds *Demands, v *fugong.JudicialVisit) error {
	if err := sc.Allow(fugong.PermJudicialRecord); err != nil {
		return err
	}
	if sc.Role == fugong.RoleDepartment {
		v.OrgUnitID = sc.OrgUnitID
	}
	if err := v.Validate(); err != nil {
		return err
	}
	v.County = sc.County
	var kind string
	if err := db.R.QueryRowContext(ctx, `SELECT kind, name FROM org_units WHERE id = $1 AND region_code = $2`, v.OrgUnitID, sc.County).Scan(&kind, &v.OrgUnitName); err != nil || kind != fugong.OrgDepartment {
		return fugong.Invalid(map[string]fugong.Msg{"org_unit_id": fugong.M("demand.department_unknown")})
	}
	// Only the county's judicial bodies (the court, the procuratorate, as the setting
	// judicial.org_units lists them) make judicial visits.
	bodies, err := db.judicialNames(ctx, sc.County)
	if err != nil {
		return err
	}
	if !bodies[v.OrgUnitName] {
		return fugong.Invalid(map[string]fugong.Msg{"org_unit_id": fugong.M("judicial.not_judicial", v.OrgUnitName)})
	}
	// The court may visit any enterprise of the county: the demand is raised in the
	// county's scope; another department only in its own sector.
	county := JudicialScope(sc)
	var d *fugong.Demand
	var pol fugong.ClockPolicy
	if v.Need != "" {
		if pol, err = ds.Policy(ctx, sc.County); err != nil {
			return err
		}
		d = &fugong.Demand{EnterpriseID: v.EnterpriseID, Category: fugong.JudicialCategory, Description: v.Need, Fields: map[string]string{"matter": v.Matter},
			Urgency: fugong.UrgencyNormal, Channel: fugong.ChannelOnSite, RaisedBy: sc.UserID, RaisedByName: v.OrgUnitName + "·" + v.Visitor, Demo: v.Demo}
		if err := ds.Prepare(ctx, county, d, pol); err != nil {
			return err
		}
	} else if err := db.CanSeeEnterprise(ctx, county, v.EnterpriseID); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"enterprise_id": fugong.M("demand.enterprise_unknown")})
	}
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		if d != nil {
			if err := ds.CreateTx(ctx, tx, d, pol); err != nil {
				return err
			}
			v.DemandID = d.ID
		}
		return db.CreateJudicialVisitTx(ctx, tx, v)
	})
	if err != nil || d == nil {
		return err
	}
	_, err = ds.Step(ctx, county, d.ID, fugong.DemandStep{Action: fugong.ActDispatch, Departments: []int64{v.OrgUnitID}, Note: v.Note})
	if err != nil {
		return fmt.Errorf("dispatch judicial need %d: %w", d.ID, err)
	}
	return nil
}

// judicialNames lists the names of the county's judicial bodies (JudicialOrgSetting).
func (db *DB) judicialNames(ctx context.Context, county string) (map[string]bool, error) {
	v, err := db.Setting(ctx, county, JudicialOrgSetting, DefaultJudicial)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out[n] = true
		}
	}
	return out, nil
}

// JudicialBodies lists the county's org units that make judicial visits, for the form.
func (db *DB) JudicialBodies(ctx context.Context, county string) ([]fugong.OrgUnit, error) {
	names, err := db.judicialNames(ctx, county)
	if err != nil {
		return nil, err
	}
	all, err := db.FindOrgUnits(ctx, county)
	if err != nil {
		return nil, err
	}
	var out []fugong.OrgUnit
	for _, o := range all {
		if o.Kind == fugong.OrgDepartment && !o.Retired && names[o.Name] {
			out = append(out, o)
		}
	}
	return out, nil
}

// CreateJudicialVisitTx writes a visit inside the caller's transaction.
func (db *DB) CreateJudicialVisitTx(ctx context.Context, q Querier, v *fugong.JudicialVisit) error {
	if err := q.QueryRowContext(ctx, `INSERT INTO judicial_visits (region_code, org_unit_id, enterprise_id, day, visitor, note, demand_id, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		v.County, v.OrgUnitID, v.EnterpriseID, v.Day, v.Visitor, v.Note, v.DemandID, v.Demo).Scan(&v.ID); err != nil {
		return fmt.Errorf("create judicial visit: %w", err)
	}
	return db.Audit(ctx, q, v.County, "create", "judicial_visits", v.ID, nil, v)
}

// FindJudicialVisits lists the visits in the caller's scope, newest first, with the
// demand each need became.
func (db *DB) FindJudicialVisits(ctx context.Context, sc fugong.Scope, limit, offset int) ([]fugong.JudicialVisit, int, error) {
	var a args
	limit, offset = page(limit, offset)
	rows, err := db.R.QueryContext(ctx, `SELECT v.id, v.region_code, v.org_unit_id, o.name, v.enterprise_id, e.name, v.day, v.visitor, v.note, v.demand_id, COALESCE(d.description, ''), v.demo, COUNT(*) OVER()
		FROM judicial_visits v JOIN org_units o ON o.id = v.org_unit_id JOIN enterprises e ON e.id = v.enterprise_id LEFT JOIN demands d ON d.id = v.demand_id
		WHERE `+judicialScope(sc, &a)+` ORDER BY v.day DESC, v.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find judicial visits: %w", err)
	}
	defer rows.Close()
	var out []fugong.JudicialVisit
	total := 0
	for rows.Next() {
		var v fugong.JudicialVisit
		if err := rows.Scan(&v.ID, &v.County, &v.OrgUnitID, &v.OrgUnitName, &v.EnterpriseID, &v.EnterpriseName, &v.Day, &v.Visitor, &v.Note, &v.DemandID, &v.Need, &v.Demo, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
