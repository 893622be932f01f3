package store

import (
	"context"
	"encoding/json"
	"fmt"

	"fugong"
)

var (
	auditCols = []string{"region_code", "at", "user_id", "username", "ip", "action", "entity", "entity_id", "before_json", "after_json"}
	auditRows = newMultiRow("audit_log", "", auditCols...)
)

// auditValues are one audit line's auditRows values; before and after are JSON or empty.
func auditValues(county string, at int64, a fugong.Actor, action, entity, entityID, before, after string) []any {
	return []any{county, at, a.UserID, a.Username, a.IP, action, entity, entityID, before, after}
}

// Audit appends one line to the audit log inside the caller's transaction, so that a
// change and its record commit together. before and after are marshalled to JSON; nil
// leaves that side empty.
func (db *DB) Audit(ctx context.Context, q Querier, county, action, entity string, entityID any, before, after any) error {
	a := fugong.ActorFrom(ctx)
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	af, err := enc(after)
	if err != nil {
		return err
	}
	// A bulk transaction's lines are written together when it ends (BulkTx).
	if vals := auditValues(county, db.now(), a, action, entity, fmt.Sprint(entityID), b, af); !db.audits.add(q, vals) {
		if err := auditRows.exec(ctx, db, q, vals); err != nil {
			return fmt.Errorf("audit %s %s: %w", action, entity, err)
		}
	}
	if action == "import" {
		db.Count(q, EventImport, entity)
	}
	return nil
}

// FindAudit lists audit lines, newest first. Only county-wide roles may read it.
func (db *DB) FindAudit(ctx context.Context, sc fugong.Scope, f fugong.AuditFilter) ([]fugong.AuditEntry, int, error) {
	if err := sc.Allow(fugong.PermAuditView); err != nil {
		return nil, 0, err
	}
	var a args
	c := []string{"region_code = " + a.add(sc.County)}
	if f.Username != "" {
		c = append(c, "username = "+a.add(f.Username))
	}
	if f.Entity != "" {
		c = append(c, "entity = "+a.add(f.Entity))
	}
	if f.Action != "" {
		c = append(c, "action = "+a.add(f.Action))
	}
	if !f.From.IsZero() {
		c = append(c, "at >= "+a.add(ms(f.From)))
	}
	if !f.To.IsZero() {
		c = append(c, "at < "+a.add(ms(f.To)))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT id, region_code, at, user_id, username, ip, action, entity, entity_id, before_json, after_json, COUNT(*) OVER()
		FROM audit_log`+where(c)+` ORDER BY id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	var out []fugong.AuditEntry
	total := 0
	for rows.Next() {
		var e fugong.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.County, &at, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &total); err != nil {
			return nil, 0, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, total, rows.Err()
}
