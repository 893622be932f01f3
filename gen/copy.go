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
// returns what adds them back: each is then checked once over the whole table, so the
// data set is proved consistent all the same. This is PostgreSQL's own advice for
// populating a database.
func suspendForeignKeys(ctx context.Context, db *sql.DB) (restore func() error, err error) {
	rows, err := db.QueryContext(ctx, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) ORDER BY 1, 2`, bulkTables)
	if err != nil {
		return nil, fmt.Errorf("foreign keys: %w", err)
	}
	type fk struct{ table, name, def string }
	var fks []fk
	for rows.Next() {
		var k fk
		if err := rows.Scan(&k.table, &k.name, &k.def); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var dropped []fk
	restore = func() error {
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
	return restore, nil
}
