package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fugong"
	"fugong/secret"
)

// Health carries what the workforce-health workflows need besides the database: the keys
// that seal personal data, the alert text in the county's language, and where the
// shortage rule sends supply demands.
type Health struct {
	DB   *DB
	Keys *secret.Keys
	// Text renders a catalogue message in the county's language, for alerts.
	Text func(key string, args ...any) string
	// SupplyDemands receives the shortage rule's demands; nil records them in
	// supply_requests (SupplyRequests).
	SupplyDemands SupplyDemandRaiser
	// UnmaskLimit is the hourly number of records an account may unmask in exports
	// (AllowBulkUnmask); 0 means UnmaskHourlyLimit.
	UnmaskLimit int
}

// healthWriters may record workers, gates, checks and supplies; leaders, departments and
// villages only read.
var healthWriters = fugong.RolesFor(fugong.PermHealthWrite)

const workerCols = `w.id, w.region_code, w.enterprise_id, w.township, w.name, w.id_masked, w.phone_masked, w.home_region, w.poor, w.status,
	w.gate, w.risk, w.arrival, w.isolation_kind, w.isolation_start, w.isolation_end, w.tcm_doses, w.version, w.created_at, w.updated_at, w.health_sealed`

// scanWorker reads a row of workerCols, its isolation opened with keys.
func scanWorker(keys *secret.Keys, row interface{ Scan(...any) error }, w *fugong.Worker, extra ...any) error {
	var c, u int64
	var record string
	h := &w.Health
	dest := []any{&w.ID, &w.County, &w.EnterpriseID, &w.Township, &w.Name, &w.IDNumber, &w.Phone, &w.HomeRegion, &w.Poor, &w.Status,
		&h.Gate, &h.Risk, &h.Arrival, &h.IsolationKind, &h.IsolationStart, &h.IsolationEnd, &w.TCMDoses, &w.Version, &c, &u, &record}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	w.CreatedAt, w.UpdatedAt, w.Masked = fromMS(c), fromMS(u), true
	if err := openIsolation(keys, record, h); err != nil {
		return fmt.Errorf("worker %d: %w", w.ID, err)
	}
	return nil
}

// auditView is what the audit log keeps of a worker: never the personal data in clear.
func auditView(w fugong.Worker) map[string]any {
	return map[string]any{"name": w.Name, "enterprise_id": w.EnterpriseID, "id_number": fugong.MaskIDNumber(w.IDNumber), "phone": fugong.MaskPhone(w.Phone),
		"home_region": w.HomeRegion, "poor": w.Poor, "status": w.Status}
}

// sealed is a worker's personal data as stored.
type sealed struct{ idSealed, idHash, idMasked, phoneSealed, phoneMasked string }

func (h *Health) seal(w *fugong.Worker) sealed {
	return sealed{h.Keys.Seal(w.IDNumber), h.Keys.Hash(w.IDNumber), fugong.MaskIDNumber(w.IDNumber), h.Keys.Seal(w.Phone), fugong.MaskPhone(w.Phone)}
}

// IDHash is the keyed hash under which a worker's ID number is found.
func (h *Health) IDHash(idNumber string) string {
	return h.Keys.Hash(fugong.NormalizeIDNumber(idNumber))
}

// CreateWorker validates a worker, seals the ID number and phone, and saves it for an
// enterprise in the caller's scope. The same person twice at one enterprise is refused.
func (h *Health) CreateWorker(ctx context.Context, sc fugong.Scope, w *fugong.Worker) error {
	if err := sc.Require(healthWriters...); err != nil {
		return err
	}
	own, err := fugong.CheckOwnEnterprise(sc, w.EnterpriseID)
	if err != nil {
		return err
	}
	w.EnterpriseID = own
	if err := w.Validate(); err != nil {
		return err
	}
	db := h.DB
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		e, err := db.findEnterprise(ctx, tx, sc, w.EnterpriseID)
		if err != nil {
			return err
		}
		w.County, w.Township = e.County, e.Township
		s := h.seal(w)
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO workers (region_code, enterprise_id, township, name, id_sealed, id_hash, id_masked, phone_sealed, phone_masked,
			home_region, poor, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			w.County, w.EnterpriseID, w.Township, w.Name, s.idSealed, s.idHash, s.idMasked, s.phoneSealed, s.phoneMasked,
			w.HomeRegion, w.Poor, w.Status, now).Scan(&w.ID)
		if err != nil {
			if fugong.ErrorCode(mapErr(err)) == fugong.ECONFLICT {
				return fugong.Invalid(map[string]fugong.Msg{"id_number": fugong.M("worker.duplicate")})
			}
			return fmt.Errorf("create worker: %w", err)
		}
		w.Version, w.CreatedAt, w.UpdatedAt = 1, fromMS(now), fromMS(now)
		return db.Audit(ctx, tx, w.County, "create", "workers", w.ID, nil, auditView(*w))
	})
}

// InsertWorkersTx writes validated workers in bulk inside the caller's transaction,
// sealing their personal data: many rows per statement, for imports and the demo. A
// person already on an enterprise's books is updated (name, phone, home region, poor
// household), never doubled; their health state is kept.
func (h *Health) InsertWorkersTx(ctx context.Context, q Querier, ws []fugong.Worker) error {
	vals := make([]any, 0, len(ws)*workerInsertCols)
	now := h.DB.now()
	for _, w := range ws {
		iso, err := SealIsolation(h.Keys, w.Health)
		if err != nil {
			return err
		}
		vals = appendWorkerValues(vals, w, h.seal(&w), iso, now)
	}
	if err := h.DB.bulkInsert(ctx, q, workerInsertHead, workerInsertTail, workerInsertCols, vals); err != nil {
		return fmt.Errorf("insert workers: %w", err)
	}
	return nil
}

