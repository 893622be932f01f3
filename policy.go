package fugong

import (
	"strings"
	"time"
)

// Policy modes: an automatic policy finds who is entitled before anyone applies (免申即享);
// an application policy waits for the enterprise to apply with the facts its rule needs.
const (
	ModeAutomatic   = "automatic"
	ModeApplication = "application"
)

// Policy statuses.
const (
	PolicyDraft     = "draft"
	PolicyPublished = "published"
	PolicyWithdrawn = "withdrawn"
)

// PolicyModes lists the modes, for forms.
var PolicyModes = []string{ModeAutomatic, ModeApplication}

// Policy is a support measure written as two rules over an enterprise's facts: who is
// entitled (EligibilityRule, a CEL expression giving a bool) and how much (AmountRule, a
// CEL expression giving an int in fen). The rules are compiled and type-checked when saved.
type Policy struct {
	ID     int64
	County string
	// Number orders the catalogue (the county's fifteen measures are numbered 1–15).
	Number int
	Title  string
	// DepartmentID is the issuing department, which reviews the entitlements; PayerID the
	// department that pays them (the finance bureau, usually).
	DepartmentID   int64
	DepartmentName string
	PayerID        int64
	PayerName      string
	Source         string // the source document, e.g. 《关于应对疫情支持企业复工复产……的若干措施》
	Summary        string
	PeriodFrom     string // YYYY-MM-DD
	PeriodTo       string // YYYY-MM-DD
	Mode           string
	// AutoApprove lets the policy approve its own entitlements and queue them for payment
	// (zero-touch); an enterprise may still dispute, and disputes go to a person.
	AutoApprove     bool
	EligibilityRule string
	AmountRule      string
	// DeclaredFields label the keys of `declared` the rules read (DeclaredKeys), in their
	// order: what an enterprise is asked for when it applies, in words and units.
	DeclaredFields []DeclaredField
	Status         string
	PublishedAt    time.Time
	Demo           bool
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Validate checks the plain fields of a policy; the rules are checked by the rule engine.
func (p *Policy) Validate() error {
	f := FieldErrors{}
	p.Title = strings.TrimSpace(p.Title)
	p.Source = strings.TrimSpace(p.Source)
	p.EligibilityRule = strings.TrimSpace(p.EligibilityRule)
	p.AmountRule = strings.TrimSpace(p.AmountRule)
	if p.Title == "" {
		f.Add("title", "field.required")
	}
	if p.DepartmentID == 0 {
		f.Add("department_id", "field.required")
	}
	if p.PayerID == 0 {
		p.PayerID = p.DepartmentID
	}
	if p.Mode == "" {
		p.Mode = ModeAutomatic
	}
	if !oneOf(p.Mode, PolicyModes) {
		f.Add("mode", "policy.mode_invalid")
	}
	for name, d := range map[string]string{"period_from": p.PeriodFrom, "period_to": p.PeriodTo} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			f.Add(name, "field.date")
		}
	}
	if p.PeriodFrom != "" && p.PeriodTo != "" && p.PeriodTo < p.PeriodFrom {
		f.Add("period_to", "policy.period_order")
	}
	if p.EligibilityRule == "" {
		f.Add("eligibility_rule", "field.required")
	}
	if p.AmountRule == "" {
		p.AmountRule = "0"
	}
	if p.Status == "" {
		p.Status = PolicyDraft
	}
	return f.Err()
}

// Fact is one thing a rule may use about an enterprise: its name in the rule, its CEL type
// and the catalogue key of its description (listed beside the rule editor).
type Fact struct {
	Name string
	Type string // bool, int, string, map(string, int)
}

// Facts lists every fact a rule may use. The rule engine declares exactly these.
var Facts = []Fact{
	{"above_scale", "bool"},
	{"focus_area", "string"},
	{"industry", "string"},
	{"township", "string"},
	{"park_tenant", "bool"},
	{"monthly_rent", "int"},
	{"payroll", "int"},
	{"on_duty", "int"},
	{"workshop", "bool"},
	{"status", "string"},
	{"resumed", "bool"},
	{"resumed_on", "string"},
	{"today", "string"},
	{"applied", "bool"},
	{"declared", "map(string, int)"},
}

// EnterpriseFacts is what a rule sees of one enterprise on one day.
type EnterpriseFacts struct {
	AboveScale  bool
	FocusArea   string
	Industry    string
	Township    string
	ParkTenant  bool
	MonthlyRent int64 // fen
	Payroll     int64
	// OnDuty is the number of employees on duty on Today: from the enterprise's daily
	// report when there is one, else its payroll when it has resumed, else 0.
	OnDuty    int64
	Workshop  bool
	Status    string
	Resumed   bool
	ResumedOn string // YYYY-MM-DD, "" until resumed; compares as text ("2020-02-29")
	Today     string // the day of the evaluation
	// Applied and Declared are set when the enterprise applied: the values it declared.
	Applied  bool
	Declared map[string]int64
}

