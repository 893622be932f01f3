package e2e

import (
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A liaison on a phone logs in and sees, in Chinese, the enterprises they are stationed at.
func TestLiaisonOnAPhoneSeesTheirEnterprises(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	// The tile counts enterprises as the offices do, poverty workshops apart; the list
	// shows every enterprise the liaison is stationed at.
	var want, stations int
	env.App.DB.R.QueryRow(`SELECT SUM(CASE WHEN e.workshop THEN 0 ELSE 1 END), COUNT(*) FROM liaison_assignments a JOIN users u ON u.id = a.user_id
		JOIN enterprises e ON e.id = a.enterprise_id WHERE u.username = 'liaison001'`).Scan(&want, &stations)

	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "liaison001", apptest.Password)
	greeting := Text(t, ctx, "main h1")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "liaison-home-375")
	// The menu folds away on a phone; a tap opens it, another its group.
	MenuTo(t, ctx, "/enterprises")
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#enterprise-list`)))
	items := Eval[int](t, ctx, `document.querySelectorAll('#enterprise-list li').length`)
	Screenshot(t, ctx, "liaison-enterprises-375")

	if !strings.Contains(greeting, "陈小斌") {
		t.Errorf("greeting %q does not name the liaison", greeting)
	}
	if items != stations {
		t.Errorf("liaison001 is stationed at %d enterprises (%d with workshops); the list shows %d", want, stations, items)
	}
	if width > 375 {
		t.Errorf("the page is %d px wide on a 375 px phone: it scrolls sideways", width)
	}
}

// Command at a desktop sees the whole county and the menu of a county-wide role.
func TestCommandAtADesktopSeesTheCounty(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	var all, resumed int
	env.App.DB.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN status = '已复工' THEN 1 ELSE 0 END) FROM enterprises WHERE NOT workshop`).Scan(&all, &resumed)

	Do(t, ctx, Desktop())
	Login(t, ctx, env.URL, "command", apptest.Password)
	total := Text(t, ctx, `[data-fig="resumption.total"] strong`)
	res := Text(t, ctx, `[data-fig="resumption.resumed"] strong`)
	// The menu's text whether or not the script has opened it yet.
	nav := Eval[string](t, ctx, `document.querySelector('details.menu nav').textContent`)
	Screenshot(t, ctx, "command-home-desktop")

	if total != strconv.Itoa(all) || res != strconv.Itoa(resumed) {
		t.Errorf("command sees %s enterprises, %s resumed; the county has %d, %d resumed", total, res, all, resumed)
	}
	for _, item := range []string{"操作日志", "账号", "行政区划"} {
		if !strings.Contains(nav, item) {
			t.Errorf("command's menu lacks %s: %q", item, nav)
		}
	}
}
