package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"fugong"
)

// IdempotencyHash is the stored form of a client's Idempotency-Key for one user and route.
func IdempotencyHash(userID int64, route, key string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s", userID, route, key)))
	return hex.EncodeToString(h[:])
}

// IdempotencyStale is how long a reservation whose request never answered — the process
// was killed between reserving the key and storing the answer — holds its key: after it,
// a retry takes the key over and runs. No request of the API runs this long.
const IdempotencyStale = 30 * time.Second

// RequestHash is the stored form of a request body, to tell a retry from another request
// sent under the same key.
func RequestHash(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}

// ReserveIdempotent claims a key before its request runs. It reports false, with the
// first answer when there is one (status 0 while the first request is still running),
// when the key was claimed before: two concurrent retries cannot both create. A key first
// used with another request body is refused: the client reused a key by mistake, and the
// first answer would tell it a request it never made.
func (db *DB) ReserveIdempotent(ctx context.Context, county string, userID int64, keyHash, requestHash string) (reserved bool, status int, body string, err error) {
	// In a transaction of its own, so that on PostgreSQL a reservation whose answer the
	// connection lost is known to be this request's own on the retry (WithTx's token),
	// not mistaken for another request still running.
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key_hash, region_code, user_id, status, body, created_at, request_hash) VALUES ($1, $2, $3, 0, '', $4, $5)`,
			keyHash, county, userID, db.now(), requestHash)
		return err
	})
	if err == nil {
		return true, 0, "", nil
	}
	if fugong.ErrorCode(mapErr(err)) != fugong.ECONFLICT {
		return false, 0, "", err
	}
	var first string
	err = db.retry(ctx, func() error {
		return db.W.QueryRowContext(ctx, `SELECT status, body, request_hash FROM idempotency_keys WHERE key_hash = $1`, keyHash).Scan(&status, &body, &first)
	})
	if err == nil && first != "" && first != requestHash {
		return false, 0, "", fugong.Invalid(map[string]fugong.Msg{"Idempotency-Key": fugong.M("error.idempotency_other_body")})
	}
	return false, status, body, mapErr(err)
}

// CompleteIdempotent stores the answer of a reserved key.
func (db *DB) CompleteIdempotent(ctx context.Context, keyHash string, status int, body string) error {
	return db.retry(ctx, func() error {
		_, err := db.W.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, body = $2 WHERE key_hash = $3`, status, body, keyHash)
		return err
	})
}

// TakeOverIdempotent frees a reservation whose request never finished — the process died
// between reserving the key and storing the answer — once it is older than stale, so that
// a retry can run. It reports whether it freed one.
func (db *DB) TakeOverIdempotent(ctx context.Context, keyHash string, stale time.Duration) (bool, error) {
	res, err := db.W.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE key_hash = $1 AND status = 0 AND created_at < $2`, keyHash, ms(db.Clock.Now().Add(-stale)))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ReleaseIdempotent frees a reserved key whose request failed, so that a retry runs again.
func (db *DB) ReleaseIdempotent(ctx context.Context, keyHash string) error {
	return db.retry(ctx, func() error {
		_, err := db.W.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE key_hash = $1 AND status = 0`, keyHash)
		return err
	})
}
