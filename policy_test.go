package fugong

import "testing"

func TestRecompute(t *testing.T) {
	review := &Policy{}
	auto := &Policy{AutoApprove: true}
	yes := Outcome{Eligible: true, Amount: 500}
	no := Outcome{}
	tests := []struct {
		name         string
		p            *Policy
		old          *Entitlement
		o            Outcome
		status       string
		amount       int64
		create, chng bool
	}{
		{"new, reviewed by a person", review, nil, yes, EntitlementPending, 500, true, true},
		{"new, zero-touch", auto, nil, yes, EntitlementApproved, 500, true, true},
		{"not eligible, nothing to make", review, nil, no, EntitlementPending, 0, false, false},
		{"pending amount changes", review, &Entitlement{Status: EntitlementPending, Amount: 300}, yes, EntitlementPending, 500, false, true},
		{"pending unchanged", review, &Entitlement{Status: EntitlementPending, Amount: 500}, yes, EntitlementPending, 500, false, false},
		{"pending no longer eligible", review, &Entitlement{Status: EntitlementPending, Amount: 500}, no, EntitlementVoid, 500, false, true},
		{"void eligible again", auto, &Entitlement{Status: EntitlementVoid, Amount: 500}, yes, EntitlementApproved, 500, false, true},
		{"auto-approved loses eligibility", auto, &Entitlement{Status: EntitlementApproved, Auto: true, Amount: 500}, no, EntitlementVoid, 500, false, true},
		{"approved by a person stays", review, &Entitlement{Status: EntitlementApproved, Amount: 500}, no, EntitlementApproved, 500, false, false},
		{"paid stays", auto, &Entitlement{Status: EntitlementPaid, Amount: 500}, Outcome{Eligible: true, Amount: 900}, EntitlementPaid, 500, false, false},
		{"rejected stays", review, &Entitlement{Status: EntitlementRejected, Amount: 500}, yes, EntitlementRejected, 500, false, false},
		{"disputed, no longer eligible: a person decides", review, &Entitlement{Status: EntitlementDisputed, Amount: 500}, no, EntitlementDisputed, 500, false, false},
		{"disputed amount follows corrected facts", review, &Entitlement{Status: EntitlementDisputed, Amount: 300}, yes, EntitlementDisputed, 500, false, true},
		{"disputed, never below what was paid", review, &Entitlement{Status: EntitlementDisputed, Amount: 900, Paid: 600}, yes, EntitlementDisputed, 900, false, false},
		{"paid in part stays", auto, &Entitlement{Status: EntitlementPartial, Amount: 500, Paid: 100}, Outcome{Eligible: true, Amount: 900}, EntitlementPartial, 500, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, a, c, ch := Recompute(tt.p, tt.old, tt.o)
			if s != tt.status || a != tt.amount || c != tt.create || ch != tt.chng {
				t.Errorf("Recompute = %s %d create=%v changed=%v; want %s %d %v %v", s, a, c, ch, tt.status, tt.amount, tt.create, tt.chng)
			}
		})
	}
}

func TestPaymentValidate(t *testing.T) {
	e := Entitlement{Amount: 1_860_000}
	tests := []struct {
		p   Payment
		bad string
	}{
		{Payment{Amount: 1_860_000, PaidOn: "2020-03-09", Voucher: "慈财付〔2020〕001号"}, ""},
		{Payment{Amount: 1_000, PaidOn: "2020-03-09", Voucher: "v"}, ""},
		{Payment{Amount: 1_860_001, PaidOn: "2020-03-09", Voucher: "v"}, "amount"},
		{Payment{Amount: 0, PaidOn: "2020-03-09", Voucher: "v"}, "amount"},
		{Payment{Amount: -1, PaidOn: "2020-03-09", Voucher: "v"}, "amount"},
		{Payment{Amount: 1, PaidOn: "2020-02-30", Voucher: "v"}, "paid_on"},
		{Payment{Amount: 1, PaidOn: "2020-03-09", Voucher: "  "}, "voucher"},
	}
	for _, tt := range tests {
		err := tt.p.Validate(e)
		if tt.bad == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.p, err)
			}
			continue
		}
		if _, ok := AsError(err).Fields[tt.bad]; !ok {
			t.Errorf("%+v: want a message at %s, got %v", tt.p, tt.bad, err)
		}
	}
	// A coverage measure (preventive TCM) carries no money: paying 0 records the delivery.
	if err := (&Payment{Amount: 0, PaidOn: "2020-03-09", Voucher: "v"}).Validate(Entitlement{}); err != nil {
		t.Errorf("zero payment of a zero entitlement: %v", err)
	}
}

func TestPolicyValidate(t *testing.T) {
	p := Policy{Title: " 租金减免 ", DepartmentID: 3, EligibilityRule: "above_scale", PeriodFrom: "2020-03-01", PeriodTo: "2020-02-01"}
	err := p.Validate()
	if _, ok := AsError(err).Fields["period_to"]; !ok {
		t.Errorf("an end before the start is not refused: %v", err)
	}
	p.PeriodTo = "2020-06-30"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Title != "租金减免" || p.Mode != ModeAutomatic || p.PayerID != 3 || p.AmountRule != "0" || p.Status != PolicyDraft {
		t.Errorf("defaults not applied: %+v", p)
	}
}

func TestFactsOfFallsBackToPayroll(t *testing.T) {
	e := Enterprise{Payroll: 40, Status: StatusResumed, ResumedOn: "2020-02-20"}
	if f := FactsOf(e, -1, "2020-03-09"); f.OnDuty != 40 || !f.Resumed {
		t.Errorf("no daily report: on duty %d, want the payroll", f.OnDuty)
	}
	if f := FactsOf(e, 28, "2020-03-09"); f.OnDuty != 28 {
		t.Errorf("daily report: on duty %d, want 28", f.OnDuty)
	}
	e.Status = StatusNotResumed
	if f := FactsOf(e, -1, "2020-03-09"); f.OnDuty != 0 {
		t.Errorf("not resumed: on duty %d, want 0", f.OnDuty)
	}
}

// Payments in part: each more than nothing and at most what is still owed; the status is
// paid only when the sum reaches the amount.
func TestPartialPayments(t *testing.T) {
	e := Entitlement{Amount: 2_400_000, Paid: 100, Status: EntitlementPartial}
	for _, tt := range []struct {
		amount int64
		ok     bool
	}{{2_399_900, true}, {1, true}, {2_400_000, false}, {0, false}, {-5, false}} {
		p := Payment{Amount: tt.amount, PaidOn: "2020-03-09", Voucher: "v"}
		if err := p.Validate(e); (err == nil) != tt.ok {
			t.Errorf("a payment of %d after 100 paid of 2400000: %v", tt.amount, err)
		}
	}
	if s := PaymentStatus(2_400_000, 100); s != EntitlementPartial {
		t.Errorf("1 元 of 24,000 元: %s, want partial", s)
	}
	if s := PaymentStatus(2_400_000, 2_400_000); s != EntitlementPaid {
		t.Errorf("the whole amount: %s, want paid", s)
	}
	if !e.Payable() || (Entitlement{Status: EntitlementPaid}).Payable() {
		t.Errorf("a partly paid entitlement takes payments, a paid one does not")
	}
	r := Reconciliation{Due: 2_400_000, Paid: 100}
	if r.Unpaid() != 2_399_900 {
		t.Errorf("unpaid %d", r.Unpaid())
	}
}
