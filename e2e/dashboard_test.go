package e2e

import (
	"strconv"
	"strings"
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
	// The rolling late demands refresh with the figures: a demand that has just run out of
	// time joins the list, still without a reload.
	var late int64
	env.App.DB.R.QueryRow(`SELECT id FROM demands WHERE state NOT IN ('solved', 'confirmed', 'closed')
		AND NOT (response_late OR same_day_late OR solution_late) ORDER BY received_at DESC, id DESC LIMIT 1`).Scan(&late)
	if late == 0 {
		t.Fatal("the demo has no open demand that is on time")
	}
	link := `#dash-late a[href="/demands/` + strconv.FormatInt(late, 10) + `"]`
	if Eval[bool](t, ctx, `!!document.querySelector('`+link+`')`) {
		t.Fatalf("demand %d is in the late list before it is late", late)
	}
	env.App.DB.W.Exec(`UPDATE demands SET solution_late = TRUE WHERE id = $1`, late)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-refresh`)), chromedp.WaitVisible(chromedp.CSS(link)))
	if Eval[int](t, ctx, `window.__marker`) != 1 {
		t.Errorf("the late list was refreshed by reloading the page")
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

// The wall screen fits one 1920×1080 screen without scrolling, ranks every township with
// its name, and drills down by click: county → township → enterprise. A township officer
// opens their own township's dashboard.
func TestWallScreenFitsAndDrillsDown(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	Do(t, ctx, chromedp.EmulateViewport(1920, 1080))
	Login(t, ctx, env.URL, "command", apptest.Password)
	// The workbench on the wall takes the width: its ten figures in one row, its four lists
	// side by side (it was a 1200 px column, two lists a row, 1698 px tall on the demo).
	rows := Eval[[]int](t, ctx, `[new Set([...document.querySelectorAll('#home-figures .tile')].map(e => e.offsetTop)).size,
		new Set(['#home-late', '#home-escalated', '#home-today', '#home-alerts'].map(s => document.querySelector(s).offsetTop)).size]`)
	Screenshot(t, ctx, "workbench-1920")
	if len(rows) != 2 || rows[0] != 1 || rows[1] != 1 {
		t.Errorf("on a 1920 px wall the workbench's figures take %v rows and its four lists %v, want one each", rows[0], rows[1])
	}
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/dashboard?wall=1"),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-township svg`)),
	)
	Screenshot(t, ctx, "wall-1920")
	height := Eval[int](t, ctx, `document.documentElement.scrollHeight`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	// Every township's name is drawn on the ranked chart.
	missing := Eval[[]string](t, ctx, `(() => {
		const ch = echarts.getInstanceByDom(document.getElementById('chart-township'));
		const drawn = document.querySelector('#chart-township svg').textContent;
		return ch.getOption().yAxis[0].data.filter(n => !drawn.includes(n));
	})()`)
	var townships int
	env.App.DB.R.QueryRow(`SELECT COUNT(DISTINCT township) FROM enterprises`).Scan(&townships)
	ranked := Eval[int](t, ctx, `echarts.getInstanceByDom(document.getElementById('chart-township')).getOption().yAxis[0].data.length`)
	if height > 1080 || width > 1920 {
		t.Errorf("the wall screen is %d×%d px: it scrolls on a 1920×1080 screen", width, height)
	}
	if ranked != townships || len(missing) > 0 {
		t.Errorf("the township chart ranks %d of %d townships; names not drawn: %v", ranked, townships, missing)
	}
	// A click on the top township's bar opens its dashboard; a click on an enterprise there
	// opens the enterprise.
	xy := Eval[[]float64](t, ctx, `(() => {
		const ch = echarts.getInstanceByDom(document.getElementById('chart-township'));
		const o = ch.getOption(), n = o.yAxis[0].data.length - 1;
		const p = ch.convertToPixel({seriesIndex: 0}, [o.series[0].data[n] / 2, n]);
		const r = document.getElementById('chart-township').getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`)
	top := Eval[string](t, ctx, `(() => { const d = echarts.getInstanceByDom(document.getElementById('chart-township')).getOption().yAxis[0].data; return d[d.length-1]; })()`)
	Do(t, ctx, chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(chromedp.CSS(`#dash-enterprises`)))
	if h := Text(t, ctx, "main h1"); !strings.Contains(h, top) {
		t.Errorf("after clicking %s the dashboard reads %q", top, h)
	}
	Screenshot(t, ctx, "wall-township-1920")
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-enterprises a`)), chromedp.WaitVisible(chromedp.CSS(`.facts`)))

	// A township officer: their own township's dashboard, not 403.
	Do(t, ctx, chromedp.Navigate(env.URL+"/"), chromedp.Click(chromedp.CSS(`details.menu form button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	Login(t, ctx, env.URL, "township01", apptest.Password)
	Do(t, ctx, chromedp.Navigate(env.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded]`)))
	var town string
	env.App.DB.R.QueryRow(`SELECT r.name FROM users u JOIN regions r ON r.code = u.region WHERE u.username = 'township01'`).Scan(&town)
	if h := Text(t, ctx, "main h1"); town == "" || !strings.Contains(h, town) {
		t.Errorf("township01's dashboard reads %q, want %s's", h, town)
	}
}
