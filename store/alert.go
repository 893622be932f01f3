package store

import (
	"context"
	"fmt"

	"fugong"
	"fugong/secret"
)

// alert records a fever, a symptom or a missed day's check and tells, through the outbox in the same
// transaction, everyone who answers for the worker: the enterprise (主体), its liaison
// (服务), the township (属地) and command — in the app, and on the WeCom robots that
// command, the township and the enterprise have set up.
func (h *Health) alert(ctx context.Context, q Querier, w fugong.Worker, a fugong.Alert) error {
	db := h.DB
	a.County, a.EnterpriseID, a.Township, a.WorkerID, a.WorkerName, a.At = w.County, w.EnterpriseID, w.Township, w.ID, w.Name, db.Clock.Now()
	if err := q.QueryRowContext(ctx, `SELECT name FROM enterprises WHERE id = $1`, w.EnterpriseID).Scan(&a.Enterprise); err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	record, err := SealCheckHealth(h.Keys, a.Temperature, a.Symptoms)
	if err != nil {
		return err
	}
	err = q.QueryRowContext(ctx, `INSERT INTO health_alerts (region_code, enterprise_id, township, worker_id, day, temperature, source, at, health_sealed)
		VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8) RETURNING id`,
		a.County, a.EnterpriseID, a.Township, a.WorkerID, a.Day, a.Source, ms(a.At), record).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("record alert: %w", err)
	}
	subject := h.text("health.alert_subject", a.Enterprise)
	// The notification names the worker and links to the alert, whose reading the page
	// shows to those in scope: the notifications table keeps no health record in clear.
	body := h.text("health.alert_body", a.Enterprise, a.WorkerName, a.Day, h.text("health.source."+a.Source))
	if a.Source == fugong.SourceMissed {
		subject, body = h.text("health.missed_subject", a.Enterprise), h.text("health.missed_body", a.Enterprise, a.WorkerName, a.Day)
	}
	entityID := itoa64(a.ID)
	users, err := recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE disabled = FALSE AND region_code = $1 AND (
			(role = 'enterprise' AND enterprise_id = $2)
			OR (role = 'liaison' AND id IN (SELECT user_id FROM liaison_assignments WHERE enterprise_id = $2 AND to_date = ''))
			OR (role = 'township' AND region = $3)
			OR role = 'command') ORDER BY id`, a.County, a.EnterpriseID, a.Township))
	if err != nil {
		return fmt.Errorf("alert recipients: %w", err)
	}
	if err := db.notifyInApp(ctx, q, a.County, users, subject, body, "health_alerts", a.ID); err != nil {
		return err
	}
	hooks, err := q.QueryContext(ctx, `SELECT value FROM settings WHERE region_code = $1 AND name IN ($2, $3, $4) AND value <> '' ORDER BY name`,
		a.County, SettingWeComCommand, WeComTownshipSetting(a.Township), WeComEnterpriseSetting(a.EnterpriseID))
	if err != nil {
		return fmt.Errorf("alert robots: %w", err)
	}
	var urls []string
	for hooks.Next() {
		var u string
		if err := hooks.Scan(&u); err != nil {
			hooks.Close()
			return err
		}
		urls = append(urls, u)
	}
	hooks.Close()
	if err := hooks.Err(); err != nil {
		return err
	}
	// A group robot posts into a chat that many read: it says that there is an alert and
	// where, never the worker, the temperature or the symptoms (health records, which
	// DESIGN.md has shown only to the roles that answer for the worker, in the app).
	robotBody := h.text("health.alert_robot", a.Enterprise, a.Day, h.text("health.source."+a.Source))
	for _, u := range urls {
		n := fugong.Notification{County: a.County, Channel: fugong.ChannelWeCom, Recipient: u, Subject: subject, Body: robotBody, Entity: "health_alerts", EntityID: entityID}
		if err := db.EnqueueNotification(ctx, q, &n); err != nil {
			return err
		}
	}
	return hooks.Err()
}

func (h *Health) text(key string, args ...any) string {
	if h.Text == nil {
		return fmt.Sprint(append([]any{key}, args...)...)
	}
	return h.Text(key, args...)
}

// FindAlerts lists the alerts of a day in the caller's scope (of one enterprise when
// enterpriseID is not 0), newest first, their readings opened.
func (h *Health) FindAlerts(ctx context.Context, sc fugong.Scope, day string, enterpriseID int64, limit int) ([]fugong.Alert, error) {
	return h.DB.findAlerts(ctx, sc, h.Keys, alertFilter{day: day, enterpriseID: enterpriseID}, limit)
}

// FindAlert returns one alert in the caller's scope, its reading opened: what a
// notification of it links to.
func (h *Health) FindAlert(ctx context.Context, sc fugong.Scope, id int64) (fugong.Alert, error) {
	as, err := h.DB.findAlerts(ctx, sc, h.Keys, alertFilter{id: id}, 1)
	if err != nil {
		return fugong.Alert{}, err
	}
	if len(as) == 0 {
		return fugong.Alert{}, fugong.NotFound()
	}
	return as[0], nil
}

// alertFilter selects alerts: one by id, or a day's (of one enterprise when not 0).
type alertFilter struct {
	day              string
	enterpriseID, id int64
}

// findAlerts lists alerts as FindAlerts does; without keys, for counting, their sealed
// readings stay shut.
func (db *DB) findAlerts(ctx context.Context, sc fugong.Scope, keys *secret.Keys, f alertFilter, limit int) ([]fugong.Alert, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "h.enterprise_id", "h.region_code", &a)}
	if f.id != 0 {
		c = append(c, "h.id = "+a.add(f.id))
	} else {
		c = append(c, "h.day = "+a.add(f.day))
	}
	if f.enterpriseID != 0 {
		c = append(c, "h.enterprise_id = "+a.add(f.enterpriseID))
	}
	limit, _ = page(limit, 0)
	rows, err := db.R.QueryContext(ctx, `SELECT h.id, h.region_code, h.enterprise_id, e.name, h.township, h.worker_id, w.name, h.day, h.temperature, h.symptoms, h.source, h.at, h.health_sealed
		FROM health_alerts h JOIN enterprises e ON e.id = h.enterprise_id JOIN workers w ON w.id = h.worker_id`+where(c)+` ORDER BY h.id DESC LIMIT `+a.add(limit), a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find alerts: %w", err)
	}
	defer rows.Close()
	var out []fugong.Alert
	for rows.Next() {
		var x fugong.Alert
		var t int
		var at int64
		var record string
		if err := rows.Scan(&x.ID, &x.County, &x.EnterpriseID, &x.Enterprise, &x.Township, &x.WorkerID, &x.WorkerName, &x.Day, &t, &x.Symptoms, &x.Source, &at, &record); err != nil {
			return nil, err
		}
		x.Temperature, x.At = fugong.Temperature(t), fromMS(at)
		if keys != nil {
			if err := openCheck(keys, record, &x.Temperature, &x.Symptoms); err != nil {
				return nil, fmt.Errorf("alert %d: %w", x.ID, err)
			}
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
