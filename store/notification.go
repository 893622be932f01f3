package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// Text renders a notification's words from the message catalogue. Every notification the
// store writes takes its subject and body from one, made by Chinese.
type Text func(key string, args ...any) string

// Texts renders catalogue messages; *i18n.Catalog is one.
type Texts interface {
	T(lang, key string, args ...any) string
}

// Chinese is the Text of a catalogue in Chinese, the county's language: notifications are
// read by its officials whatever language the sender's page was in.
func Chinese(cat Texts) Text {
	return func(key string, args ...any) string { return cat.T("zh", key, args...) }
}

const notificationCols = `id, region_code, channel, recipient, user_id, subject, body, entity, entity_id, state, attempts, next_at, sent_at, read_at, last_error, created_at`

func scanNotification(row interface{ Scan(...any) error }, n *fugong.Notification, extra ...any) error {
	var next, sent, read, created int64
	if err := row.Scan(append([]any{&n.ID, &n.County, &n.Channel, &n.Recipient, &n.UserID, &n.Subject, &n.Body, &n.Entity, &n.EntityID, &n.State, &n.Attempts,
		&next, &sent, &read, &n.LastError, &created}, extra...)...); err != nil {
		return err
	}
	n.NextAt, n.SentAt, n.ReadAt, n.CreatedAt = fromMS(next), fromMS(sent), fromMS(read), fromMS(created)
	return nil
}

// scanNotifications reads and closes rows of notificationCols, then extra.
func scanNotifications(rows *sql.Rows, extra ...any) ([]fugong.Notification, error) {
	defer rows.Close()
	var out []fugong.Notification
	for rows.Next() {
		var n fugong.Notification
		if err := scanNotification(rows, &n, extra...); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// recipientIDs reads the user ids a query answers, each once: whom a notification goes to.
func recipientIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if !containsID(out, id) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// notifyInApp queues one in-app notification per user (0: nobody) about a record of
// entity, e.g. "demands" and its id.
func (db *DB) notifyInApp(ctx context.Context, q Querier, county string, users []int64, subject, body, entity string, id int64) error {
	for _, u := range users {
		if u == 0 {
			continue
		}
		n := fugong.Notification{County: county, Channel: fugong.ChannelInApp, UserID: u, Subject: subject, Body: body, Entity: entity, EntityID: strconv.FormatInt(id, 10)}
		if err := db.EnqueueNotification(ctx, q, &n); err != nil {
			return err
		}
	}
	return nil
}

// ClaimNotifications returns up to limit pending notifications that are due, pushing
// their next attempt a minute ahead so that a crash mid-delivery retries rather than loses.
func (db *DB) ClaimNotifications(ctx context.Context, now time.Time, limit int) ([]fugong.Notification, error) {
	rows, err := db.W.QueryContext(ctx, `UPDATE notifications SET attempts = attempts + 1, next_at = $1
		WHERE id IN (SELECT id FROM notifications WHERE state = 'pending' AND next_at <= $2 ORDER BY next_at, id LIMIT $3)
		RETURNING `+notificationCols, ms(now.Add(time.Minute)), ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	return scanNotifications(rows)
}

// FinishNotification records a delivery: sent, or pending again at retryAt, or failed for
// good when retryAt is zero.
func (db *DB) FinishNotification(ctx context.Context, id int64, deliveryErr error, retryAt time.Time) error {
	var err error
	switch {
	case deliveryErr == nil:
		_, err = db.W.ExecContext(ctx, `UPDATE notifications SET state = 'sent', sent_at = $1, last_error = '' WHERE id = $2`, db.now(), id)
	case !retryAt.IsZero():
		_, err = db.W.ExecContext(ctx, `UPDATE notifications SET next_at = $1, last_error = $2 WHERE id = $3`, ms(retryAt), deliveryErr.Error(), id)
	default:
		_, err = db.W.ExecContext(ctx, `UPDATE notifications SET state = 'failed', last_error = $1 WHERE id = $2`, deliveryErr.Error(), id)
	}
	return err
}

// FindNotificationsFor lists what was sent about one thing (e.g. "demands", "42"), for
// its timeline. The caller has already found the thing in scope.
func (db *DB) FindNotificationsFor(ctx context.Context, entity, entityID string) ([]fugong.Notification, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE entity = $1 AND entity_id = $2 ORDER BY id`, entity, entityID)
	if err != nil {
		return nil, err
	}
	return scanNotifications(rows)
}

// FindInbox lists the caller's in-app notifications, newest first, with the unread count.
func (db *DB) FindInbox(ctx context.Context, sc fugong.Scope, limit, offset int) ([]fugong.Notification, int, int, error) {
	limit, offset = page(limit, offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+notificationCols+`, COUNT(*) OVER() FROM notifications WHERE channel = 'inapp' AND user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
		sc.UserID, limit, offset)
	if err != nil {
		return nil, 0, 0, err
	}
	total := 0
	out, err := scanNotifications(rows, &total)
	if err != nil {
		return nil, 0, 0, err
	}
	var unread int
	err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE channel = 'inapp' AND user_id = $1 AND read_at = 0`, sc.UserID).Scan(&unread)
	return out, total, unread, err
}

// MarkInboxRead marks all of the caller's in-app notifications read.
func (db *DB) MarkInboxRead(ctx context.Context, sc fugong.Scope) error {
	_, err := db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE channel = 'inapp' AND user_id = $2 AND read_at = 0`, db.now(), sc.UserID)
	return err
}
