package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Bulk inserts many rows of one table with multi-row INSERT statements, for the demo
// county and the province-scale generator. It is not for user input: rows are trusted,
// and no audit line is written per row.
type Bulk struct {
	ctx   context.Context
	q     Querier
	m     *multiRow
	anon  bool // SQLite's ? parameters, bound without a lookup by name
	ncol  int
	per   int
	vals  []any
	rows  int
	one   *sql.Stmt
	Total int
}

// NewBulk starts a bulk insert into table's columns inside q (a transaction). On
// PostgreSQL rows are sent in statements of up to 500 rows (fewer for wide tables: at most
// 65,535 parameters), saving round trips; on SQLite, which has no round trips but
// prepares a long statement slowly, one prepared single-row statement is five times faster.
func (db *DB) NewBulk(ctx context.Context, q Querier, table string, cols ...string) *Bulk {
	b := &Bulk{ctx: ctx, q: q, m: newMultiRow(table, "", cols...), ncol: len(cols), per: min(500, 60000/len(cols))}
	if db.Dialect.Name == "sqlite" {
		b.per, b.anon = 1, true
	}
	return b
}

// Add queues one row, sending a statement when enough rows are queued.
func (b *Bulk) Add(vals ...any) error {
	if len(vals) != b.ncol {
		return fmt.Errorf("bulk insert: %d values for %d columns", len(vals), b.ncol)
	}
	b.vals = append(b.vals, vals...)
	b.rows++
	if b.rows >= b.per {
		return b.Flush()
	}
	return nil
}

// Flush sends the queued rows.
func (b *Bulk) Flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.per == 1 {
		if b.one == nil {
			p, ok := b.q.(interface {
				PrepareContext(context.Context, string) (*sql.Stmt, error)
			})
			if !ok {
				return fmt.Errorf("bulk insert needs a transaction or a database")
			}
			st, err := p.PrepareContext(b.ctx, b.statement(1))
			if err != nil {
				return fmt.Errorf("bulk insert: %w", err)
			}
			b.one = st
		}
		if _, err := b.one.ExecContext(b.ctx, b.vals...); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
		b.Total++
		b.vals, b.rows = b.vals[:0], 0
		return nil
	}
	if _, err := b.q.ExecContext(b.ctx, b.statement(b.rows), b.vals...); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	b.Total += b.rows
	b.vals, b.rows = b.vals[:0], 0
	return nil
}

// statement is the INSERT for rows rows.
func (b *Bulk) statement(rows int) string { return b.m.sql(rows, b.anon) }

// Close releases the prepared statement; call it after the last Flush.
func (b *Bulk) Close() error {
	if b.one != nil {
		return b.one.Close()
	}
	return nil
}

// bulkInsert writes rows of cols values each (vals holds them one row after another)
// through prepared statements: one row per statement on SQLite (with anonymous
// parameters: the driver looks $N up by name), and 100 rows per statement on
// PostgreSQL, where each statement is a round trip. head is "INSERT INTO t (…) VALUES",
// tail what follows the values (ON CONFLICT …).
func (db *DB) bulkInsert(ctx context.Context, q Querier, head, tail string, cols int, vals []any) error {
	per := 1
	if db.Dialect.Name == "postgres" {
		per = 100
	}
	p, ok := q.(interface {
		PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	})
	if !ok {
		return fmt.Errorf("bulk insert needs a transaction or a database")
	}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	m := &multiRow{head: head + " ", tail: tail, ncol: cols}
	anon := db.Dialect.Name == "sqlite"
	rows := len(vals) / cols
	for i := 0; i < rows; {
		n := min(per, rows-i)
		st := stmts[n]
		if st == nil {
			var err error
			if st, err = p.PrepareContext(ctx, m.sql(n, anon)); err != nil {
				return err
			}
			stmts[n] = st
		}
		if _, err := st.ExecContext(ctx, vals[i*cols:(i+n)*cols]...); err != nil {
			return err
		}
		i += n
	}
	return nil
}
