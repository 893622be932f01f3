package gen_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
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
		// The readings are sealed, the clear columns empty: each check's and alert's
		// reading is opened here with the keys, as the store opens it.
		if n := one(`SELECT COUNT(*) FROM worker_checks WHERE temperature <> 0 OR symptoms <> '' OR health_sealed = '' OR day < '2020-02-11' OR day > '2020-03-09'`); n != 0 {
			t.Errorf("%d checks out of range or with a reading in clear", n)
		}
		if n := one(`SELECT COUNT(*) FROM health_alerts WHERE temperature <> 0 OR symptoms <> '' OR health_sealed = ''`); n != 0 {
			t.Errorf("%d alerts with a reading in clear", n)
		}
		type reading struct {
			T int    `json:"t"`
			S string `json:"s"`
		}
		open := func(sealed string, v any) {
			t.Helper()
			plain, err := keys.Open(sealed)
			if err != nil {
				t.Fatalf("open %q: %v", sealed, err)
			}
			if err := json.Unmarshal([]byte(plain), v); err != nil {
				t.Fatal(err)
			}
		}
		type slotKey struct {
			worker    int64
			day, slot string
			temp      int
			symptoms  string
		}
		type dayKey struct {
			ent int64
			day string
		}
		fevers := map[slotKey]bool{}
		perDay := map[dayKey][2]int{}
		rows, err = db.R.Query(`SELECT worker_id, enterprise_id, day, slot, health_sealed FROM worker_checks`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k slotKey
			var ent int64
			var sealed string
			rows.Scan(&k.worker, &ent, &k.day, &k.slot, &sealed)
			var r reading
			open(sealed, &r)
			if r.T < 300 || r.T > 450 {
				t.Errorf("a reading of %d tenths", r.T)
			}
			k.temp, k.symptoms = r.T, r.S
			n := perDay[dayKey{ent, k.day}]
			n[0]++
			if r.T >= 373 || r.S != "" {
				n[1]++
				fevers[k] = true
			}
			perDay[dayKey{ent, k.day}] = n
		}
		rows.Close()
		alerts := 0
		rows, err = db.R.Query(`SELECT worker_id, day, source, health_sealed FROM health_alerts`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k slotKey
			var sealed string
			rows.Scan(&k.worker, &k.day, &k.slot, &sealed)
			var r reading
			open(sealed, &r)
			k.temp, k.symptoms = r.T, r.S
			if !fevers[k] {
				t.Errorf("an alert of no alarming check: %+v", k)
			}
			alerts++
		}
		rows.Close()
		if len(fevers) == 0 || len(fevers) > o.Checks/100 || alerts != len(fevers) {
			t.Errorf("%d fevers in %d checks, %d alerts", len(fevers), o.Checks, alerts)
		}
		rows, err = db.R.Query(`SELECT enterprise_id, day, checks, alarming FROM check_days`)
		if err != nil {
			t.Fatal(err)
		}
		days := 0
		for rows.Next() {
			var k dayKey
			var n [2]int
			rows.Scan(&k.ent, &k.day, &n[0], &n[1])
			if perDay[k] != n {
				t.Errorf("enterprise %d on %s: counted %v, the checks say %v", k.ent, k.day, n, perDay[k])
			}
			days++
		}
		rows.Close()
		if days != len(perDay) {
			t.Errorf("%d enterprise-days counted, %d with checks", days, len(perDay))
		}

		// Gates: the entry's origin and temperature and the isolation sealed likewise.
		if n := one(`SELECT COUNT(*) FROM worker_gates WHERE from_region <> '' OR temperature <> 0 OR isolation_kind <> '' OR planned_end <> ''`); n != 0 {
			t.Errorf("%d steps with a health record in clear", n)
		}
		var home, sealed string
		if err := db.R.QueryRow(`SELECT w.home_region, g.health_sealed FROM worker_gates g JOIN workers w ON w.id = g.worker_id WHERE g.gate = 'entry' ORDER BY g.id LIMIT 1`).Scan(&home, &sealed); err != nil {
			t.Fatal(err)
		}
		var entry struct {
			O string `json:"o"`
			T int    `json:"t"`
		}
		open(sealed, &entry)
		if entry.O != home || entry.T < 360 || entry.T > 368 {
			t.Errorf("an entry step seals %+v, the worker comes from %s", entry, home)
		}
		var wSealed, gSealed, arrival string
		if err := db.R.QueryRow(`SELECT w.health_sealed, g.health_sealed, w.arrival FROM worker_gates g JOIN workers w ON w.id = g.worker_id WHERE g.gate = 'isolation' ORDER BY g.id LIMIT 1`).Scan(&wSealed, &gSealed, &arrival); err != nil {
			t.Fatal(err)
		}
		var iso struct {
			K string `json:"k"`
			S string `json:"s"`
			E string `json:"e"`
		}
		var step struct {
			K string `json:"k"`
			E string `json:"e"`
		}
		open(wSealed, &iso)
		open(gSealed, &step)
		if iso.S != arrival || iso.E != fugong.AddDays(arrival, fugong.DefaultIsolationDays) || iso.K == "" || step.K != iso.K || step.E != iso.E {
			t.Errorf("an isolated worker seals %+v, its isolation step %+v (arrived %s)", iso, step, arrival)
		}
		if n := one(`SELECT COUNT(*) FROM workers WHERE isolation_kind <> '' OR isolation_start <> '' OR isolation_end <> '' OR (status = '隔离中') <> (health_sealed <> '')`); n != 0 {
			t.Errorf("%d workers with their isolation in clear, or isolated with none sealed", n)
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
			`SELECT id, enterprise_id, name, id_hash, id_masked, phone_masked, status, gate, risk, arrival, health_sealed, tcm_doses, poor FROM workers ORDER BY id`,
			`SELECT id, worker_id, gate, day, risk, at, health_sealed FROM worker_gates ORDER BY id`,
			`SELECT id, worker_id, day, slot, at, health_sealed FROM worker_checks ORDER BY id`,
			`SELECT id, worker_id, day, source, health_sealed FROM health_alerts ORDER BY id`,
			`SELECT enterprise_id, day, region_code, township, checks, alarming FROM check_days ORDER BY enterprise_id, day`,
			`SELECT id, client_uuid, enterprise_id, user_id, day, checked_in_at, checked_out_at FROM visits ORDER BY id`,
		} {
			if x, y := digest(t, db.R, keys, q), digest(t, other.R, keys, q); x != y {
				t.Errorf("same seed, different rows: %s", q)
			}
		}
	})
}

// digest hashes every row a query returns, in order, a sealed health record (the column
// health_sealed) opened with keys.
func digest(t *testing.T, db *sql.DB, keys *secret.Keys, q string) string {
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
		for i, c := range cols {
			if c != "health_sealed" {
				continue
			}
			s, _ := vals[i].(string)
			if b, ok := vals[i].([]byte); ok {
				s = string(b)
			}
			plain, err := keys.Open(s)
			if err != nil {
				t.Fatalf("open %s: %v", c, err)
			}
			vals[i] = plain
		}
		fmt.Fprintln(h, vals...)
		n++
	}
	if n == 0 {
		t.Fatalf("no rows: %s", q)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
