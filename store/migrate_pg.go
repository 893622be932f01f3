package store

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/pressly/goose/v3"
)

// migrateAtOnce applies every pending migration of a PostgreSQL database in one
// transaction, each migration's Up section sent as one statement list, and records them
// in goose's table as goose does. A new database (the demo's, a county's first start) has
// all of them pending: goose runs each statement as a round trip and commits each
// migration on its own, about 400 round trips and 30 commits before anything else can
// start. It holds a transaction-scoped advisory lock, so that two servers starting at
// once apply them once. done is false, with nothing applied, when a migration asks for
// no transaction; goose applies them then.
func (db *DB) migrateAtOnce(ctx context.Context, p *goose.Provider) (n int, done bool, err error) {
	fsys, err := db.migrationsFS()
	if err != nil {
		return 0, false, err
	}
	var ups []string
	var versions []int64
	// goose's Status makes its table when it is missing; it is read again under the lock.
	st, err := p.Status(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("apply migrations: %w", err)
	}
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("apply migrations: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(20200309)`); err != nil {
		return 0, false, fmt.Errorf("apply migrations: %w", err)
	}
	applied := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version_id FROM goose_db_version WHERE is_applied`)
	if err != nil {
		return 0, false, fmt.Errorf("apply migrations: %w", err)
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, false, err
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range st {
		if applied[m.Source.Version] {
			continue
		}
		b, err := fs.ReadFile(fsys, m.Source.Path)
		if err != nil {
			return 0, false, fmt.Errorf("migration %s: %w", m.Source.Path, err)
		}
		text := string(b)
		if strings.Contains(text, "+goose NO TRANSACTION") {
			return 0, false, nil
		}
		up, _, _ := strings.Cut(text, "-- +goose Down")
		ups = append(ups, up)
		versions = append(versions, m.Source.Version)
	}
	if len(versions) == 0 {
		return 0, true, nil
	}
	for i, up := range ups {
		// No arguments: pgx sends the text as one simple query, every statement in it.
		if _, err := tx.ExecContext(ctx, up); err != nil {
			return 0, false, fmt.Errorf("apply migration %d: %w", versions[i], err)
		}
	}
	var sb strings.Builder
	args := make([]any, len(versions))
	for i, v := range versions {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "($%d, TRUE)", i+1)
		args[i] = v
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES `+sb.String(), args...); err != nil {
		return 0, false, fmt.Errorf("record migrations: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("apply migrations: %w", err)
	}
	return len(versions), true, nil
}
