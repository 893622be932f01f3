package gen

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows writes rows into table with PostgreSQL's COPY, through the pool's pgx
// connection: one round trip a batch instead of one a few hundred rows.
func copyRows(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

// bulkTables are the tables gen fills with millions of rows.
var bulkTables = []string{"daily_reports", "demands", "workers", "worker_gates", "worker_checks", "health_alerts", "visits"}

// suspendForeignKeys drops the foreign keys of the bulk tables on PostgreSQL, where each
// row's check is a trigger call (about half the time of writing 50 million checks), and
// the secondary indexes of the largest ones, and returns what adds them back: each key
// is then checked once over the whole table, so the data set is proved consistent all
// the same. This is PostgreSQL's own advice for populating a database.
func suspendForeignKeys(ctx context.Context, db *sql.DB) (restore func() error, err error) {
	fks, err := definitions(ctx, db, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) ORDER BY 1, 2`, bulkTables)
	if err != nil {
		return nil, fmt.Errorf("foreign keys: %w", err)
	}
	// The secondary indexes of the largest tables are built once at the end, by sorting,
	// instead of growing by a row at a time (the unique ones check uniqueness then).
	idx, err := definitions(ctx, db, `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1)
		AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u')) ORDER BY 1, 2`, sortedTables)
	if err != nil {
		return nil, fmt.Errorf("indexes: %w", err)
	}
	var dropped, droppedIdx []definition
	restore = func() error {
		if len(droppedIdx) > 0 {
			conn, err := db.Conn(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
				return err
			}
			for _, k := range droppedIdx {
				if _, err := conn.ExecContext(ctx, k.def); err != nil {
					return fmt.Errorf("rebuild index %s: %w", k.name, err)
				}
			}
			if _, err := conn.ExecContext(ctx, `RESET maintenance_work_mem`); err != nil {
				return err
			}
			droppedIdx = nil
		}
		for _, k := range dropped {
			if _, err := db.ExecContext(ctx, `ALTER TABLE `+pgx.Identifier{k.table}.Sanitize()+` ADD CONSTRAINT `+pgx.Identifier{k.name}.Sanitize()+` `+k.def); err != nil {
				return fmt.Errorf("restore foreign key %s: %w", k.name, err)
			}
		}
		dropped = nil
		return nil
	}
	for _, k := range fks {
		if _, err := db.ExecContext(ctx, `ALTER TABLE `+pgx.Identifier{k.table}.Sanitize()+` DROP CONSTRAINT `+pgx.Identifier{k.name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("suspend foreign key %s: %w (restored: %v)", k.name, err, restore())
		}
		dropped = append(dropped, k)
	}
	for _, k := range idx {
		if _, err := db.ExecContext(ctx, `DROP INDEX `+pgx.Identifier{k.name}.Sanitize()); err != nil {
			return nil, fmt.Errorf("suspend index %s: %w (restored: %v)", k.name, err, restore())
		}
		droppedIdx = append(droppedIdx, k)
	}
	return restore, nil
}

// definition is a foreign key or an index of a table: its name and how to make it again.
type definition struct{ table, name, def string }

// definitions reads (table, name, definition) rows for the tables.
func definitions(ctx context.Context, db *sql.DB, q string, tables []string) ([]definition, error) {
	rows, err := db.QueryContext(ctx, q, tables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []definition
	for rows.Next() {
		var d definition
		if err := rows.Scan(&d.table, &d.name, &d.def); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// sortedTables are the tables whose secondary indexes PostgreSQL builds at the end.
var sortedTables = []string{"workers", "worker_gates", "worker_checks"}
