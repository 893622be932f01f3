package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fugong"
	"fugong/gen"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

// benchHealthCounty opens a county of the generated province for the health figures (its
// first county): on SQLite the data folder FUGONG_BENCH_DATA of a `fugong gen` run, on
// PostgreSQL the database FUGONG_BENCH_DSN gen wrote, when set; else one generated county
// as gen makes each of its 100 — 1,000 enterprises, 50,000 workers, 500,000 checks.
func benchHealthCounty(b *testing.B, dialect string) (*store.DB, fugong.Scope) {
	b.Helper()
	ctx := context.Background()
	var db *store.DB
	dsn := os.Getenv("FUGONG_BENCH_DSN")
	if dir := os.Getenv("FUGONG_BENCH_DATA"); dir != "" && dialect == "sqlite" {
		dsn = filepath.Join(dir, "fugong.db")
	} else if dialect == "sqlite" {
		dsn = ""
	}
	if dsn != "" {
		var err error
		if db, err = store.Open(ctx, dsn, nil, true); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
	} else {
		db = storetest.Open(b, dialect, fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
		keys, err := secret.Load(filepath.Join(b.TempDir(), "k"), true)
		if err != nil {
			b.Fatal(err)
		}
		o := gen.Options{Counties: 1, Enterprises: 1000, Workers: 50_000, Checks: 500_000, Seed: 1, Keys: keys, PasswordHash: "x"}
		if err := gen.Run(ctx, db, o); err != nil {
			b.Fatal(err)
		}
	}
	var county string
	if err := db.R.QueryRow(`SELECT MIN(code) FROM regions WHERE level = 'county'`).Scan(&county); err != nil {
		b.Fatal(err)
	}
	return db, fugong.Scope{Role: fugong.RoleCommand, County: county}
}

// BenchmarkHealthFigures computes a county's health totals by township (as
// /api/v1/health/totals and the health page do) and the dashboard's health panel on the
// generated checks' last day, reporting the p95 (the quality bar: ≤ 200 ms).
func BenchmarkHealthFigures(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db, sc := benchHealthCounty(b, d)
			ctx := context.Background()
			const day = "2020-03-09"
			b.Run("totals", func(b *testing.B) {
				timed(b, func() error {
					ts, err := db.HealthTotals(ctx, sc, day)
					if err == nil && len(ts) == 0 {
						b.Fatal("no totals")
					}
					return err
				})
			})
			b.Run("panel", func(b *testing.B) {
				timed(b, func() error {
					var dash fugong.Dashboard
					dash.Day = day
					return store.HealthPanel(ctx, db, sc, "", &dash)
				})
			})
		})
	}
}
