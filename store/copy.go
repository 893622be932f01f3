package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

// WithoutForeignKeys runs fn with every foreign key of the schema dropped, then adds them
// all back, each checked over its whole table in one pass. On PostgreSQL a key checked
// row by row costs a lookup per row and key — in the demo county 51,000 of them, 0.9 s of
// the database's time — and one pass over a table costs a join: this is PostgreSQL's own
// advice for loading many rows (“Remove Foreign Key Constraints”, populate.html). The drop
// and the add are in tx, so no other transaction ever sees the tables without their keys,
// and rows that break a key fail the add, and with it the transaction, naming the key. The
// price: the tables stay locked to everyone else until tx ends, so it is for a database
// being filled before it serves (`fugong demo`), not for imports into a live county. On
// SQLite it just runs fn.
func (tx *BulkTx) WithoutForeignKeys(ctx context.Context, fn func() error) error {
	if tx.conn == nil {
		return fn()
	}
	rows, err := tx.QueryContext(ctx, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
		ORDER BY conrelid::regclass::text, conname`)
	if err != nil {
		return fmt.Errorf("foreign keys: %w", err)
	}
	var drop, add []string
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return fmt.Errorf("foreign keys: %w", err)
		}
		drop = append(drop, fmt.Sprintf(`ALTER TABLE %s DROP CONSTRAINT %s`, table, pgx.Identifier{name}.Sanitize()))
		add = append(add, fmt.Sprintf(`ALTER TABLE %s ADD CONSTRAINT %s %s`, table, pgx.Identifier{name}.Sanitize(), def))
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("foreign keys: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign keys: %w", err)
	}
	if len(drop) == 0 {
		return fn()
	}
	// One round trip each way: a statement without arguments goes by PostgreSQL's simple
	// protocol, which takes several separated by semicolons.
	if _, err := tx.ExecContext(ctx, strings.Join(drop, ";\n")); err != nil {
		return fmt.Errorf("drop foreign keys: %w", err)
	}
	if err := fn(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, strings.Join(add, ";\n")); err != nil {
		return fmt.Errorf("add foreign keys back: %w", err)
	}
	return nil
}
