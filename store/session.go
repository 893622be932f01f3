package store

import (
	"context"
	"database/sql"
	"time"

	"fugong"
)

// Session is a browser login. Only the hash of its token is stored.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
	// LastSeen is when the session was last used, to the minute: an idle one ends.
	LastSeen time.Time
	// Pending is a login whose second factor (TOTP) is still awaited: it opens nothing
	// but the second-factor page.
	Pending bool
	// SecondFactor is set when the account has enrolled a TOTP authenticator.
	SecondFactor bool
}

// CreateSession saves a session and audits the login (or, for a pending one, the
// password step of it).
func (db *DB) CreateSession(ctx context.Context, u fugong.User, s Session, ip string) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, region_code, user_id, csrf_token, ip, created_at, expires_at, last_seen_at, pending) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			s.TokenHash, u.County, u.ID, s.CSRF, ip, now, ms(s.ExpiresAt), now, s.Pending); err != nil {
			return err
		}
		action := "login"
		if s.Pending {
			action = "login_password"
		}
		return db.Audit(fugong.WithActor(ctx, fugong.Actor{UserID: u.ID, Username: u.Username, IP: ip}), tx, u.County, action, "users", u.ID, nil, nil)
	})
}

// FindSession returns a live session and its user: not expired, and used since idleSince
// (the zero time when sessions never go idle).
func (db *DB) FindSession(ctx context.Context, tokenHash string, now, idleSince time.Time) (Session, fugong.User, error) {
	var s Session
	var u fugong.User
	var exp, created, seen int64
	var role string
	err := db.R.QueryRowContext(ctx, `SELECT s.token_hash, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, s.pending, u.totp_secret <> '',
		u.id, u.region_code, u.username, u.display_name, u.role, COALESCE(u.org_unit_id, 0), u.region, COALESCE(u.enterprise_id, 0), u.rank, u.phone, u.disabled, u.must_change_password, u.version, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT u.disabled`, tokenHash, ms(now), idleMS(idleSince)).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &exp, &seen, &s.Pending, &s.SecondFactor, &u.ID, &u.County, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.Region, &u.EnterpriseID, &u.Rank, &u.Phone, &u.Disabled, &u.MustChangePassword, &u.Version, &created)
	s.ExpiresAt, s.LastSeen, u.Role, u.CreatedAt = fromMS(exp), fromMS(seen), fugong.Role(role), fromMS(created)
	return s, u, mapErr(err)
}

func idleMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ms(t)
}

// TouchSession records that a session was used at now.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := db.W.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, ms(now), tokenHash)
	return err
}

// ConfirmSession turns a pending session into a full one once its second factor is
// given, and audits the login.
func (db *DB) ConfirmSession(ctx context.Context, u fugong.User, tokenHash, ip string) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET pending = FALSE, last_seen_at = $1 WHERE token_hash = $2 AND user_id = $3`, db.now(), tokenHash, u.ID); err != nil {
			return err
		}
		return db.Audit(fugong.WithActor(ctx, fugong.Actor{UserID: u.ID, Username: u.Username, IP: ip}), tx, u.County, "login", "users", u.ID, nil, map[string]bool{"second_factor": true})
	})
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.W.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	db.authEpoch.Add(1)
	return err
}

// CreateToken saves the hash of a bearer token.
func (db *DB) CreateToken(ctx context.Context, u fugong.User, tokenHash, name string, expires time.Time) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (region_code, token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.County, tokenHash, u.ID, name, db.now(), ms(expires)).Scan(&id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, u.County, "create", "api_tokens", id, nil, map[string]any{"user_id": u.ID, "name": name})
	})
}

// FindTokenUser returns the user of a live, unrevoked token.
func (db *DB) FindTokenUser(ctx context.Context, tokenHash string, now time.Time) (fugong.User, error) {
	var u fugong.User
	err := scanUser(db.queryRow(ctx, `SELECT u.id, u.region_code, u.username, u.display_name, u.role, COALESCE(u.org_unit_id, 0), u.region, COALESCE(u.enterprise_id, 0), u.rank, u.phone, u.disabled, u.must_change_password, u.version, u.created_at, u.title
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.expires_at > $2 AND t.revoked_at = 0 AND NOT u.disabled`, tokenHash, ms(now)), &u)
	return u, mapErr(err)
}

// RevokeToken revokes a token by its hash; only its owner's own tokens are touched.
func (db *DB) RevokeToken(ctx context.Context, userID int64, tokenHash string) error {
	res, err := db.W.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND user_id = $3 AND revoked_at = 0`, db.now(), tokenHash, userID)
	db.authEpoch.Add(1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.NotFound()
	}
	return nil
}

// ExtendSession sets a session's expiry.
func (db *DB) ExtendSession(ctx context.Context, tokenHash string, exp time.Time) error {
	_, err := db.W.ExecContext(ctx, `UPDATE sessions SET expires_at = $1 WHERE token_hash = $2`, ms(exp), tokenHash)
	return err
}
