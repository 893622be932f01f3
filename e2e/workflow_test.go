package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A village cadre on a phone records the day's temperature of a person in home isolation
// and adds a villager to the village's contact list for job news (issue 18).
func TestVillageCadreHomeIsolationAndVillagersOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/screenings"),
		chromedp.WaitVisible(chromedp.CSS(`#screening-form`)),
		chromedp.SendKeys(chromedp.CSS(`#screening-form input[name=name]`), "周居家"),
		chromedp.SendKeys(chromedp.CSS(`#screening-form input[name=from_region]`), "湖北省武汉市"),
	)
	submit(t, ctx, `#screening-form button[type=submit]`, `#screenings`)
	// Screened yesterday: today's reading is owed.
	var id int64
	env.App.DB.R.QueryRow(`SELECT id FROM screenings WHERE name = '周居家'`).Scan(&id)
	if _, err := env.App.DB.W.Exec(`UPDATE screenings SET day = '2020-03-08', returned_on = '2020-03-07' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf("#s%d", id)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/screenings"),
		chromedp.WaitVisible(chromedp.CSS(row+` input[name=reading]`)),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=reading]`), "36.6"),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=symptoms]`), "乏力"),
	)
	submit(t, ctx, row+` button[type=submit]`, `#screenings`)
	got := Text(t, ctx, row+" .today-check")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-home-isolation-375")
	if !strings.Contains(got, "36.6") || !strings.Contains(got, "乏力") {
		t.Errorf("today's reading shows %q, want 36.6 and 乏力", got)
	}
	if width > 375 {
		t.Errorf("the screenings page is %d px wide on a 375 px phone", width)
	}

	Do(t, ctx,
		chromedp.Navigate(env.URL+"/broadcasts"),
		chromedp.WaitVisible(chromedp.CSS(`#villagers form`)),
		chromedp.SendKeys(chromedp.CSS(`#villagers input[name=name]`), "吴村民"),
		chromedp.SendKeys(chromedp.CSS(`#villagers input[name=phone]`), "13800001111"),
		chromedp.Click(chromedp.CSS(`#villagers input[name=poor]`)),
	)
	submit(t, ctx, `#villagers button[type=submit]`, `#villagers`)
	list := Text(t, ctx, "#villagers")
	frame := Text(t, ctx, "#sms-frame")
	width = Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "village-broadcast-villagers-375")
	if !strings.Contains(list, "吴村民") || !strings.Contains(list, "138****1111") {
		t.Errorf("the contact list shows %q, want 吴村民 masked", list)
	}
	if !strings.Contains(frame, "【慈利县指挥部】") || !strings.Contains(frame, "回复TD退订") {
		t.Errorf("the broadcast form says %q, want the signature and the opt-out notice", frame)
	}
	if width > 375 {
		t.Errorf("the broadcasts page is %d px wide on a 375 px phone", width)
	}
}

// An enterprise on a phone sees who is on duty without a preventive TCM dose and gives one.
func TestEnterpriseGivesATCMDoseOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var ent int64
	var without int
	env.App.DB.R.QueryRow(`SELECT enterprise_id, COUNT(*) FROM workers WHERE status = '在岗' AND tcm_doses = 0 GROUP BY enterprise_id ORDER BY COUNT(*) DESC, enterprise_id LIMIT 1`).Scan(&ent, &without)
	var user string
	env.App.DB.R.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1`, ent).Scan(&user)
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, user, apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/health/enterprises/%d", env.URL, ent)),
		chromedp.WaitVisible(chromedp.CSS(`#no-tcm form button`)),
	)
	submit(t, ctx, `#no-tcm form button`, `#no-tcm-count`)
	count := Text(t, ctx, "#no-tcm-count")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "enterprise-tcm-375")
	if count != fmt.Sprint(without-1) {
		t.Errorf("after one dose the board counts %s on duty without, want %d", count, without-1)
	}
	if width > 375 {
		t.Errorf("the board is %d px wide on a 375 px phone", width)
	}
}

// Finance pays an entitlement in part on the desktop; the page says 部分兑付 with the rest
// still owed, and the reconciliation sums it.
func TestFinancePaysInPartOnTheDesktop(t *testing.T) {
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
	submit(t, ctx, `#pay-form button[type=submit]`, `#payments`)
	status := Text(t, ctx, "main .badge")
	unpaid := Text(t, ctx, "#unpaid")
	Screenshot(t, ctx, "finance-partial-1440")
	if !strings.Contains(status, "部分兑付") || !strings.Contains(unpaid, fmt.Sprintf("%d.%02d", (amount-100)/100, (amount-100)%100)) {
		t.Errorf("after 1 元 the page says %q, still owed %q", status, unpaid)
	}
	Do(t, ctx, chromedp.Navigate(env.URL+"/entitlements/reconciliation"), chromedp.WaitVisible(chromedp.CSS(`#reconciliation-total`)))
	Screenshot(t, ctx, "finance-reconciliation-1440")
}

// submit presses a form's button and waits for the page the server answers with (the
// POST-redirect-GET), then for want on it: waiting for want alone could read the page
// from before the press, which has it too.
func submit(t *testing.T, ctx context.Context, button, want string) {
	t.Helper()
	Eval[bool](t, ctx, `(document.body.dataset.before = '1') === '1'`)
	Do(t, ctx, chromedp.Click(chromedp.CSS(button)))
	waitJS(t, ctx, `!document.body.dataset.before && document.readyState === 'complete'`, "the answer to "+button)
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(want)))
}