// The bulk insert of workers: a person already on an enterprise's books is updated.
const (
	workerInsertCols = 20
	workerInsertHead = `INSERT INTO workers (region_code, enterprise_id, township, name, id_sealed, id_hash, id_masked, phone_sealed, phone_masked, home_region, poor, status,
		gate, risk, arrival, health_sealed, tcm_doses, demo, created_at, updated_at) VALUES`
	workerInsertTail = `ON CONFLICT (enterprise_id, id_hash, region_code) DO UPDATE SET name = excluded.name, phone_sealed = excluded.phone_sealed, phone_masked = excluded.phone_masked,
		home_region = excluded.home_region, poor = excluded.poor, version = workers.version + 1, updated_at = excluded.updated_at`
)

// appendWorkerValues appends one worker's workerInsertCols values, its personal data
// sealed as s and its isolation as iso.
func appendWorkerValues(vals []any, w fugong.Worker, s sealed, iso string, now int64) []any {
	st := w.Health
	return append(vals, w.County, w.EnterpriseID, w.Township, w.Name, s.idSealed, s.idHash, s.idMasked, s.phoneSealed, s.phoneMasked,
		w.HomeRegion, w.Poor, w.Status, st.Gate, st.Risk, st.Arrival, iso, w.TCMDoses, w.Demo, now, now)
}

// FindWorker returns one worker in the caller's scope, masked, its isolation opened.
func (h *Health) FindWorker(ctx context.Context, sc fugong.Scope, id int64) (fugong.Worker, error) {
	return h.findWorker(ctx, h.DB.R, sc, id)
}

func (h *Health) findWorker(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Worker, error) {
	var a args
	var w fugong.Worker
	err := scanWorker(h.Keys, q.QueryRowContext(ctx, `SELECT `+workerCols+` FROM workers w WHERE w.id = `+a.add(id)+` AND `+
		EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a), a.vals...), &w)
	return w, mapErr(err)
}

// FindWorkers lists the workers in the caller's scope that match f, masked, with the total.
func (h *Health) FindWorkers(ctx context.Context, sc fugong.Scope, f fugong.WorkerFilter) ([]fugong.Worker, int, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a)}
	if f.EnterpriseID != 0 {
		c = append(c, "w.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.Township != "" {
		c = append(c, "w.township = "+a.add(f.Township))
	}
	if f.Status != "" {
		c = append(c, "w.status = "+a.add(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		c = append(c, "lower(w.name) LIKE "+a.add(like(q))+` ESCAPE '\'`)
	}
	if f.IDHash != "" {
		c = append(c, "w.id_hash = "+a.add(f.IDHash))
	}
	if f.NoTCM {
		c = append(c, "w.tcm_doses = 0")
	}
	limit, offset := page(f.Limit, f.Offset)
	db := h.DB
	rows, err := db.R.QueryContext(ctx, `SELECT `+workerCols+`, COUNT(*) OVER() FROM workers w`+where(c)+
		` ORDER BY w.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find workers: %w", err)
	}
	defer rows.Close()
	var out []fugong.Worker
	total := 0
	for rows.Next() {
		var w fugong.Worker
		if err := scanWorker(h.Keys, rows, &w, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		err = db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM workers w`+where(c), a.vals[:len(a.vals)-2]...).Scan(&total)
	}
	return out, total, err
}

// EachWorker streams every worker in the caller's scope of one enterprise (0: all in
// scope), masked, for exports of any size.
func (h *Health) EachWorker(ctx context.Context, sc fugong.Scope, enterpriseID int64, fn func(w fugong.Worker) error) error {
	var a args
	c := []string{EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a)}
	if enterpriseID != 0 {
		c = append(c, "w.enterprise_id = "+a.add(enterpriseID))
	}
	rows, err := h.DB.R.QueryContext(ctx, `SELECT `+workerCols+` FROM workers w`+where(c)+` ORDER BY w.id`, a.vals...)
	if err != nil {
		return fmt.Errorf("export workers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w fugong.Worker
		if err := scanWorker(h.Keys, rows, &w); err != nil {
			return err
		}
		if err := fn(w); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Unmask opens the ID numbers and phones of the given workers (already found in the
// caller's scope) for a role that may see them, writing one "unmask" line per worker to
// the audit log in the same transaction. Other roles get forbidden.
func (h *Health) Unmask(ctx context.Context, sc fugong.Scope, ws []fugong.Worker) error {
	if !sc.CanSeeUnmasked() {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	if len(ws) == 0 {
		return nil
	}
	db := h.DB
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for i := range ws {
			w := &ws[i]
			var a args
			var idS, phS string
			err := tx.QueryRowContext(ctx, `SELECT w.id_sealed, w.phone_sealed FROM workers w WHERE w.id = `+a.add(w.ID)+` AND `+
				EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a), a.vals...).Scan(&idS, &phS)
			if err != nil {
				return mapErr(err)
			}
			if w.IDNumber, err = h.Keys.Open(idS); err != nil {
				return fmt.Errorf("open worker %d: %w", w.ID, err)
			}
			if w.Phone, err = h.Keys.Open(phS); err != nil {
				return fmt.Errorf("open worker %d: %w", w.ID, err)
			}
			w.Masked = false
			if err := db.Audit(ctx, tx, w.County, "unmask", "workers", w.ID, nil, map[string]string{"fields": "id_number,phone"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// itoa64 formats an id for an entity id column.
func itoa64(v int64) string { return strconv.FormatInt(v, 10) }
