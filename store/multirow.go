package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// multiRow writes the rows of one table that a group batch gathered, in multi-row INSERT
// statements of a power-of-two size (at most maxChunk rows), so that a table gets a few
// statements per batch instead of one per row, and the few statement texts stay prepared
// on SQLite's writer connection (store.DB.Prepared).
type multiRow struct {
	head string // INSERT INTO t (a, b) VALUES
	tail string // e.g. RETURNING id
	ncol int
	mu   sync.Mutex
	text map[int]string
}

// maxChunk bounds a statement: 64 rows of a demand's 44 columns are 2,816 parameters,
// far below both databases' limits.
const maxChunk = 64

func newMultiRow(table, tail string, cols ...string) *multiRow {
	return &multiRow{head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ", tail: tail, ncol: len(cols)}
}

// sql returns the statement for n rows, with SQLite's anonymous "?" parameters when
// anon is set: the pure-Go driver looks each "$N" up by name, a scan of every name before
// it, which costs more than the insert itself for a statement of thousands of parameters.
func (m *multiRow) sql(n int, anon bool) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := n * 2
	if anon {
		key++
	}
	if s, ok := m.text[key]; ok {
		return s
	}
	var b strings.Builder
	b.WriteString(m.head)
	p := 1
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < m.ncol; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			if anon {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
				p++
			}
		}
		b.WriteByte(')')
	}
	if m.tail != "" {
		b.WriteByte(' ')
		b.WriteString(m.tail)
	}
	if m.text == nil {
		m.text = map[int]string{}
	}
	m.text[key] = b.String()
	return m.text[key]
}

// chunks calls fn for consecutive chunks of vals (ncol values a row), each of a
// power-of-two number of rows.
func (m *multiRow) chunks(db *DB, vals []any, fn func(query string, args []any) error) error {
	anon := db.Dialect.Name == "sqlite"
	rows := len(vals) / m.ncol
	for rows > 0 {
		n := maxChunk
		for n > rows {
			n /= 2
		}
		if err := fn(m.sql(n, anon), vals[:n*m.ncol]); err != nil {
			return err
		}
		vals, rows = vals[n*m.ncol:], rows-n
	}
	return nil
}

// exec writes the rows.
func (m *multiRow) exec(ctx context.Context, db *DB, q Querier, vals []any) error {
	return m.chunks(db, vals, func(query string, args []any) error {
		_, err := q.ExecContext(ctx, query, args...)
		return err
	})
}

// query writes the rows and hands each returned row to scan.
func (m *multiRow) query(ctx context.Context, db *DB, q Querier, vals []any, scan func(*sql.Rows) error) error {
	return m.chunks(db, vals, func(query string, args []any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}
