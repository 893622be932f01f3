package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"fugong"
)

const entitlementCols = `t.id, t.region_code, t.policy_id, p.title, t.enterprise_id, e.name, t.amount, t.status, t.auto, t.reason, t.reviewed_by, t.reviewed_at,
	t.dispute, t.declared_json, p.declared_labels, t.computed_at, t.version, t.created_at,
	COALESCE(y.id, 0), COALESCE(y.amount, 0), COALESCE(y.paid_on, ''), COALESCE(y.voucher, ''), COALESCE(y.recorded_by, ''), COALESCE(y.created_at, 0),
	COALESCE((SELECT SUM(z.amount) FROM payments z WHERE z.entitlement_id = t.id), 0)`

// entitlementFrom joins an entitlement's latest payment that stands (y: not a reversal,
// nor reversed); the sum of its entries, payments less reversals, is a column.
const entitlementFrom = ` FROM entitlements t JOIN policies p ON p.id = t.policy_id JOIN enterprises e ON e.id = t.enterprise_id
	LEFT JOIN payments y ON y.id = (SELECT MAX(z.id) FROM payments z WHERE z.entitlement_id = t.id AND z.kind = '` + fugong.PaymentPaid + `'
		AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = z.id))`

func scanEntitlement(row interface{ Scan(...any) error }, t *fugong.Entitlement, extra ...any) error {
	var reviewed, computed, created, paidAt int64
	var declared, labels string
	var y fugong.Payment
	if err := row.Scan(append([]any{&t.ID, &t.County, &t.PolicyID, &t.PolicyTitle, &t.EnterpriseID, &t.EnterpriseName, &t.Amount, &t.Status, &t.Auto, &t.Reason,
		&t.ReviewedBy, &reviewed, &t.Dispute, &declared, &labels, &computed, &t.Version, &created,
		&y.ID, &y.Amount, &y.PaidOn, &y.Voucher, &y.RecordedBy, &paidAt, &t.Paid}, extra...)...); err != nil {
		return err
	}
	t.ReviewedAt, t.ComputedAt, t.CreatedAt = fromMS(reviewed), fromMS(computed), fromMS(created)
	t.Payment = nil
	if y.ID != 0 {
		y.EntitlementID, y.CreatedAt, y.Kind = t.ID, fromMS(paidAt), fugong.PaymentPaid
		t.Payment = &y
	}
	t.Declared = nil
	if declared != "" {
		if err := json.Unmarshal([]byte(declared), &t.Declared); err != nil {
			return fmt.Errorf("entitlement %d declared: %w", t.ID, err)
		}
	}
	var err error
	if t.Fields, err = decodeDeclaredFields(labels); err != nil {
		return fmt.Errorf("entitlement %d: %w", t.ID, err)
	}
	return nil
}

// entitlementScope limits entitlements (aliased t, with their policy p) to the caller: a
// department sees those of the policies it issues or pays; everyone else those of the
// enterprises in their scope (store/scope.go).
func entitlementScope(sc fugong.Scope, a *args) string {
	if sc.Role == fugong.RoleDepartment {
		org := a.add(sc.OrgUnitID)
		return "t.region_code = " + a.add(sc.County) + " AND (p.department_id = " + org + " OR p.payer_id = " + org + ")"
	}
	return EnterpriseIDScope(sc, "t.enterprise_id", "t.region_code", a)
}

// FindEntitlement returns one entitlement in the caller's scope, with its payment.
func (db *DB) FindEntitlement(ctx context.Context, sc fugong.Scope, id int64) (fugong.Entitlement, error) {
	return db.findEntitlement(ctx, db.R, sc, id)
}

func (db *DB) findEntitlement(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Entitlement, error) {
	var a args
	var t fugong.Entitlement
	err := scanEntitlement(q.QueryRowContext(ctx, `SELECT `+entitlementCols+entitlementFrom+` WHERE t.id = `+a.add(id)+` AND `+entitlementScope(sc, &a), a.vals...), &t)
	return t, mapErr(err)
}

