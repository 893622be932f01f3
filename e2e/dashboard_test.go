package e2e

import (
	"strconv"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// The command opens the dashboard on a desktop: the script fetches the figures, fills the
// tiles and draws the charts; the numbers read from the page are the API's. The wall
// screen hides the menu.
func TestCommandReadsTheDashboard(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, Desktop())
	Login(t, ctx, env.URL, "command", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/dashboard?date=2020-03-09"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-trend svg`)),
	)
	resumed := Text(t, ctx, `[data-fig="resumption.resumed"] strong`)
	rate := Text(t, ctx, `[data-fig="resumption.rate"] strong`)
	href := Eval[string](t, ctx, `document.querySelector('[data-fig="demands.in"]').getAttribute('href')`)
	panels := Eval[int](t, ctx, `document.querySelectorAll('#dash-panels [data-panel]').length`)
	Screenshot(t, ctx, "dashboard-desktop")

	var want int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND resumed_on <> '' AND resumed_on <= '2020-03-09'`).Scan(&want)
	if resumed != strconv.Itoa(want) || rate != "100%" {
		t.Errorf("the dashboard reads %q resumed at %q; the rows say %d at 100%%", resumed, rate, want)
	}
	if href != "/demands?day=2020-03-09" || panels < 4 {
		t.Errorf("demands link %q, %d panels", href, panels)
	}

	// A figure changed in the database shows at the next refresh (every 30 s, or the
	// refresh button), without a reload.
	env.App.DB.W.Exec(`UPDATE enterprises SET resumed_on = '' WHERE id = (SELECT MIN(id) FROM enterprises WHERE workshop = FALSE)`)
	Get(t, ctx, chromedp.Evaluate[int](`window.__marker = 1`))
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-refresh`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="2"]`)))
	if got := Text(t, ctx, `[data-fig="resumption.resumed"] strong`); got != strconv.Itoa(want-1) || Eval[int](t, ctx, `window.__marker`) != 1 {
		t.Errorf("after the change the tile reads %q, want %d, without a reload", got, want-1)
	}

	Do(t, ctx,
		chromedp.Navigate(env.URL+"/dashboard?wall=1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded]`)),
	)
	if Eval[bool](t, ctx, `getComputedStyle(document.querySelector('header.top')).display !== 'none'`) {
		t.Errorf("the wall screen shows the menu")
	}
	Screenshot(t, ctx, "dashboard-wall")
}
