package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"fugong"
)

// Settings of the workforce-health rules, per county.
const (
	SettingIsolationDays = "health.isolation_days" // days of isolation, default 14
	SettingRiskRegions   = "health.risk_regions"   // command's list, one region a line
	// SettingWeComCommand is the WeCom robot of command; a township's is
	// SettingWeComCommand's sibling "notify.wecom.township.<code>", an enterprise's
	// "notify.wecom.enterprise.<id>".
	SettingWeComCommand = "notify.wecom.command"
)

// WeComTownshipSetting names the WeCom robot setting of a township.
func WeComTownshipSetting(code string) string { return "notify.wecom.township." + code }

// WeComEnterpriseSetting names the WeCom robot setting of an enterprise.
func WeComEnterpriseSetting(id int64) string { return "notify.wecom.enterprise." + itoa64(id) }

// IsolationDays reads command's isolation period.
func (db *DB) IsolationDays(ctx context.Context, county string) (int, error) {
	v, err := db.Setting(ctx, county, SettingIsolationDays, "")
	if err != nil || v == "" {
		return fugong.DefaultIsolationDays, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return fugong.DefaultIsolationDays, nil
	}
	return n, nil
}

// RiskRegions reads command's list of risk regions.
func (db *DB) RiskRegions(ctx context.Context, county string) ([]fugong.RiskRegion, error) {
	v, err := db.Setting(ctx, county, SettingRiskRegions, "")
	if err != nil {
		return nil, err
	}
	rs, _ := fugong.ParseRiskRegions(v)
	return rs, nil
}

// RecordGate records one step of a worker through the gates, after the state machine
// (fugong.Advance) allows it. Screening computes the risk level from the entry step and
// command's list. A fever or symptom at the entry or screening alerts at once.
func (h *Health) RecordGate(ctx context.Context, sc fugong.Scope, e *fugong.GateEvent) (fugong.Worker, error) {
	if err := sc.Require(healthWriters...); err != nil {
		return fugong.Worker{}, err
	}
	if err := e.Validate(); err != nil {
		return fugong.Worker{}, err
	}
	db := h.DB
	days, err := db.IsolationDays(ctx, sc.County)
	if err != nil {
		return fugong.Worker{}, err
	}
	regions, err := db.RiskRegions(ctx, sc.County)
	if err != nil {
		return fugong.Worker{}, err
	}
	var out fugong.Worker
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		w, err := h.findWorker(ctx, tx, sc, e.WorkerID)
		if err != nil {
			return err
		}
		if e.Gate == fugong.GateScreening {
			var entry fugong.GateEvent
			var temp int
			var record string
			err := tx.QueryRowContext(ctx, `SELECT from_region, route, arrival, temperature, health_sealed FROM worker_gates WHERE worker_id = $1 AND gate = 'entry' ORDER BY id DESC LIMIT 1`,
				w.ID).Scan(&entry.FromRegion, &entry.Route, &entry.Arrival, &temp, &record)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			entry.Temperature = fugong.Temperature(temp)
			if err := openGate(h.Keys, record, &entry); err != nil {
				return err
			}
			t := e.Temperature
			if t == 0 {
				t = entry.Temperature
			}
			e.Risk = fugong.Screen(entry.FromRegion, entry.Route, entry.Arrival, regions, e.Contact, e.Symptoms, t)
		}
		status, st, err := fugong.Advance(w.Status, w.Health, *e, days)
		if err != nil {
			return err
		}
		if e.Gate == fugong.GateIsolation {
			e.PlannedEnd = st.IsolationEnd
		}
		iso, err := SealIsolation(h.Keys, st)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE workers SET status = $1, gate = $2, risk = $3, arrival = $4, isolation_kind = '', isolation_start = '', isolation_end = '',
			health_sealed = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			status, st.Gate, st.Risk, st.Arrival, iso, db.now(), w.ID, w.Version)
		if err != nil {
			return fmt.Errorf("advance worker %d: %w", w.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		a := fugong.ActorFrom(ctx)
		e.County, e.EnterpriseID, e.RecordedBy, e.RecorderName, e.At = w.County, w.EnterpriseID, sc.UserID, a.Username, db.Clock.Now()
		record, err := SealGateHealth(h.Keys, *e)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO worker_gates (region_code, enterprise_id, worker_id, gate, day, arrival, risk, note, recorded_by, recorder_name, at, health_sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			e.County, e.EnterpriseID, e.WorkerID, e.Gate, e.Day, e.Arrival, e.Risk, e.Note, e.RecordedBy, e.RecorderName, ms(e.At), record).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("record gate: %w", err)
		}
		before := map[string]any{"status": w.Status, "gate": w.Health.Gate}
		w.Status, w.Health, w.Version = status, st, w.Version+1
		if err := db.Audit(ctx, tx, w.County, "gate", "workers", w.ID, before, map[string]any{"status": status, "gate": st.Gate, "risk": st.Risk, "day": e.Day}); err != nil {
			return err
		}
		if (e.Gate == fugong.GateEntry || e.Gate == fugong.GateScreening) && (e.Temperature.Fever() || e.Symptoms != "") {
			if err := h.alert(ctx, tx, w, fugong.Alert{Day: e.Day, Temperature: e.Temperature, Symptoms: e.Symptoms, Source: e.Gate}); err != nil {
				return err
			}
		}
		out = w
		return nil
	})
	return out, err
}

