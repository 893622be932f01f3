// Package storetest opens fresh databases for tests: a temporary SQLite always, and a
// fresh PostgreSQL database when FUGONG_TEST_POSTGRES holds a server URL. Under CI=true a
// missing PostgreSQL fails the test instead of skipping it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"fugong"
	"fugong/store"
)

// Dialects lists what Each runs on: "sqlite", and "postgres" when configured.
func Dialects(t testing.TB) []string {
	t.Helper()
	if os.Getenv("FUGONG_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but FUGONG_TEST_POSTGRES is not set: the suite must also run on PostgreSQL")
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest on a fresh database of every dialect.
func Each(t *testing.T, clock fugong.Clock, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, clock))
		})
	}
}

// DSN returns a fresh, empty database of the dialect, dropped when the test ends.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "fugong.db")
	}
	base := os.Getenv("FUGONG_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but FUGONG_TEST_POSTGRES is not set")
		}
		t.Skip("FUGONG_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	name := fmt.Sprintf("fugong_t_%d", rand.Uint64()%1e12)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("postgres at FUGONG_TEST_POSTGRES cannot be reached or cannot create a database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("FUGONG_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated database of the dialect, closed when the test ends.
func Open(t testing.TB, dialect string, clock fugong.Clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, dialect), clock, true)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
