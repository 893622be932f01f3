package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

const jobPostingCols = `p.id, p.region_code, p.enterprise_id, e.name, p.title, p.openings, p.wage_min, p.wage_max, p.township, p.village, p.address,
	p.requirements, p.skills, p.near_home, p.meals, p.lodging, p.lat, p.lng, p.posted_on, p.valid_until, p.closed, p.demo, p.version, p.created_at,
	p.employment_type`

func scanJobPosting(row interface{ Scan(...any) error }, p *fugong.JobPosting, extra ...any) error {
	var skills string
	var created int64
	if err := row.Scan(append([]any{&p.ID, &p.County, &p.EnterpriseID, &p.Enterprise, &p.Title, &p.Openings, &p.WageMin, &p.WageMax, &p.Township, &p.Village,
		&p.Address, &p.Requirements, &skills, &p.NearHome, &p.Meals, &p.Lodging, &p.Lat, &p.Lng, &p.PostedOn, &p.ValidUntil, &p.Closed, &p.Demo,
		&p.Version, &created, &p.EmploymentType}, extra...)...); err != nil {
		return err
	}
	p.Skills, p.CreatedAt = fugong.SplitWords(skills), fromMS(created)
	return nil
}

// postingWriters are the roles that post jobs: the enterprise, its liaison, its township,
// and the county's staff.
var postingWriters = fugong.RolesFor(fugong.PermJobPost)

// postingScope limits the postings a caller manages to those of the enterprises in its
// scope (store/scope.go). The open postings of the whole county are public anyway: the
// board, the bulletin and a seeker's matches read them through FindPublicJobPostings.
func postingScope(sc fugong.Scope, a *args) string {
	return EnterpriseIDScope(sc, "p.enterprise_id", "p.region_code", a)
}

// CreateJobPosting validates and publishes a posting of an enterprise the caller may act for.
func (db *DB) CreateJobPosting(ctx context.Context, sc fugong.Scope, p *fugong.JobPosting, today string) error {
	if err := sc.Require(postingWriters...); err != nil {
		return err
	}
	own, err := fugong.CheckOwnEnterprise(sc, p.EnterpriseID)
	if err != nil {
		return err
	}
	p.EnterpriseID = own
	if p.EnterpriseID != 0 {
		if err := db.CanSeeEnterprise(ctx, sc, p.EnterpriseID); err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"enterprise_id": fugong.M("posting.enterprise_invalid")})
		}
	}
	p.County = sc.County
	p.PostedOn = ""
	if err := p.Validate(today); err != nil {
		return err
	}
	if err := checkTownship(ctx, db.R, p.County, p.Township, "township"); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateJobPostingTx(ctx, tx, p) })
}

// CreateJobPostingTx saves a validated posting inside the caller's transaction.
func (db *DB) CreateJobPostingTx(ctx context.Context, q Querier, p *fugong.JobPosting) error {
	now := db.now()
	if p.EmploymentType == "" {
		p.EmploymentType = fugong.EmploymentTypes[0]
	}
	err := q.QueryRowContext(ctx, `INSERT INTO job_postings (region_code, enterprise_id, title, openings, wage_min, wage_max, township, village, address,
		requirements, skills, near_home, meals, lodging, lat, lng, posted_on, valid_until, closed, demo, created_at, updated_at, employment_type)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $22) RETURNING id`,
		p.County, p.EnterpriseID, p.Title, p.Openings, p.WageMin, p.WageMax, p.Township, p.Village, p.Address, p.Requirements, strings.Join(p.Skills, ","),
		p.NearHome, p.Meals, p.Lodging, p.Lat, p.Lng, p.PostedOn, p.ValidUntil, p.Closed, p.Demo, now, p.EmploymentType).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("create job posting: %w", err)
	}
	p.Version, p.CreatedAt = 1, fromMS(now)
	return db.Audit(ctx, q, p.County, "create", "job_postings", p.ID, nil, p)
}

// FindJobPosting returns one posting the caller may see.
func (db *DB) FindJobPosting(ctx context.Context, sc fugong.Scope, id int64) (fugong.JobPosting, error) {
	var a args
	var p fugong.JobPosting
	err := scanJobPosting(db.R.QueryRowContext(ctx, `SELECT `+jobPostingCols+` FROM job_postings p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.id = `+a.add(id)+` AND `+postingScope(sc, &a), a.vals...), &p)
	return p, mapErr(err)
}

