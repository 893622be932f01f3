package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong/secret"
)

// clearHealth is a table whose health records were kept in clear columns before they were
// sealed (00219: checkpoint entries and screenings; 00319: checks, gates, alerts and
// isolations): the columns, what they are set to once sealed, and the sealed value a row's
// clear values make.
type clearHealth struct {
	table   string
	columns string // selected after id, in scan's order
	clear   string // true of a row that holds them (migration 00326 indexes such rows)
	blank   string // the SET clause that empties them
	scan    func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error)
}

func clearHealthTables() []clearHealth {
	return []clearHealth{
		{"checkpoint_entries", "origin, temperature", "origin <> '' OR temperature <> 0", "origin = '', temperature = 0",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h entryHealth
				if err := rows.Scan(id, &h.Origin, &h.Temperature); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
		{"screenings", "from_region, isolation_until, needs, temperature", "from_region <> '' OR isolation_until <> '' OR needs <> '' OR temperature <> 0", "from_region = '', isolation_until = '', needs = '', temperature = 0",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h screeningHealth
				if err := rows.Scan(id, &h.FromRegion, &h.IsolationUntil, &h.Needs, &h.Temperature); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
		{"worker_checks", "temperature, symptoms", "temperature <> 0 OR symptoms <> ''", "temperature = 0, symptoms = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h checkHealth
				if err := rows.Scan(id, &h.Temperature, &h.Symptoms); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
		{"health_alerts", "temperature, symptoms", "temperature <> 0 OR symptoms <> ''", "temperature = 0, symptoms = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h checkHealth
				if err := rows.Scan(id, &h.Temperature, &h.Symptoms); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
		{"worker_gates", "from_region, route, temperature, symptoms, contact, isolation_kind, planned_end",
			"from_region <> '' OR route <> '' OR temperature <> 0 OR symptoms <> '' OR contact <> FALSE OR isolation_kind <> '' OR planned_end <> ''",
			"from_region = '', route = '', temperature = 0, symptoms = '', contact = FALSE, isolation_kind = '', planned_end = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h gateHealth
				if err := rows.Scan(id, &h.FromRegion, &h.Route, &h.Temperature, &h.Symptoms, &h.Contact, &h.IsolationKind, &h.PlannedEnd); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
		{"workers", "isolation_kind, isolation_start, isolation_end", "isolation_kind <> '' OR isolation_start <> '' OR isolation_end <> ''", "isolation_kind = '', isolation_start = '', isolation_end = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h isolationHealth
				if err := rows.Scan(id, &h.Kind, &h.Start, &h.End); err != nil {
					return "", err
				}
				return sealHealth(keys, h)
			}},
	}
}

// SealClearHealth seals the health records that rows written before sealing still hold
// in clear, and empties their clear columns, 500 rows per write transaction while the
// server goes on working: a row is changed only while it still has no sealed value. The
// readers already take either form, so a row reads the same before and after. Such rows
// are found through the partial indexes of migration 00326, which hold them alone: once
// sealed, a start costs six empty index lookups, not a scan of every check. It returns how
// many rows were sealed; the server runs it once at start, `keys reseal` too.
func (db *DB) SealClearHealth(ctx context.Context, keys *secret.Keys) (int, error) {
	done := 0
	for _, t := range clearHealthTables() {
		var after int64
		for {
			type row struct {
				id     int64
				sealed string
			}
			var batch []row
			// Read outside the writer: on SQLite a write transaction holds the one writer.
			rows, err := db.R.QueryContext(ctx, `SELECT id, `+t.columns+` FROM `+t.table+` WHERE id > $1 AND health_sealed = '' AND (`+t.clear+`)
				ORDER BY id LIMIT 500`, after)
			if err != nil {
				return done, fmt.Errorf("seal the clear health records of %s: %w", t.table, err)
			}
			for rows.Next() {
				var r row
				if r.sealed, err = t.scan(rows, &r.id, keys); err != nil {
					break
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
			if err == nil && len(batch) > 0 {
				err = db.WithTx(ctx, func(tx *sql.Tx) error {
					for _, r := range batch {
						if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET health_sealed = $1, `+t.blank+` WHERE id = $2 AND health_sealed = ''`, r.sealed, r.id); err != nil {
							return err
						}
					}
					return nil
				})
			}
			if err != nil {
				return done, fmt.Errorf("seal the clear health records of %s: %w", t.table, err)
			}
			if len(batch) == 0 {
				break
			}
			done += len(batch)
			after = batch[len(batch)-1].id
		}
	}
	return done, nil
}
