package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"fugong"
	"fugong/demo"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

// The demo's supplies ledger applies the shortage rule to every enterprise it touched, the
// inputs of all of them read at once: exactly the enterprises whose mask stock is below
// the threshold have an open request (and a demand), 慈利联兴新材料科技有限公司 among them.
func TestSuppliesImportAppliesTheShortageRuleToEveryEnterprise(t *testing.T) {
	storetest.Each(t, fugong.NewManualClock(demo.Start), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.Build(ctx, db, demo.Options{Keys: keys}); err != nil {
			t.Fatal(err)
		}
		rows, err := db.R.Query(`SELECT e.id, e.name, e.payroll, COALESCE(SUM(CASE WHEN s.kind = 'received' THEN s.quantity ELSE -s.quantity END), 0),
			(SELECT COUNT(*) FROM supply_requests r WHERE r.enterprise_id = e.id AND r.item = 'mask' AND r.state = 'open')
			FROM enterprises e JOIN supply_entries s ON s.enterprise_id = e.id AND s.item = 'mask' GROUP BY e.id, e.name, e.payroll`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		checked, raised, lianxing := 0, 0, false
		for rows.Next() {
			var id int64
			var name string
			var payroll, stock, open int
			if err := rows.Scan(&id, &name, &payroll, &stock, &open); err != nil {
				t.Fatal(err)
			}
			want, _ := fugong.SupplyShortage(stock, fugong.DailyNeed(payroll, fugong.DefaultSupplySettings), fugong.DefaultSupplySettings, false)
			if want != (open == 1) {
				t.Errorf("%s (%d): stock %d, payroll %d: %d open requests, want a request %v", name, id, stock, payroll, open, want)
			}
			checked++
			if want {
				raised++
				lianxing = lianxing || name == "慈利联兴新材料科技有限公司"
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if checked < 100 || raised == 0 || !lianxing {
			t.Fatalf("%d enterprises checked, %d short of masks (联兴 among them: %v)", checked, raised, lianxing)
		}
	})
}
