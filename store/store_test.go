package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/store"
	"fugong/store/storetest"
)

// Both drivers bind $n by position, whatever order the placeholders stand in.
func TestPlaceholdersBindByPosition(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		var a, b string
		if err := db.R.QueryRow(`SELECT CAST($2 AS TEXT), CAST($1 AS TEXT)`, "first", "second").Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		if a != "second" || b != "first" {
			t.Fatalf("got %q %q", a, b)
		}
		var n int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM regions WHERE code = $1 OR code = $1`, "x").Scan(&n); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMigrationsAreCurrentAndIdempotent(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("freshly migrated database not ready: %v", err)
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate ran %d: %v", n, err)
		}
		st, err := db.MigrationStatus(ctx)
		if err != nil || len(st) == 0 {
			t.Fatalf("status: %v %v", st, err)
		}
	})
}

// Group commit: concurrent writers share transactions; a failing writer is rolled back
// alone and every other write is there.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 200
		errBad := errors.New("bad input")
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Group(ctx, func(tx *sql.Tx) error {
					if err := db.SetSetting(ctx, tx, "430821", fmt.Sprintf("k%03d", i), "v"); err != nil {
						return err
					}
					if i%10 == 0 {
						return errBad // written above, must be undone
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if i%10 == 0 && !errors.Is(err, errBad) {
				t.Fatalf("writer %d: want its own error, got %v", i, err)
			}
			if i%10 != 0 && err != nil {
				t.Fatalf("writer %d: %v", i, err)
			}
		}
		var count int
		db.R.QueryRow(`SELECT COUNT(*) FROM settings`).Scan(&count)
		if count != n-n/10 {
			t.Fatalf("%d settings saved, want %d", count, n-n/10)
		}
		var audits int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'settings'`).Scan(&audits)
		if audits != count {
			t.Fatalf("%d audit lines for %d settings: a rolled-back write left its audit", audits, count)
		}
	})
}

func TestImportRegionsIsAllOrNothing(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		good := []fugong.Region{
			{Code: "430000", Name: "湖南省", Level: fugong.LevelProvince},
			{Code: "430800", Name: "张家界市", ParentCode: "430000", Level: fugong.LevelCity},
			{Code: "430821", Name: "慈利县", ParentCode: "430800", Level: fugong.LevelCounty},
		}
		bad := append(good, fugong.Region{Code: "430822100000", Name: "别县的镇", ParentCode: "430821", Level: fugong.LevelTownship})
		err := db.ImportRegions(ctx, "430821", bad, func(i int) int { return i + 2 })
		e := fugong.AsError(err)
		if e.Code != fugong.EINVALID || e.Fields[fugong.CellKey(5, "parent_code")].Key != "region.parent_mismatch" {
			t.Fatalf("want line 5 named as a parent mismatch, got %v", err)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM regions`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d regions written from a bad import", n)
		}
		if err := db.ImportRegions(ctx, "430821", good, func(i int) int { return i + 2 }); err != nil {
			t.Fatal(err)
		}
		kids, err := db.FindRegions(ctx, "430800")
		if err != nil || len(kids) != 1 || kids[0].Name != "慈利县" {
			t.Fatalf("children of 430800: %v %v", kids, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Audit(ctx, db.W, "430821", "create", "settings", "x", nil, map[string]int{"a": 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.Exec(`UPDATE audit_log SET username = 'someone-else'`); err == nil {
			t.Error("an audit line was changed")
		}
		if _, err := db.W.Exec(`DELETE FROM audit_log`); err == nil {
			t.Error("an audit line was deleted")
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE username = 'system'`).Scan(&n)
		if n != 1 {
			t.Errorf("the audit line is gone or changed: %d", n)
		}
	})
}

func TestBulkInsertsEveryRow(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.WithTx(ctx, func(tx *sql.Tx) error {
			b := db.NewBulk(ctx, tx, "settings", "region_code", "name", "value")
			defer b.Close()
			for i := 0; i < 1234; i++ {
				if err := b.Add("430821", fmt.Sprintf("n%04d", i), "v"); err != nil {
					return err
				}
			}
			return b.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM settings`).Scan(&n)
		if n != 1234 {
			t.Fatalf("%d rows, want 1234", n)
		}
	})
}

// A reservation left by a process that died before answering does not block retries for
// ever: after the stale time (30 s) a retry takes it over; a fresh one is left alone. The
// same key with another body is refused, not answered with the first request's answer.
func TestStaleIdempotencyReservationIsTakenOver(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC))
		db.Clock = clock
		body := store.RequestHash([]byte(`{"quantity":300}`))
		ok, _, _, err := db.ReserveIdempotent(ctx, "430821", 1, "k", body)
		if err != nil || !ok {
			t.Fatalf("reserve: %v %v", ok, err)
		}
		if _, _, _, err := db.ReserveIdempotent(ctx, "430821", 1, "k", store.RequestHash([]byte(`{"quantity":3000}`))); fugong.ErrorCode(err) != fugong.EINVALID {
			t.Errorf("the key with another body: %v, want invalid", err)
		}
		if took, _ := db.TakeOverIdempotent(ctx, "k", store.IdempotencyStale); took {
			t.Fatal("a fresh reservation was taken over")
		}
		clock.Advance(31 * time.Second)
		if took, err := db.TakeOverIdempotent(ctx, "k", store.IdempotencyStale); err != nil || !took {
			t.Fatalf("a reservation 31 s old was not taken over: %v", err)
		}
		if ok, _, _, _ := db.ReserveIdempotent(ctx, "430821", 1, "k", body); !ok {
			t.Fatal("the retry could not reserve the key again")
		}
	})
}
