package gen_test

import (
	"context"
	"testing"

	"fugong/gen"
	"fugong/store"
	"fugong/store/storetest"
)

func TestGenIsDeterministicAndComplete(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		o := gen.Options{Counties: 3, Enterprises: 300, Demands: 600, Reports: 1500, Seed: 7, PasswordHash: "x"}
		if err := gen.Run(context.Background(), db, o); err != nil {
			t.Fatal(err)
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
	})
}
