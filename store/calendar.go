package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// SetCalendarToken keeps the hash of a user's new calendar token, ending the one before.
func (db *DB) SetCalendarToken(ctx context.Context, sc fugong.Scope, u fugong.User, hash string) error {
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_tokens (user_id, region_code, token_hash, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (`+db.Dialect.CountyKey("user_id")+`) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, u.ID, sc.County, hash, db.now()); err != nil {
			return fmt.Errorf("set calendar token: %w", err)
		}
		return db.Audit(ctx, tx, sc.County, "update", "calendar_tokens", u.ID, nil, nil)
	})
}

// FindCalendarUser returns the user whose calendar token has hash, while their account is
// enabled; not_found otherwise.
func (db *DB) FindCalendarUser(ctx context.Context, hash string) (fugong.User, error) {
	var id int64
	if err := db.R.QueryRowContext(ctx, `SELECT t.user_id FROM calendar_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND NOT u.disabled`, hash).Scan(&id); err != nil {
		return fugong.User{}, mapErr(err)
	}
	return db.FindUser(ctx, id)
}
