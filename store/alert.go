package store

import (
	"context"
	"fmt"

	"fugong"
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
	err := q.QueryRowContext(ctx, `INSERT INTO health_alerts (region_code, enterprise_id, township, worker_id, day, temperature, symptoms, source, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		a.County, a.EnterpriseID, a.Township, a.WorkerID, a.Day, int(a.Temperature), a.Symptoms, a.Source, ms(a.At)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("record alert: %w", err)
	}
	subject := h.text("health.alert_subject", a.Enterprise)
	temp := a.Temperature.String()
	if temp == "" {
		temp = "—"
	}
	symptoms := a.Symptoms
	if symptoms == "" {
		symptoms = h.text("health.no_symptoms")
	}
	body := h.text("health.alert_body", a.Enterprise, a.WorkerName, a.Day, temp, symptoms, h.text("health.source."+a.Source))
	if a.Source == fugong.SourceMissed {
		subject, body = h.text("health.missed_subject", a.Enterprise), h.text("health.missed_body", a.Enterprise, a.WorkerName, a.Day)
	}
	entityID := itoa64(a.ID)
	send := func(n fugong.Notification) error {
		n.County, n.Subject, n.Body, n.Entity, n.EntityID = a.County, subject, body, "health_alerts", entityID
		return db.EnqueueNotification(ctx, q, &n)
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM users WHERE disabled = FALSE AND region_code = $1 AND (
			(role = 'enterprise' AND enterprise_id = $2)
			OR (role = 'liaison' AND id IN (SELECT user_id FROM liaison_assignments WHERE enterprise_id = $2 AND to_date = ''))
			OR (role = 'township' AND region = $3)
			OR role = 'command') ORDER BY id`, a.County, a.EnterpriseID, a.Township)
	if err != nil {
		return fmt.Errorf("alert recipients: %w", err)
	}
	var users []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		users = append(users, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range users {
		if err := send(fugong.Notification{Channel: fugong.ChannelInApp, UserID: id}); err != nil {
			return err
		}
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
// enterpriseID is not 0), newest first.
func (db *DB) FindAlerts(ctx context.Context, sc fugong.Scope, day string, enterpriseID int64, limit int) ([]fugong.Alert, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "h.enterprise_id", "h.region_code", &a), "h.day = " + a.add(day)}
	if enterpriseID != 0 {
		c = append(c, "h.enterprise_id = "+a.add(enterpriseID))
	}
	limit, _ = page(limit, 0)
	rows, err := db.R.QueryContext(ctx, `SELECT h.id, h.region_code, h.enterprise_id, e.name, h.township, h.worker_id, w.name, h.day, h.temperature, h.symptoms, h.source, h.at
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
		if err := rows.Scan(&x.ID, &x.County, &x.EnterpriseID, &x.Enterprise, &x.Township, &x.WorkerID, &x.WorkerName, &x.Day, &t, &x.Symptoms, &x.Source, &at); err != nil {
			return nil, err
		}
		x.Temperature, x.At = fugong.Temperature(t), fromMS(at)
		out = append(out, x)
	}
	return out, rows.Err()
}
