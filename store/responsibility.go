package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

// ResponsibilityFilter selects enterprises' chains of responsibility.
type ResponsibilityFilter struct {
	Query string
	// Gaps keeps only enterprises with a duty nobody is named for.
	Gaps bool
}

// departmentLead is a department that supervises focus areas, with the officer named for it.
type departmentLead struct {
	covers []string
	person fugong.Person
}

func (db *DB) departmentLeads(ctx context.Context, county string) ([]departmentLead, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT o.name, o.focus_areas, COALESCE(u.display_name, ''), COALESCE(u.phone, '') FROM org_units o
		LEFT JOIN users u ON u.id = (SELECT MIN(x.id) FROM users x WHERE x.org_unit_id = o.id AND x.role = 'department' AND x.disabled = FALSE)
		WHERE o.region_code = $1 AND o.kind = 'department' ORDER BY o.id`, county)
	if err != nil {
		return nil, fmt.Errorf("department leads: %w", err)
	}
	defer rows.Close()
	var out []departmentLead
	for rows.Next() {
		var d departmentLead
		var areas string
		if err := rows.Scan(&d.person.Unit, &areas, &d.person.Name, &d.person.Phone); err != nil {
			return nil, err
		}
		for _, a := range strings.Split(areas, ",") {
			if a = strings.TrimSpace(a); a != "" {
				d.covers = append(d.covers, a)
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (db *DB) responsibilityOverrides(ctx context.Context, county string) (map[int64]map[string]fugong.Person, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT enterprise_id, kind, name, phone FROM responsibility_overrides WHERE region_code = $1`, county)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]fugong.Person{}
	for rows.Next() {
		var id int64
		var kind string
		var p fugong.Person
		if err := rows.Scan(&id, &kind, &p.Name, &p.Phone); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]fugong.Person{}
		}
		out[id][kind] = p
	}
	return out, rows.Err()
}

// FindResponsibilities names, for every enterprise in the caller's scope, the person for
// each of the four responsibilities: its contact person (企业主体), its township's officer
// (乡镇属地), the officer of the department that supervises its focus area (部门监管) and
// its liaison (联络员服务) — unless the county named someone else. A poverty workshop's
// department is the one supervising workshops (fugong.WorkshopArea).
func (db *DB) FindResponsibilities(ctx context.Context, sc fugong.Scope, f ResponsibilityFilter) ([]fugong.Responsibilities, error) {
	depts, err := db.departmentLeads(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	covers := make([][]string, len(depts))
	for i, d := range depts {
		covers[i] = d.covers
	}
	overrides, err := db.responsibilityOverrides(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	var a args
	c := []string{EnterpriseScope(sc, "e", &a)}
	if q := strings.TrimSpace(f.Query); q != "" {
		c = append(c, "lower(e.name) LIKE "+a.add(like(q))+` ESCAPE '\'`)
	}
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, e.focus_area, e.workshop, e.contact_name, e.contact_phone,
		COALESCE(tu.display_name, ''), COALESCE(tu.phone, ''), COALESCE(tou.name, ''),
		COALESCE(lu.display_name, ''), COALESCE(lu.phone, ''), COALESCE(lu.rank, '')
		FROM enterprises e
		LEFT JOIN users tu ON tu.id = (SELECT MIN(u.id) FROM users u WHERE u.role = 'township' AND u.region = e.township AND u.disabled = FALSE)
		LEFT JOIN org_units tou ON tou.id = tu.org_unit_id
		LEFT JOIN users lu ON lu.id = (SELECT MIN(la.user_id) FROM liaison_assignments la WHERE la.enterprise_id = e.id AND la.to_date = '')`+
		where(c)+` ORDER BY e.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find responsibilities: %w", err)
	}
	defer rows.Close()
	var out []fugong.Responsibilities
	for rows.Next() {
		var r fugong.Responsibilities
		var ent, town, liaison fugong.Person
		var rank string
		var workshop bool
		if err := rows.Scan(&r.EnterpriseID, &r.EnterpriseName, &r.Township, &r.FocusArea, &workshop, &ent.Name, &ent.Phone,
			&town.Name, &town.Phone, &town.Unit, &liaison.Name, &liaison.Phone, &rank); err != nil {
			return nil, err
		}
		ent.Unit, liaison.Unit = r.EnterpriseName, rank
		cand := map[string]fugong.Person{fugong.DutyEnterprise: ent, fugong.DutyTownship: town, fugong.DutyLiaison: liaison}
		if i := fugong.SupervisingDepartmentOf(r.FocusArea, workshop, covers); i >= 0 {
			cand[fugong.DutyDepartment] = depts[i].person
		}
		if workshop && r.FocusArea == "" {
			r.FocusArea = fugong.WorkshopArea
		}
		r.Named = fugong.Resolve(cand, overrides[r.EnterpriseID])
		if f.Gaps && len(r.Gaps()) == 0 {
			continue
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetResponsibility names the person for one duty of an enterprise by hand, or with an
// empty name goes back to the one derived from links and org units. Command and admin only.
func (db *DB) SetResponsibility(ctx context.Context, sc fugong.Scope, enterpriseID int64, duty string, p fugong.Person) error {
	if err := sc.Allow(fugong.PermResponsibility); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	valid := false
	for _, d := range fugong.Duties {
		valid = valid || d == duty
	}
	if !valid {
		f.Add("duty", "duty.unknown")
	}
	p.Name, p.Phone = strings.TrimSpace(p.Name), strings.TrimSpace(p.Phone)
	if len([]rune(p.Name)) > 100 || len(p.Phone) > 30 {
		f.Add("name", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.findEnterprise(ctx, tx, sc, enterpriseID); err != nil {
			return err
		}
		var err error
		if p.Name == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM responsibility_overrides WHERE enterprise_id = $1 AND kind = $2`, enterpriseID, duty)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO responsibility_overrides (region_code, enterprise_id, kind, name, phone, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (enterprise_id, kind, region_code) DO UPDATE SET name = excluded.name, phone = excluded.phone, updated_at = excluded.updated_at`,
				sc.County, enterpriseID, duty, p.Name, p.Phone, db.now())
		}
		if err != nil {
			return fmt.Errorf("set responsibility: %w", err)
		}
		return db.Audit(ctx, tx, sc.County, "update", "responsibility_overrides", fmt.Sprintf("%d/%s", enterpriseID, duty), nil, p)
	})
}
