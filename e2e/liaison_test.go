package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// online switches the tab's network off or back on, as a phone losing its signal: the
// requests fail and navigator.onLine follows.
func online(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	cond := []*network.Conditions{}
	if !on {
		cond = append(cond, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: cond}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: !on, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
}

// waitJS polls a JavaScript condition until it holds, through page loads, as long as the
// test's browser context lasts (an answer may take long on a loaded machine: the people
// import hashes 180 initial passwords).
func waitJS(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	start := time.Now()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = start.Add(90 * time.Second)
	}
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' | ' + navigator.onLine + ' | ' + (document.getElementById('visit-status') || {}).textContent + ' | ' + localStorage.getItem('fugong.visits.pending')`))
	t.Fatalf("waited %s for %s; the page: %s", time.Since(start).Round(time.Second), what, status)
}

// A liaison at the enterprise on a 375 px phone checks in (with the phone's position),
// ticks what was done, raises a demand and checks out — with no signal. The form waits on
// the phone and goes when the network returns; sent again, it still makes one visit and
// one demand.
func TestLiaisonLogsAVisitOfflineAndItIsSentOnce(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	db := env.App.DB.R
	Do(t, ctx, Phone())
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted}); err != nil {
		t.Fatal(err)
	}
	lat, lng, acc := 29.4290, 111.1210, 25.0
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lng, Accuracy: &acc}); err != nil {
		t.Fatal(err)
	}
	Login(t, ctx, env.URL, "liaison001", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/visits"),
		chromedp.WaitVisible(chromedp.CSS(`#my-enterprises`)),
		chromedp.Click(chromedp.CSS(`#my-enterprises li:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`#visit-form`)),
	)
	waitJS(t, ctx, `document.querySelector('#visit-form').elements.located.value === '1'`, "the phone's position")
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name=tasks][value="宣传政策"]`)),
		chromedp.Click(chromedp.CSS(`input[name=tasks][value="发放口罩或预防中药"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=findings]`), "帮助204名工人领服预防中药汤剂"),
		chromedp.Click(chromedp.CSS(`details.raise summary`)),
		chromedp.SetValue(chromedp.CSS(`select[name=demand_category]`), "supplies"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=demand_description]`), "口罩存量只能支撑5天，每天需要约300个"),
	)
	uuid := Eval[string](t, ctx, `document.querySelector('#visit-form').elements.client_uuid.value`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "visit-form-375")

	online(t, ctx, false)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#visit-submit`)))
	waitJS(t, ctx, `document.getElementById('visit-status').textContent.indexOf('网络不通') >= 0`, "the offline notice")
	kept := Eval[string](t, ctx, `localStorage.getItem('fugong.visits.pending')`)
	Screenshot(t, ctx, "visit-offline-375")
	visits := func() (n, d int) {
		db.QueryRow(`SELECT COUNT(*) FROM visits WHERE client_uuid = $1`, uuid).Scan(&n)
		db.QueryRow(`SELECT COUNT(*) FROM visit_demands d JOIN visits v ON v.id = d.visit_id WHERE v.client_uuid = $1`, uuid).Scan(&d)
		return
	}
	if n, _ := visits(); n != 0 {
		t.Fatalf("with no network the server has %d visits of this form", n)
	}
	if !strings.Contains(kept, uuid) {
		t.Fatalf("the form is not kept on the phone: %q", kept)
	}

	online(t, ctx, true)
	waitJS(t, ctx, `!!document.getElementById('visit-demand')`, "the visit page after the network returned")
	page := Text(t, ctx, "main")
	Screenshot(t, ctx, "visit-sent-375")
	if n, d := visits(); n != 1 || d != 1 {
		t.Fatalf("after the network returned: %d visits and %d demands, want 1 and 1", n, d)
	}
	var located bool
	db.QueryRow(`SELECT located FROM visits WHERE client_uuid = $1`, uuid).Scan(&located)
	if !located {
		t.Errorf("the visit lost the phone's position")
	}
	for _, want := range []string{"走访已记录", "口罩存量只能支撑5天", "发放口罩或预防中药", "陈小斌"} {
		if !strings.Contains(page, want) {
			t.Errorf("the visit page lacks %q", want)
		}
	}

	// The answer was lost on the way back, say, and the phone sends the same form again.
	Eval[bool](t, ctx, `localStorage.setItem('fugong.visits.pending', `+jsString(kept)+`) === undefined`)
	Do(t, ctx, chromedp.Navigate(env.URL+"/visits"))
	waitJS(t, ctx, `(localStorage.getItem('fugong.visits.pending') || '[]') === '[]'`, "the resend")
	if n, d := visits(); n != 1 || d != 1 {
		t.Errorf("after a resend: %d visits and %d demands, want 1 and 1", n, d)
	}
	if width > 375 {
		t.Errorf("the visit form is %d px wide on a 375 px phone", width)
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
