package store_test

import (
	"context"
	"fmt"
	"maps"
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
		// goose's own table has no county.
		if want := []string{"goose_db_version"}; !slices.Equal(without, want) {
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

// foreignKeys lists the schema's single-column foreign keys: on PostgreSQL, once 00421
// has run, only those to regions are left.
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

// globalTables are the tables that are not by county (SCALING.md): the code tree (a
// reference table on Citus), goose's versions and the lookups of what the law makes unique
// in the whole country. Their keys need no region_code.
var globalTables = map[string]bool{"regions": true, "goose_db_version": true, "credit_codes": true, "usernames": true}

// keysWithoutCounty lists every key Citus would refuse on a table distributed by
// region_code: on PostgreSQL each primary key, foreign key (either side) and unique index
// of a county table without region_code; on SQLite, which keeps its primary and foreign
// keys (00421 says why), each such unique index.
func keysWithoutCounty(t *testing.T, db *store.DB) []string {
	t.Helper()
	q := `SELECT m.tbl_name, m.name FROM sqlite_master m WHERE m.type = 'index' AND m.sql LIKE 'CREATE UNIQUE%'
		AND NOT EXISTS (SELECT 1 FROM pragma_index_info(m.name) c WHERE c.name = 'region_code') ORDER BY 1, 2`
	if db.Dialect.Name == "postgres" {
		q = `SELECT c.conrelid::regclass::text, c.contype::text || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
			WHERE c.contype IN ('p', 'u', 'f', 'x') AND c.connamespace = current_schema()::regnamespace
				AND NOT (c.contype = 'f' AND c.confrelid = 'regions'::regclass)
				AND (NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) AND a.attname = 'region_code')
					OR (c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = ANY (c.confkey) AND a.attname = 'region_code')))
			UNION ALL
			SELECT t.relname::text, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
			WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace
				AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey::int2[]) AND a.attname = 'region_code')
			ORDER BY 1, 2`
	}
	rows, err := db.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, key string
		if err := rows.Scan(&table, &key); err != nil {
			t.Fatal(err)
		}
		if !globalTables[table] {
			out = append(out, table+": "+key)
		}
	}
	return out
}

// Every key of a county table carries region_code (migration 00421), so that Citus can
// distribute the schema by county as it is: a new table or index without it fails here.
func TestEveryKeyCarriesRegionCode(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		for _, k := range keysWithoutCounty(t, db) {
			t.Errorf("a key without region_code (SCALING.md, \"What changes in keys\"): %s", k)
		}
	})
}

// counts is the number of rows of every table.
func counts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`
	if db.Dialect.Name == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	}
	rows, err := db.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string]int{}
	for _, name := range tables {
		var n int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM ` + pgx.Identifier{name}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// A database filled by fugong gen (three counties), and one by the demo, is taken back to
// the keys of before 00421 and migrated again: every row is kept, no foreign key crosses
// from one county to another, and the composite keys hold on the data (on PostgreSQL each
// is checked over every row as the migration adds it; on SQLite foreign_key_check).
func TestCountyKeysKeepEveryRow(t *testing.T) {
	keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects(t) {
		for _, fill := range []string{"gen", "demo"} {
			t.Run(d+"/"+fill, func(t *testing.T) {
				countyKeysKeepEveryRow(t, storetest.Open(t, d, fugong.NewManualClock(demo.Start)), fill, keys)
			})
		}
	}
}

func countyKeysKeepEveryRow(t *testing.T, db *store.DB, fill string, keys *secret.Keys) {
	ctx := context.Background()
	if fill == "gen" {
		o := gen.Options{Counties: 3, Enterprises: 90, Workers: 300, Checks: 600, Demands: 120, Visits: 60, Reports: 90, Seed: 3, Keys: keys, PasswordHash: "x"}
		if err := gen.Run(ctx, db, o); err != nil {
			t.Fatal(err)
		}
	} else if err := demo.Build(ctx, db, demo.Options{Keys: keys}); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyMigration(ctx, 421, false); err != nil {
		t.Fatal(err)
	}
	if len(keysWithoutCounty(t, db)) < 19 {
		t.Fatalf("the keys of before 00421 were not restored: %v", keysWithoutCounty(t, db))
	}
	before := counts(t, db)
	quote := func(s string) string { return pgx.Identifier{s}.Sanitize() }
	var checked int
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
		checked++
	}
	if checked < 60 {
		t.Fatalf("only %d foreign keys found", checked)
	}
	if err := db.ApplyMigration(ctx, 421, true); err != nil {
		t.Fatal(err)
	}
	after := counts(t, db)
	delete(before, "goose_db_version") // the migration's own row goes and comes back
	delete(after, "goose_db_version")
	if !maps.Equal(before, after) {
		t.Errorf("rows before 00421 %v, after %v", before, after)
	}
	var filled int
	for _, n := range after {
		if n > 0 {
			filled++
		}
	}
	if filled < 18 || after["workers"] < 300 || after["demands"] < 120 {
		t.Errorf("the data set fills only %d tables: %v", filled, after)
	}
	for _, k := range keysWithoutCounty(t, db) {
		t.Errorf("after 00421, a key without region_code: %s", k)
	}
	if db.Dialect.Name == "sqlite" {
		var broken int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil {
			t.Fatal(err)
		}
		if broken > 0 {
			t.Errorf("%d rows break a foreign key", broken)
		}
	}
	t.Logf("%d foreign keys stay in one county; %d tables with rows kept", checked, filled)
}
