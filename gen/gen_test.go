package gen_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"fugong"
	"fugong/gen"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

func TestGenIsDeterministicAndComplete(t *testing.T) {
	keys, err := secret.Load(filepath.Join(t.TempDir(), "fugong.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		o := gen.Options{Counties: 3, Enterprises: 300, Workers: 3001, Checks: 25_003, Demands: 600, Visits: 1_001, Reports: 1500, Seed: 7, Keys: keys, PasswordHash: "x"}
		if err := gen.Run(context.Background(), db, o); err != nil {
			t.Fatal(err)
		}
		one := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.R.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		var counties, ents, unassigned int
		db.R.QueryRow(`SELECT COUNT(*) FROM regions WHERE level = 'county'`).Scan(&counties)
		db.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&ents)
		db.R.QueryRow(`SELECT COUNT(*) FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM liaison_assignments a WHERE a.enterprise_id = e.id)`).Scan(&unassigned)
		if counties != 3 || ents != 300 || unassigned != 0 {
			t.Fatalf("counties %d, enterprises %d, without a liaison %d", counties, ents, unassigned)
		}
		var demands, numbers, reports, counted int
		db.R.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT region_code || number) FROM demands`).Scan(&demands, &numbers)
		db.R.QueryRow(`SELECT COUNT(*) FROM daily_reports`).Scan(&reports)
		db.R.QueryRow(`SELECT COALESCE(SUM(n), 0) FROM demand_counters`).Scan(&counted)
		if demands != o.Demands || numbers != demands || counted != demands || reports != o.Reports {
			t.Fatalf("demands %d (%d numbers, counters at %d), daily reports %d; want %d and %d", demands, numbers, counted, reports, o.Demands, o.Reports)
		}

		// Workers: as many as asked, spread over every enterprise, their personal data
		// sealed with the keys and found by the keyed hash of a valid ID number.
		if n := one(`SELECT COUNT(*) FROM workers`); n != o.Workers {
			t.Fatalf("%d workers, want %d", n, o.Workers)
		}
		if n := one(`SELECT COUNT(*) FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.enterprise_id = e.id)`); n != 0 {
			t.Errorf("%d enterprises without workers", n)
		}
		if n := one(`SELECT COUNT(*) FROM workers w JOIN enterprises e ON e.id = w.enterprise_id WHERE w.region_code <> e.region_code OR w.township <> e.township`); n != 0 {
			t.Errorf("%d workers outside their enterprise's county or township", n)
		}
		rows, err := db.R.Query(`SELECT id_sealed, id_hash, id_masked, phone_sealed FROM workers ORDER BY id LIMIT 50`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var idS, hash, masked, phS string
			rows.Scan(&idS, &hash, &masked, &phS)
			id, err := keys.Open(idS)
			if err != nil || fugong.CheckIDNumber(id) != "" || keys.Hash(id) != hash || fugong.MaskIDNumber(id) != masked {
				t.Fatalf("worker ID number %q (%v) does not match its hash or mask, or is invalid: %s", id, err, fugong.CheckIDNumber(id))
			}
			if ph, err := keys.Open(phS); err != nil || fugong.CheckPhone(ph) != "" {
				t.Fatalf("worker phone %q: %v", ph, err)
			}
		}
		rows.Close()

		// Gates: each worker's steps lead to where its status says it stands.
		if n := one(`SELECT COUNT(*) FROM workers w WHERE w.gate <> (SELECT g.gate FROM worker_gates g WHERE g.worker_id = w.id ORDER BY g.id DESC LIMIT 1)`); n != 0 {
			t.Errorf("%d workers whose last gate is not their state", n)
		}
		if n := one(`SELECT COUNT(*) FROM workers w WHERE NOT EXISTS (SELECT 1 FROM worker_gates g WHERE g.worker_id = w.id AND g.gate = 'entry')`); n != 0 {
			t.Errorf("%d workers never registered at the entry gate", n)
		}

		// Checks: as many as asked, each of a worker on duty (morning or afternoon) or in
		// isolation (the day's reading), in its worker's enterprise; an alert for every
		// fever; the per-enterprise counts of each day agree with the rows.
		if n := one(`SELECT COUNT(*) FROM worker_checks`); n != o.Checks {
			t.Fatalf("%d checks, want %d", n, o.Checks)
		}
		if n := one(`SELECT COUNT(*) FROM worker_checks c LEFT JOIN workers w ON w.id = c.worker_id
			WHERE w.id IS NULL OR w.enterprise_id <> c.enterprise_id OR w.township <> c.township OR w.region_code <> c.region_code
			OR NOT ((w.status = '在岗' AND c.slot IN ('am', 'pm')) OR (w.status = '隔离中' AND c.slot = 'day'))`); n != 0 {
			t.Errorf("%d checks of no worker, of another enterprise, or in a slot the worker's status does not take", n)
		}
		if n := one(`SELECT COUNT(*) FROM worker_checks WHERE temperature < 300 OR temperature > 450 OR day < '2020-02-11' OR day > '2020-03-09'`); n != 0 {
			t.Errorf("%d checks out of range", n)
		}
		fevers := one(`SELECT COUNT(*) FROM worker_checks WHERE temperature >= 373`)
		alerts := one(`SELECT COUNT(*) FROM health_alerts a JOIN worker_checks c ON c.worker_id = a.worker_id AND c.day = a.day AND c.slot = a.source AND c.temperature = a.temperature`)
		if fevers == 0 || fevers > o.Checks/100 || alerts != fevers || one(`SELECT COUNT(*) FROM health_alerts`) != fevers {
			t.Errorf("%d fevers in %d checks, %d alerts", fevers, o.Checks, alerts)
		}
		if n := one(`SELECT COUNT(*) FROM (SELECT enterprise_id, day, COUNT(*) AS n, SUM(CASE WHEN temperature >= 373 OR symptoms <> '' THEN 1 ELSE 0 END) AS a
			FROM worker_checks GROUP BY enterprise_id, day) c FULL JOIN check_days k ON k.enterprise_id = c.enterprise_id AND k.day = c.day
			WHERE k.checks IS NULL OR c.n IS NULL OR k.checks <> c.n OR k.alarming <> c.a`); n != 0 {
			t.Errorf("%d enterprise-days whose count disagrees with the checks", n)
		}

		// Visits: as many as asked, each by the visited enterprise's liaison, with an
		// own client UUID.
		if n := one(`SELECT COUNT(*) FROM visits`); n != o.Visits {
			t.Fatalf("%d visits, want %d", n, o.Visits)
		}
		if n := one(`SELECT COUNT(DISTINCT client_uuid) FROM visits`); n != o.Visits {
			t.Errorf("%d distinct client UUIDs for %d visits", n, o.Visits)
		}
		if n := one(`SELECT COUNT(*) FROM visits v WHERE checked_out_at <= checked_in_at OR NOT EXISTS
			(SELECT 1 FROM liaison_assignments a WHERE a.enterprise_id = v.enterprise_id AND a.user_id = v.user_id)`); n != 0 {
			t.Errorf("%d visits not by the enterprise's liaison or checked out before in", n)
		}

		if db.Dialect.Name == "postgres" {
			// The foreign keys suspended while writing are back, checked.
			if n := one(`SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND conrelid::regclass::text IN ('workers', 'worker_gates', 'worker_checks', 'health_alerts', 'visits')`); n != 6 {
				t.Errorf("%d foreign keys on the workers, gates, checks, alerts and visits; want 6", n)
			}
			// So are the indexes built at the end.
			if n := one(`SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('workers_person', 'workers_health', 'worker_gates_worker', 'worker_checks_slot', 'worker_checks_enterprise')`); n != 5 {
				t.Errorf("%d of the 5 indexes of workers, gates and checks", n)
			}
		}

		// The same seed gives the same data.
		other := storetest.Open(t, db.Dialect.Name, nil)
		if err := gen.Run(context.Background(), other, o); err != nil {
			t.Fatal(err)
		}
		var a, b string
		const last = `SELECT e.name || e.township || e.payroll || d.number || d.state || d.received_at || r.on_duty FROM enterprises e, demands d, daily_reports r
			WHERE e.id = (SELECT MAX(id) FROM enterprises) AND d.id = (SELECT MAX(id) FROM demands) AND r.id = (SELECT MAX(id) FROM daily_reports)`
		db.R.QueryRow(last).Scan(&a)
		other.R.QueryRow(last).Scan(&b)
		if a == "" || a != b {
			t.Fatalf("same seed, different data: %q vs %q", a, b)
		}
		// Sealed values differ (a fresh nonce each time); what they seal does not.
		for _, q := range []string{
			`SELECT id, enterprise_id, name, id_hash, id_masked, phone_masked, status, gate, risk, arrival, isolation_start, tcm_doses, poor FROM workers ORDER BY id`,
			`SELECT id, worker_id, gate, day, risk, at FROM worker_gates ORDER BY id`,
			`SELECT id, worker_id, day, slot, temperature, symptoms, at FROM worker_checks ORDER BY id`,
			`SELECT id, worker_id, day, temperature, source FROM health_alerts ORDER BY id`,
			`SELECT id, client_uuid, enterprise_id, user_id, day, checked_in_at, checked_out_at FROM visits ORDER BY id`,
		} {
			if x, y := digest(t, db.R, q), digest(t, other.R, q); x != y {
				t.Errorf("same seed, different rows: %s", q)
			}
		}
	})
}

// digest hashes every row a query returns, in order.
func digest(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(h, vals...)
		n++
	}
	if n == 0 {
		t.Fatalf("no rows: %s", q)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