// FindPublicJobPosting returns a posting for the public board: only while it is open on day.
func (db *DB) FindPublicJobPosting(ctx context.Context, id int64, day string) (fugong.JobPosting, error) {
	var p fugong.JobPosting
	err := scanJobPosting(db.R.QueryRowContext(ctx, `SELECT `+jobPostingCols+` FROM job_postings p JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.id = $1 AND p.closed = FALSE AND p.posted_on <= $2 AND p.valid_until >= $2`, id, day), &p)
	return p, mapErr(err)
}

// FindJobPostings lists the postings the caller may see that match f, newest first.
func (db *DB) FindJobPostings(ctx context.Context, sc fugong.Scope, f fugong.JobPostingFilter) ([]fugong.JobPosting, int, error) {
	var a args
	return db.findJobPostings(ctx, []string{postingScope(sc, &a)}, &a, f)
}

// FindPublicJobPostings lists the postings open on f.OpenOn in every county, or in county
// when it is given, for the public board and the bulletin.
func (db *DB) FindPublicJobPostings(ctx context.Context, county string, f fugong.JobPostingFilter) ([]fugong.JobPosting, int, error) {
	var a args
	c := []string{"p.closed = FALSE"}
	if county != "" {
		c = append(c, "p.region_code = "+a.add(county))
	}
	return db.findJobPostings(ctx, c, &a, f)
}

func (db *DB) findJobPostings(ctx context.Context, c []string, a *args, f fugong.JobPostingFilter) ([]fugong.JobPosting, int, error) {
	if f.EnterpriseID != 0 {
		c = append(c, "p.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.Township != "" {
		c = append(c, "p.township = "+a.add(f.Township))
	}
	if f.OpenOn != "" {
		d := a.add(f.OpenOn)
		c = append(c, "p.closed = FALSE AND p.posted_on <= "+d+" AND p.valid_until >= "+d)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		x := a.add(like(q))
		c = append(c, "(lower(p.title) LIKE "+x+` ESCAPE '\' OR lower(e.name) LIKE `+x+` ESCAPE '\' OR lower(p.skills) LIKE `+x+` ESCAPE '\')`)
	}
	limit, offset := page(f.Limit, f.Offset)
	n := len(a.vals)
	rows, err := db.R.QueryContext(ctx, `SELECT `+jobPostingCols+`, COUNT(*) OVER() FROM job_postings p JOIN enterprises e ON e.id = p.enterprise_id`+where(c)+
		` ORDER BY p.posted_on DESC, p.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find job postings: %w", err)
	}
	defer rows.Close()
	var out []fugong.JobPosting
	total := 0
	for rows.Next() {
		var p fugong.JobPosting
		if err := scanJobPosting(rows, &p, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_postings p JOIN enterprises e ON e.id = p.enterprise_id`+where(c), a.vals[:n]...).Scan(&total)
	}
	return out, total, err
}

// CloseJobPosting takes a posting off the board; version guards against a stale page.
func (db *DB) CloseJobPosting(ctx context.Context, sc fugong.Scope, id, version int64) error {
	if err := sc.Require(postingWriters...); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var a args
		var p fugong.JobPosting
		err := scanJobPosting(tx.QueryRowContext(ctx, `SELECT `+jobPostingCols+` FROM job_postings p JOIN enterprises e ON e.id = p.enterprise_id
			WHERE p.id = `+a.add(id)+` AND `+EnterpriseIDScope(sc, "p.enterprise_id", "p.region_code", &a), a.vals...), &p)
		if err != nil {
			return mapErr(err)
		}
		if version != 0 && p.Version != version {
			return fugong.Conflict("error.stale")
		}
		res, err := tx.ExecContext(ctx, `UPDATE job_postings SET closed = TRUE, version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`, db.now(), id, p.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		after := p
		after.Closed, after.Version = true, p.Version+1
		return db.Audit(ctx, tx, p.County, "update", "job_postings", id, p, after)
	})
}
