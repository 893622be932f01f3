package e2e

import (
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// An enterprise's contact scans the QR poster on a phone, logs in, and raises a demand
// for 300 masks; the command, at a desktop, dispatches it to the health bureau.
func TestEnterpriseScansQRAndCommandDispatches(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var ent int64
	env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
	ctx := Browser(t)

	// The QR code carries /e/{id}: a phone without a session lands on the login form.
	Do(t, ctx, Phone(),
		chromedp.Navigate(env.URL+"/e/"+strconv.FormatInt(ent, 10)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "enterprise001"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#demand-form`)),
	)
	formWidth := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	hiddenOthers := Eval[bool](t, ctx, `document.querySelector('fieldset[data-category=labour]').hidden && !document.querySelector('fieldset[data-category=supplies]').hidden`)
	Screenshot(t, ctx, "enterprise-raise-375")
	Do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`select[name="supplies.item"]`), "口罩"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "员工按70%到岗率计算，需要口罩300个"),
		chromedp.SendKeys(chromedp.CSS(`input[name=quantity]`), "300"),
	)
	submit(t, ctx, `#demand-form button[type=submit]`, `#demand-timeline, input[name=not_duplicate]`)
	// The demo's supplies rule has already raised 联兴's masks: the form shows it as a
	// similar open demand, and the enterprise says this one is not the same.
	if Eval[bool](t, ctx, `!!document.querySelector('input[name=not_duplicate]')`) {
		Do(t, ctx, chromedp.Click(chromedp.CSS(`input[name=not_duplicate]`)))
		submit(t, ctx, `#demand-form button[type=submit]`, `#demand-timeline`)
	}
	state := Text(t, ctx, "#demand-state")
	number, _, _ := strings.Cut(Text(t, ctx, "main h1"), " · ")
	pageWidth := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "enterprise-demand-375")

	if formWidth > 375 || pageWidth > 375 {
		t.Errorf("the raise form is %d px and the demand %d px wide on a 375 px phone", formWidth, pageWidth)
	}
	if !hiddenOthers {
		t.Errorf("the form shows the fields of categories not chosen")
	}
	if state != "已受理" || !strings.HasPrefix(number, "SQ-") {
		t.Fatalf("after raising: %q %q", number, state)
	}

	var id, health int64
	env.App.DB.R.QueryRow(`SELECT id FROM demands WHERE number = $1`, number).Scan(&id)
	env.App.DB.R.QueryRow(`SELECT id FROM org_units WHERE name = '县卫生健康局'`).Scan(&health)
	cmd := Browser(t)
	Do(t, cmd, Desktop())
	Login(t, cmd, env.URL, "command", apptest.Password)
	Do(t, cmd,
		chromedp.Navigate(env.URL+"/demands/queue"),
		chromedp.WaitVisible(chromedp.CSS(`#queue`)),
	)
	inQueue := Eval[bool](t, cmd, `document.querySelector('#queue').textContent.includes('`+number+`')`)
	Do(t, cmd,
		chromedp.Navigate(env.URL+"/demands/"+strconv.FormatInt(id, 10)),
		chromedp.WaitVisible(chromedp.CSS(`#act-dispatch`)),
	)
	// One work order: one note box for every action the caller may take.
	noteBoxes := Eval[int](t, cmd, `document.querySelectorAll('#demand-act textarea[name=note], #demand-act input[name=note]').length`)
	current := Text(t, cmd, "#demand-ribbon li.current")
	Do(t, cmd,
		chromedp.Click(chromedp.CSS(`#act-departments input[name=departments][value="`+strconv.FormatInt(health, 10)+`"]`)),
		chromedp.SendKeys(chromedp.CSS(`#demand-act textarea[name=note]`), "请卫健局调拨口罩"),
	)
	submit(t, cmd, `#act-dispatch`, `.flash`)
	if noteBoxes != 1 || current != "已受理" {
		t.Errorf("the work order has %d note boxes (want 1) and its ribbon stands at %q", noteBoxes, current)
	}
	after := Text(t, cmd, "#demand-state")
	timeline := Text(t, cmd, "#demand-timeline")
	Screenshot(t, cmd, "command-dispatched-desktop")
	if !inQueue {
		t.Errorf("the command's queue lacks %s", number)
	}
	if after != "已交办" || !strings.Contains(timeline, "请卫健局调拨口罩") {
		t.Errorf("after dispatch: %q, timeline %q", after, timeline)
	}
}
