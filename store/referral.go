package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"fugong"
)

const referralCols = `r.id, r.region_code, r.seeker_id, r.posting_id, r.enterprise_id, r.village, r.township, r.state, r.referred_on, r.interviewed_on,
	r.hired_on, r.on_duty_on, r.declined_on, r.note, r.version, s.name, s.poor, p.title, e.name`

const referralFrom = ` FROM referrals r JOIN job_seekers s ON s.id = r.seeker_id JOIN job_postings p ON p.id = r.posting_id JOIN enterprises e ON e.id = r.enterprise_id`

func scanReferral(row interface{ Scan(...any) error }, r *fugong.Referral, extra ...any) error {
	return row.Scan(append([]any{&r.ID, &r.County, &r.SeekerID, &r.PostingID, &r.EnterpriseID, &r.Village, &r.Township, &r.State, &r.ReferredOn,
		&r.InterviewedOn, &r.HiredOn, &r.OnDutyOn, &r.DeclinedOn, &r.Note, &r.Version, &r.SeekerName, &r.Poor, &r.PostingTitle, &r.Enterprise}, extra...)...)
}

// referralScope: the seeker's side sees referrals of its villages, the employer's side
// (the enterprise, its liaison) those of its postings, county-wide roles all.
func referralScope(sc fugong.Scope, a *args) string {
	if sc.Is(fugong.RoleEnterprise, fugong.RoleLiaison) {
		return EnterpriseIDScope(sc, "r.enterprise_id", "r.region_code", a)
	}
	return SeekerScope(sc, "r.village", "r.region_code", a)
}

// referrers are the roles that put seekers forward: the matchmakers.
var referrers = fugong.RolesFor(fugong.PermReferral)

// CreateReferral puts a seeker in the caller's scope forward for an open posting.
func (db *DB) CreateReferral(ctx context.Context, sc fugong.Scope, seekerID, postingID int64, note, today string) (fugong.Referral, error) {
	var out fugong.Referral
	if err := sc.Require(referrers...); err != nil {
		return out, err
	}
	s, err := db.FindJobSeeker(ctx, sc, seekerID)
	if err != nil {
		return out, fugong.Invalid(map[string]fugong.Msg{"seeker_id": fugong.M("referral.seeker")})
	}
	// Any open posting of the county will do: they are public, and a matchmaker refers to
	// enterprises beyond their own village.
	p, err := db.FindPublicJobPosting(ctx, postingID, today)
	if err != nil || p.County != sc.County {
		return out, fugong.Invalid(map[string]fugong.Msg{"posting_id": fugong.M("referral.posting")})
	}
	out = fugong.Referral{County: sc.County, SeekerID: s.ID, PostingID: p.ID, EnterpriseID: p.EnterpriseID, Village: s.Village, Township: p.Township,
		State: fugong.ReferralReferred, ReferredOn: today, Note: note, Version: 1, SeekerName: s.Name, Poor: s.Poor, PostingTitle: p.Title, Enterprise: p.Enterprise}
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := db.CreateReferralTx(ctx, tx, &out); err != nil {
			return err
		}
		// The enterprise hears of the person sent to it, in its notification centre.
		users, err := db.enterpriseUsers(ctx, tx, out.County, out.EnterpriseID)
		if err != nil {
			return err
		}
		for _, uid := range users[out.EnterpriseID] {
			if err := db.EnqueueNotification(ctx, tx, &fugong.Notification{County: out.County, Channel: fugong.ChannelInApp, UserID: uid,
				Subject: "referral.n.new", Body: fugong.ReferralNotice(out), Entity: "referrals", EntityID: strconv.FormatInt(out.ID, 10)}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// CreateReferralTx saves a referral, in whatever state it has reached, inside the caller's
// transaction; a seeker referred twice to one posting is refused.
func (db *DB) CreateReferralTx(ctx context.Context, q Querier, r *fugong.Referral) error {
	var one int
	if err := q.QueryRowContext(ctx, `SELECT 1 FROM referrals WHERE seeker_id = $1 AND posting_id = $2`, r.SeekerID, r.PostingID).Scan(&one); err == nil {
		return fugong.Conflict("referral.duplicate")
	} else if err != sql.ErrNoRows {
		return err
	}
	now := db.now()
	err := q.QueryRowContext(ctx, `INSERT INTO referrals (region_code, seeker_id, posting_id, enterprise_id, village, township, state, referred_on,
		interviewed_on, hired_on, on_duty_on, declined_on, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		r.County, r.SeekerID, r.PostingID, r.EnterpriseID, r.Village, r.Township, r.State, r.ReferredOn, r.InterviewedOn, r.HiredOn, r.OnDutyOn,
		r.DeclinedOn, r.Note, now).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("create referral: %w", mapErr(err))
	}
	r.Version = 1
	return db.Audit(ctx, q, r.County, "create", "referrals", r.ID, nil, r)
}

// FindReferral returns one referral in the caller's scope.
func (db *DB) FindReferral(ctx context.Context, sc fugong.Scope, id int64) (fugong.Referral, error) {
	return db.findReferral(ctx, db.R, sc, id)
}

func (db *DB) findReferral(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Referral, error) {
	var a args
	var r fugong.Referral
	err := scanReferral(q.QueryRowContext(ctx, `SELECT `+referralCols+referralFrom+` WHERE r.id = `+a.add(id)+` AND `+referralScope(sc, &a), a.vals...), &r)
	return r, mapErr(err)
}

// FindReferrals lists referrals in the caller's scope, the latest first.
func (db *DB) FindReferrals(ctx context.Context, sc fugong.Scope, f fugong.ReferralFilter) ([]fugong.Referral, int, error) {
	var a args
	c := []string{referralScope(sc, &a)}
	if f.SeekerID != 0 {
		c = append(c, "r.seeker_id = "+a.add(f.SeekerID))
	}
	if f.PostingID != 0 {
		c = append(c, "r.posting_id = "+a.add(f.PostingID))
	}
	if f.State != "" {
		c = append(c, "r.state = "+a.add(f.State))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+referralCols+`, COUNT(*) OVER()`+referralFrom+where(c)+` ORDER BY r.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find referrals: %w", err)
	}
	defer rows.Close()
	var out []fugong.Referral
	total := 0
	for rows.Next() {
		var r fugong.Referral
		if err := scanReferral(rows, &r, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// AdvanceReferral moves a referral one step (see fugong.Referral.Advance) on day.
// Both sides may record a step: the matchmakers and the employer.
func (db *DB) AdvanceReferral(ctx context.Context, sc fugong.Scope, id, version int64, to, day, today string) (fugong.Referral, error) {
	var out fugong.Referral
	if err := sc.Allow(fugong.PermReferralStep); err != nil {
		return out, err
	}
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findReferral(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return fugong.Conflict("error.stale")
		}
		r := before
		if err := r.Advance(to, day, today); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET state = $1, interviewed_on = $2, hired_on = $3, on_duty_on = $4, declined_on = $5,
			version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			r.State, r.InterviewedOn, r.HiredOn, r.OnDutyOn, r.DeclinedOn, db.now(), id, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		r.Version++
		out = r
		return db.Audit(ctx, tx, r.County, "update", "referrals", id, before, r)
	})
	return out, err
}