// dayRange adds the conditions of a day range on column day to c.
func dayRange(c []string, r fugong.DayRange, a *args) []string {
	if r.From != "" {
		c = append(c, "day >= "+a.add(r.From))
	}
	if r.To != "" {
		c = append(c, "day <= "+a.add(r.To))
	}
	return c
}

// FindGates lists a worker's steps through the gates in a day range, oldest first, their
// health records opened. The caller has found the worker in scope.
func (h *Health) FindGates(ctx context.Context, workerID int64, r fugong.DayRange) ([]fugong.GateEvent, error) {
	var a args
	c := dayRange([]string{"worker_id = " + a.add(workerID)}, r, &a)
	rows, err := h.DB.R.QueryContext(ctx, `SELECT id, region_code, enterprise_id, worker_id, gate, day, from_region, route, arrival, temperature, contact, symptoms,
		risk, isolation_kind, planned_end, note, recorded_by, recorder_name, at, health_sealed FROM worker_gates`+where(c)+` ORDER BY id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find gates: %w", err)
	}
	defer rows.Close()
	var out []fugong.GateEvent
	for rows.Next() {
		var e fugong.GateEvent
		var t int
		var at int64
		var record string
		if err := rows.Scan(&e.ID, &e.County, &e.EnterpriseID, &e.WorkerID, &e.Gate, &e.Day, &e.FromRegion, &e.Route, &e.Arrival, &t, &e.Contact, &e.Symptoms,
			&e.Risk, &e.IsolationKind, &e.PlannedEnd, &e.Note, &e.RecordedBy, &e.RecorderName, &at, &record); err != nil {
			return nil, err
		}
		e.Temperature, e.At = fugong.Temperature(t), fromMS(at)
		if err := openGate(h.Keys, record, &e); err != nil {
			return nil, fmt.Errorf("gate %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordCheck records a temperature check of a worker in the caller's scope: the day's
// reading in isolation, or the morning or afternoon check at work. A fever or symptom
// alerts at once. Checks are the hot path of the day, so they go through group commit.
func (h *Health) RecordCheck(ctx context.Context, sc fugong.Scope, c *fugong.Check) error {
	if err := sc.Require(healthWriters...); err != nil {
		return err
	}
	if err := c.Validate(h.DB.Today()); err != nil {
		return err
	}
	return h.DB.Group(ctx, func(tx *sql.Tx) error { return h.RecordCheckTx(ctx, tx, sc, c) })
}

// RecordCheckTx records a validated check inside the caller's transaction, through the
// writer's prepared statements where it has them (Prepared).
func (h *Health) RecordCheckTx(ctx context.Context, t *sql.Tx, sc fugong.Scope, c *fugong.Check) error {
	db := h.DB
	tx := db.Prepared(t)
	w, err := h.findWorker(ctx, tx, sc, c.WorkerID)
	if err != nil {
		return err
	}
	slot, key := fugong.CheckSlotFor(w.Status, c.Slot)
	if key != "" {
		return fugong.Invalid(map[string]fugong.Msg{"slot": fugong.M(key)})
	}
	c.Slot, c.County, c.EnterpriseID, c.Township, c.RecordedBy, c.At = slot, w.County, w.EnterpriseID, w.Township, sc.UserID, db.Clock.Now()
	record, err := SealCheckHealth(h.Keys, c.Temperature, c.Symptoms)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO worker_checks (region_code, enterprise_id, township, worker_id, day, slot, temperature, recorded_by, at, health_sealed)
		VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9) RETURNING id`,
		c.County, c.EnterpriseID, c.Township, c.WorkerID, c.Day, c.Slot, c.RecordedBy, ms(c.At), record).Scan(&c.ID)
	if err != nil {
		if fugong.ErrorCode(mapErr(err)) == fugong.ECONFLICT {
			return fugong.Conflict("health.check_duplicate")
		}
		return fmt.Errorf("record check: %w", err)
	}
	if err := db.countCheck(ctx, tx, c); err != nil {
		return err
	}
	// The audit log keeps no health record in clear: the check's day and slot, and whether it alerted.
	if err := db.Audit(ctx, tx, c.County, "check", "workers", c.WorkerID, nil, map[string]any{"day": c.Day, "slot": c.Slot, "alert": c.Alarming()}); err != nil {
		return err
	}
	if c.Alarming() {
		return h.alert(ctx, tx, w, fugong.Alert{Day: c.Day, Temperature: c.Temperature, Symptoms: c.Symptoms, Source: c.Slot})
	}
	return nil
}