// FactsOf returns an enterprise's facts on a day; onDuty < 0 means no daily report.
func FactsOf(e Enterprise, onDuty int64, today string) EnterpriseFacts {
	f := EnterpriseFacts{AboveScale: e.AboveScale, FocusArea: e.FocusArea, Industry: e.Industry, Township: e.Township, ParkTenant: e.ParkTenant,
		MonthlyRent: e.MonthlyRent, Payroll: int64(e.Payroll), OnDuty: onDuty, Workshop: e.Workshop, Status: e.Status,
		Resumed: e.Status == StatusResumed, ResumedOn: e.ResumedOn, Today: today}
	if f.OnDuty < 0 {
		f.OnDuty = 0
		if f.Resumed {
			f.OnDuty = f.Payroll
		}
	}
	return f
}

// Outcome is what a policy's rules say of one enterprise.
type Outcome struct {
	Eligible bool
	Amount   int64 // fen
}

// RuleEngine compiles and evaluates policy rules. Package rules implements it with CEL.
type RuleEngine interface {
	// Check compiles and type-checks both rules; a failure is an invalid error with the
	// compiler's message at the field (eligibility_rule, amount_rule).
	Check(eligibility, amount string) error
	// Evaluate runs a policy's rules over one enterprise's facts.
	Evaluate(p *Policy, f EnterpriseFacts) (Outcome, error)
	// Declared lists the keys of `declared` a rule reads: what an application must supply
	// (a slice the engine may keep and hand out again: read it, do not change it).
	Declared(rule string) []string
}

// Entitlement statuses (应享 → 已兑付).
const (
	EntitlementPending  = "pending"  // awaiting the department's review
	EntitlementApproved = "approved" // approved, queued for payment
	EntitlementRejected = "rejected"
	EntitlementPartial  = "partial" // 部分兑付: paid in part, the rest still owed
	EntitlementPaid     = "paid"
	EntitlementDisputed = "disputed" // the enterprise disputes it; a person must look
	EntitlementVoid     = "void"     // no longer eligible after the facts changed
)

// EntitlementStatuses lists the statuses in workflow order.
var EntitlementStatuses = []string{EntitlementPending, EntitlementApproved, EntitlementPartial, EntitlementPaid, EntitlementRejected, EntitlementDisputed, EntitlementVoid}

// Entitlement is what one enterprise is due under one policy, carried to payment.
type Entitlement struct {
	ID             int64
	County         string
	PolicyID       int64
	PolicyTitle    string
	EnterpriseID   int64
	EnterpriseName string
	Amount         int64 // fen
	Status         string
	// Auto is true while the entitlement stands as the policy computed and approved it,
	// untouched by a person; recomputation may change it.
	Auto       bool
	Reason     string // the reviewer's reason
	ReviewedBy string
	ReviewedAt time.Time
	Dispute    string
	// Declared holds what the enterprise declared when it applied (application policies);
	// Fields are its policy's labels and units of those values, loaded with it to show
	// them (the policy's, so not in the entitlement's audit).
	Declared   map[string]int64
	Fields     []DeclaredField `json:"-"`
	ComputedAt time.Time
	// Payment is the latest payment, nil before the first; Paid sums them all.
	Payment *Payment
	Paid    int64
	// Payments lists every payment, oldest first, where the caller loads them.
	Payments  []Payment
	Version   int64
	CreatedAt time.Time
}

// Unpaid is what is still owed of an approved entitlement (未兑付).
func (e Entitlement) Unpaid() int64 { return e.Amount - e.Paid }

// Payable reports whether finance may record a payment now: approved, or paid in part.
func (e Entitlement) Payable() bool {
	return e.Status == EntitlementApproved || e.Status == EntitlementPartial
}

// Payment is finance's record of one transfer against an entitlement. An entitlement may
// be paid in several (部分兑付) until their sum reaches its amount, never beyond. A wrong
// payment is never edited: a reversing entry (Kind reversal, the opposite amount) cancels
// it, and the sum of an entitlement's entries is what it was paid.
type Payment struct {
	ID            int64
	EntitlementID int64
	Kind          string // PaymentPaid or PaymentReversal; "" reads as a payment
	Amount        int64  // fen; a reversal's is negative
	PaidOn        string // YYYY-MM-DD; a reversal's day
	Voucher       string
	// ReversesID is the payment a reversal cancels; ReversedBy the reversal that cancelled
	// a payment (0 while it stands); Reason why a reversal was booked.
	ReversesID int64
	ReversedBy int64
	Reason     string
	RecordedBy string
	CreatedAt  time.Time
}

