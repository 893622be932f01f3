package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"fugong"
)

// lockEntitlement takes an entitlement's row lock (a conditional update that changes
// nothing a reader sees but its version), so that what is read of its payments after it
// stays true until the transaction ends. version 0 skips the check of the caller's
// version.
func (db *DB) lockEntitlement(ctx context.Context, tx *sql.Tx, t fugong.Entitlement, version int64) error {
	q, vals := `UPDATE entitlements SET updated_at = $1, version = version + 1 WHERE id = $2`, []any{db.now(), t.ID}
	if version != 0 {
		q, vals = q+` AND version = $3`, append(vals, version)
	}
	res, err := tx.ExecContext(ctx, q, vals...)
	if err != nil {
		return fmt.Errorf("lock entitlement %d: %w", t.ID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.Conflict("error.stale")
	}
	return nil
}

// paidOf sums an entitlement's entries (payments less reversals) and counts the payments
// that still stand.
func paidOf(ctx context.Context, q Querier, id int64) (paid int64, standing int, err error) {
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(CASE WHEN kind = $2 THEN -1 ELSE 1 END), 0) FROM payments WHERE entitlement_id = $1`,
		id, fugong.PaymentReversal).Scan(&paid, &standing)
	if err != nil {
		err = fmt.Errorf("paid of entitlement %d: %w", id, err)
	}
	return paid, standing, err
}

const paymentCols = `y.id, y.entitlement_id, y.kind, y.amount, y.paid_on, y.voucher, COALESCE(y.reverses_id, 0), COALESCE(r.id, 0), y.reason, y.recorded_by, y.created_at`

// paymentFrom joins each entry (y) to the reversal that cancelled it (r).
const paymentFrom = ` FROM payments y LEFT JOIN payments r ON r.reverses_id = y.id`

func scanPayment(row interface{ Scan(...any) error }, y *fugong.Payment, extra ...any) error {
	var at int64
	if err := row.Scan(append([]any{&y.ID, &y.EntitlementID, &y.Kind, &y.Amount, &y.PaidOn, &y.Voucher, &y.ReversesID, &y.ReversedBy, &y.Reason, &y.RecordedBy, &at}, extra...)...); err != nil {
		return err
	}
	y.CreatedAt = fromMS(at)
	return nil
}

// ReversePayment books a reversing entry (红字冲销) against one payment of an entitlement,
// for the paying department: the payment stays in the ledger, the entry of the opposite
// amount records who reversed it, when and why, and the entitlement's status follows the
// net of its entries (fugong.SettledStatus), so that the right payment can be recorded
// next — against this entitlement for a wrong amount, against the right enterprise's for
// a payment booked to the wrong one. Audited; the enterprise is told.
func (db *DB) ReversePayment(ctx context.Context, sc fugong.Scope, env PolicyEnv, id int64, rv *fugong.Reversal) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		t, p, err := db.entitlementStep(ctx, tx, sc, id, fugong.PermEntitlementPay, 0)
		if err != nil {
			return err
		}
		if rv.PaymentID == 0 {
			return fugong.Invalid(map[string]fugong.Msg{"payment_id": fugong.M("reversal.payment_required")})
		}
		if err := db.lockEntitlement(ctx, tx, t, 0); err != nil {
			return err
		}
		var orig fugong.Payment
		if err := scanPayment(tx.QueryRowContext(ctx, `SELECT `+paymentCols+paymentFrom+` WHERE y.id = $1 AND y.entitlement_id = $2`, rv.PaymentID, t.ID), &orig); err != nil {
			return mapErr(err)
		}
		entry, err := rv.Entry(orig, db.Today())
		if err != nil {
			return err
		}
		entry.RecordedBy = fugong.ActorFrom(ctx).Username
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO payments (region_code, entitlement_id, kind, amount, paid_on, voucher, reverses_id, reason, recorded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			t.County, t.ID, entry.Kind, entry.Amount, entry.PaidOn, entry.Voucher, entry.ReversesID, entry.Reason, entry.RecordedBy, now).Scan(&entry.ID)
		if err != nil {
			// Two unique indexes: one reversal a payment (reverses_id), one voucher a county.
			twice := strings.Contains(err.Error(), "reverses")
			if err = mapErr(err); fugong.ErrorCode(err) == fugong.ECONFLICT {
				if twice {
					return fugong.Invalid(map[string]fugong.Msg{"payment_id": fugong.M("reversal.already", orig.Voucher)})
				}
				return fugong.Invalid(map[string]fugong.Msg{"reversal_voucher": fugong.M("reversal.voucher_duplicate")})
			}
			return fmt.Errorf("reverse payment %d: %w", orig.ID, err)
		}
		entry.CreatedAt = fromMS(now)
		paid, standing, err := paidOf(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		out = t
		out.Paid, out.Payment, out.Version = paid, &entry, t.Version+1
		out.Status = fugong.SettledStatus(t.Status, t.Amount, paid, standing)
		if _, err := tx.ExecContext(ctx, `UPDATE entitlements SET status = $1 WHERE id = $2`, out.Status, t.ID); err != nil {
			return fmt.Errorf("reverse payment of entitlement %d: %w", t.ID, err)
		}
		before := struct {
			fugong.Entitlement
			Reversed fugong.Payment
		}{t, orig}
		if err := db.Audit(ctx, tx, t.County, "reverse", "entitlements", t.ID, before, out); err != nil {
			return err
		}
		users, err := db.enterpriseUsers(ctx, tx, t.County, t.EnterpriseID)
		if err != nil {
			return err
		}
		return db.notifyUsers(ctx, tx, env, users[t.EnterpriseID], &out, "notice.entitlement_reversed", p.Title, yuan(orig.Amount), orig.Voucher, entry.Reason, yuan(out.Unpaid()))
	})
	return out, err
}

// LedgerPayment is one entry of the payments sheet: the entry with its measure and
// enterprise, and the voucher of the payment a reversal cancels.
type LedgerPayment struct {
	fugong.Payment
	PolicyTitle     string
	EnterpriseName  string
	ReversesVoucher string
}

// EachPayment streams every payment and reversal of the entitlements in the caller's scope
// that match f, by measure, enterprise and entry, for the ledger's payments sheet.
func (db *DB) EachPayment(ctx context.Context, sc fugong.Scope, f fugong.EntitlementFilter, fn func(LedgerPayment) error) error {
	var a args
	w := entitlementWhere(sc, f, &a)
	rows, err := db.R.QueryContext(ctx, `SELECT `+paymentCols+`, p.title, e.name, COALESCE(o.voucher, '')`+paymentFrom+`
		JOIN entitlements t ON t.id = y.entitlement_id JOIN policies p ON p.id = t.policy_id JOIN enterprises e ON e.id = t.enterprise_id
		LEFT JOIN payments o ON o.id = y.reverses_id`+w+` ORDER BY t.policy_id, t.enterprise_id, y.id`, a.vals...)
	if err != nil {
		return fmt.Errorf("ledger payments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l LedgerPayment
		if err := scanPayment(rows, &l.Payment, &l.PolicyTitle, &l.EnterpriseName, &l.ReversesVoucher); err != nil {
			return err
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// evaluateDeclared runs a policy's rules over an enterprise's facts as they stand, with
// the values it declared.
func (db *DB) evaluateDeclared(ctx context.Context, tx *sql.Tx, env PolicyEnv, p *fugong.Policy, enterpriseID int64, declared map[string]int64) (fugong.Outcome, error) {
	var o fugong.Outcome
	err := db.eachFacts(ctx, tx, env, p.County, enterpriseID, func(e fugong.Enterprise, fa fugong.EnterpriseFacts) (err error) {
		fa.Applied, fa.Declared = true, declared
		o, err = env.Rules.Evaluate(p, fa)
		return err
	})
	return o, err
}

// CorrectDeclared is the issuing department's correction of what an enterprise declared
// when it applied, after the enterprise disputed the amount and the office agreed
// (fugong.CheckDeclaredCorrection): the entitlement is computed again on the corrected
// values (fugong.CheckCorrectedOutcome), its status stays as it was (a disputed one is
// approved by a person next, and then the right amount can be paid), and the values
// before and after are kept in declared_corrections and the audit log. version 0 skips
// the check of the caller's version.
func (db *DB) CorrectDeclared(ctx context.Context, sc fugong.Scope, env PolicyEnv, id, version int64, declared map[string]int64, reason string) (fugong.Entitlement, error) {
	var out fugong.Entitlement
	reason = strings.TrimSpace(reason)
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		t, p, err := db.entitlementStep(ctx, tx, sc, id, fugong.PermEntitlementReview, version)
		if err != nil {
			return err
		}
		if err := fugong.CheckDeclaredCorrection(&p, t, fugong.DeclaredKeys(env.Rules, &p), declared, reason); err != nil {
			return err
		}
		if err := db.lockEntitlement(ctx, tx, t, t.Version); err != nil {
			return err
		}
		if t.Paid, _, err = paidOf(ctx, tx, t.ID); err != nil {
			return err
		}
		o, err := db.evaluateDeclared(ctx, tx, env, &p, t.EnterpriseID, declared)
		if err != nil {
			return err
		}
		if err := fugong.CheckCorrectedOutcome(t, o); err != nil {
			return err
		}
		before, err := json.Marshal(t.Declared)
		if err != nil {
			return err
		}
		after, err := json.Marshal(declared)
		if err != nil {
			return err
		}
		now := db.now()
		actor := fugong.ActorFrom(ctx).Username
		if _, err := tx.ExecContext(ctx, `UPDATE entitlements SET amount = $1, declared_json = $2, auto = $3, computed_at = $4, updated_at = $4 WHERE id = $5`,
			o.Amount, string(after), false, now, t.ID); err != nil {
			return fmt.Errorf("correct declared of entitlement %d: %w", t.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO declared_corrections (region_code, entitlement_id, before_json, after_json, amount_before, amount_after, reason, corrected_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.County, t.ID, string(before), string(after), t.Amount, o.Amount, reason, actor, now); err != nil {
			return fmt.Errorf("record declared correction: %w", err)
		}
		out, err = db.findEntitlement(ctx, tx, sc, t.ID)
		if err != nil {
			return err
		}
		audit := struct {
			fugong.Entitlement
			CorrectionReason string
		}{out, reason}
		if err := db.Audit(ctx, tx, t.County, "correct_declared", "entitlements", t.ID, t, audit); err != nil {
			return err
		}
		users, err := db.enterpriseUsers(ctx, tx, t.County, t.EnterpriseID)
		if err != nil {
			return err
		}
		return db.notifyUsers(ctx, tx, env, users[t.EnterpriseID], &out, "notice.entitlement_declared_corrected", p.Title, yuan(t.Amount), yuan(o.Amount), reason)
	})
	return out, err
}

// FindDeclaredCorrections lists an entitlement's corrections of its declared values,
// oldest first. The caller has found the entitlement in scope.
func (db *DB) FindDeclaredCorrections(ctx context.Context, entitlementID int64) ([]fugong.DeclaredCorrection, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, before_json, after_json, amount_before, amount_after, reason, corrected_by, at FROM declared_corrections
		WHERE entitlement_id = $1 ORDER BY id`, entitlementID)
	if err != nil {
		return nil, fmt.Errorf("find declared corrections: %w", err)
	}
	defer rows.Close()
	var out []fugong.DeclaredCorrection
	for rows.Next() {
		c := fugong.DeclaredCorrection{EntitlementID: entitlementID}
		var before, after string
		var at int64
		if err := rows.Scan(&c.ID, &before, &after, &c.AmountBefore, &c.AmountAfter, &c.Reason, &c.CorrectedBy, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(before), &c.Before); err != nil {
			return nil, fmt.Errorf("declared correction %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(after), &c.After); err != nil {
			return nil, fmt.Errorf("declared correction %d: %w", c.ID, err)
		}
		c.CorrectedAt = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
