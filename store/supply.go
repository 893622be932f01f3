package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fugong"
)

// SupplyDemandRaiser is where the shortage rule sends its supply demand. The demands
// service (诉求) implements it to raise a real demand in the same transaction; until then
// SupplyRequests keeps the requests in supply_requests.
type SupplyDemandRaiser interface {
	// OpenSupplyDemand reports whether a supply demand of the enterprise is still open.
	OpenSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) (bool, error)
	// RaiseSupplyDemand raises one for quantity masks; raised is false when one was
	// already open (the rule raises once while it is open).
	RaiseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64, quantity int, note string) (raised bool, err error)
}

// SupplyRequests is the default SupplyDemandRaiser: one row per request in
// supply_requests, at most one open per enterprise and item (a unique partial index).
type SupplyRequests struct{ DB *DB }

// OpenSupplyDemand reports an open mask request.
func (s SupplyRequests) OpenSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM supply_requests WHERE enterprise_id = $1 AND item = 'mask' AND state = 'open'`, enterpriseID).Scan(&n)
	return n > 0, err
}

// RaiseSupplyDemand records an open mask request unless one is open.
func (s SupplyRequests) RaiseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64, quantity int, note string) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO supply_requests (region_code, enterprise_id, item, quantity, note, state, raised_at)
		SELECT region_code, id, 'mask', $1, $2, 'open', $3 FROM enterprises WHERE id = $4
		ON CONFLICT (enterprise_id, item, region_code) WHERE state = 'open' DO NOTHING`, quantity, note, s.DB.now(), enterpriseID)
	if err != nil {
		return false, fmt.Errorf("raise supply request: %w", err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return false, nil
	}
	var county string
	if err := tx.QueryRowContext(ctx, `SELECT region_code FROM enterprises WHERE id = $1`, enterpriseID).Scan(&county); err != nil {
		return false, err
	}
	return true, s.DB.Audit(ctx, tx, county, "create", "supply_requests", enterpriseID, nil, map[string]any{"item": "mask", "quantity": quantity, "note": note})
}

// CloseSupplyDemand closes the open mask request once stock is back above the threshold.
func (s SupplyRequests) CloseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE supply_requests SET state = 'closed', closed_at = $1 WHERE enterprise_id = $2 AND item = 'mask' AND state = 'open'`,
		s.DB.now(), enterpriseID)
	return err
}

// FindSupplyRequests lists the supply requests of the enterprises in the caller's scope.
func (db *DB) FindSupplyRequests(ctx context.Context, sc fugong.Scope, enterpriseID int64, state string) ([]fugong.SupplyRequest, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "r.enterprise_id", "r.region_code", &a)}
	if enterpriseID != 0 {
		c = append(c, "r.enterprise_id = "+a.add(enterpriseID))
	}
	if state != "" {
		c = append(c, "r.state = "+a.add(state))
	}
	rows, err := db.R.QueryContext(ctx, `SELECT r.id, r.region_code, r.enterprise_id, r.item, r.quantity, r.note, r.state, r.raised_at, r.closed_at
		FROM supply_requests r`+where(c)+` ORDER BY r.id DESC LIMIT 1000`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find supply requests: %w", err)
	}
	defer rows.Close()
	var out []fugong.SupplyRequest
	for rows.Next() {
		var r fugong.SupplyRequest
		var raised, closed int64
		if err := rows.Scan(&r.ID, &r.County, &r.EnterpriseID, &r.Item, &r.Quantity, &r.Note, &r.State, &raised, &closed); err != nil {
			return nil, err
		}
		r.RaisedAt, r.ClosedAt = fromMS(raised), fromMS(closed)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (h *Health) raiser() SupplyDemandRaiser {
	if h.SupplyDemands != nil {
		return h.SupplyDemands
	}
	return SupplyRequests{DB: h.DB}
}

// County defaults of the supply settings.
const (
	SettingAttendancePct  = "supply.attendance_pct"
	SettingMasksPerPerson = "supply.masks_per_person"
	SettingThresholdDays  = "supply.threshold_days"
)

// countySupplySettings reads the county's defaults.
func (db *DB) countySupplySettings(ctx context.Context, q Querier, county string) (fugong.SupplySettings, error) {
	s := fugong.DefaultSupplySettings
	rows, err := q.QueryContext(ctx, `SELECT name, value FROM settings WHERE region_code = $1 AND name IN ($2, $3, $4)`,
		county, SettingAttendancePct, SettingMasksPerPerson, SettingThresholdDays)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, v string
		if err := rows.Scan(&name, &v); err != nil {
			return s, err
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue
		}
		switch name {
		case SettingAttendancePct:
			s.AttendancePct = n
		case SettingMasksPerPerson:
			s.MasksPerPerson = n
		case SettingThresholdDays:
			s.ThresholdDays = n
		}
	}
	return s, rows.Err()
}

// supplySettings reads an enterprise's own settings, or the county's defaults.
func (db *DB) supplySettings(ctx context.Context, q Querier, county string, enterpriseID int64) (fugong.SupplySettings, error) {
	var s fugong.SupplySettings
	err := q.QueryRowContext(ctx, `SELECT attendance_pct, masks_per_person, threshold_days FROM supply_settings WHERE enterprise_id = $1`, enterpriseID).
		Scan(&s.AttendancePct, &s.MasksPerPerson, &s.ThresholdDays)
	if err == sql.ErrNoRows {
		return db.countySupplySettings(ctx, q, county)
	}
	return s, err
}

// SetSupplySettings sets an enterprise's own attendance, masks per person and threshold,
// then applies the shortage rule to the new need.
func (h *Health) SetSupplySettings(ctx context.Context, sc fugong.Scope, enterpriseID int64, s fugong.SupplySettings) error {
	if err := sc.Require(healthWriters...); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	db := h.DB
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		e, err := db.findEnterprise(ctx, tx, sc, enterpriseID)
		if err != nil {
			return err
		}
		before, err := db.supplySettings(ctx, tx, e.County, e.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO supply_settings (enterprise_id, region_code, attendance_pct, masks_per_person, threshold_days) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (`+h.DB.Dialect.CountyKey("enterprise_id")+`) DO UPDATE SET attendance_pct = excluded.attendance_pct, masks_per_person = excluded.masks_per_person,
			threshold_days = excluded.threshold_days, version = supply_settings.version + 1`,
			e.ID, e.County, s.AttendancePct, s.MasksPerPerson, s.ThresholdDays); err != nil {
			return fmt.Errorf("set supply settings: %w", err)
		}
		if err := db.Audit(ctx, tx, e.County, "update", "supply_settings", e.ID, before, s); err != nil {
			return err
		}
		_, err = h.applyShortageRule(ctx, tx, e)
		return err
	})
}

