package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// linkSelect reads leader links and liaison assignments as one list of dated links.
const linkSelect = `SELECT * FROM (
	SELECT l.id, l.region_code, 'leader' AS kind, l.user_id, u.username, u.display_name, COALESCE(l.enterprise_id, 0) AS enterprise_id,
		COALESCE(l.project_id, 0) AS project_id, COALESCE(e.name, p.name, '') AS target, l.from_date, l.to_date, COALESCE(e.township, p.township, '') AS township, u.phone
	FROM leader_links l JOIN users u ON u.id = l.user_id LEFT JOIN enterprises e ON e.id = l.enterprise_id LEFT JOIN key_projects p ON p.id = l.project_id
	UNION ALL
	SELECT l.id, l.region_code, 'liaison', l.user_id, u.username, u.display_name, l.enterprise_id, 0, e.name, l.from_date, l.to_date, e.township, u.phone
	FROM liaison_assignments l JOIN users u ON u.id = l.user_id JOIN enterprises e ON e.id = l.enterprise_id
) k`

// linkScope limits links to the caller's area: the county, or a township's own targets.
func linkScope(sc fugong.Scope, a *args) string {
	if sc.Is(fugong.RoleLiaison, fugong.RoleEnterprise) {
		// An enterprise and its liaisons see who is linked to it: their leader, their liaison.
		return EnterpriseIDScope(sc, "k.enterprise_id", "k.region_code", a)
	}
	return RegionScope(sc, "k.township", "k.region_code", a)
}

