package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"fugong/app/apptest"
)

// reconcileBody is the reconciliation's answer.
type reconcileBody struct {
	Items []struct {
		ID      int64 `json:"id"`
		Due     int64 `json:"due_fen"`
		Paid    int64 `json:"paid_fen"`
		Unpaid  int64 `json:"unpaid_fen"`
		Partial int   `json:"partial"`
	} `json:"items"`
	Total struct {
		Due    int64 `json:"due_fen"`
		Paid   int64 `json:"paid_fen"`
		Unpaid int64 `json:"unpaid_fen"`
	} `json:"total"`
}

// partBody is what these tests read of an entitlement.
type partBody struct {
	ID        int64  `json:"id"`
	PolicyID  int64  `json:"policy_id"`
	AmountFen int64  `json:"amount_fen"`
	PaidFen   int64  `json:"paid_fen"`
	UnpaidFen int64  `json:"unpaid_fen"`
	Status    string `json:"status"`
	Version   int64  `json:"version"`
	Payments  []struct {
		AmountFen int64 `json:"amount_fen"`
	} `json:"payments"`
}

// A payment of 1 元 against 24,000 元 is a payment in part: the entitlement is 部分兑付
// with 23,999 元 still owed, never paid. Further payments follow until the sum reaches
// the amount; one beyond what is owed is refused naming amount, also when several
// arrive at the same moment. The reconciliation sums due, paid and owed.
func TestPartialPaymentsAreReconciled(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		var targets []entitlementBody
		for _, e := range entitlementsOf(t, c, "status=approved") {
			if e.AmountFen >= 2000 {
				targets = append(targets, e)
			}
		}
		if len(targets) < 2 {
			t.Fatal("the demo has fewer than two approved entitlements awaiting payment")
		}
		target := targets[0]
		finance := env.APIClient(t, "dept10")
		pay := func(id, fen int64, voucher string) (int, []byte) {
			return finance.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", id), map[string]any{"amount_fen": fen, "paid_on": "2020-03-09", "voucher": voucher})
		}
		status, b := pay(target.ID, 100, "部分〔2020〕1号")
		var got partBody
		json.Unmarshal(b, &got)
		if status != http.StatusCreated || got.Status != "partial" || got.PaidFen != 100 || got.UnpaidFen != target.AmountFen-100 {
			t.Fatalf("1 元 of %d fen: %d %s; want 201, partial, 100 paid", target.AmountFen, status, b)
		}
		if status, b = pay(target.ID, target.AmountFen, "部分〔2020〕2号"); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"amount"`) || !strings.Contains(string(b), "未兑付") {
			t.Errorf("paying the whole amount after 1 元: %d %s, want 422 naming amount and what is owed", status, b)
		}
		// The rest, through the payer's page.
		web := env.Login(t, "dept10")
		page := fmt.Sprintf("/entitlements/%d", target.ID)
		if _, body := web.Page(page); !strings.Contains(body, "部分兑付") || !strings.Contains(body, fmt.Sprintf(`value="%d.%02d"`, (target.AmountFen-100)/100, (target.AmountFen-100)%100)) {
			t.Errorf("the page does not show 部分兑付 with the rest offered to pay")
		}
		rest := target.AmountFen - 100
		st, _, body := web.Form(page+"/pay", url.Values{"amount": {fmt.Sprintf("%d.%02d", rest/100, rest%100)}, "paid_on": {"2020-03-09"}, "voucher": {"部分〔2020〕3号"}})
		if st != http.StatusSeeOther {
			t.Fatalf("paying the rest: %d %s", st, body)
		}
		got = getJSON[partBody](t, c, fmt.Sprintf("/api/v1/entitlements/%d", target.ID))
		if got.Status != "paid" || got.PaidFen != target.AmountFen || len(got.Payments) != 2 {
			t.Errorf("after the rest: %+v, want paid in two payments", got)
		}
		if status, _ = pay(target.ID, 1, "部分〔2020〕4号"); status != http.StatusConflict {
			t.Errorf("a payment after the whole was paid: %d, want 409", status)
		}

		// Eight halves at the same moment: two pass, the sum never exceeds the amount.
		second := targets[1]
		half := second.AmountFen / 2
		statuses := make([]int, 8)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i], _ = pay(second.ID, half, fmt.Sprintf("并发〔2020〕%d号", i))
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, s := range statuses {
			if s == http.StatusCreated {
				ok++
			} else if s != http.StatusUnprocessableEntity && s != http.StatusConflict {
				t.Errorf("a concurrent payment answered %d", s)
			}
		}
		var sum int64
		env.App.DB.R.QueryRow(`SELECT COALESCE(SUM(amount), 0) FROM payments WHERE entitlement_id = $1`, second.ID).Scan(&sum)
		if ok != 2 || sum != 2*half || sum > second.AmountFen {
			t.Errorf("eight concurrent halves: %d passed, %d fen paid of %d (%v)", ok, sum, second.AmountFen, statuses)
		}

		// Reconciliation by measure: the lines add up, and the measure shows what was paid.
		rec := getJSON[reconcileBody](t, c, "/api/v1/entitlements/reconciliation?by=policy")
		var due, paid int64
		for _, l := range rec.Items {
			due, paid = due+l.Due, paid+l.Paid
			if l.Unpaid != l.Due-l.Paid {
				t.Errorf("measure %d: unpaid %d ≠ due %d − paid %d", l.ID, l.Unpaid, l.Due, l.Paid)
			}
		}
		var wantPaid int64
		env.App.DB.R.QueryRow(`SELECT COALESCE(SUM(amount), 0) FROM payments`).Scan(&wantPaid)
		if due != rec.Total.Due || paid != rec.Total.Paid || paid != wantPaid || rec.Total.Unpaid != rec.Total.Due-rec.Total.Paid {
			t.Errorf("reconciliation totals: due %d/%d, paid %d/%d (ledger %d)", due, rec.Total.Due, paid, rec.Total.Paid, wantPaid)
		}
		if status, b := c.JSON("GET", "/api/v1/entitlements/reconciliation?by=month", nil); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"by"`) {
			t.Errorf("reconciliation by month: %d %s, want 422 naming by", status, b)
		}
		if _, body := web.Page("/entitlements/reconciliation?by=enterprise"); !strings.Contains(body, "未兑付") || !strings.Contains(body, `id="reconciliation-total"`) {
			t.Errorf("the reconciliation page does not show 未兑付 and a total")
		}
	})
}