// RecordSupply writes one line of an enterprise's supplies ledger; a TCM dose given to a
// worker counts for that worker. The shortage rule then runs on the new stock.
func (h *Health) RecordSupply(ctx context.Context, sc fugong.Scope, e *fugong.SupplyEntry) error {
	if err := sc.Require(healthWriters...); err != nil {
		return err
	}
	own, err := fugong.CheckOwnEnterprise(sc, e.EnterpriseID)
	if err != nil {
		return err
	}
	e.EnterpriseID = own
	if err := e.Validate(); err != nil {
		return err
	}
	return h.DB.WithTx(ctx, func(tx *sql.Tx) error { return h.RecordSupplyTx(ctx, tx, sc, e) })
}

// RecordSupplyTx writes a validated ledger line inside the caller's transaction.
func (h *Health) RecordSupplyTx(ctx context.Context, tx *sql.Tx, sc fugong.Scope, e *fugong.SupplyEntry) error {
	db := h.DB
	ent, err := db.findEnterprise(ctx, tx, sc, e.EnterpriseID)
	if err != nil {
		return err
	}
	if e.WorkerID != 0 {
		w, err := h.findWorker(ctx, tx, sc, e.WorkerID)
		if err != nil || w.EnterpriseID != ent.ID {
			return fugong.Invalid(map[string]fugong.Msg{"worker_id": fugong.M("supply.worker")})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workers SET tcm_doses = tcm_doses + $1 WHERE id = $2`, e.Quantity, w.ID); err != nil {
			return err
		}
	}
	e.County, e.RecordedBy, e.At = ent.County, sc.UserID, db.Clock.Now()
	if err := db.insertSupplyEntry(ctx, tx, e); err != nil {
		return err
	}
	if err := db.Audit(ctx, tx, e.County, "create", "supply_entries", e.ID, nil, e); err != nil {
		return err
	}
	_, err = h.applyShortageRule(ctx, tx, ent)
	return err
}

func (db *DB) insertSupplyEntry(ctx context.Context, q Querier, e *fugong.SupplyEntry) error {
	err := q.QueryRowContext(ctx, `INSERT INTO supply_entries (region_code, enterprise_id, item, kind, quantity, day, worker_id, note, recorded_by, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		e.County, e.EnterpriseID, e.Item, e.Kind, e.Quantity, e.Day, e.WorkerID, e.Note, e.RecordedBy, ms(e.At)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("record supply: %w", err)
	}
	return nil
}

// applyShortageRule computes the enterprise's days of cover of masks and, below the
// threshold, raises one supply demand unless one is open; back above it, the default
// requests close. It reports whether a demand was raised.
func (h *Health) applyShortageRule(ctx context.Context, tx *sql.Tx, e fugong.Enterprise) (bool, error) {
	db := h.DB
	s, err := db.supplySettings(ctx, tx, e.County, e.ID)
	if err != nil {
		return false, err
	}
	var stock int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN kind = 'received' THEN quantity ELSE -quantity END), 0) FROM supply_entries
		WHERE enterprise_id = $1 AND item = 'mask'`, e.ID).Scan(&stock); err != nil {
		return false, err
	}
	open, err := h.raiser().OpenSupplyDemand(ctx, tx, e.ID)
	if err != nil {
		return false, err
	}
	return h.shortageRule(ctx, tx, e, s, stock, open)
}

// shortageRule raises or closes e's mask demand from its settings, stock and whether a
// request is open.
func (h *Health) shortageRule(ctx context.Context, tx *sql.Tx, e fugong.Enterprise, s fugong.SupplySettings, stock int, open bool) (bool, error) {
	need := fugong.DailyNeed(e.Payroll, s)
	r := h.raiser()
	raise, qty := fugong.SupplyShortage(stock, need, s, open)
	if raise {
		note := h.text("supply.shortage_note", e.Name, stock, need, fugong.DaysOfCover(stock, need)/10, s.ThresholdDays)
		return r.RaiseSupplyDemand(ctx, tx, e.ID, qty, note)
	}
	if closer, ok := r.(interface {
		CloseSupplyDemand(ctx context.Context, tx *sql.Tx, enterpriseID int64) error
	}); ok && open && need > 0 && stock >= need*s.ThresholdDays {
		return false, closer.CloseSupplyDemand(ctx, tx, e.ID)
	}
	return false, nil
}

// shortageRuleAll applies the shortage rule to the county's enterprises ids, reading what
// it needs for all of them in four statements (an import touches hundreds: five
// statements each was most of the demo's supplies step on PostgreSQL). Open requests are
// read as SupplyRequests keeps them, which every raiser uses.
func (h *Health) shortageRuleAll(ctx context.Context, tx *sql.Tx, county string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	db := h.DB
	var a args
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = a.add(id)
	}
	list := "(" + strings.Join(in, ", ") + ")"
	c := a.add(county)
	ents := map[int64]fugong.Enterprise{}
	rows, err := tx.QueryContext(ctx, `SELECT `+enterpriseCols+` FROM enterprises e WHERE e.region_code = `+c+` AND e.id IN `+list, a.vals...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e fugong.Enterprise
		if err := scanEnterprise(rows, &e); err != nil {
			rows.Close()
			return err
		}
		ents[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	county0, err := db.countySupplySettings(ctx, tx, county)
	if err != nil {
		return err
	}
	own := map[int64]fugong.SupplySettings{}
	stock := map[int64]int{}
	open := map[int64]bool{}
	for _, q := range []struct {
		sql  string
		scan func(id int64, rows *sql.Rows) error
	}{
		{`SELECT enterprise_id, attendance_pct, masks_per_person, threshold_days FROM supply_settings WHERE enterprise_id IN ` + list, func(id int64, rows *sql.Rows) error {
			var s fugong.SupplySettings
			err := rows.Scan(&id, &s.AttendancePct, &s.MasksPerPerson, &s.ThresholdDays)
			own[id] = s
			return err
		}},
		{`SELECT enterprise_id, COALESCE(SUM(CASE WHEN kind = 'received' THEN quantity ELSE -quantity END), 0) FROM supply_entries
			WHERE item = 'mask' AND enterprise_id IN ` + list + ` GROUP BY enterprise_id`, func(id int64, rows *sql.Rows) error {
			var n int
			err := rows.Scan(&id, &n)
			stock[id] = n
			return err
		}},
		{`SELECT DISTINCT enterprise_id, 1 FROM supply_requests WHERE item = 'mask' AND state = 'open' AND enterprise_id IN ` + list, func(id int64, rows *sql.Rows) error {
			var one int
			err := rows.Scan(&id, &one)
			open[id] = true
			return err
		}},
	} {
		rows, err := tx.QueryContext(ctx, q.sql, a.vals[:len(ids)]...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := q.scan(0, rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, id := range ids {
		e, ok := ents[id]
		if !ok {
			return fugong.NotFound()
		}
		s, ok := own[id]
		if !ok {
			s = county0
		}
		if _, err := h.shortageRule(ctx, tx, e, s, stock[id], open[id]); err != nil {
			return err
		}
	}
	return nil
}

// ImportSuppliesTx writes validated ledger lines in bulk inside the caller's
// transaction (for the demo and ledger imports), one audit line for all of them, and then
// applies the shortage rule to every enterprise they touched.
func (h *Health) ImportSuppliesTx(ctx context.Context, tx *sql.Tx, county string, es []fugong.SupplyEntry) error {
	const cols = 10
	db := h.DB
	vals := make([]any, 0, len(es)*cols)
	touched := []int64{}
	seen := map[int64]bool{}
	for _, e := range es {
		vals = append(vals, county, e.EnterpriseID, e.Item, e.Kind, e.Quantity, e.Day, e.WorkerID, e.Note, e.RecordedBy, db.now())
		if !seen[e.EnterpriseID] {
			seen[e.EnterpriseID] = true
			touched = append(touched, e.EnterpriseID)
		}
	}
	if err := db.bulkInsert(ctx, tx, `INSERT INTO supply_entries (region_code, enterprise_id, item, kind, quantity, day, worker_id, note, recorded_by, at) VALUES`, "", cols, vals); err != nil {
		return fmt.Errorf("import supplies: %w", err)
	}
	if err := db.Audit(ctx, tx, county, "import", "supply_entries", "", nil, map[string]int{"lines": len(es), "enterprises": len(touched)}); err != nil {
		return err
	}
	return h.shortageRuleAll(ctx, tx, county, touched)
}
