package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"fugong"
)

// entitlementPolicy finds an entitlement in scope with its policy, inside tx.
func (db *DB) entitlementPolicy(ctx context.Context, tx *sql.Tx, sc fugong.Scope, id int64) (fugong.Entitlement, fugong.Policy, error) {
	t, err := db.findEntitlement(ctx, tx, sc, id)
	if err != nil {
		return t, fugong.Policy{}, err
	}
	p, err := db.findPolicy(ctx, tx, fugong.Scope{Role: fugong.RoleCommand, County: t.County}, t.PolicyID)
	return t, p, err
}

// entitlementStep is entitlementPolicy for a step of the workflow that belongs to one
// department: a review step (PermEntitlementReview) to the policy's issuing department, a
// payment step (PermEntitlementPay) to its paying one. A version other than 0 must be the
// entitlement's own.
func (db *DB) entitlementStep(ctx context.Context, tx *sql.Tx, sc fugong.Scope, id int64, step fugong.Action, version int64) (fugong.Entitlement, fugong.Policy, error) {
	t, p, err := db.entitlementPolicy(ctx, tx, sc, id)
	if err != nil {
		return t, p, err
	}
	owner := p.DepartmentID
	if step == fugong.PermEntitlementPay {
		owner = p.PayerID
	}
	if err := sc.AllowOn(step, owner); err != nil {
		return t, p, err
	}
	if version != 0 && t.Version != version {
		return t, p, fugong.Conflict("error.stale")
	}
	return t, p, nil
}

// ReviewEntitlement records the issuing department's decision: approve (queued for
// payment) or reject, with a reason (required to reject). The command may decide too.
func (db *DB) ReviewEntitlement(ctx context.Context, sc fugong.Scope, env PolicyEnv, id, version int64, approve bool, reason string) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.ReviewEntitlementTx(ctx, tx, sc, env, id, version, approve, reason)
		return err
	})
	return out, err
}

// ReviewEntitlementTx is ReviewEntitlement inside the caller's transaction.
func (db *DB) ReviewEntitlementTx(ctx context.Context, tx *sql.Tx, sc fugong.Scope, env PolicyEnv, id, version int64, approve bool, reason string) (out fugong.Entitlement, err error) {
	reason = strings.TrimSpace(reason)
	err = func() error {
		t, p, err := db.entitlementStep(ctx, tx, sc, id, fugong.PermEntitlementReview, version)
		if err != nil {
			return err
		}
		switch t.Status {
		case fugong.EntitlementPending, fugong.EntitlementDisputed, fugong.EntitlementApproved, fugong.EntitlementRejected:
		default:
			return fugong.Conflict("entitlement.not_reviewable")
		}
		if !approve && reason == "" {
			return fugong.Invalid(map[string]fugong.Msg{"reason": fugong.M("entitlement.reason_required")})
		}
		// A disputed entitlement may have been paid in part or whole before the dispute:
		// approving it takes the status its payments give (the rest of a corrected amount is
		// then paid), and rejecting it waits until what was paid is reversed.
		paid, standing, err := paidOf(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if !approve && standing > 0 {
			return fugong.Invalid(map[string]fugong.Msg{"reason": fugong.M("entitlement.reject_paid", paid/100, paid%100)})
		}
		status, key := fugong.EntitlementRejected, "notice.entitlement_rejected"
		if approve {
			status, key = fugong.SettledStatus(fugong.EntitlementApproved, t.Amount, paid, standing), "notice.entitlement_approved"
		}
		res, err := tx.ExecContext(ctx, `UPDATE entitlements SET status = $1, auto = $2, reason = $3, reviewed_by = $4, reviewed_at = $5, updated_at = $5, version = version + 1
			WHERE id = $6 AND version = $7 AND status <> $8`, status, false, reason, fugong.ActorFrom(ctx).Username, db.now(), t.ID, t.Version, fugong.EntitlementPaid)
		if err != nil {
			return fmt.Errorf("review entitlement %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		out = t
		out.Status, out.Auto, out.Reason, out.ReviewedBy, out.Version = status, false, reason, fugong.ActorFrom(ctx).Username, t.Version+1
		if err := db.Audit(ctx, tx, t.County, "review", "entitlements", t.ID, t, out); err != nil {
			return err
		}
		users, err := db.enterpriseUsers(ctx, tx, t.County, t.EnterpriseID)
		if err != nil {
			return err
		}
		return db.notifyUsers(ctx, tx, env, users[t.EnterpriseID], &out, key, p.Title, yuan(t.Amount), reason)
	}()
	return out, err
}

// PayEntitlement records that finance paid an approved entitlement, in whole or in part
// (部分兑付): several payments may follow one another until their sum reaches the amount,
// and the status is 部分兑付 until then. The sum is read under the entitlement's row lock
// (the conditional update first), so of two payments arriving at the same moment the
// second sees the first and is refused if together they would pay more than is owed.
func (db *DB) PayEntitlement(ctx context.Context, sc fugong.Scope, env PolicyEnv, id int64, pay *fugong.Payment) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.PayEntitlementTx(ctx, tx, sc, env, id, pay)
		return err
	})
	return out, err
}

