package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// Finance on the desktop pays 1 元 where the whole was meant, reverses it (refused first
// for want of a reason, named 冲销原因), and pays the right amount: the page lists the
// payment marked 已被冲销, the red-ink entry and the right payment, and says 已兑付.
func TestFinanceReversesAWrongPaymentOnTheDesktop(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var id, amount int64
	env.App.DB.R.QueryRow(`SELECT id, amount FROM entitlements WHERE status = 'approved' AND amount >= 200 ORDER BY id LIMIT 1`).Scan(&id, &amount)
	ctx := Browser(t)
	Do(t, ctx, chromedp.EmulateViewport(1440, 900))
	Login(t, ctx, env.URL, "dept10", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/entitlements/%d", env.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#pay-form`)),
		chromedp.SetValue(chromedp.CSS(`#pay-form input[name=amount]`), "1.00"),
		chromedp.SendKeys(chromedp.CSS(`#pay-form input[name=voucher]`), "慈财付〔2020〕901号"),
	)
	submit(t, ctx, `#pay-form button[type=submit]`, `#reverse-form`)
	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#reverse-form input[name=reversal_voucher]`), "慈财冲〔2020〕001号"))
	submit(t, ctx, `#reverse-form button[type=submit]`, `#reverse-form`)
	if msg := Text(t, ctx, "#reverse-form"); !strings.Contains(msg, "冲销原因：必填") {
		t.Errorf("a reversal without a reason: the form says %q, want 冲销原因：必填", msg)
	}
	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#reverse-form textarea[name=reversal_reason]`), "金额录错，应为全额"))
	submit(t, ctx, `#reverse-form button[type=submit]`, `#pay-form`)
	if status := Text(t, ctx, "main .badge"); !strings.Contains(status, "待兑付") {
		t.Errorf("after the reversal the page says %q, want 待兑付", status)
	}
	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#pay-form input[name=voucher]`), "慈财付〔2020〕902号"))
	submit(t, ctx, `#pay-form button[type=submit]`, `#payments`)
	status := Text(t, ctx, "main .badge")
	rows := Text(t, ctx, "#payments tbody")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "finance-reversal-1440")
	if !strings.Contains(status, "已兑付") {
		t.Errorf("after the right payment the page says %q, want 已兑付", status)
	}
	for _, want := range []string{"已被冲销", "红字冲销", "-1.00", "金额录错，应为全额", "慈财付〔2020〕902号", fmt.Sprintf("%d.%02d", amount/100, amount%100)} {
		if !strings.Contains(rows, want) {
			t.Errorf("the payments list lacks %q: %q", want, rows)
		}
	}
	if width > 1440 {
		t.Errorf("the entitlement page is %d px wide at 1440 px", width)
	}
	Do(t, ctx, chromedp.Navigate(env.URL+"/entitlements/reconciliation"), chromedp.WaitVisible(chromedp.CSS(`#reconciliation-total`)))
	if total := Text(t, ctx, "#reconciliation-total"); !strings.Contains(total, "1.00") {
		t.Errorf("the reconciliation's total shows no 1.00 reversed: %q", total)
	}
	Screenshot(t, ctx, "finance-reconciliation-reversed-1440")
}

