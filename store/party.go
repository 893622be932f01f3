package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// Who keeps party applications: the county offices and the organisation department.
var partyEditors = fugong.RolesFor(fugong.PermPartyEdit)

const partyCols = `p.id, p.region_code, p.name, p.unit, p.post, p.contribution, p.risk, p.stage, p.applied_on, p.activist_on, p.candidate_on, p.probationary_on, p.member_on, p.demo, p.version`

func scanParty(row interface{ Scan(...any) error }, p *fugong.PartyApplication, extra ...any) error {
	return row.Scan(append([]any{&p.ID, &p.County, &p.Name, &p.Unit, &p.Post, &p.Contribution, &p.Risk, &p.Stage, &p.AppliedOn, &p.ActivistOn, &p.CandidateOn, &p.ProbationaryOn, &p.MemberOn, &p.Demo, &p.Version}, extra...)...)
}

// FindPartyApplications lists the applications in the caller's scope.
func (db *DB) FindPartyApplications(ctx context.Context, sc fugong.Scope, f fugong.PartyFilter) ([]fugong.PartyApplication, int, error) {
	var a args
	c := []string{PartyScope(sc, "p.region_code", &a)}
	if f.Stage != "" {
		c = append(c, "p.stage = "+a.add(f.Stage))
	}
	if f.Unit != "" {
		c = append(c, "p.unit = "+a.add(f.Unit))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+partyCols+`, COUNT(*) OVER() FROM party_applications p`+where(c)+` ORDER BY p.applied_on, p.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find party applications: %w", err)
	}
	defer rows.Close()
	var out []fugong.PartyApplication
	total := 0
	for rows.Next() {
		var p fugong.PartyApplication
		if err := scanParty(rows, &p, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

func (db *DB) findPartyApplication(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.PartyApplication, error) {
	var a args
	var p fugong.PartyApplication
	err := scanParty(q.QueryRowContext(ctx, `SELECT `+partyCols+` FROM party_applications p WHERE p.id = `+a.add(id)+` AND `+PartyScope(sc, "p.region_code", &a), a.vals...), &p)
	return p, mapErr(err)
}

// CreatePartyApplicationTx writes a validated application inside the caller's transaction.
func (db *DB) CreatePartyApplicationTx(ctx context.Context, q Querier, p *fugong.PartyApplication) error {
	p.Version = 1
	if err := q.QueryRowContext(ctx, `INSERT INTO party_applications (region_code, name, unit, post, contribution, risk, stage, applied_on, activist_on, candidate_on, probationary_on, member_on, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		p.County, p.Name, p.Unit, p.Post, p.Contribution, p.Risk, p.Stage, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.ProbationaryOn, p.MemberOn, p.Demo).Scan(&p.ID); err != nil {
		return fmt.Errorf("create party application: %w", err)
	}
	return db.Audit(ctx, q, p.County, "create", "party_applications", p.ID, nil, p)
}

// CreatePartyApplication validates and saves an application received from the front line.
func (db *DB) CreatePartyApplication(ctx context.Context, sc fugong.Scope, p *fugong.PartyApplication) error {
	if err := sc.Require(partyEditors...); err != nil {
		return err
	}
	if !KeepsParty(sc) {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	p.County, p.Stage = sc.County, fugong.StageApplicant
	if err := p.Validate(); err != nil {
		return err
	}
	if p.AppliedOn > db.Today() {
		return fugong.Invalid(map[string]fugong.Msg{"applied_on": fugong.M("party.day_future")})
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreatePartyApplicationTx(ctx, tx, p) })
}

// AdvancePartyApplication moves an application in the caller's scope to its next stage
// on day, if its version is still the one read.
func (db *DB) AdvancePartyApplication(ctx context.Context, sc fugong.Scope, id, version int64, to, day string) (fugong.PartyApplication, error) {
	if err := sc.Require(partyEditors...); err != nil {
		return fugong.PartyApplication{}, err
	}
	var out fugong.PartyApplication
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findPartyApplication(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return fugong.Conflict("error.stale")
		}
		p := before
		if err := p.Advance(to, day, db.Today()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE party_applications SET stage = $1, activist_on = $2, candidate_on = $3, probationary_on = $4, member_on = $5, version = version + 1
			WHERE id = $6 AND version = $7`, p.Stage, p.ActivistOn, p.CandidateOn, p.ProbationaryOn, p.MemberOn, id, before.Version)
		if err != nil {
			return fmt.Errorf("advance party application: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		p.Version++
		out = p
		return db.Audit(ctx, tx, p.County, "advance", "party_applications", id, before, p)
	})
	return out, err
}

// PartyCounts counts the applications in scope by unit and stage, largest unit first.
func (db *DB) PartyCounts(ctx context.Context, sc fugong.Scope) ([]fugong.PartyCount, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT p.unit, COUNT(*),
		SUM(CASE WHEN p.stage = 'applicant' THEN 1 ELSE 0 END), SUM(CASE WHEN p.stage = 'activist' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.stage = 'candidate' THEN 1 ELSE 0 END), SUM(CASE WHEN p.stage = 'probationary' THEN 1 ELSE 0 END), SUM(CASE WHEN p.stage = 'member' THEN 1 ELSE 0 END)
		FROM party_applications p WHERE `+PartyScope(sc, "p.region_code", &a)+` GROUP BY p.unit ORDER BY COUNT(*) DESC, p.unit`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("party counts: %w", err)
	}
	defer rows.Close()
	var out []fugong.PartyCount
	for rows.Next() {
		var c fugong.PartyCount
		if err := rows.Scan(&c.Unit, &c.Applications, &c.Applicants, &c.Activists, &c.Candidates, &c.Probationary, &c.Members); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
