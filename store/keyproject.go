package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

// Who may change the registry: the county offices, and a township within its own area.
var registryEditors = fugong.RolesFor(fugong.PermEnterpriseEdit)

const projectCols = `p.id, p.region_code, p.name, p.township, p.investment, p.stage, p.progress, p.demo, p.version`

func scanProject(row interface{ Scan(...any) error }, p *fugong.KeyProject, extra ...any) error {
	return row.Scan(append([]any{&p.ID, &p.County, &p.Name, &p.Township, &p.Investment, &p.Stage, &p.Progress, &p.Demo, &p.Version}, extra...)...)
}

// projectScope limits key projects to the caller's area: the county, or a township's own.
func projectScope(sc fugong.Scope, a *args) string {
	return ProjectScope(sc, "p.township", "p.region_code", a)
}

// FindKeyProjects lists the key projects in the caller's scope that match f, with the total.
func (db *DB) FindKeyProjects(ctx context.Context, sc fugong.Scope, f fugong.KeyProjectFilter) ([]fugong.KeyProject, int, error) {
	var a args
	c := []string{projectScope(sc, &a)}
	if q := strings.TrimSpace(f.Query); q != "" {
		c = append(c, "lower(p.name) LIKE "+a.add(like(q))+` ESCAPE '\'`)
	}
	if f.Township != "" {
		c = append(c, "p.township = "+a.add(f.Township))
	}
	if f.Stage != "" {
		c = append(c, "p.stage = "+a.add(f.Stage))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+projectCols+`, COUNT(*) OVER() FROM key_projects p`+where(c)+
		` ORDER BY p.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find key projects: %w", err)
	}
	defer rows.Close()
	var out []fugong.KeyProject
	total := 0
	for rows.Next() {
		var p fugong.KeyProject
		if err := scanProject(rows, &p, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// FindKeyProject returns one key project in the caller's scope.
func (db *DB) FindKeyProject(ctx context.Context, sc fugong.Scope, id int64) (fugong.KeyProject, error) {
	return db.findKeyProject(ctx, db.R, sc, id)
}

func (db *DB) findKeyProject(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.KeyProject, error) {
	var a args
	var p fugong.KeyProject
	err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectCols+` FROM key_projects p WHERE p.id = `+a.add(id)+` AND `+projectScope(sc, &a), a.vals...), &p)
	return p, mapErr(err)
}

// CreateKeyProject validates and saves a key project; a township officer's lies in their township.
func (db *DB) CreateKeyProject(ctx context.Context, sc fugong.Scope, p *fugong.KeyProject) error {
	if err := sc.Require(registryEditors...); err != nil {
		return err
	}
	p.County = sc.County
	if sc.Role == fugong.RoleTownship {
		p.Township = sc.Region
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkTownship(ctx, db.R, p.County, p.Township, "township"); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateKeyProjectTx(ctx, tx, p) })
}

// UpdateKeyProject applies fn to the project as the caller sees it and saves it if its
// version is still the one read.
func (db *DB) UpdateKeyProject(ctx context.Context, sc fugong.Scope, id, version int64, fn func(p *fugong.KeyProject) error) (fugong.KeyProject, error) {
	if err := sc.Require(registryEditors...); err != nil {
		return fugong.KeyProject{}, err
	}
	var out fugong.KeyProject
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findKeyProject(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return fugong.Conflict("error.stale")
		}
		p := before
		if err := fn(&p); err != nil {
			return err
		}
		if sc.Role == fugong.RoleTownship {
			p.Township = sc.Region
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkTownship(ctx, tx, p.County, p.Township, "township"); err != nil {
			return err
		}
		if err := db.updateKeyProjectTx(ctx, tx, &p, before.Version); err != nil {
			return err
		}
		out = p
		return db.Audit(ctx, tx, p.County, "update", "key_projects", id, before, p)
	})
	return out, err
}

func (db *DB) updateKeyProjectTx(ctx context.Context, q Querier, p *fugong.KeyProject, version int64) error {
	res, err := q.ExecContext(ctx, `UPDATE key_projects SET name = $1, township = $2, investment = $3, stage = $4, progress = $5, version = version + 1
		WHERE id = $6 AND version = $7`, p.Name, p.Township, p.Investment, p.Stage, p.Progress, p.ID, version)
	if err != nil {
		return fmt.Errorf("update key project: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.Conflict("error.stale")
	}
	p.Version = version + 1
	return nil
}

// SaveProjectReport records a project's weekly report — a second one for the same week
// replaces the first — and moves the project's progress to it.
func (db *DB) SaveProjectReport(ctx context.Context, sc fugong.Scope, r *fugong.ProjectReport) error {
	if err := sc.Allow(fugong.PermProjectReport); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		p, err := db.findKeyProject(ctx, tx, sc, r.ProjectID)
		if err != nil {
			return err
		}
		others, err := weeklyFigures(ctx, tx, `SELECT week, progress FROM project_reports WHERE project_id = $1 AND week <> $2`, r.ProjectID, r.Week)
		if err != nil {
			return err
		}
		if err := r.CheckHistory(others, db.todayDate()); err != nil {
			return err
		}
		r.County, r.Username = p.County, fugong.ActorFrom(ctx).Username
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO project_reports (region_code, project_id, week, progress, note, username, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (project_id, week, region_code) DO UPDATE SET progress = excluded.progress, note = excluded.note, username = excluded.username, at = excluded.at
			RETURNING id`, r.County, r.ProjectID, r.Week, r.Progress, r.Note, r.Username, now).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("save project report: %w", err)
		}
		r.At = fromMS(now)
		before := p
		if latest(others) < r.Week {
			p.Progress = r.Progress // the project stands where its latest week says
		}
		if err := db.updateKeyProjectTx(ctx, tx, &p, before.Version); err != nil {
			return err
		}
		return db.Audit(ctx, tx, p.County, "report", "key_projects", p.ID, before, r)
	})
}

// FindProjectReports lists a project's weekly reports, newest week first.
func (db *DB) FindProjectReports(ctx context.Context, sc fugong.Scope, projectID int64) ([]fugong.ProjectReport, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT r.id, r.region_code, r.project_id, r.week, r.progress, r.note, r.username, r.at
		FROM project_reports r JOIN key_projects p ON p.id = r.project_id WHERE r.project_id = `+a.add(projectID)+` AND `+projectScope(sc, &a)+
		` ORDER BY r.week DESC`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find project reports: %w", err)
	}
	defer rows.Close()
	var out []fugong.ProjectReport
	for rows.Next() {
		var r fugong.ProjectReport
		var at int64
		if err := rows.Scan(&r.ID, &r.County, &r.ProjectID, &r.Week, &r.Progress, &r.Note, &r.Username, &at); err != nil {
			return nil, err
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
