package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// ImportRegions checks every region and writes them all in one transaction, or none:
// each bad cell is named in the returned error's Fields by fugong.CellKey (its line and
// column: code, name or parent_code).
// Existing codes are updated in place.
func (db *DB) ImportRegions(ctx context.Context, county string, regions []fugong.Region, lineOf func(i int) int) error {
	f := fugong.FieldErrors{}
	known := map[string]fugong.Region{}
	rows, err := db.R.QueryContext(ctx, `SELECT code, name, COALESCE(parent_code, ''), level FROM regions`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r fugong.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.ParentCode, &r.Level); err != nil {
			rows.Close()
			return err
		}
		known[r.Code] = r
	}
	rows.Close()
	for i, r := range regions {
		line := lineOf(i)
		if r.Name == "" {
			f.Add(fugong.CellKey(line, "name"), "region.name_required")
			continue
		}
		if k := fugong.CheckRegionCode(r.Code, r.Level); k != "" {
			f.Add(fugong.CellKey(line, "code"), k, r.Code)
			continue
		}
		if r.Level != fugong.LevelProvince {
			p, ok := known[r.ParentCode]
			if !ok {
				f.Add(fugong.CellKey(line, "parent_code"), "region.parent_unknown", r.ParentCode)
				continue
			}
			if !p.IsParentOf(r) {
				f.Add(fugong.CellKey(line, "parent_code"), "region.parent_mismatch", r.ParentCode)
				continue
			}
		}
		known[r.Code] = r
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, r := range regions {
			rc := fugong.CountyOf(r.Code) // provinces and cities are their own
			var parent any
			if r.ParentCode != "" {
				parent = r.ParentCode
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, region_code, name, parent_code, level, demo) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code, level = excluded.level, demo = excluded.demo`,
				r.Code, rc, r.Name, parent, r.Level, r.Demo); err != nil {
				return fmt.Errorf("import region %s: %w", r.Code, err)
			}
		}
		return db.Audit(ctx, tx, county, "import", "regions", "", nil, map[string]int{"count": len(regions)})
	})
}

// FindRegions lists the children of parent (or the roots when parent is empty).
func (db *DB) FindRegions(ctx context.Context, parent string) ([]fugong.Region, error) {
	q := `SELECT code, name, COALESCE(parent_code, ''), level, demo FROM regions WHERE parent_code = $1 ORDER BY code`
	a := []any{parent}
	if parent == "" {
		q = `SELECT code, name, COALESCE(parent_code, ''), level, demo FROM regions WHERE parent_code IS NULL ORDER BY code`
		a = nil
	}
	rows, err := db.R.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("find regions: %w", err)
	}
	defer rows.Close()
	var out []fugong.Region
	for rows.Next() {
		var r fugong.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.ParentCode, &r.Level, &r.Demo); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRegion returns one region.
func (db *DB) FindRegion(ctx context.Context, code string) (fugong.Region, error) {
	var r fugong.Region
	err := db.R.QueryRowContext(ctx, `SELECT code, name, COALESCE(parent_code, ''), level, demo FROM regions WHERE code = $1`, code).
		Scan(&r.Code, &r.Name, &r.ParentCode, &r.Level, &r.Demo)
	return r, mapErr(err)
}

// RegionNames maps every code under (and including) a county to its name, for display.
func (db *DB) RegionNames(ctx context.Context, county string) (map[string]string, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT code, name FROM regions WHERE region_code = $1`, county)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// checkTownship answers an invalid error on field when code is not a township of the
// county in the regions table — on an empty install, before the county's regions are
// loaded, every township is — instead of letting the foreign key refuse the row.
func checkTownship(ctx context.Context, q Querier, county, code, field string) error {
	if code == "" {
		return nil // Validate names a missing township
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code = $1 AND region_code = $2 AND level = $3`, code, county, fugong.LevelTownship).Scan(&n); err != nil {
		return fmt.Errorf("check township %s: %w", code, err)
	}
	if n == 0 {
		return fugong.Invalid(map[string]fugong.Msg{field: fugong.M("setup.township_missing", code)})
	}
	return nil
}
