package fugong

import "testing"

func TestReversalEntry(t *testing.T) {
	pay := Payment{ID: 7, EntitlementID: 3, Kind: PaymentPaid, Amount: 2_400_000, PaidOn: "2020-03-02", Voucher: "慈财付〔2020〕001号"}
	reversed := pay
	reversed.ReversedBy = 9
	reversal := Payment{ID: 9, Kind: PaymentReversal, Amount: -2_400_000, PaidOn: "2020-03-05", Voucher: "慈财冲〔2020〕001号", ReversesID: 7}
	good := Reversal{PaymentID: 7, ReversedOn: "2020-03-05", Voucher: " 慈财冲〔2020〕001号 ", Reason: "金额录错"}
	tests := []struct {
		name string
		orig Payment
		r    Reversal
		bad  string
	}{
		{"a payment, reversed the same day it was paid", pay, Reversal{ReversedOn: "2020-03-02", Voucher: "v", Reason: "r"}, ""},
		{"a payment", pay, good, ""},
		{"a reversal is not reversed", reversal, good, "payment_id"},
		{"a payment is reversed once", reversed, good, "payment_id"},
		{"no reason", pay, Reversal{ReversedOn: "2020-03-05", Voucher: "v", Reason: "  "}, "reversal_reason"},
		{"no voucher", pay, Reversal{ReversedOn: "2020-03-05", Reason: "r"}, "reversal_voucher"},
		{"no date", pay, Reversal{Voucher: "v", Reason: "r"}, "reversed_on"},
		{"not a date", pay, Reversal{ReversedOn: "2020-02-30", Voucher: "v", Reason: "r"}, "reversed_on"},
		{"tomorrow", pay, Reversal{ReversedOn: "2020-03-10", Voucher: "v", Reason: "r"}, "reversed_on"},
		{"before the payment", pay, Reversal{ReversedOn: "2020-03-01", Voucher: "v", Reason: "r"}, "reversed_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.r.Entry(tt.orig, "2020-03-09")
			if tt.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				if e.Kind != PaymentReversal || e.Amount != -tt.orig.Amount || e.ReversesID != tt.orig.ID || e.EntitlementID != tt.orig.EntitlementID || e.Voucher != "v" && e.Voucher != "慈财冲〔2020〕001号" {
					t.Errorf("entry %+v", e)
				}
				return
			}
			if _, ok := AsError(err).Fields[tt.bad]; !ok {
				t.Errorf("want a message at %s, got %v", tt.bad, err)
			}
		})
	}
}

func TestSettledStatus(t *testing.T) {
	tests := []struct {
		status   string
		amount   int64
		paid     int64
		standing int
		want     string
	}{
		{EntitlementPaid, 2_400_000, 0, 0, EntitlementApproved},
		{EntitlementPaid, 2_400_000, 100, 1, EntitlementPartial},
		{EntitlementPartial, 2_400_000, 2_400_000, 2, EntitlementPaid},
		{EntitlementPaid, 0, 0, 0, EntitlementApproved}, // a coverage measure's delivery reversed
		{EntitlementApproved, 0, 0, 1, EntitlementPaid}, // a coverage measure delivered
		{EntitlementDisputed, 500, 0, 0, EntitlementDisputed},
		{EntitlementApproved, 500, 500, 1, EntitlementPaid}, // a disputed one approved after payment
	}
	for _, tt := range tests {
		if got := SettledStatus(tt.status, tt.amount, tt.paid, tt.standing); got != tt.want {
			t.Errorf("SettledStatus(%s, %d, %d, %d) = %s, want %s", tt.status, tt.amount, tt.paid, tt.standing, got, tt.want)
		}
	}
}

func TestCheckDeclaredCorrection(t *testing.T) {
	app := &Policy{Mode: ModeApplication}
	auto := &Policy{Mode: ModeAutomatic}
	disputed := Entitlement{Status: EntitlementDisputed, Declared: map[string]int64{"new_hires": 12}}
	keys := []string{"new_hires"}
	tests := []struct {
		name     string
		p        *Policy
		t        Entitlement
		declared map[string]int64
		reason   string
		bad      string
	}{
		{"disputed, corrected", app, disputed, map[string]int64{"new_hires": 20}, "社保名单为20人", ""},
		{"pending, corrected", app, Entitlement{Status: EntitlementPending, Declared: map[string]int64{"new_hires": 1}}, map[string]int64{"new_hires": 2}, "r", ""},
		{"an automatic measure", auto, disputed, map[string]int64{"new_hires": 20}, "r", "declared"},
		{"approved: dispute first", app, Entitlement{Status: EntitlementApproved, Declared: map[string]int64{"new_hires": 12}}, map[string]int64{"new_hires": 20}, "r", "declared"},
		{"paid: dispute first", app, Entitlement{Status: EntitlementPaid, Declared: map[string]int64{"new_hires": 12}}, map[string]int64{"new_hires": 20}, "r", "declared"},
		{"no reason", app, disputed, map[string]int64{"new_hires": 20}, " ", "correction_reason"},
		{"a value missing", app, disputed, map[string]int64{}, "r", "declared.new_hires"},
		{"a negative value", app, disputed, map[string]int64{"new_hires": -1}, "r", "declared.new_hires"},
		{"nothing changed", app, disputed, map[string]int64{"new_hires": 12}, "r", "declared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDeclaredCorrection(tt.p, tt.t, keys, tt.declared, tt.reason)
			if tt.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if _, ok := AsError(err).Fields[tt.bad]; !ok {
				t.Errorf("want a message at %s, got %v", tt.bad, err)
			}
		})
	}
	paid := Entitlement{Paid: 1_000_000}
	if err := CheckCorrectedOutcome(paid, Outcome{Eligible: true, Amount: 1_000_000}); err != nil {
		t.Errorf("corrected to exactly what was paid: %v", err)
	}
	if _, ok := AsError(CheckCorrectedOutcome(paid, Outcome{Eligible: true, Amount: 999_999})).Fields["declared"]; !ok {
		t.Errorf("corrected below what was paid is not refused at declared")
	}
	if _, ok := AsError(CheckCorrectedOutcome(paid, Outcome{})).Fields["declared"]; !ok {
		t.Errorf("corrected to not eligible is not refused at declared")
	}
}
