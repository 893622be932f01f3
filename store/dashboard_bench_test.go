package store_test

import (
	"context"
	"testing"

	"fugong"
	"fugong/store/storetest"
)

// BenchmarkDashboardCounty computes the command centre of one county of the generated
// province (genCounty) on its last day, as /api/v1/stats/dashboard does.
func BenchmarkDashboardCounty(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db, county := genCounty(b, d)
			ctx := context.Background()
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
