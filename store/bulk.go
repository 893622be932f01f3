package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// bulkInsert writes rows of cols values each (vals holds them one row after another)
// through prepared statements: one row per statement on SQLite, whose $n parameters
// cost time quadratic in their number to parse and bind, and 100 rows per statement on
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
	rows := len(vals) / cols
	for i := 0; i < rows; {
		n := min(per, rows-i)
		st := stmts[n]
		if st == nil {
			var sb strings.Builder
			sb.WriteString(head)
			for r := 0; r < n; r++ {
				if r > 0 {
					sb.WriteString(",")
				}
				sb.WriteString(" (")
				for c := 0; c < cols; c++ {
					if c > 0 {
						sb.WriteString(", ")
					}
					sb.WriteString("$" + strconv.Itoa(r*cols+c+1))
				}
				sb.WriteString(")")
			}
			sb.WriteString(" " + tail)
			var err error
			if st, err = p.PrepareContext(ctx, sb.String()); err != nil {
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