// FindLinks lists leader links and liaison assignments in the caller's scope.
func (db *DB) FindLinks(ctx context.Context, sc fugong.Scope, f fugong.LinkFilter) ([]fugong.Link, int, error) {
	var a args
	c := []string{linkScope(sc, &a)}
	if f.Kind != "" {
		c = append(c, "k.kind = "+a.add(f.Kind))
	}
	if f.UserID != 0 {
		c = append(c, "k.user_id = "+a.add(f.UserID))
	}
	if f.EnterpriseID != 0 {
		c = append(c, "k.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.ProjectID != 0 {
		c = append(c, "k.project_id = "+a.add(f.ProjectID))
	}
	if f.Current {
		c = append(c, "k.to_date = ''")
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, linkSelect+where(c)+` ORDER BY k.kind, k.target, k.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find links: %w", err)
	}
	defer rows.Close()
	var out []fugong.Link
	for rows.Next() {
		var l fugong.Link
		var town string
		if err := rows.Scan(&l.ID, &l.County, &l.Kind, &l.UserID, &l.Username, &l.DisplayName, &l.EnterpriseID, &l.ProjectID, &l.Target, &l.FromDate, &l.ToDate, &town, &l.Phone); err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var total int
	err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+linkSelect+where(c)+`) n`, a.vals[:len(a.vals)-2]...).Scan(&total)
	return out, total, err
}

// CreateLink links a county leader to an enterprise or project, or stations a liaison at
// an enterprise, after checking that the target is in the caller's scope and the person
// has the right role. County offices make both kinds; a township stations liaisons at
// its own enterprises.
func (db *DB) CreateLink(ctx context.Context, sc fugong.Scope, l *fugong.Link) error {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	if err := sc.Require(registryEditors...); err != nil {
		return err
	}
	if l.Kind == fugong.LinkLeader && sc.Role == fugong.RoleTownship {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	if err := l.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.createLinkTx(ctx, tx, sc, l) })
}

func (db *DB) createLinkTx(ctx context.Context, tx Querier, sc fugong.Scope, l *fugong.Link) error {
	l.County = sc.County
	if l.EnterpriseID != 0 {
		e, err := db.findEnterprise(ctx, tx, sc, l.EnterpriseID)
		if err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"enterprise": fugong.M("link.no_enterprise")})
		}
		l.Target = e.Name
	}
	if l.ProjectID != 0 {
		p, err := db.findKeyProject(ctx, tx, sc, l.ProjectID)
		if err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"project": fugong.M("link.no_project")})
		}
		l.Target = p.Name
	}
	want := fugong.RoleLeader
	if l.Kind == fugong.LinkLiaison {
		want = fugong.RoleLiaison
	}
	var role string
	err := tx.QueryRowContext(ctx, `SELECT role, username, display_name FROM users WHERE id = $1 AND region_code = $2 AND disabled = FALSE`, l.UserID, sc.County).
		Scan(&role, &l.Username, &l.DisplayName)
	if err != nil || fugong.Role(role) != want {
		return fugong.Invalid(map[string]fugong.Msg{"user": fugong.M("link.user_" + string(want))})
	}
	if l.Kind == fugong.LinkLiaison {
		err = tx.QueryRowContext(ctx, `INSERT INTO liaison_assignments (region_code, enterprise_id, user_id, from_date, to_date) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			l.County, l.EnterpriseID, l.UserID, l.FromDate, l.ToDate).Scan(&l.ID)
	} else {
		err = tx.QueryRowContext(ctx, `INSERT INTO leader_links (region_code, user_id, enterprise_id, project_id, from_date, to_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			l.County, l.UserID, nullID(l.EnterpriseID), nullID(l.ProjectID), l.FromDate, l.ToDate).Scan(&l.ID)
	}
	if err != nil {
		return fmt.Errorf("create link: %w", err)
	}
	return db.Audit(ctx, tx, l.County, "create", linkTable(l.Kind), l.ID, nil, l)
}

func linkTable(kind string) string {
	if kind == fugong.LinkLiaison {
		return "liaison_assignments"
	}
	return "leader_links"
}

// EndLink closes a link on a day: the person is no longer responsible from then on.
func (db *DB) EndLink(ctx context.Context, sc fugong.Scope, kind string, id int64, day string) error {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	if err := sc.Require(registryEditors...); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var a args
		var l fugong.Link
		var town string
		err := tx.QueryRowContext(ctx, linkSelect+` WHERE k.kind = `+a.add(kind)+` AND k.id = `+a.add(id)+` AND `+linkScope(sc, &a), a.vals...).
			Scan(&l.ID, &l.County, &l.Kind, &l.UserID, &l.Username, &l.DisplayName, &l.EnterpriseID, &l.ProjectID, &l.Target, &l.FromDate, &l.ToDate, &town, &l.Phone)
		if err != nil {
			return mapErr(err)
		}
		if kind == fugong.LinkLeader && sc.Role == fugong.RoleTownship {
			return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
		}
		before := l
		l.ToDate = day
		if err := l.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+linkTable(kind)+` SET to_date = $1 WHERE id = $2`, day, id); err != nil {
			return fmt.Errorf("end link: %w", err)
		}
		return db.Audit(ctx, tx, l.County, "update", linkTable(kind), id, before, l)
	})
}

// FindCoverage lists, in the caller's scope, the above-scale enterprises and key projects
// with no current county leader, and the enterprises with no current liaison.
func (db *DB) FindCoverage(ctx context.Context, sc fugong.Scope) (fugong.Coverage, error) {
	var out fugong.Coverage
	var err error
	ents := func(extra string) ([]fugong.Enterprise, error) {
		var a args
		return queryEnterprises(ctx, db.R, "find coverage", ` WHERE `+EnterpriseScope(sc, "e", &a)+` AND `+extra+` ORDER BY e.id`, a.vals...)
	}
	if out.UnledEnterprises, err = ents(`e.above_scale = TRUE AND NOT EXISTS (SELECT 1 FROM leader_links l WHERE l.enterprise_id = e.id AND l.to_date = '')`); err != nil {
		return out, err
	}
	if out.NoLiaison, err = ents(`NOT EXISTS (SELECT 1 FROM liaison_assignments l WHERE l.enterprise_id = e.id AND l.to_date = '')`); err != nil {
		return out, err
	}
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT `+projectCols+` FROM key_projects p WHERE `+projectScope(sc, &a)+
		` AND NOT EXISTS (SELECT 1 FROM leader_links l WHERE l.project_id = p.id AND l.to_date = '') ORDER BY p.id`, a.vals...)
	if err != nil {
		return out, fmt.Errorf("find coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p fugong.KeyProject
		if err := scanProject(rows, &p); err != nil {
			return out, err
		}
		out.UnledProjects = append(out.UnledProjects, p)
	}
	return out, rows.Err()
}
