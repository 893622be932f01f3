package store_test

import (
	"context"
	"testing"
	"time"

	"fugong"
	"fugong/gen"
	"fugong/store"
	"fugong/store/storetest"
)

// BenchmarkDemandStatsCounty computes the demand figures of one county of the generated
// province (genCounty) by category, as /api/v1/stats/demands does, and by
// township.
func BenchmarkDemandStatsCounty(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db, county := genCounty(b, d)
			ctx := context.Background()
			s := &store.Demands{DB: db, Loc: time.FixedZone("CST", 8*3600)}
			sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
			for _, by := range []string{"category", "township"} {
				// sql is Stats; go is the computation in Go it replaced, for the ratio.
				for name, stats := range map[string]func(context.Context, fugong.Scope, string, string, string) ([]fugong.DemandFigures, fugong.DemandFigures, error){
					"sql": s.Stats, "go": s.StatsInGo} {
					b.Run(by+"/"+name, func(b *testing.B) {
						timed(b, func() error {
							_, all, err := stats(ctx, sc, by, "", "")
							if err == nil && all.Total == 0 {
								b.Fatal("no demands counted")
							}
							return err
						})
					})
				}
			}
		})
	}
}

// genCounty generates one county of the province as `fugong gen` makes each of its 100 —
// 1,000 enterprises, 20,000 demands and 20,000 daily reports over four weeks — into a
// fresh database of the dialect, and returns its code.
func genCounty(b *testing.B, dialect string) (*store.DB, string) {
	b.Helper()
	db := storetest.Open(b, dialect, fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	if err := gen.Run(ctx, db, gen.Options{Counties: 1, Enterprises: 1000, Demands: 20_000, Reports: 20_000, Seed: 1, PasswordHash: "x"}); err != nil {
		b.Fatal(err)
	}
	var county string
	if err := db.R.QueryRow(`SELECT code FROM regions WHERE level = 'county'`).Scan(&county); err != nil {
		b.Fatal(err)
	}
	// The statistics a live database has (PostgreSQL's autovacuum; here it may be off);
	// without them PostgreSQL guesses one row per table and joins by nested loops.
	if _, err := db.W.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return db, county
}