// PayEntitlementTx is PayEntitlement inside the caller's transaction.
func (db *DB) PayEntitlementTx(ctx context.Context, tx *sql.Tx, sc fugong.Scope, env PolicyEnv, id int64, pay *fugong.Payment) (out fugong.Entitlement, err error) {
	err = func() error {
		t, p, err := db.entitlementStep(ctx, tx, sc, id, fugong.PermEntitlementPay, 0)
		if err != nil {
			return err
		}
		if t.Status == fugong.EntitlementPaid {
			return fugong.Conflict("entitlement.already_paid")
		}
		if !t.Payable() {
			return fugong.Conflict("entitlement.not_approved")
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE entitlements SET updated_at = $1, version = version + 1 WHERE id = $2 AND status IN ($3, $4)`,
			now, t.ID, fugong.EntitlementApproved, fugong.EntitlementPartial)
		if err != nil {
			return fmt.Errorf("pay entitlement %d: %w", id, mapErr(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("entitlement.already_paid")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM payments WHERE entitlement_id = $1`, t.ID).Scan(&t.Paid); err != nil {
			return fmt.Errorf("paid of entitlement %d: %w", id, err)
		}
		if err := pay.Validate(t); err != nil {
			return err
		}
		if err := pay.CheckDate(db.Today()); err != nil {
			return err
		}
		pay.EntitlementID, pay.RecordedBy = t.ID, fugong.ActorFrom(ctx).Username
		err = tx.QueryRowContext(ctx, `INSERT INTO payments (region_code, entitlement_id, amount, paid_on, voucher, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.County, t.ID, pay.Amount, pay.PaidOn, pay.Voucher, pay.RecordedBy, now).Scan(&pay.ID)
		if err != nil {
			if err = mapErr(err); fugong.ErrorCode(err) == fugong.ECONFLICT {
				return fugong.Invalid(map[string]fugong.Msg{"voucher": fugong.M("payment.voucher_duplicate")})
			}
			return fmt.Errorf("record payment: %w", err)
		}
		pay.CreatedAt = fromMS(now)
		out = t
		out.Paid += pay.Amount
		out.Status, out.Version, out.Payment = fugong.PaymentStatus(t.Amount, out.Paid), t.Version+1, pay
		if _, err := tx.ExecContext(ctx, `UPDATE entitlements SET status = $1 WHERE id = $2`, out.Status, t.ID); err != nil {
			return fmt.Errorf("pay entitlement %d: %w", id, err)
		}
		if err := db.Audit(ctx, tx, t.County, "pay", "entitlements", t.ID, t, out); err != nil {
			return err
		}
		users, err := db.enterpriseUsers(ctx, tx, t.County, t.EnterpriseID)
		if err != nil {
			return err
		}
		if out.Status == fugong.EntitlementPartial {
			return db.notifyUsers(ctx, tx, env, users[t.EnterpriseID], &out, "notice.entitlement_partly_paid", p.Title, yuan(pay.Amount), pay.PaidOn, pay.Voucher, yuan(out.Unpaid()))
		}
		return db.notifyUsers(ctx, tx, env, users[t.EnterpriseID], &out, "notice.entitlement_paid", p.Title, yuan(pay.Amount), pay.PaidOn, pay.Voucher)
	}()
	return out, err
}

// RecomputeEntitlement runs an entitlement's policy again for its enterprise on the
// enterprise's facts as they stand now — after the registry corrected what the
// enterprise disputed — for the issuing department or command. A disputed amount takes
// the recomputed one (fugong.Recompute), audited with the amounts before and after; the
// status stays disputed until a person approves it.
func (db *DB) RecomputeEntitlement(ctx context.Context, sc fugong.Scope, env PolicyEnv, id int64) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		t, p, err := db.entitlementStep(ctx, tx, sc, id, fugong.PermEntitlementReview, 0)
		if err != nil {
			return err
		}
		if t.Status != fugong.EntitlementDisputed {
			return fugong.Conflict("entitlement.recompute_disputed")
		}
		if _, err := db.ComputePolicyTx(ctx, tx, env, &p, t.EnterpriseID); err != nil {
			return err
		}
		out, err = db.findEntitlement(ctx, tx, sc, id)
		return err
	})
	return out, err
}

// FindPayments lists an entitlement's payments, oldest first. The caller has found the
// entitlement in scope.
func (db *DB) FindPayments(ctx context.Context, entitlementID int64) ([]fugong.Payment, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE y.entitlement_id = $1 ORDER BY y.id`, entitlementID)
	if err != nil {
		return nil, fmt.Errorf("find payments: %w", err)
	}
	defer rows.Close()
	var out []fugong.Payment
	for rows.Next() {
		var y fugong.Payment
		if err := scanPayment(rows, &y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Reconcile sums the entitlements owed in the caller's scope (approved, paid in part,
// paid) by measure (by "policy") or by enterprise (by "enterprise"): due, paid and still
// owed, the way a ledger is reconciled. It returns the lines and their total.
func (db *DB) Reconcile(ctx context.Context, sc fugong.Scope, by string) ([]fugong.Reconciliation, fugong.Reconciliation, error) {
	var total fugong.Reconciliation
	key, name, order := "p.id", "p.title", "MIN(p.number), p.id"
	switch fugong.ReconcileBy(by) {
	case "policy":
	case "enterprise":
		key, name, order = "e.id", "e.name", "e.name, e.id"
	default:
		return nil, total, fugong.Invalid(map[string]fugong.Msg{"by": fugong.M("reconcile.by")})
	}
	var a args
	c := []string{entitlementScope(sc, &a), "t.status IN (" + a.add(fugong.EntitlementApproved) + ", " + a.add(fugong.EntitlementPartial) + ", " + a.add(fugong.EntitlementPaid) + ")"}
	partial := a.add(fugong.EntitlementPartial)
	reversal := a.add(fugong.PaymentReversal)
	rows, err := db.R.QueryContext(ctx, `SELECT `+key+`, `+name+`, COUNT(*), SUM(CASE WHEN t.status = `+partial+` THEN 1 ELSE 0 END), SUM(t.amount), COALESCE(SUM(z.paid), 0),
		COALESCE(SUM(z.reversed), 0)
		FROM entitlements t JOIN policies p ON p.id = t.policy_id JOIN enterprises e ON e.id = t.enterprise_id
		LEFT JOIN (SELECT entitlement_id, SUM(amount) AS paid, SUM(CASE WHEN kind = `+reversal+` THEN -amount ELSE 0 END) AS reversed FROM payments GROUP BY entitlement_id) z
		ON z.entitlement_id = t.id`+where(c)+
		` GROUP BY `+key+`, `+name+` ORDER BY `+order, a.vals...)
	if err != nil {
		return nil, total, fmt.Errorf("reconcile: %w", err)
	}
	defer rows.Close()
	var out []fugong.Reconciliation
	for rows.Next() {
		var r fugong.Reconciliation
		if err := rows.Scan(&r.ID, &r.Name, &r.Entitlements, &r.Partial, &r.Due, &r.Paid, &r.Reversed); err != nil {
			return nil, total, err
		}
		total.Add(r)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// DisputeEntitlement lets an enterprise contest its entitlement (or the lack of one after a
// recomputation); the dispute goes to a person in the issuing department.
func (db *DB) DisputeEntitlement(ctx context.Context, sc fugong.Scope, env PolicyEnv, id int64, text string) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	text = strings.TrimSpace(text)
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		if err := sc.Allow(fugong.PermPolicyApply); err != nil {
			return err
		}
		t, p, err := db.entitlementPolicy(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if text == "" {
			return fugong.Invalid(map[string]fugong.Msg{"dispute": fugong.M("entitlement.dispute_required")})
		}
		// A paid entitlement may be disputed too: an amount computed from wrong values was
		// paid short, and the rest is paid once the dispute is settled.
		if t.Status == fugong.EntitlementDisputed {
			return fugong.Conflict("entitlement.not_disputable")
		}
		res, err := tx.ExecContext(ctx, `UPDATE entitlements SET status = $1, auto = $2, dispute = $3, updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6`,
			fugong.EntitlementDisputed, false, text, db.now(), t.ID, t.Version)
		if err != nil {
			return fmt.Errorf("dispute entitlement %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		out = t
		out.Status, out.Auto, out.Dispute, out.Version = fugong.EntitlementDisputed, false, text, t.Version+1
		if err := db.Audit(ctx, tx, t.County, "dispute", "entitlements", t.ID, t, out); err != nil {
			return err
		}
		staff, err := db.departmentUsers(ctx, tx, p.DepartmentID)
		if err != nil {
			return err
		}
		return db.notifyUsers(ctx, tx, env, staff, &out, "notice.entitlement_disputed", t.EnterpriseName, p.Title, text)
	})
	return out, err
}

// ApplyPolicy is an enterprise's application to a policy that waits for one: it declares
// the values the rules read (declared["…"]); an eligible application becomes an entitlement
// that follows the same review and payment.
func (db *DB) ApplyPolicy(ctx context.Context, sc fugong.Scope, env PolicyEnv, policyID int64, declared map[string]int64) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	if err := sc.Allow(fugong.PermPolicyApply); err != nil {
		return out, err
	}
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		p, err := db.findPolicy(ctx, tx, sc, policyID)
		if err != nil {
			return err
		}
		if p.Mode != fugong.ModeApplication {
			return fugong.Conflict("policy.not_by_application")
		}
		f := fugong.FieldErrors{}
		p.CheckDeclaredValues(fugong.DeclaredKeys(env.Rules, &p), declared, f)
		if err := f.Err(); err != nil {
			return err
		}
		var old *fugong.Entitlement
		if t, err := db.findEntitlementOf(ctx, tx, p.ID, sc.EnterpriseID); err == nil {
			if t.Status != fugong.EntitlementVoid && t.Status != fugong.EntitlementRejected {
				return fugong.Conflict("entitlement.already_applied")
			}
			old = &t
		} else if fugong.ErrorCode(err) != fugong.ENOTFOUND {
			return err
		}
		o, err := db.evaluateDeclared(ctx, tx, env, &p, sc.EnterpriseID, declared)
		if err != nil {
			return err
		}
		if !o.Eligible {
			return fugong.Invalid(map[string]fugong.Msg{"policy": fugong.M("entitlement.not_eligible")})
		}
		b, err := json.Marshal(declared)
		if err != nil {
			return err
		}
		status := fugong.EntitlementPending
		if p.AutoApprove {
			status = fugong.EntitlementApproved
		}
		now := db.now()
		t := fugong.Entitlement{County: p.County, PolicyID: p.ID, EnterpriseID: sc.EnterpriseID, Amount: o.Amount, Status: status, Auto: p.AutoApprove, Declared: declared}
		if old != nil {
			t.ID = old.ID
			_, err = tx.ExecContext(ctx, `UPDATE entitlements SET amount = $1, status = $2, auto = $3, declared_json = $4, reason = '', computed_at = $5, updated_at = $5,
				version = version + 1 WHERE id = $6`, t.Amount, t.Status, t.Auto, string(b), now, t.ID)
		} else {
			err = tx.QueryRowContext(ctx, `INSERT INTO entitlements (region_code, policy_id, enterprise_id, amount, status, auto, reviewed_by, declared_json, computed_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING id`, t.County, t.PolicyID, t.EnterpriseID, t.Amount, t.Status, t.Auto, autoReviewer(t.Auto), string(b), now).Scan(&t.ID)
		}
		if err != nil {
			if err = mapErr(err); fugong.ErrorCode(err) == fugong.ECONFLICT {
				return fugong.Conflict("entitlement.already_applied")
			}
			return fmt.Errorf("apply to policy %d: %w", p.ID, err)
		}
		if err := db.Audit(ctx, tx, t.County, "apply", "entitlements", t.ID, old, t); err != nil {
			return err
		}
		staff, err := db.departmentUsers(ctx, tx, p.DepartmentID)
		if err != nil {
			return err
		}
		out, err = db.findEntitlement(ctx, tx, sc, t.ID)
		if err != nil {
			return err
		}
		return db.notifyUsers(ctx, tx, env, staff, &out, "notice.entitlement_applied", out.EnterpriseName, p.Title, yuan(t.Amount))
	})
	return out, err
}

func (db *DB) findEntitlementOf(ctx context.Context, q Querier, policyID, enterpriseID int64) (fugong.Entitlement, error) {
	var t fugong.Entitlement
	err := scanEntitlement(q.QueryRowContext(ctx, `SELECT `+entitlementCols+entitlementFrom+` WHERE t.policy_id = $1 AND t.enterprise_id = $2`, policyID, enterpriseID), &t)
	return t, mapErr(err)
}