// The reviewing department on the desktop corrects the values an enterprise declared,
// after its dispute: the amount is computed again and the correction is listed.
func TestOfficeCorrectsDeclaredValuesOnTheDesktop(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	db := env.App.DB.R
	var policy, dept int64
	db.QueryRow(`SELECT id, department_id FROM policies WHERE number = 4`).Scan(&policy, &dept)
	var reviewer, user string
	db.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 ORDER BY id LIMIT 1`, dept).Scan(&reviewer)
	db.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' ORDER BY id LIMIT 1`).Scan(&user)
	ent := env.APIClient(t, user)
	status, raw := ent.JSON("POST", fmt.Sprintf("/api/v1/policies/%d/apply", policy), map[string]any{"declared": map[string]int64{"new_hires": 3}})
	if status != http.StatusCreated {
		t.Fatalf("apply: %d %s", status, raw)
	}
	var id int64
	db.QueryRow(`SELECT id FROM entitlements WHERE policy_id = $1 ORDER BY id DESC LIMIT 1`, policy).Scan(&id)
	if status, raw = ent.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/dispute", id), map[string]any{"dispute": "新招用12人，申报时只填了3人。"}); status != http.StatusOK {
		t.Fatalf("dispute: %d %s", status, raw)
	}
	ctx := Browser(t)
	Do(t, ctx, chromedp.EmulateViewport(1440, 900))
	Login(t, ctx, env.URL, reviewer, apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/entitlements/%d", env.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#declared-form`)),
		chromedp.SetValue(chromedp.CSS(`#declared-form input[name="declared.new_hires"]`), "12"),
		chromedp.SendKeys(chromedp.CSS(`#declared-form textarea[name=correction_reason]`), "社保参保名单新增12人"),
	)
	submit(t, ctx, `#declared-form button[type=submit]`, `#corrections`)
	amount := Text(t, ctx, "#amount")
	history := Text(t, ctx, "#corrections")
	Screenshot(t, ctx, "office-declared-correction-1440")
	if !strings.Contains(amount, "12000.00") && !strings.Contains(amount, "12,000.00") {
		t.Errorf("after the correction the amount is %q, want 12,000.00", amount)
	}
	for _, want := range []string{"新招用员工数 3 人", "新招用员工数 12 人", "社保参保名单新增12人", reviewer} {
		if !strings.Contains(history, want) {
			t.Errorf("the corrections list lacks %q: %q", want, history)
		}
	}
}

// The enterprise sees on its phone a payment reversed and why, and what is still owed.
func TestEnterpriseSeesTheReversalOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var id, ent int64
	env.App.DB.R.QueryRow(`SELECT t.id, t.enterprise_id FROM entitlements t WHERE t.status = 'approved' AND t.amount >= 200
		AND EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = t.enterprise_id) ORDER BY t.id LIMIT 1`).Scan(&id, &ent)
	var user string
	env.App.DB.R.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1 ORDER BY id`, ent).Scan(&user)
	finance := env.APIClient(t, "dept10")
	status, raw := finance.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", id), map[string]any{"amount_fen": 100, "paid_on": "2020-03-02", "voucher": "慈财付〔2020〕921号"})
	if status != http.StatusCreated {
		t.Fatalf("pay: %d %s", status, raw)
	}
	var pid int64
	env.App.DB.R.QueryRow(`SELECT id FROM payments WHERE voucher = '慈财付〔2020〕921号'`).Scan(&pid)
	if status, raw = finance.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/reversal", id), map[string]any{"payment_id": pid, "reversed_on": "2020-03-05",
		"reversal_voucher": "慈财冲〔2020〕021号", "reversal_reason": "金额录错，将按全额重新兑付"}); status != http.StatusCreated {
		t.Fatalf("reverse: %d %s", status, raw)
	}
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, user, apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/entitlements/%d", env.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#payments`)),
	)
	rows := Text(t, ctx, "#payments")
	unpaid := Text(t, ctx, "#unpaid")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	forms := Eval[int](t, ctx, `document.querySelectorAll('#reverse-form, #pay-form, #declared-form').length`)
	Screenshot(t, ctx, "enterprise-reversal-375")
	for _, want := range []string{"红字冲销", "已被冲销", "金额录错，将按全额重新兑付"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the enterprise's payments list lacks %q: %q", want, rows)
		}
	}
	if unpaid == "" || strings.HasPrefix(unpaid, "0.00") {
		t.Errorf("still owed shows %q after the reversal", unpaid)
	}
	if forms != 0 {
		t.Errorf("the enterprise is offered %d finance or office forms", forms)
	}
	if width > 375 {
		t.Errorf("the entitlement page is %d px wide on a 375 px phone", width)
	}
}
