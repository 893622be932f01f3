package store_test

import (
	"context"
	"testing"
	"time"

	"fugong"
	"fugong/gen"
	"fugong/store/storetest"
)

// BenchmarkDashboardCounty computes the command centre of one county of the generated
// province — 1,000 enterprises, 20,000 demands and 20,000 daily reports over four weeks —
// on its last day, as /api/v1/stats/dashboard does.
func BenchmarkDashboardCounty(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d, fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
			ctx := context.Background()
			if err := gen.Run(ctx, db, gen.Options{Counties: 1, Enterprises: 1000, Demands: 20_000, Reports: 20_000, Seed: 1, PasswordHash: "x"}); err != nil {
				b.Fatal(err)
			}
			var county string
			if err := db.R.QueryRow(`SELECT code FROM regions WHERE level = 'county'`).Scan(&county); err != nil {
				b.Fatal(err)
			}
			if d == "sqlite" {
				db.W.ExecContext(ctx, "ANALYZE")
			}
			sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
			timed(b, func() error {
				dash, err := db.Dashboard(ctx, sc, "2020-03-09", "2020-03-09")
				if err == nil && dash.Resumption.All.Total == 0 {
					b.Fatal("no enterprises counted")
				}
				return err
			})
		})
	}
}