// Standing reports whether a payment counts: a payment not reversed.
func (p Payment) Standing() bool { return p.Kind != PaymentReversal && p.ReversedBy == 0 }

// Validate checks a payment against its entitlement and what was paid of it before
// (e.Paid): more than nothing and at most what is still owed. A 1-元 payment of a
// 24,000-元 entitlement is a payment of 1 元, and 23,999 元 stay owed.
func (p *Payment) Validate(e Entitlement) error {
	f := FieldErrors{}
	p.Voucher = strings.TrimSpace(p.Voucher)
	if p.Voucher == "" {
		f.Add("voucher", "payment.voucher_required")
	}
	if _, err := time.Parse(time.DateOnly, p.PaidOn); err != nil {
		f.Add("paid_on", "payment.paid_on_date")
	}
	owed := e.Unpaid()
	switch {
	case e.Paid > 0 && (p.Amount <= 0 || p.Amount > owed):
		f.Add("amount", "payment.amount_remaining", owed/100, owed%100, e.Paid/100, e.Paid%100)
	case p.Amount < 0 || p.Amount > e.Amount || (p.Amount == 0 && e.Amount > 0):
		f.Add("amount", "payment.amount_range", e.Amount/100, e.Amount%100)
	}
	return f.Err()
}

// PaymentStatus is an entitlement's status once paid holds the sum of its payments:
// paid when the sum reaches the amount, paid in part before.
func PaymentStatus(amount, paid int64) string {
	if paid >= amount {
		return EntitlementPaid
	}
	return EntitlementPartial
}

// Reconciliation sums one measure's or one enterprise's entitlements that are owed
// (approved, paid in part or paid): what is due (应享), what was paid net of reversals
// (已兑付), what reversing entries took back (已冲销, shown so that the gross payments
// the bank statement lists can be matched: paid + reversed), and how many are paid in
// part; Unpaid is the rest (未兑付).
type Reconciliation struct {
	ID                  int64
	Name                string
	Entitlements        int
	Partial             int
	Due, Paid, Reversed int64
}

// Unpaid is what is still owed (未兑付).
func (r Reconciliation) Unpaid() int64 { return r.Due - r.Paid }

// ReconcileBy is the grouping a reconciliation is asked for: "policy" (by measure, when
// none is given) or "enterprise".
func ReconcileBy(by string) string {
	if by == "" {
		return "policy"
	}
	return by
}

// Add sums another line into r, for the total.
func (r *Reconciliation) Add(o Reconciliation) {
	r.Entitlements += o.Entitlements
	r.Partial += o.Partial
	r.Due += o.Due
	r.Paid += o.Paid
	r.Reversed += o.Reversed
}

// CheckDate refuses a payment dated after today: finance records what was paid, not
// what will be, and a future date would show money the enterprise has not received.
func (p *Payment) CheckDate(today string) error {
	if ValidDay(p.PaidOn) && p.PaidOn > today {
		return Invalid(map[string]Msg{"paid_on": M("payment.paid_on_future")})
	}
	return nil
}

// Recompute says what becomes of an entitlement when its policy's rules are run again:
// only entitlements no person has acted on change. It returns the new status and amount
// and whether anything changed. existing is nil when there is none yet; create reports
// that one must be made.
func Recompute(p *Policy, existing *Entitlement, o Outcome) (status string, amount int64, create, changed bool) {
	fresh := EntitlementPending
	if p.AutoApprove {
		fresh = EntitlementApproved
	}
	if existing == nil {
		return fresh, o.Amount, o.Eligible, o.Eligible
	}
	if existing.Status == EntitlementDisputed {
		// A disputed amount follows the corrected facts, so that the person who settles the
		// dispute approves the right one; the status waits for that person. Never below
		// what was paid already, nor to nothing: those are the person's to decide.
		if !o.Eligible || o.Amount == existing.Amount || o.Amount < existing.Paid {
			return existing.Status, existing.Amount, false, false
		}
		return EntitlementDisputed, o.Amount, false, true
	}
	touchable := existing.Status == EntitlementPending || existing.Status == EntitlementVoid || (existing.Status == EntitlementApproved && existing.Auto)
	if !touchable {
		return existing.Status, existing.Amount, false, false
	}
	if !o.Eligible {
		return EntitlementVoid, existing.Amount, false, existing.Status != EntitlementVoid
	}
	status = existing.Status
	if status == EntitlementVoid {
		status = fresh
	}
	return status, o.Amount, false, status != existing.Status || o.Amount != existing.Amount
}

// EntitlementFilter selects entitlements.
type EntitlementFilter struct {
	PolicyID     int64
	EnterpriseID int64
	Status       string
	Limit        int
	Offset       int
}

// PolicyFilter selects policies.
type PolicyFilter struct {
	Status string
	Limit  int
	Offset int
}
