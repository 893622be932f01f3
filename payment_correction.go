package fugong

import (
	"strings"
	"time"
)

// Payment kinds. A payment is never edited or deleted once recorded: a wrong one (a wrong
// amount, the wrong enterprise) is cancelled by a reversing entry of the opposite amount
// with its own voucher, reason, person and day (红字冲销, as a finance office corrects a
// booked voucher and as OpenG2P reverses a disbursement), and the right payment is then
// recorded anew.
const (
	PaymentPaid     = "payment"  // 兑付
	PaymentReversal = "reversal" // 红字冲销
)

// Reversal is finance's request to cancel one recorded payment: the day the reversing
// entry is booked, its voucher and why.
type Reversal struct {
	PaymentID  int64
	ReversedOn string // YYYY-MM-DD
	Voucher    string
	Reason     string
}

// Entry is the reversing entry that r books against orig: the opposite amount, on the
// day given, pointing back at orig. It checks the rules a reversal must keep:
//   - only a payment may be reversed, not a reversal (a wrong reversal is put right by
//     recording the payment again), and only once;
//   - a reason and a voucher of its own (the office's rule: every entry in the ledger has
//     a voucher, and the reason is what an auditor asks first);
//   - a real day, not after today (an entry records what happened) and not before the
//     payment it reverses.
//
// Each refusal names its field: payment_id, reversal_reason, reversal_voucher,
// reversed_on.
func (r *Reversal) Entry(orig Payment, today string) (Payment, error) {
	f := FieldErrors{}
	r.Reason, r.Voucher, r.ReversedOn = strings.TrimSpace(r.Reason), strings.TrimSpace(r.Voucher), strings.TrimSpace(r.ReversedOn)
	switch {
	case orig.Kind == PaymentReversal:
		f.Add("payment_id", "reversal.of_reversal")
	case orig.ReversedBy != 0:
		f.Add("payment_id", "reversal.already", orig.Voucher)
	}
	if r.Reason == "" {
		f.Add("reversal_reason", "reversal.reason_required")
	}
	if r.Voucher == "" {
		f.Add("reversal_voucher", "reversal.voucher_required")
	}
	switch {
	case !ValidDay(r.ReversedOn):
		f.Add("reversed_on", "reversal.date")
	case r.ReversedOn > today:
		f.Add("reversed_on", "reversal.date_future")
	case r.ReversedOn < orig.PaidOn:
		f.Add("reversed_on", "reversal.date_before", orig.PaidOn)
	}
	if err := f.Err(); err != nil {
		return Payment{}, err
	}
	return Payment{EntitlementID: orig.EntitlementID, Kind: PaymentReversal, Amount: -orig.Amount, PaidOn: r.ReversedOn, Voucher: r.Voucher,
		ReversesID: orig.ID, Reason: r.Reason}, nil
}

// SettledStatus is the status of an owed entitlement after a reversal, from the net of its
// payments (paid) and how many payments still stand: approved (待兑付) again when none
// stands, paid in part below the amount, paid at it. A disputed entitlement stays
// disputed: the person settling the dispute decides.
func SettledStatus(status string, amount, paid int64, standing int) string {
	switch status {
	case EntitlementApproved, EntitlementPartial, EntitlementPaid:
	default:
		return status
	}
	if standing == 0 {
		return EntitlementApproved
	}
	return PaymentStatus(amount, paid)
}

// DeclaredCorrection is the issuing department's correction of the values an enterprise
// declared when it applied (an application policy), after the enterprise disputed the
// amount and the office agreed: the values before and after, the amounts they give, why,
// who and when. Corrections are kept, never overwritten: they are the entitlement's
// history.
type DeclaredCorrection struct {
	ID            int64
	EntitlementID int64
	Before, After map[string]int64
	AmountBefore  int64
	AmountAfter   int64
	Reason        string
	CorrectedBy   string
	CorrectedAt   time.Time
}

// CheckDeclaredCorrection checks what a department may correct of an entitlement's
// declared values: only an application policy's (an automatic one reads the registry,
// corrected on the enterprise's page), only while the entitlement is awaiting review or
// disputed (an approved one is disputed first, so that it is reviewed again), with a
// reason, every value the rules read given and not negative, and something changed.
// keys are the values the policy's rules read; each is named by its label.
func CheckDeclaredCorrection(p *Policy, t Entitlement, keys []string, declared map[string]int64, reason string) error {
	f := FieldErrors{}
	switch {
	case p.Mode != ModeApplication:
		f.Add("declared", "declared.automatic")
	case t.Status != EntitlementPending && t.Status != EntitlementDisputed:
		f.Add("declared", "declared.status")
	}
	if strings.TrimSpace(reason) == "" {
		f.Add("correction_reason", "declared.reason_required")
	}
	same := len(declared) == len(t.Declared)
	p.CheckDeclaredValues(keys, declared, f)
	for k, v := range declared {
		if old, ok := t.Declared[k]; !ok || old != v {
			same = false
		}
	}
	if same && len(f) == 0 {
		f.Add("declared", "declared.unchanged")
	}
	return f.Err()
}

// CheckCorrectedOutcome checks what the rules give on the corrected values: the
// enterprise must still be eligible (else the department rejects it, with its reason),
// and the amount may not fall below what was already paid (the surplus is reversed
// first, so that the ledger says where the money went).
func CheckCorrectedOutcome(t Entitlement, o Outcome) error {
	switch {
	case !o.Eligible:
		return Invalid(map[string]Msg{"declared": M("declared.not_eligible")})
	case o.Amount < t.Paid:
		return Invalid(map[string]Msg{"declared": M("declared.below_paid", o.Amount/100, o.Amount%100, t.Paid/100, t.Paid%100)})
	}
	return nil
}
