package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong/secret"
)

// sealedColumn is a column holding personal data sealed with secret.Keys.
type sealedColumn struct{ table, column string }

// sealedColumns lists every sealed column, so that a key rotation re-seals them all.
// A capability that seals a new column adds it here.
func sealedColumns() []sealedColumn {
	return []sealedColumn{
		{"workers", "id_sealed"}, {"workers", "phone_sealed"},
		{"job_seekers", "id_number_sealed"}, {"job_seekers", "phone_sealed"},
		{"checkpoint_entries", "id_number"}, {"checkpoint_entries", "phone"},
		{"screenings", "id_number"}, {"screenings", "phone"},
		{"users", "totp_secret"},
		{"checkpoint_entries", "health_sealed"}, {"screenings", "health_sealed"},
		{"workers", "health_sealed"}, {"worker_gates", "health_sealed"}, {"worker_checks", "health_sealed"}, {"health_alerts", "health_sealed"},
	}
}

// SealedSample returns one sealed value of the database, or "" when it holds none: a
// restore opens it with the key file it is given, to refuse a key that does not belong.
func (db *DB) SealedSample(ctx context.Context) (string, error) {
	for _, c := range sealedColumns() {
		var v string
		err := db.R.QueryRowContext(ctx, `SELECT `+c.column+` FROM `+c.table+` WHERE `+c.column+` <> '' LIMIT 1`).Scan(&v)
		if err == nil {
			return v, nil
		}
		if err != sql.ErrNoRows {
			return "", fmt.Errorf("sealed sample of %s.%s: %w", c.table, c.column, err)
		}
	}
	return "", nil
}

// Reseal re-seals, in batches of 500 rows per transaction, every sealed value not yet
// under the current key (and seals the health records still in clear, SealClearHealth), while the server goes on working: each row is updated only if
// it still holds the value read. It returns how many values were re-sealed.
func (db *DB) Reseal(ctx context.Context, keys *secret.Keys) (int, error) {
	// Health records written before they were sealed are sealed first, under the current key.
	done, err := db.SealClearHealth(ctx, keys)
	if err != nil {
		return done, err
	}
	prefix := keys.Current() + ":"
	for _, c := range sealedColumns() {
		// Batches walk the table in id order, so that one at 50 million rows (the
		// province's checks) is read once, not from its start again for every batch.
		var after int64
		for {
			n := 0
			err := db.WithTx(ctx, func(tx *sql.Tx) error {
				rows, err := tx.QueryContext(ctx, `SELECT id, `+c.column+` FROM `+c.table+` WHERE id > $1 AND `+c.column+` <> '' AND substr(`+c.column+`, 1, $2) <> $3
					ORDER BY id LIMIT 500`, after, len(prefix), prefix)
				if err != nil {
					return err
				}
				type row struct {
					id  int64
					old string
				}
				var batch []row
				for rows.Next() {
					var r row
					if err := rows.Scan(&r.id, &r.old); err != nil {
						rows.Close()
						return err
					}
					batch = append(batch, r)
				}
				rows.Close()
				for _, r := range batch {
					plain, err := keys.Open(r.old)
					if err != nil {
						return fmt.Errorf("%s.%s row %d: %w", c.table, c.column, r.id, err)
					}
					if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.column+` = $1 WHERE id = $2 AND `+c.column+` = $3`, keys.Seal(plain), r.id, r.old); err != nil {
						return err
					}
				}
				if n = len(batch); n > 0 {
					after = batch[n-1].id
				}
				return nil
			})
			if err != nil {
				return done, fmt.Errorf("reseal %s.%s: %w", c.table, c.column, err)
			}
			done += n
			if n == 0 {
				break
			}
		}
	}
	return done, nil
}
