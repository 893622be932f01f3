package store

import (
	"context"
	"fmt"
	"time"

	"fugong"
)

var (
	jobRows          = newMultiRow("jobs", "", "region_code", "kind", "payload", "run_at", "created_at", "updated_at")
	notificationRows = newMultiRow("notifications", "", "region_code", "channel", "recipient", "user_id", "subject", "body", "entity", "entity_id", "next_at", "created_at", "state", "sent_at")
)

// jobValues are one new job's jobRows values.
func jobValues(county, kind, payload string, runAt, now int64) []any {
	return []any{county, kind, payload, runAt, now, now}
}

// EnqueueJob writes a job inside the caller's transaction, so that the work it stands
// for is promised exactly when the change that needs it commits.
func (db *DB) EnqueueJob(ctx context.Context, q Querier, county, kind, payload string, runAt time.Time) error {
	now := db.now()
	if err := jobRows.exec(ctx, db, q, jobValues(county, kind, payload, ms(runAt), now)); err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return nil
}

// ClaimJobs marks up to limit due jobs as running and returns them.
func (db *DB) ClaimJobs(ctx context.Context, now time.Time, limit int) ([]fugong.Job, error) {
	rows, err := db.W.QueryContext(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = $1
		WHERE id IN (SELECT id FROM jobs WHERE state = 'ready' AND run_at <= $1 ORDER BY run_at, id LIMIT $2)
		RETURNING id, region_code, kind, payload, run_at, attempts`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	defer rows.Close()
	var out []fugong.Job
	for rows.Next() {
		var j fugong.Job
		var run int64
		if err := rows.Scan(&j.ID, &j.County, &j.Kind, &j.Payload, &run, &j.Attempts); err != nil {
			return nil, err
		}
		j.RunAt = fromMS(run)
		out = append(out, j)
	}
	return out, rows.Err()
}

// FinishJob records a job's outcome: done, or back to ready at retryAt with its error,
// or failed for good when retryAt is zero.
func (db *DB) FinishJob(ctx context.Context, id int64, jobErr error, retryAt time.Time) error {
	var err error
	switch {
	case jobErr == nil:
		_, err = db.W.ExecContext(ctx, `UPDATE jobs SET state = 'done', updated_at = $1, last_error = '' WHERE id = $2`, db.now(), id)
	case !retryAt.IsZero():
		_, err = db.W.ExecContext(ctx, `UPDATE jobs SET state = 'ready', run_at = $1, updated_at = $2, last_error = $3 WHERE id = $4`, ms(retryAt), db.now(), jobErr.Error(), id)
	default:
		_, err = db.W.ExecContext(ctx, `UPDATE jobs SET state = 'failed', updated_at = $1, last_error = $2 WHERE id = $3`, db.now(), jobErr.Error(), id)
	}
	return err
}

// RequeueRunningJobs puts back jobs that were running when the process stopped; it runs
// at start, before any worker.
func (db *DB) RequeueRunningJobs(ctx context.Context) (int64, error) {
	res, err := db.W.ExecContext(ctx, `UPDATE jobs SET state = 'ready' WHERE state = 'running'`)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PendingJobs counts jobs not yet done, by kind, for /metrics and tests.
func (db *DB) PendingJobs(ctx context.Context) (map[string]int, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT kind, COUNT(*) FROM jobs WHERE state IN ('ready', 'running') GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// EnqueueNotification writes a notification to the outbox inside the caller's transaction.
func (db *DB) EnqueueNotification(ctx context.Context, q Querier, n *fugong.Notification) error {
	now := db.now()
	newNotification(n, now)
	err := q.QueryRowContext(ctx, notificationRows.sql(1, db.Dialect.Name == "sqlite")+" RETURNING id", notificationValues(n)...).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("enqueue notification: %w", err)
	}
	return nil
}

// newNotification sets the times and state of a notification about to be stored. An
// in-app one is delivered by being stored (it is the notification centre's entry), so it
// is written as sent: the deliverer has nothing to claim, and the writer is spared two
// updates per notification.
func newNotification(n *fugong.Notification, now int64) {
	n.State, n.NextAt, n.CreatedAt, n.SentAt = "pending", fromMS(now), fromMS(now), time.Time{}
	if n.Channel == fugong.ChannelInApp {
		n.State, n.SentAt = "sent", fromMS(now)
	}
}

// notificationValues are a new notification's notificationRows values.
func notificationValues(n *fugong.Notification) []any {
	return []any{n.County, n.Channel, n.Recipient, n.UserID, n.Subject, n.Body, n.Entity, n.EntityID, ms(n.NextAt), ms(n.CreatedAt), n.State, ms(n.SentAt)}
}

// Setting reads a county setting, or def when unset.
func (db *DB) Setting(ctx context.Context, county, name, def string) (string, error) {
	var v string
	err := db.R.QueryRowContext(ctx, `SELECT value FROM settings WHERE region_code = $1 AND name = $2`, county, name).Scan(&v)
	if err != nil {
		if fugong.ErrorCode(mapErr(err)) == fugong.ENOTFOUND {
			return def, nil
		}
		return def, err
	}
	return v, nil
}

// SetSetting writes a county setting and audits the change.
func (db *DB) SetSetting(ctx context.Context, q Querier, county, name, value string) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO settings (region_code, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (region_code, name) DO UPDATE SET value = excluded.value`, county, name, value); err != nil {
		return err
	}
	db.policies.forget()
	return db.Audit(ctx, q, county, "update", "settings", name, nil, map[string]string{name: value})
}
