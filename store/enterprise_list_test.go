package store_test

import (
	"context"
	"testing"

	"fugong"
	"fugong/store"
)

// TestEnterpriseListTotals: the list's total is the number of enterprises that match,
// whether the page is full, the last one, empty past the end, or a search that fits one
// page — now that it is no longer counted alongside every row.
func TestEnterpriseListTotals(t *testing.T) {
	withDemo(t, func(t *testing.T, _ *fugong.ManualClock, db *store.DB) {
		ctx := context.Background()
		var county string
		if err := db.R.QueryRowContext(ctx, `SELECT region_code FROM enterprises LIMIT 1`).Scan(&county); err != nil {
			t.Fatal(err)
		}
		sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
		count := func(where string, args ...any) int {
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises e WHERE e.region_code = $1`+where, append([]any{county}, args...)...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		all := count("")
		resumed := count(" AND e.status = $2", fugong.StatusResumed)
		if all <= 100 {
			t.Fatalf("the demo county has %d enterprises; the test wants more than two pages", all)
		}
		for _, c := range []struct {
			name      string
			f         fugong.EnterpriseFilter
			want, got int
		}{
			{"first page", fugong.EnterpriseFilter{Limit: 50}, all, min(50, all)},
			{"last page", fugong.EnterpriseFilter{Limit: 50, Offset: all / 50 * 50}, all, all % 50},
			{"past the end", fugong.EnterpriseFilter{Limit: 50, Offset: all + 50}, all, 0},
			{"one page holds all", fugong.EnterpriseFilter{Limit: 1000}, all, all},
			{"filtered", fugong.EnterpriseFilter{Status: fugong.StatusResumed, Limit: 20, Offset: 20}, resumed, min(20, resumed-20)},
			{"nothing matches", fugong.EnterpriseFilter{Query: "没有这样的企业", Limit: 50}, 0, 0},
		} {
			items, total, err := db.FindEnterprises(ctx, sc, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want || len(items) != c.got {
				t.Errorf("%s: %d items of %d, want %d of %d", c.name, len(items), total, c.got, c.want)
			}
		}
	})
}