// An enterprise disputes an amount computed from a wrong payroll; the registry corrects
// the payroll; the entitlement follows the corrected data (audited, still disputed) and,
// once approved, the right amount is paid.
func TestDisputedAmountIsCorrected(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		// The per-employee subsidy (measure 2): payroll × 500 元.
		var id, ent, policy int64
		var amount int64
		var dept int64
		db.QueryRow(`SELECT t.id, t.enterprise_id, t.policy_id, t.amount, p.department_id FROM entitlements t JOIN policies p ON p.id = t.policy_id
			WHERE p.number = 2 AND t.status IN ('pending', 'approved') ORDER BY t.id LIMIT 1`).Scan(&id, &ent, &policy, &amount, &dept)
		if id == 0 {
			t.Fatal("no per-employee subsidy awaiting payment in the demo")
		}
		var entUser, reviewer string
		db.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1`, ent).Scan(&entUser)
		db.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 ORDER BY id LIMIT 1`, dept).Scan(&reviewer)
		if status, b := env.APIClient(t, entUser).JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/dispute", id), map[string]any{"dispute": "在册员工应多20人，登记时漏报。"}); status != http.StatusOK {
			t.Fatalf("dispute: %d %s", status, b)
		}
		// The registry corrects the payroll: 20 more.
		command := env.APIClient(t, "command")
		var e map[string]any
		_, b := command.JSON("GET", fmt.Sprintf("/api/v1/enterprises/%d", ent), nil)
		json.Unmarshal(b, &e)
		payroll := int64(e["payroll"].(float64))
		in := map[string]any{}
		for _, k := range []string{"name", "uscc", "township", "village", "address", "industry", "focus_area", "above_scale", "park_tenant", "monthly_rent_fen", "contact_name", "workshop", "status", "resumed_on", "version"} {
			if v, ok := e[k]; ok {
				in[k] = v
			}
		}
		in["payroll"] = payroll + 20
		if status, b := command.JSON("PUT", fmt.Sprintf("/api/v1/enterprises/%d", ent), in); status != http.StatusOK {
			t.Fatalf("correcting the payroll: %d %s", status, b)
		}
		// The department recomputes at once (the recompute job would do the same).
		rv := env.APIClient(t, reviewer)
		status, b := rv.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/recompute", id), nil)
		var got partBody
		json.Unmarshal(b, &got)
		want := (payroll + 20) * 50_000
		if status != http.StatusOK || got.AmountFen != want || got.Status != "disputed" {
			t.Fatalf("recompute: %d %s; want %d fen, still disputed", status, b, want)
		}
		var audited int
		db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'entitlements' AND entity_id = $1 AND action = 'recompute'`, fmt.Sprint(id)).Scan(&audited)
		if audited == 0 {
			t.Errorf("the recomputation is not in the audit log")
		}
		env.App.Jobs.RunDue(t.Context())
		if status, b = rv.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/review", id), map[string]any{"decision": "approve", "version": 0}); status != http.StatusOK {
			t.Fatalf("approve: %d %s", status, b)
		}
		if status, b = env.APIClient(t, "dept10").JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", id), map[string]any{"amount_fen": want, "paid_on": "2020-03-09", "voucher": "更正〔2020〕1号"}); status != http.StatusCreated {
			t.Errorf("paying the corrected amount: %d %s", status, b)
		}
		if status, _ = rv.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/recompute", id), nil); status != http.StatusConflict {
			t.Errorf("recomputing a paid entitlement: %d, want 409", status)
		}
	})
}
