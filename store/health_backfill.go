package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong/secret"
)

// clearHealth is a table whose health records were kept in clear columns before they were
// sealed (00219: checkpoint entries and screenings; 00319: checks, gates, alerts and
// isolations): the columns, what they are set to once sealed, and the sealed value a row's
// clear values make ("" when the row holds no health record, as a worker never isolated).
type clearHealth struct {
	table   string
	columns string // selected after id, in scan's order
	blank   string // the SET clause that empties them
	scan    func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error)
}

func clearHealthTables() []clearHealth {
	return []clearHealth{
		{"checkpoint_entries", "origin, temperature", "origin = '', temperature = 0",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h entryHealth
				if err := rows.Scan(id, &h.Origin, &h.Temperature); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == entryHealth{})
			}},
		{"screenings", "from_region, isolation_until, needs, temperature", "from_region = '', isolation_until = '', needs = '', temperature = 0",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h screeningHealth
				if err := rows.Scan(id, &h.FromRegion, &h.IsolationUntil, &h.Needs, &h.Temperature); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == screeningHealth{})
			}},
		{"worker_checks", "temperature, symptoms", "temperature = 0, symptoms = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h checkHealth
				if err := rows.Scan(id, &h.Temperature, &h.Symptoms); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == checkHealth{})
			}},
		{"health_alerts", "temperature, symptoms", "temperature = 0, symptoms = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h checkHealth
				if err := rows.Scan(id, &h.Temperature, &h.Symptoms); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == checkHealth{})
			}},
		{"worker_gates", "from_region, route, temperature, symptoms, contact, isolation_kind, planned_end",
			"from_region = '', route = '', temperature = 0, symptoms = '', contact = FALSE, isolation_kind = '', planned_end = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h gateHealth
				if err := rows.Scan(id, &h.FromRegion, &h.Route, &h.Temperature, &h.Symptoms, &h.Contact, &h.IsolationKind, &h.PlannedEnd); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == gateHealth{})
			}},
		{"workers", "isolation_kind, isolation_start, isolation_end", "isolation_kind = '', isolation_start = '', isolation_end = ''",
			func(rows *sql.Rows, id *int64, keys *secret.Keys) (string, error) {
				var h isolationHealth
				if err := rows.Scan(id, &h.Kind, &h.Start, &h.End); err != nil {
					return "", err
				}
				return sealUnlessEmpty(keys, h, h == isolationHealth{})
			}},
	}
}

func sealUnlessEmpty(keys *secret.Keys, v any, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	return sealHealth(keys, v)
}

// SealClearHealth seals the health records that rows written before sealing still hold
// in clear, and empties their clear columns, in batches of 500 rows per transaction while
// the server goes on working: a row is changed only while it still has no sealed value.
// The readers already take either form, so a row reads the same before and after. It
// returns how many rows were sealed; the server runs it once at start, `keys reseal` too.
func (db *DB) SealClearHealth(ctx context.Context, keys *secret.Keys) (int, error) {
	done := 0
	for _, t := range clearHealthTables() {
		nonEmpty := strings.NewReplacer(" = ''", " <> ''", " = 0", " <> 0", " = FALSE", " <> FALSE", ", ", " OR ").Replace(t.blank)
		var after int64
		for {
			n, sealed := 0, 0
			err := db.WithTx(ctx, func(tx *sql.Tx) error {
				rows, err := tx.QueryContext(ctx, `SELECT id, `+t.columns+` FROM `+t.table+` WHERE id > $1 AND health_sealed = '' AND (`+nonEmpty+`)
					ORDER BY id LIMIT 500`, after)
				if err != nil {
					return err
				}
				type row struct {
					id     int64
					sealed string
				}
				var batch []row
				for rows.Next() {
					var r row
					if r.sealed, err = t.scan(rows, &r.id, keys); err != nil {
						rows.Close()
						return err
					}
					batch = append(batch, r)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				for _, r := range batch {
					if r.sealed == "" {
						continue
					}
					sealed++
					if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET health_sealed = $1, `+t.blank+` WHERE id = $2 AND health_sealed = ''`, r.sealed, r.id); err != nil {
						return err
					}
				}
				if n = len(batch); n > 0 {
					after = batch[n-1].id
				}
				return nil
			})
			if err != nil {
				return done, fmt.Errorf("seal the clear health records of %s: %w", t.table, err)
			}
			done += sealed
			if n == 0 {
				break
			}
		}
	}
	return done, nil
}
