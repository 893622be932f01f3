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

// SetTOTP saves an account's sealed TOTP secret (enrolment) or clears it (sealed "":
// an admin's reset, which also ends the account's sessions and tokens), and audits it.
func (db *DB) SetTOTP(ctx context.Context, u fugong.User, sealed string) error {
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1 WHERE id = $2`, sealed, u.ID); err != nil {
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
		}
		return db.Audit(ctx, tx, u.County, action, "users", u.ID, nil, map[string]string{"username": u.Username})
	})
	db.authEpoch.Add(1)
	return err
}
