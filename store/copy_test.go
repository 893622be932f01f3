package store_test

import (
	"context"
	"database/sql"
	"errors"
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
