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

// partyAt reads an application in the caller's scope for a change, if its version is still
// the one read (0: any).
func (db *DB) partyAt(ctx context.Context, tx *sql.Tx, sc fugong.Scope, id, version int64) (fugong.PartyApplication, error) {
	p, err := db.findPartyApplication(ctx, tx, sc, id)
	if err == nil && version != 0 && version != p.Version {
		err = fugong.Conflict("error.stale")
	}
	return p, err
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
	return db.changeParty(ctx, sc, id, version, "advance", func(p *fugong.PartyApplication) error { return p.Advance(to, day, db.Today()) })
}

// FindPartyApplication returns one application in the caller's scope.
func (db *DB) FindPartyApplication(ctx context.Context, sc fugong.Scope, id int64) (fugong.PartyApplication, error) {
	return db.findPartyApplication(ctx, db.R, sc, id)
}

// UpdatePartyApplication corrects a wrongly entered application in the caller's scope
// (fugong.PartyApplication.Edit), if its version is still the one read; the log keeps
// what it said before.
func (db *DB) UpdatePartyApplication(ctx context.Context, sc fugong.Scope, id, version int64, e fugong.PartyEdit) (fugong.PartyApplication, error) {
	return db.changeParty(ctx, sc, id, version, "update", func(p *fugong.PartyApplication) error { return p.Edit(e, db.Today()) })
}

// changeParty applies change to an application in the caller's scope at the version
// read, writes it whole and logs the action with before and after.
func (db *DB) changeParty(ctx context.Context, sc fugong.Scope, id, version int64, action string, change func(*fugong.PartyApplication) error) (fugong.PartyApplication, error) {
	if err := sc.Require(partyEditors...); err != nil {
		return fugong.PartyApplication{}, err
	}
	var out fugong.PartyApplication
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.partyAt(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		p := before
		if err := change(&p); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE party_applications SET name = $1, unit = $2, post = $3, contribution = $4, risk = $5, stage = $6, applied_on = $7,
			activist_on = $8, candidate_on = $9, probationary_on = $10, member_on = $11, version = version + 1 WHERE id = $12 AND version = $13`,
			p.Name, p.Unit, p.Post, p.Contribution, p.Risk, p.Stage, p.AppliedOn, p.ActivistOn, p.CandidateOn, p.ProbationaryOn, p.MemberOn, id, before.Version)
		if err != nil {
			return fmt.Errorf("%s party application %d: %w", action, id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		p.Version++
		out = p
		return db.Audit(ctx, tx, p.County, action, "party_applications", id, before, p)
	})
	return out, err
}

// DeletePartyApplication removes an application entered by mistake (twice, or for
// someone who never applied), if its version is still the one read. The audit log keeps
// the whole application as it was.
func (db *DB) DeletePartyApplication(ctx context.Context, sc fugong.Scope, id, version int64) error {
	if err := sc.Require(partyEditors...); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.partyAt(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM party_applications WHERE id = $1 AND version = $2`, id, before.Version)
		if err != nil {
			return fmt.Errorf("delete party application %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		return db.Audit(ctx, tx, before.County, "delete", "party_applications", id, before, nil)
	})
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
