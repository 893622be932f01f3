package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fugong"
)

// UnmaskHourlyLimit is how many personal records one account may see in clear through
// exports in an hour (PIPL: minimum necessary). Beyond it, only the command may go on,
// with a reason; every such export is audited as bulk_unmask and the command's
// accounts are told at once.
const UnmaskHourlyLimit = 500

// AllowBulkUnmask decides whether sc may unmask n more records in an export of what
// (a table name), counting the unmasked views of the last hour in the audit log.
func (h *Health) AllowBulkUnmask(ctx context.Context, sc fugong.Scope, what string, n int, reason string) error {
	db := h.DB
	limit := h.UnmaskLimit
	if limit <= 0 {
		limit = UnmaskHourlyLimit
	}
	now := db.Clock.Now()
	var used int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE region_code = $1 AND at >= $2 AND user_id = $3 AND action = 'unmask'`,
		sc.County, ms(now.Add(-time.Hour)), sc.UserID).Scan(&used); err != nil {
		return fmt.Errorf("count unmasked views: %w", err)
	}
	if used+n <= limit {
		return nil
	}
	reason = strings.TrimSpace(reason)
	if !sc.Can(fugong.PermBulkUnmask) || reason == "" {
		return fugong.Errorf(fugong.EFORBIDDEN, "unmask.limit", limit, used, n)
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := db.Audit(ctx, tx, sc.County, "bulk_unmask", what, "", nil, map[string]any{"count": n, "reason": reason, "last_hour": used}); err != nil {
			return err
		}
		ids, err := recipientIDs(tx.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = 'command' AND NOT disabled ORDER BY id`, sc.County))
		if err != nil {
			return err
		}
		return db.notifyInApp(ctx, tx, sc.County, ids, h.text("unmask.alert_subject"),
			h.text("unmask.alert_body", sc.Username, what, n, used, reason), "audit_log", 0)
	})
}

// CountWorkers counts the workers an export of enterpriseID (0: all in scope) holds.
func (db *DB) CountWorkers(ctx context.Context, sc fugong.Scope, enterpriseID int64) (int, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a)}
	if enterpriseID != 0 {
		c = append(c, "w.enterprise_id = "+a.add(enterpriseID))
	}
	var n int
	err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM workers w`+where(c), a.vals...).Scan(&n)
	return n, err
}