// countCheck adds a recorded check to its enterprise's count of the day (check_days), in
// the check's transaction, for the health figures.
func (db *DB) countCheck(ctx context.Context, tx Querier, c *fugong.Check) error {
	alarming := 0
	if c.Alarming() {
		alarming = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO check_days (enterprise_id, day, region_code, township, checks, alarming) VALUES ($1, $2, $3, $4, 1, $5)
		ON CONFLICT (`+db.Dialect.CountyKey("enterprise_id, day")+`) DO UPDATE SET checks = check_days.checks + 1, alarming = check_days.alarming + excluded.alarming`,
		c.EnterpriseID, c.Day, c.County, c.Township, alarming)
	if err != nil {
		return fmt.Errorf("count check: %w", err)
	}
	return nil
}

// FindChecks lists a worker's checks in a day range, newest first, at most limit, their
// readings opened. The caller has found the worker in scope.
func (h *Health) FindChecks(ctx context.Context, workerID int64, r fugong.DayRange, limit int) ([]fugong.Check, error) {
	limit, _ = page(limit, 0)
	var a args
	c := dayRange([]string{"worker_id = " + a.add(workerID)}, r, &a)
	rows, err := h.DB.R.QueryContext(ctx, `SELECT id, region_code, enterprise_id, township, worker_id, day, slot, temperature, symptoms, recorded_by, at, health_sealed
		FROM worker_checks`+where(c)+` ORDER BY day DESC, slot DESC LIMIT `+a.add(limit), a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find checks: %w", err)
	}
	defer rows.Close()
	var out []fugong.Check
	for rows.Next() {
		var c fugong.Check
		var t int
		var at int64
		var record string
		if err := rows.Scan(&c.ID, &c.County, &c.EnterpriseID, &c.Township, &c.WorkerID, &c.Day, &c.Slot, &t, &c.Symptoms, &c.RecordedBy, &at, &record); err != nil {
			return nil, err
		}
		c.Temperature, c.At = fugong.Temperature(t), fromMS(at)
		if err := openCheck(h.Keys, record, &c.Temperature, &c.Symptoms); err != nil {
			return nil, fmt.Errorf("check %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertGateEventsTx writes recorded steps in bulk inside the caller's transaction, for
// the demo's history, their health records sealed.
func (h *Health) InsertGateEventsTx(ctx context.Context, q Querier, es []fugong.GateEvent) error {
	const cols = 11
	db := h.DB
	now := db.now()
	vals := make([]any, 0, len(es)*cols)
	for _, e := range es {
		record, err := SealGateHealth(h.Keys, e)
		if err != nil {
			return err
		}
		vals = append(vals, e.County, e.EnterpriseID, e.WorkerID, e.Gate, e.Day, e.Arrival, e.Risk, e.RecordedBy, e.RecorderName, now, record)
	}
	err := db.bulkInsert(ctx, q, `INSERT INTO worker_gates (region_code, enterprise_id, worker_id, gate, day, arrival, risk, recorded_by, recorder_name, at, health_sealed) VALUES`, "", cols, vals)
	if err != nil {
		return fmt.Errorf("insert gate events: %w", err)
	}
	return nil
}
