package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"fugong"
	"fugong/demo"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

// Every table but the bookkeeping ones carries region_code, the county a distributed
// database (Citus) would place its rows by (SCALING.md).
func TestEveryTableCarriesRegionCode(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		q := `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'region_code') ORDER BY m.name`
		if db.Dialect.Name == "postgres" {
			q = `SELECT t.table_name FROM information_schema.tables t WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
				AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'region_code')
				ORDER BY t.table_name`
		}
		rows, err := db.R.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var without []string
		for rows.Next() {
			var name string
			rows.Scan(&name)
			without = append(without, name)
		}
		// goose's own table and the failover bookkeeping (store/retry.go) have no county.
		if want := []string{"commit_tokens", "goose_db_version"}; !slices.Equal(without, want) {
			t.Errorf("tables without region_code: %v, want only %v", without, want)
		}
	})
}

// Migration 00331 builds the credit-code lookup from the enterprises already there, and
// the database keeps it in step with every new enterprise and every changed code.
func TestCreditCodesKeepExistingEnterprises(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db, err := store.Open(ctx, storetest.DSN(t, d), fugong.NewManualClock(demo.Start), false)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.MigrateTo(ctx, 330); err != nil {
				t.Fatal(err)
			}
			keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
			if err != nil {
				t.Fatal(err)
			}
			if err := demo.Build(ctx, db, demo.Options{Keys: keys}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			same := func(when string) {
				t.Helper()
				var enterprises, matched int
				if err := db.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&enterprises); err != nil {
					t.Fatal(err)
				}
				if err := db.R.QueryRow(`SELECT COUNT(*) FROM enterprises e JOIN credit_codes c ON c.uscc = e.uscc AND c.enterprise_id = e.id AND c.region_code = e.region_code`).Scan(&matched); err != nil {
					t.Fatal(err)
				}
				if enterprises < 300 || matched != enterprises {
					t.Errorf("%s: %d of %d enterprises found in credit_codes", when, matched, enterprises)
				}
			}
			same("after the migration")
			var id int64
			var code string
			if err := db.R.QueryRow(`SELECT id, uscc FROM enterprises ORDER BY id LIMIT 1`).Scan(&id, &code); err != nil {
				t.Fatal(err)
			}
			newCode := "91430821MA4L0000X" + code[17:]
			if _, err := db.W.Exec(`UPDATE enterprises SET uscc = $1 WHERE id = $2`, newCode, id); err != nil {
				t.Fatal(err)
			}
			same("after a changed code")
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM credit_codes WHERE uscc = $1`, code).Scan(&n)
			if n != 0 {
				t.Errorf("the old code %s is still taken", code)
			}
			// Another county cannot register a code in use anywhere.
			if _, err := db.W.Exec(`INSERT INTO credit_codes (uscc, region_code, enterprise_id) VALUES ($1, '430822', 999999)`, newCode); err == nil {
				t.Error("a code in use was registered again for another county")
			}
		})
	}
}
