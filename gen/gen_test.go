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
		o := gen.Options{Counties: 3, Enterprises: 300, Seed: 7, PasswordHash: "x"}
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
		// The same seed gives the same data.
		other := storetest.Open(t, db.Dialect.Name, nil)
		if err := gen.Run(context.Background(), other, o); err != nil {
			t.Fatal(err)
		}
		var a, b string
		db.R.QueryRow(`SELECT name || township || payroll FROM enterprises ORDER BY id DESC LIMIT 1`).Scan(&a)
		other.R.QueryRow(`SELECT name || township || payroll FROM enterprises ORDER BY id DESC LIMIT 1`).Scan(&b)
		if a == "" || a != b {
			t.Fatalf("same seed, different data: %q vs %q", a, b)
		}
	})
}
