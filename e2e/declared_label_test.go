package e2e

import (
	"fmt"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// An enterprise's bookkeeper on a phone applies to the new-hires subsidy from the policy
// catalogue: the form asks for 新招用员工数 with its unit 人 beside the box — not the rule's
// key new_hires — and the entitlement it lands on says what was declared in the same words.
func TestEnterpriseAppliesByLabelOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var policy int64
	env.App.DB.R.QueryRow(`SELECT id FROM policies WHERE number = 4`).Scan(&policy)
	var user string
	env.App.DB.R.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' ORDER BY id LIMIT 1`).Scan(&user)
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, user, apptest.Password)
	MenuTo(t, ctx, "/policies")
	link := fmt.Sprintf(`a[href="/policies/%d"]`, policy)
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(link)), chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(`#apply-form`)))
	form := Text(t, ctx, "#apply-form")
	label := Text(t, ctx, "#apply-form label.declared")
	unit := Text(t, ctx, "#apply-form label.declared .unit")
	// The unit sits on the box's line, to its right, inside the screen.
	beside := Eval[bool](t, ctx, `(() => {
		const i = document.querySelector('#apply-form label.declared input').getBoundingClientRect();
		const u = document.querySelector('#apply-form label.declared .unit').getBoundingClientRect();
		return u.left >= i.right && u.top < i.bottom && u.bottom > i.top && u.right <= window.innerWidth;
	})()`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "enterprise-apply-labels-375")
	if !strings.Contains(label, "新招用员工数") || unit != "人" || strings.Contains(form, "new_hires") {
		t.Errorf("the application form reads %q (label %q, unit %q); want 新招用员工数 with 人, and no key", form, label, unit)
	}
	if !beside {
		t.Errorf("the unit 人 is not beside the box on a 375 px phone")
	}
	if width > 375 {
		t.Errorf("the policy page is %d px wide at 375 px", width)
	}
	Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#apply-form input[name="declared.new_hires"]`), "5"))
	submit(t, ctx, `#apply-form button[type=submit]`, `#amount`)
	facts := Text(t, ctx, "main dl.facts")
	Screenshot(t, ctx, "enterprise-applied-labels-375")
	if !strings.Contains(facts, "新招用员工数") || !strings.Contains(facts, "5 人") || strings.Contains(facts, "new_hires") {
		t.Errorf("the entitlement reads %q; want 新招用员工数 5 人", facts)
	}
	if amount := Text(t, ctx, "#amount"); !strings.Contains(amount, "5000.00") {
		t.Errorf("5 new hires give %q, want 5000.00", amount)
	}
}

// The department on a phone writes a measure on application: saved without a label, the
// form comes back with a box for the label and unit of each value its rules read, named
// in Chinese; filled in, the policy's page lists them.
func TestDepartmentLabelsWhatAMeasureAsksForOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var user string
	env.App.DB.R.QueryRow(`SELECT u.username FROM users u JOIN policies p ON p.department_id = u.org_unit_id WHERE p.number = 4 ORDER BY u.id LIMIT 1`).Scan(&user)
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, user, apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/policies/new"),
		chromedp.WaitVisible(chromedp.CSS(`#policy-form`)),
		chromedp.SendKeys(chromedp.CSS(`#policy-form input[name=title]`), "以工代训补贴"),
		chromedp.SetValue(chromedp.CSS(`#policy-form select[name=mode]`), "application"),
		chromedp.SendKeys(chromedp.CSS(`#policy-form textarea[name=eligibility_rule]`), `applied && declared["trainees"] > 0`),
		chromedp.SetValue(chromedp.CSS(`#policy-form textarea[name=amount_rule]`), `declared["trainees"] * 50000`),
	)
	submit(t, ctx, `#policy-form button.primary`, `#policy-form input[name="declared_label.trainees"]`)
	refused := Text(t, ctx, "#declared-fields")
	Screenshot(t, ctx, "department-policy-labels-refused-375")
	if !strings.Contains(refused, "申报项 trainees：请填写中文名称") || !strings.Contains(refused, "申报项 trainees 的单位：必填") {
		t.Errorf("the refused form's 申报项 read %q; want the label and unit of trainees asked for", refused)
	}
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#policy-form input[name="declared_label.trainees"]`), "以工代训职工人数"),
		chromedp.SendKeys(chromedp.CSS(`#policy-form input[name="declared_unit.trainees"]`), "人"),
	)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	submit(t, ctx, `#policy-form button.primary`, `#declared-fields`)
	listed := Text(t, ctx, "table#declared-fields")
	Screenshot(t, ctx, "department-policy-labels-saved-375")
	if !strings.Contains(listed, "以工代训职工人数") || !strings.Contains(listed, "trainees") {
		t.Errorf("the saved policy lists its 申报项 as %q", listed)
	}
	if width > 375 {
		t.Errorf("the policy form is %d px wide at 375 px", width)
	}
}
