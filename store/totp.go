package store

import (
	"context"
	"database/sql"

	"fugong"
)

// FindTOTP returns an account's sealed TOTP secret, "" when it has none.
func (db *DB) FindTOTP(ctx context.Context, userID int64) (string, error) {
	var s string
	err := db.W.QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE id = $1`, userID).Scan(&s)
	return s, mapErr(err)
}

// SetTOTP saves an account's sealed TOTP secret or clears it (sealed "": an admin's
// reset, which also ends the account's sessions and tokens and voids its recovery
// codes), and audits it.
func (db *DB) SetTOTP(ctx context.Context, u fugong.User, sealed string) error {
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_step = 0 WHERE id = $2`, sealed, u.ID); err != nil {
			return err
		}
		action := "totp_enrol"
		if sealed == "" {
			action = "totp_reset"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0`, db.now(), u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, u.County, action, "users", u.ID, nil, map[string]string{"username": u.Username})
	})
	db.authEpoch.Add(1)
	return err
}

// EnrolTOTP saves an account's sealed TOTP secret, the time step of the code that proved
// it (used: it opens no login) and the hashes of its new recovery codes, and audits it.
func (db *DB) EnrolTOTP(ctx context.Context, u fugong.User, sealed string, step int64, recoveryHashes []string) error {
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_step = $2 WHERE id = $3`, sealed, step, u.ID); err != nil {
			return err
		}
		if err := db.replaceRecoveryCodes(ctx, tx, u, recoveryHashes); err != nil {
			return err
		}
		return db.Audit(ctx, tx, u.County, "totp_enrol", "users", u.ID, nil, map[string]any{"username": u.Username, "recovery_codes": len(recoveryHashes)})
	})
	db.authEpoch.Add(1)
	return err
}

// AcceptTOTPStep records that the code of time step was given for an account, and
// reports false when that step (or a later one) was accepted before: a code is good for
// one login only (RFC 6238 §5.2).
func (db *DB) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.W.ExecContext(ctx, `UPDATE users SET totp_step = $1 WHERE id = $2 AND totp_step < $1`, step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCode is one unused recovery code of an account, as kept: its argon2id hash.
type RecoveryCode struct {
	ID   int64
	Hash string
}

// ReplaceRecoveryCodes voids an account's recovery codes and keeps the new ones' hashes,
// and audits it.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, u fugong.User, hashes []string) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := db.replaceRecoveryCodes(ctx, tx, u, hashes); err != nil {
			return err
		}
		return db.Audit(ctx, tx, u.County, "recovery_codes_new", "users", u.ID, nil, map[string]any{"username": u.Username, "recovery_codes": len(hashes)})
	})
}

func (db *DB) replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, u fugong.User, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, u.ID); err != nil {
		return err
	}
	now := db.now()
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (region_code, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)`, u.County, u.ID, h, now); err != nil {
			return err
		}
	}
	return nil
}

// UnusedRecoveryCodes lists an account's recovery codes not yet used.
func (db *DB) UnusedRecoveryCodes(ctx context.Context, userID int64) ([]RecoveryCode, error) {
	rows, err := db.W.QueryContext(ctx, `SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at = 0 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecoveryCode
	for rows.Next() {
		var rc RecoveryCode
		if err := rows.Scan(&rc.ID, &rc.Hash); err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	return out, rows.Err()
}

// UseRecoveryCode spends a recovery code (once: false when it was spent meanwhile) and
// audits the use, with the codes left, in the name of the account logging in.
func (db *DB) UseRecoveryCode(ctx context.Context, u fugong.User, id int64, left int, ip string) (bool, error) {
	ctx = fugong.WithActor(ctx, fugong.Actor{UserID: u.ID, Username: u.Username, IP: ip})
	used := false
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE id = $2 AND user_id = $3 AND used_at = 0`, db.now(), id, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		used = true
		return db.Audit(ctx, tx, u.County, "recovery_code_used", "users", u.ID, nil, map[string]any{"username": u.Username, "left": left})
	})
	return used, err
}
