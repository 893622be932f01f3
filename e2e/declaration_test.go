package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"

	"github.com/chromedp/chromedp"
)

// A liaison declares resumption on a phone, the township approves at a desk, then the
// industry department: the enterprise page says 已复工 and tells the story.
func TestDeclarationTownshipThenDepartment(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := context.Background()
	var town string
	env.App.DB.R.QueryRow(`SELECT region FROM users WHERE username = 'township01'`).Scan(&town)
	var cmdID, liaisonID int64
	env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'command'`).Scan(&cmdID)
	env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'liaison001'`).Scan(&liaisonID)
	cmd := fugong.Scope{UserID: cmdID, Role: fugong.RoleCommand, County: demo.County}
	e := fugong.Enterprise{Name: "慈利浏览器测试科技有限公司", USCC: demo.USCC(demo.County, 9301, false), Township: town, FocusArea: "园区企业", Payroll: 60}
	if err := env.App.DB.CreateEnterprise(ctx, cmd, &e); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DB.CreateLink(ctx, cmd, &fugong.Link{Kind: fugong.LinkLiaison, UserID: liaisonID, EnterpriseID: e.ID, FromDate: "2020-03-09"}); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(e.ID, 10)
	b := Browser(t)

	Do(t, b, Phone())
	Login(t, b, env.URL, "liaison001", apptest.Password)
	Do(t, b,
		chromedp.Navigate(env.URL+"/enterprises/"+id),
		chromedp.Click(chromedp.CSS(`#declare-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#declare-form`)),
	)
	Eval[bool](t, b, `(document.querySelectorAll('#declare-form input[type=checkbox]').forEach(c => c.checked = true), true)`)
	width := Eval[int](t, b, `document.documentElement.scrollWidth`)
	Screenshot(t, b, "declare-375")
	submit(t, b, `#declare-form button[type=submit]`, `#declaration-state`)
	if s := Text(t, b, "#declaration-state"); s != "待乡镇审核" {
		t.Fatalf("after declaring: %q", s)
	}
	if width > 375 {
		t.Errorf("the declaration form is %d px wide on a 375 px phone", width)
	}
	decl := Eval[string](t, b, `location.pathname`)

	for _, step := range []struct{ user, reason, want string }{
		{"township01", "现场核查防控措施到位", "待行业部门审核"},
		{"dept02", "符合复工复产条件", "已批准"},
	} {
		Do(t, b, Desktop(), chromedp.Navigate(env.URL+"/"), chromedp.Click(chromedp.CSS(`details.menu form button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
		Login(t, b, env.URL, step.user, apptest.Password)
		Do(t, b,
			chromedp.Navigate(env.URL+decl),
			chromedp.WaitVisible(chromedp.CSS(`#review-form`)),
			chromedp.Click(chromedp.CSS(`#review-form input[value=approve]`)),
			chromedp.SendKeys(chromedp.CSS(`#review-form textarea[name=reason]`), step.reason),
		)
		// The answer is the declaration again, without a form: the stage has moved on.
		submit(t, b, `#review-form button[type=submit]`, `#declaration-state`)
		if Eval[bool](t, b, `!!document.querySelector('#review-form')`) {
			t.Fatalf("after %s's review the declaration still offers the review form", step.user)
		}
		if s := Text(t, b, "#declaration-state"); s != step.want {
			t.Fatalf("after %s's review: %q, want %q", step.user, s, step.want)
		}
	}
	Do(t, b, chromedp.Navigate(env.URL+"/enterprises/"+id), chromedp.WaitVisible(chromedp.CSS(`#timeline`)))
	Screenshot(t, b, "enterprise-timeline")
	if s := Text(t, b, "#enterprise-status"); s != "已复工" {
		t.Errorf("the enterprise is %q after approval", s)
	}
	if tl := Text(t, b, "#timeline"); !strings.Contains(tl, "乡镇审核：同意。理由：现场核查防控措施到位") || !strings.Contains(tl, "行业部门审核：同意。理由：符合复工复产条件") {
		t.Errorf("the timeline does not tell both decisions: %q", tl)
	}
}
