package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

const orgUnitCols = `id, region_code, kind, name, region, focus_areas, retired, version`

func scanOrgUnit(row interface{ Scan(...any) error }, o *fugong.OrgUnit) error {
	return row.Scan(&o.ID, &o.County, &o.Kind, &o.Name, &o.Region, &o.FocusAreas, &o.Retired, &o.Version)
}

// FindOrgUnit returns one org unit of the caller's county.
func (db *DB) FindOrgUnit(ctx context.Context, sc fugong.Scope, id int64) (fugong.OrgUnit, error) {
	return db.findOrgUnit(ctx, db.R, sc, id)
}

func (db *DB) findOrgUnit(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.OrgUnit, error) {
	var o fugong.OrgUnit
	if !sc.Can(fugong.PermSetupView) {
		return o, fugong.NotFound()
	}
	err := scanOrgUnit(q.QueryRowContext(ctx, `SELECT `+orgUnitCols+` FROM org_units WHERE id = $1 AND region_code = $2`, id, sc.County), &o)
	return o, mapErr(err)
}

// checkOrgUnit validates o and, for a township office, its township against the county's
// regions; a name already used in the county is a field error.
func (db *DB) checkOrgUnit(ctx context.Context, q Querier, o *fugong.OrgUnit) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Kind == fugong.OrgTownship {
		return checkTownship(ctx, q, o.County, o.Region, "region")
	}
	return nil
}

// AddOrgUnit validates and saves a new org unit of the caller's county (admin).
func (db *DB) AddOrgUnit(ctx context.Context, sc fugong.Scope, o *fugong.OrgUnit) error {
	if err := sc.Allow(fugong.PermSetupEdit); err != nil {
		return err
	}
	o.County, o.Retired = sc.County, false
	if err := db.checkOrgUnit(ctx, db.R, o); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.addOrgUnitTx(ctx, tx, o) })
}

func (db *DB) addOrgUnitTx(ctx context.Context, tx Querier, o *fugong.OrgUnit) error {
	err := db.CreateOrgUnit(ctx, tx, o)
	if fugong.ErrorCode(err) == fugong.ECONFLICT {
		return fugong.Invalid(map[string]fugong.Msg{"name": fugong.M("orgunit.name_taken", o.Name)})
	}
	o.Version = 1
	return err
}

// UpdateOrgUnit applies fn to an org unit of the caller's county (admin) and saves it if
// its version is still the one read; retiring is setting Retired.
func (db *DB) UpdateOrgUnit(ctx context.Context, sc fugong.Scope, id, version int64, fn func(o *fugong.OrgUnit) error) (fugong.OrgUnit, error) {
	if err := sc.Allow(fugong.PermSetupEdit); err != nil {
		return fugong.OrgUnit{}, err
	}
	var out fugong.OrgUnit
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findOrgUnit(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return fugong.Conflict("error.stale")
		}
		o := before
		if err := fn(&o); err != nil {
			return err
		}
		o.ID, o.County = before.ID, before.County
		if err := db.checkOrgUnit(ctx, tx, &o); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE org_units SET kind = $1, name = $2, region = $3, focus_areas = $4, retired = $5, version = version + 1
			WHERE id = $6 AND version = $7`, o.Kind, o.Name, o.Region, o.FocusAreas, o.Retired, id, before.Version)
		if err != nil {
			if fugong.ErrorCode(mapErr(err)) == fugong.ECONFLICT {
				return fugong.Invalid(map[string]fugong.Msg{"name": fugong.M("orgunit.name_taken", o.Name)})
			}
			return fmt.Errorf("update org unit %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		o.Version = before.Version + 1
		out = o
		db.authEpoch.Add(1) // a department's focus areas are part of its officers' scope
		return db.Audit(ctx, tx, o.County, "update", "org_units", id, before, o)
	})
	return out, err
}

// ImportOrgUnits adds every row in one transaction, or none: a name already in the
// county, or twice in the sheet, is a bad cell.
func (db *DB) ImportOrgUnits(ctx context.Context, sc fugong.Scope, rows []ImportRow[fugong.OrgUnit]) error {
	if err := sc.Allow(fugong.PermSetupEdit); err != nil {
		return err
	}
	bad := &ImportError{}
	seen := map[string]bool{}
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			o := r.V
			o.County = sc.County
			if err := db.checkOrgUnit(ctx, tx, &o); err != nil {
				if err := badCells(bad, r, err); err != nil {
					return err
				}
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units WHERE region_code = $1 AND name = $2`, o.County, o.Name).Scan(&n); err != nil {
				return err
			}
			if n > 0 || seen[o.Name] {
				bad.Rows = append(bad.Rows, r.cell("name", fugong.M("orgunit.name_taken", o.Name)))
				continue
			}
			seen[o.Name] = true
			if err := db.addOrgUnitTx(ctx, tx, &o); err != nil {
				return err
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return nil
	})
	return err
}
