package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BulkTx is a transaction for writers of many trusted rows at once (the demo county):
// its rows go to PostgreSQL by COPY, one round trip per table instead of one per row or
// per few hundred, and its audit lines are gathered and written the same way when it
// ends. On SQLite, which has no round trips, rows go through one prepared statement.
type BulkTx struct {
	*sql.Tx
	db   *DB
	conn *sql.Conn // the connection Tx runs on (PostgreSQL)
}

// WithBulkTx runs fn in one transaction like WithTx, on one connection that COPY can use.
func (db *DB) WithBulkTx(ctx context.Context, fn func(tx *BulkTx) error) error {
	if db.Dialect.Name != "postgres" {
		return db.WithTx(ctx, func(tx *sql.Tx) error {
			return db.runBulk(ctx, &BulkTx{Tx: tx, db: db}, fn)
		})
	}
	token := newCommitToken()
	return db.retry(ctx, func() error {
		conn, err := db.W.Conn(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer conn.Close()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		done, err := db.claimCommit(ctx, tx, token)
		if err != nil || done {
			tx.Rollback()
			db.settle(tx, false)
			return err
		}
		if err := db.runBulk(ctx, &BulkTx{Tx: tx, db: db, conn: conn}, fn); err != nil {
			tx.Rollback()
			db.settle(tx, false)
			return err
		}
		if err := tx.Commit(); err != nil {
			db.settle(tx, false)
			return fmt.Errorf("commit: %w", err)
		}
		db.settle(tx, true)
		return nil
	})
}

// runBulk runs fn with tx's audit lines gathered, and writes them after it.
func (db *DB) runBulk(ctx context.Context, tx *BulkTx, fn func(tx *BulkTx) error) error {
	db.audits.start(tx.Tx)
	err := fn(tx)
	lines := db.audits.take(tx.Tx)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return nil
	}
	return tx.Copy(ctx, "audit_log", auditCols, lines)
}

// Copy writes rows (each of len(cols) values) into table.
func (tx *BulkTx) Copy(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.conn != nil {
		return tx.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("copy into %s: not a pgx connection", table)
			}
			if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", table, err)
			}
			return nil
		})
	}
	b := tx.db.NewBulk(ctx, tx.Tx, table, cols...)
	for _, r := range rows {
		if err := b.Add(r...); err != nil {
			b.Close()
			return fmt.Errorf("copy into %s: %w", table, err)
		}
	}
	if err := b.Flush(); err != nil {
		b.Close()
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return b.Close()
}

// auditBuffer holds the audit lines of bulk transactions still open (DB.Audit appends
// to it instead of writing a line), in the order they were made.
type auditBuffer struct {
	mu    sync.Mutex
	lines map[*sql.Tx][][]any
}

func (b *auditBuffer) start(tx *sql.Tx) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lines == nil {
		b.lines = map[*sql.Tx][][]any{}
	}
	b.lines[tx] = [][]any{}
}

// add keeps vals for q's transaction when it is a bulk one, and reports whether it did.
func (b *auditBuffer) add(q Querier, vals []any) bool {
	tx, ok := q.(*sql.Tx)
	if !ok {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	lines, ok := b.lines[tx]
	if ok {
		b.lines[tx] = append(lines, vals)
	}
	return ok
}

func (b *auditBuffer) take(tx *sql.Tx) [][]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := b.lines[tx]
	delete(b.lines, tx)
	return lines
}
