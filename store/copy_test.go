package store_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"fugong"
	"fugong/store"
	"fugong/store/storetest"
)

// A bulk transaction (the demo's) writes its rows by COPY on PostgreSQL and its audit
// lines together at the end: all of them when it commits, none when it fails.
func TestBulkTxCopiesRowsAndAuditLines(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "bulk"})
		cols := []string{"code", "region_code", "name", "parent_code", "level"}
		write := func(county string, fail error) error {
			return db.WithBulkTx(ctx, func(tx *store.BulkTx) error {
				if err := tx.Copy(ctx, "regions", cols, [][]any{{county + "001", county, "甲镇", county, "township"}, {county + "002", county, "乙镇", county, "township"}}); err != nil {
					return err
				}
				for _, code := range []string{county + "001", county + "002"} {
					if err := db.Audit(ctx, tx.Tx, county, "create", "regions", code, nil, map[string]string{"code": code}); err != nil {
						return err
					}
				}
				// Rows copied are there for the rest of the transaction.
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE region_code = $1`, county).Scan(&n); err != nil || n != 2 {
					t.Fatalf("inside the transaction: %d regions, %v", n, err)
				}
				return fail
			})
		}
		count := func(county string) (regions, audits int) {
			t.Helper()
			if err := db.R.QueryRow(`SELECT COUNT(*) FROM regions WHERE region_code = $1`, county).Scan(&regions); err != nil {
				t.Fatal(err)
			}
			if err := db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE region_code = $1 AND entity = 'regions' AND username = 'bulk'`, county).Scan(&audits); err != nil {
				t.Fatal(err)
			}
			return regions, audits
		}
		if err := write("430999", nil); err != nil {
			t.Fatal(err)
		}
		if r, a := count("430999"); r != 2 || a != 2 {
			t.Fatalf("committed: %d regions and %d audit lines, want 2 and 2", r, a)
		}
		bad := errors.New("bad")
		if err := write("430998", bad); !errors.Is(err, bad) {
			t.Fatalf("failing transaction: %v", err)
		}
		if r, a := count("430998"); r != 0 || a != 0 {
			t.Fatalf("rolled back: %d regions and %d audit lines, want none", r, a)
		}
		// Outside a bulk transaction an audit line is written at once, as before.
		if err := db.WithTx(ctx, func(tx *sql.Tx) error { return db.Audit(ctx, tx, "430997", "create", "regions", "x", nil, nil) }); err != nil {
			t.Fatal(err)
		}
		if _, a := count("430997"); a != 1 {
			t.Fatalf("plain transaction: %d audit lines, want 1", a)
		}
	})
}

// A bulk load (the demo county) runs with the foreign keys dropped and adds them back at
// the end, each checked over its table once: the schema's keys are the same afterwards,
// rows that break one fail the whole transaction naming the key, and nothing is kept.
func TestBulkTxChecksForeignKeysOnceAtTheEnd(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "bulk"})
		for _, q := range []string{
			`CREATE TABLE bulk_parents (id BIGINT NOT NULL, region_code TEXT NOT NULL, PRIMARY KEY (id, region_code))`,
			`CREATE TABLE bulk_children (id BIGINT NOT NULL PRIMARY KEY, region_code TEXT NOT NULL, parent_id BIGINT NOT NULL,
				CONSTRAINT bulk_children_parent FOREIGN KEY (parent_id, region_code) REFERENCES bulk_parents (id, region_code) ON DELETE CASCADE)`,
		} {
			if _, err := db.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		keys := func() []string {
			t.Helper()
			if db.Dialect.Name != "postgres" {
				return nil
			}
			rows, err := db.R.QueryContext(ctx, `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
				FROM pg_constraint WHERE contype = 'f' ORDER BY 1`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					t.Fatal(err)
				}
				out = append(out, k)
			}
			return out
		}
		before := keys()
		if db.Dialect.Name == "postgres" && len(before) < 70 {
			t.Fatalf("%d foreign keys in the schema before the load, want the schema's 75 and the test's", len(before))
		}
		load := func(parents, children [][]any) error {
			return db.WithBulkTx(ctx, func(tx *store.BulkTx) error {
				return tx.WithoutForeignKeys(ctx, func() error {
					// Children first: with the keys dropped the order of the tables is free.
					if err := tx.Copy(ctx, "bulk_children", []string{"id", "region_code", "parent_id"}, children); err != nil {
						return err
					}
					return tx.Copy(ctx, "bulk_parents", []string{"id", "region_code"}, parents)
				})
			})
		}
		count := func(table string) int {
			t.Helper()
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := load([][]any{{1, "430821"}, {2, "430821"}}, [][]any{{10, "430821", 1}, {11, "430821", 2}})
		if db.Dialect.Name == "sqlite" {
			// SQLite checks a key at each row, cheaply: the child before its parent is refused.
			if err == nil {
				t.Fatal("SQLite took a child before its parent")
			}
			return
		}
		if err != nil {
			t.Fatalf("good rows: %v", err)
		}
		if p, c := count("bulk_parents"), count("bulk_children"); p != 2 || c != 2 {
			t.Fatalf("good rows kept: %d parents and %d children, want 2 and 2", p, c)
		}
		if after := keys(); !slices.Equal(before, after) {
			t.Fatalf("the foreign keys changed: %d before, %d after; missing after: %q", len(before), len(after), missing(before, after))
		}
		// A child of a parent in another county breaks the key: the add fails, naming it.
		err = load([][]any{{3, "430821"}}, [][]any{{20, "430821", 3}, {21, "430822", 3}})
		if err == nil || !strings.Contains(err.Error(), "bulk_children_parent") {
			t.Fatalf("a broken key: %v, want an error naming bulk_children_parent", err)
		}
		if p, c := count("bulk_parents"), count("bulk_children"); p != 2 || c != 2 {
			t.Fatalf("after the broken load: %d parents and %d children, want the 2 and 2 from before", p, c)
		}
		if after := keys(); !slices.Equal(before, after) {
			t.Fatalf("the foreign keys changed after a failed load: %d before, %d after; missing after: %q", len(before), len(after), missing(before, after))
		}
		// The keys still hold for everyone else, row by row, and still cascade.
		if _, err := db.W.ExecContext(ctx, `INSERT INTO bulk_children (id, region_code, parent_id) VALUES (30, '430821', 9)`); err == nil {
			t.Fatal("a child without a parent was taken after the load")
		}
		if _, err := db.W.ExecContext(ctx, `DELETE FROM bulk_parents WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if c := count("bulk_children"); c != 1 {
			t.Fatalf("%d children after their parent was deleted, want 1 (ON DELETE CASCADE)", c)
		}
	})
}

// missing returns the elements of want not in got.
func missing(want, got []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			out = append(out, w)
		}
	}
	return out
}
