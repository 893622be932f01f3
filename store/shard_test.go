package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"fugong"
	"fugong/demo"
	"fugong/gen"
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
			if err := db.MigrateAllBut(ctx, 331); err != nil {
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

// foreignKey is one column's reference to another table's column.
type foreignKey struct{ table, column, parent, parentColumn string }

// foreignKeys lists the schema's single-column foreign keys.
func foreignKeys(t *testing.T, db *store.DB) []foreignKey {
	t.Helper()
	q := `SELECT m.name, f."from", f."table", f."to" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1, 2`
	if db.Dialect.Name == "postgres" {
		q = `SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND cardinality(c.conkey) = 1 ORDER BY 1, 2`
	}
	rows, err := db.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []foreignKey
	for rows.Next() {
		var k foreignKey
		if err := rows.Scan(&k.table, &k.column, &k.parent, &k.parentColumn); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// A row and every row it references belong to the same county: with three counties of
// data (fugong gen), no foreign key crosses from one county to another, so each can become
// (region_code, x_id) REFERENCES x (region_code, id) — on PostgreSQL the test adds every
// one of those composite keys to the data (and rolls them back). regions, the code tree,
// is the one table every county references: on Citus a reference table (SCALING.md).
func TestForeignKeysStayInOneCounty(t *testing.T) {
	keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := gen.Options{Counties: 3, Enterprises: 90, Workers: 300, Checks: 600, Demands: 120, Visits: 60, Reports: 90, Seed: 3, Keys: keys, PasswordHash: "x"}
		if err := gen.Run(ctx, db, o); err != nil {
			t.Fatal(err)
		}
		quote := func(s string) string { return pgx.Identifier{s}.Sanitize() }
		var composite []foreignKey
		for _, k := range foreignKeys(t, db) {
			if k.parent == "regions" {
				continue
			}
			var crossing int
			q := fmt.Sprintf(`SELECT COUNT(*) FROM %s c JOIN %s p ON p.%s = c.%s WHERE c.region_code <> p.region_code`, quote(k.table), quote(k.parent), quote(k.parentColumn), quote(k.column))
			if err := db.R.QueryRow(q).Scan(&crossing); err != nil {
				t.Fatalf("%s.%s → %s: %v", k.table, k.column, k.parent, err)
			}
			if crossing > 0 {
				t.Errorf("%d rows of %s reference a %s row of another county through %s", crossing, k.table, k.parent, k.column)
			}
			composite = append(composite, k)
		}
		if len(composite) < 40 {
			t.Fatalf("only %d foreign keys found", len(composite))
		}
		if db.Dialect.Name != "postgres" {
			return
		}
		// The keys Citus needs hold on the data as it is: added, then rolled back.
		err := db.WithTx(ctx, func(tx *sql.Tx) error {
			parents := map[string]bool{}
			for i, k := range composite {
				if !parents[k.parent+"."+k.parentColumn] {
					parents[k.parent+"."+k.parentColumn] = true
					if _, err := tx.Exec(fmt.Sprintf(`ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (region_code, %s)`, quote(k.parent), quote(fmt.Sprintf("shard_u%d", i)), quote(k.parentColumn))); err != nil {
						return fmt.Errorf("unique (region_code, %s) on %s: %w", k.parentColumn, k.parent, err)
					}
				}
				if _, err := tx.Exec(fmt.Sprintf(`ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (region_code, %s) REFERENCES %s (region_code, %s)`,
					quote(k.table), quote(fmt.Sprintf("shard_f%d", i)), quote(k.column), quote(k.parent), quote(k.parentColumn))); err != nil {
					return fmt.Errorf("foreign key (region_code, %s) of %s: %w", k.column, k.table, err)
				}
			}
			return errRollback
		})
		if err != errRollback {
			t.Error(err)
		}
		t.Logf("%d foreign keys hold with region_code", len(composite))
	})
}

var errRollback = fmt.Errorf("rolled back on purpose")
