package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fugong/app/apptest"
)

// templateFixture is a template filled and saved by LibreOffice (xlsx/testdata/templates).
func templateFixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "xlsx", "testdata", "templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkTemplateLink checks that the page links its import's template and that the link,
// followed in the browser's session, gives a workbook.
func checkTemplateLink(t *testing.T, ctx context.Context, href string) {
	t.Helper()
	got := Eval[string](t, ctx, `(document.querySelector('#import-template') || {}).getAttribute ? document.querySelector('#import-template').getAttribute('href') : ''`)
	if got != href {
		t.Fatalf("the page links the template %q, want %q", got, href)
	}
	answer := Get(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.status + ' ' + r.headers.get('Content-Type'))`, href), chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(answer, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Errorf("the template %s answers %q", href, answer)
	}
}

// A liaison on a phone takes the demands template from the import page, and imports it
// as the office filled it in LibreOffice: the preview fits 375 px and carries a token, not
// the rows; the confirmation raises the demand.
func TestLiaisonImportsTheDemandsTemplateOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "liaison001", apptest.Password)
	Do(t, ctx, chromedp.Navigate(env.URL+"/demands/import"), chromedp.WaitVisible(chromedp.CSS(`main input[name=file]`)))
	checkTemplateLink(t, ctx, "/demands/import/template.xlsx")
	if w := Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the import page is %d px wide on a 375 px phone", w)
	}
	Do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`main input[name=file]`), []string{templateFixture(t, "demands.xlsx")}))
	submit(t, ctx, `main form button[type=submit]`, `#import-preview`)
	html := Eval[string](t, ctx, `document.documentElement.outerHTML`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "liaison-demands-template-preview-375")
	if strings.Contains(html, "payload") || !strings.Contains(html, "/commit\"") {
		t.Error("the preview carries its rows, or no token to confirm")
	}
	if width > 375 {
		t.Errorf("the preview is %d px wide on a 375 px phone", width)
	}
	submit(t, ctx, `main form[action$="/commit"] button`, `.flash`)
	var n int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE description = '模板测试：口罩不足'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d demands raised from the template, want 1", n)
	}
}

// An enterprise's contact on a phone takes the workers template from the health board and
// imports it as filled in LibreOffice, previewed masked, then confirmed.
func TestEnterpriseImportsTheWorkersTemplateOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var ent int64
	env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&ent)
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "enterprise001", apptest.Password)
	board := fmt.Sprintf("%s/health/enterprises/%d", env.URL, ent)
	Do(t, ctx, chromedp.Navigate(board), chromedp.WaitVisible(chromedp.CSS(`#import input[name=file]`)))
	checkTemplateLink(t, ctx, "/workers/template.xlsx")
	Do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#import input[name=file]`), []string{templateFixture(t, "workers.xlsx")}))
	submit(t, ctx, `#import form button[type=submit]`, `#import-preview`)
	html := Eval[string](t, ctx, `document.getElementById('import').outerHTML`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "enterprise-workers-template-preview-375")
	if !strings.Contains(html, "模板甲") || strings.Contains(html, "13807441234") {
		t.Error("the preview does not show the rows, or shows a phone in clear")
	}
	if width > 375 {
		t.Errorf("the board is %d px wide on a 375 px phone", width)
	}
	submit(t, ctx, `#import form input[name=token] ~ button`, `.flash`)
	var n int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE enterprise_id = $1 AND name IN ('模板甲', '模板乙')`, ent).Scan(&n)
	if n != 2 {
		t.Errorf("%d workers imported from the template, want 2", n)
	}
}

// The command, at a desktop, takes the dispatch template and stations a cadre from it:
// the preview carries a token, not the phones.
func TestCommandDispatchesFromTheTemplate(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, Desktop())
	Login(t, ctx, env.URL, "command", apptest.Password)
	Do(t, ctx, chromedp.Navigate(env.URL+"/liaison/dispatch"), chromedp.WaitVisible(chromedp.CSS(`#dispatch-form input[name=file]`)))
	checkTemplateLink(t, ctx, "/liaison/dispatch/template.xlsx")
	Do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#dispatch-form input[name=file]`), []string{templateFixture(t, "dispatch.xlsx")}))
	submit(t, ctx, `#dispatch-form button[type=submit]`, `#dispatch-preview`)
	html := Eval[string](t, ctx, `document.documentElement.outerHTML`)
	Screenshot(t, ctx, "command-dispatch-template-preview")
	if strings.Contains(html, "13600000009") || strings.Contains(html, `name="rows"`) {
		t.Error("the preview carries the rows (a phone)")
	}
	submit(t, ctx, `#dispatch-commit button`, `.flash`)
	var n int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM users WHERE display_name = '模板丁' AND role = 'liaison'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d cadres stationed from the template, want 1", n)
	}
}