func entitlementWhere(sc fugong.Scope, f fugong.EntitlementFilter, a *args) string {
	c := []string{entitlementScope(sc, a)}
	if f.PolicyID != 0 {
		c = append(c, "t.policy_id = "+a.add(f.PolicyID))
	}
	if f.EnterpriseID != 0 {
		c = append(c, "t.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.Status != "" {
		c = append(c, "t.status = "+a.add(f.Status))
	}
	return where(c)
}

// FindEntitlements lists entitlements in the caller's scope that match f, with the total
// and the sum of their amounts.
func (db *DB) FindEntitlements(ctx context.Context, sc fugong.Scope, f fugong.EntitlementFilter) ([]fugong.Entitlement, int, int64, error) {
	return db.FindEntitlementsTx(ctx, db.R, sc, f)
}

// FindEntitlementsTx is FindEntitlements through q (a transaction that wrote them).
func (db *DB) FindEntitlementsTx(ctx context.Context, q Querier, sc fugong.Scope, f fugong.EntitlementFilter) ([]fugong.Entitlement, int, int64, error) {
	var a args
	w := entitlementWhere(sc, f, &a)
	var total int
	var sum int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(t.amount), 0)`+entitlementFrom+w, a.vals...).Scan(&total, &sum); err != nil {
		return nil, 0, 0, fmt.Errorf("count entitlements: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset)
	var out []fugong.Entitlement
	err := db.eachEntitlement(ctx, q, `SELECT `+entitlementCols+entitlementFrom+w+` ORDER BY t.policy_id, t.enterprise_id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals,
		func(t fugong.Entitlement) error { out = append(out, t); return nil })
	return out, total, sum, err
}

// EachEntitlement streams every entitlement in the caller's scope that matches f, for the
// ledger export.
func (db *DB) EachEntitlement(ctx context.Context, sc fugong.Scope, f fugong.EntitlementFilter, fn func(t fugong.Entitlement) error) error {
	var a args
	w := entitlementWhere(sc, f, &a)
	return db.eachEntitlement(ctx, db.R, `SELECT `+entitlementCols+entitlementFrom+w+` ORDER BY t.policy_id, t.enterprise_id`, a.vals, fn)
}

func (db *DB) eachEntitlement(ctx context.Context, q Querier, query string, vals []any, fn func(t fugong.Entitlement) error) error {
	rows, err := q.QueryContext(ctx, query, vals...)
	if err != nil {
		return fmt.Errorf("find entitlements: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t fugong.Entitlement
		if err := scanEntitlement(rows, &t); err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ComputePolicyTx runs a published policy's rules over the county's enterprises (or one of
// them) and writes what fugong.Recompute decides. An application policy only revisits the
// enterprises that applied, with what they declared. It reports how many changed.
func (db *DB) ComputePolicyTx(ctx context.Context, tx *sql.Tx, env PolicyEnv, p *fugong.Policy, enterpriseID int64) (int, error) {
	existing := map[int64]*fugong.Entitlement{}
	var a args
	c := "t.policy_id = " + a.add(p.ID)
	if enterpriseID != 0 {
		c += " AND t.enterprise_id = " + a.add(enterpriseID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+entitlementCols+entitlementFrom+` WHERE `+c, a.vals...)
	if err != nil {
		return 0, fmt.Errorf("entitlements of policy %d: %w", p.ID, err)
	}
	for rows.Next() {
		var t fugong.Entitlement
		if err := scanEntitlement(rows, &t); err != nil {
			rows.Close()
			return 0, err
		}
		existing[t.EnterpriseID] = &t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	users, err := db.enterpriseUsers(ctx, tx, p.County, enterpriseID)
	if err != nil {
		return 0, err
	}
	now := db.now()
	changed := 0
	err = db.eachFacts(ctx, tx, env, p.County, enterpriseID, func(e fugong.Enterprise, f fugong.EnterpriseFacts) error {
		old := existing[e.ID]
		if p.Mode == fugong.ModeApplication {
			if old == nil {
				return nil
			}
			f.Applied, f.Declared = true, old.Declared
		}
		o, err := env.Rules.Evaluate(p, f)
		if err != nil {
			return err
		}
		status, amount, create, ch := fugong.Recompute(p, old, o)
		if !ch {
			return nil
		}
		changed++
		t := fugong.Entitlement{County: p.County, PolicyID: p.ID, EnterpriseID: e.ID, Amount: amount, Status: status, Auto: status == fugong.EntitlementApproved}
		if create {
			if err := tx.QueryRowContext(ctx, `INSERT INTO entitlements (region_code, policy_id, enterprise_id, amount, status, auto, reviewed_by, computed_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id`, t.County, t.PolicyID, t.EnterpriseID, t.Amount, t.Status, t.Auto, autoReviewer(t.Auto), now).Scan(&t.ID); err != nil {
				return fmt.Errorf("create entitlement: %w", mapErr(err))
			}
			if err := db.Audit(ctx, tx, t.County, "create", "entitlements", t.ID, nil, t); err != nil {
				return err
			}
			return db.notifyUsers(ctx, tx, env, users[e.ID], &t, "notice.entitlement_new", p.Title, yuan(t.Amount))
		}
		t.ID = old.ID
		if _, err := tx.ExecContext(ctx, `UPDATE entitlements SET amount = $1, status = $2, auto = $3, computed_at = $4, updated_at = $4, version = version + 1 WHERE id = $5`,
			t.Amount, t.Status, t.Auto, now, t.ID); err != nil {
			return fmt.Errorf("recompute entitlement %d: %w", t.ID, err)
		}
		if err := db.Audit(ctx, tx, t.County, "recompute", "entitlements", t.ID, old, t); err != nil {
			return err
		}
		if old.Status == fugong.EntitlementDisputed {
			// The person settling the dispute learns that the amount follows the corrected facts.
			staff, err := db.departmentUsers(ctx, tx, p.DepartmentID)
			if err != nil {
				return err
			}
			if err := db.notifyUsers(ctx, tx, env, staff, &t, "notice.entitlement_recomputed", e.Name, p.Title, yuan(old.Amount), yuan(t.Amount)); err != nil {
				return err
			}
		}
		if t.Status == fugong.EntitlementVoid {
			return db.notifyUsers(ctx, tx, env, users[e.ID], &t, "notice.entitlement_void", p.Title)
		}
		return db.notifyUsers(ctx, tx, env, users[e.ID], &t, "notice.entitlement_new", p.Title, yuan(t.Amount))
	})
	return changed, err
}

func autoReviewer(auto bool) string {
	if auto {
		return "system"
	}
	return ""
}

// yuan formats fen as yuan with two decimals, for notification texts.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

// RecomputeEnterprise runs every published policy of the county again for one enterprise,
// after its facts changed (the job "entitlements.recompute" calls it).
func (db *DB) RecomputeEnterprise(ctx context.Context, env PolicyEnv, county string, enterpriseID int64) (int, error) {
	ctx = fugong.WithActor(ctx, fugong.Actor{Username: "system"})
	n := 0
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
		ps, _, err := db.findPolicies(ctx, tx, sc, fugong.PolicyFilter{Status: fugong.PolicyPublished, Limit: 1000})
		if err != nil {
			return err
		}
		for i := range ps {
			c, err := db.ComputePolicyTx(ctx, tx, env, &ps[i], enterpriseID)
			if err != nil {
				return err
			}
			n += c
		}
		return nil
	})
	return n, err
}

// JobRecompute is the job kind that recomputes one enterprise's entitlements; its payload
// is the enterprise id.
const JobRecompute = "entitlements.recompute"

// EnqueueRecompute promises, inside the caller's transaction, that an enterprise's
// entitlements are computed again once its changed facts are committed.
func (db *DB) EnqueueRecompute(ctx context.Context, q Querier, county string, enterpriseID int64) error {
	return db.EnqueueJob(ctx, q, county, JobRecompute, strconv.FormatInt(enterpriseID, 10), db.Clock.Now())
}

// enterpriseUsers maps enterprise ids to the ids of their active accounts.
func (db *DB) enterpriseUsers(ctx context.Context, q Querier, county string, enterpriseID int64) (map[int64][]int64, error) {
	var a args
	c := "region_code = " + a.add(county) + " AND role = " + a.add(string(fugong.RoleEnterprise)) + " AND disabled = " + a.add(false)
	if enterpriseID != 0 {
		c += " AND enterprise_id = " + a.add(enterpriseID)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, enterprise_id FROM users WHERE `+c, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("enterprise accounts: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var u, e int64
		if err := rows.Scan(&u, &e); err != nil {
			return nil, err
		}
		out[e] = append(out[e], u)
	}
	return out, rows.Err()
}

// notifyUsers queues one in-app notification per user about an entitlement.
func (db *DB) notifyUsers(ctx context.Context, q Querier, env PolicyEnv, userIDs []int64, t *fugong.Entitlement, key string, args ...any) error {
	return db.notifyInApp(ctx, q, t.County, userIDs, env.Text("notice.entitlement_subject"), env.Text(key, args...), "entitlements", t.ID)
}

// departmentUsers lists the active accounts of an org unit.
func (db *DB) departmentUsers(ctx context.Context, q Querier, orgUnitID int64) ([]int64, error) {
	return recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE org_unit_id = $1 AND disabled = $2`, orgUnitID, false))
}
