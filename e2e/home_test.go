package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// logout ends the session from the menu, as a person would, and waits for the login form.
func logout(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	Do(t, ctx, Desktop(), chromedp.Navigate(base+"/"), chromedp.Click(chromedp.CSS(`details.menu form button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
}

// Each role lands on its own work for today, the most urgent first, on the device it uses:
// the phone roles at 375 px without sideways scrolling, with a menu of at most seven
// groups holding only what the role can use.
func TestEachRoleLandsOnTheirDay(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := Browser(t)
	var stations int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'liaison001' AND a.to_date = ''`).Scan(&stations)
	var liaison string
	env.App.DB.R.QueryRow(`SELECT u.display_name FROM liaison_assignments a JOIN users u ON u.id = a.user_id JOIN users e ON e.enterprise_id = a.enterprise_id
		WHERE e.username = 'enterprise001' AND a.to_date = ''`).Scan(&liaison)

	for _, c := range []struct {
		user  string
		phone bool
		// first is the id of the first block of work; has are texts the page must show.
		first string
		has   []string
		// menu must and must not hold these entries.
		menu, notMenu []string
	}{
		{"liaison001", true, "home-demands", []string{"提诉求", "我派驻的企业", "今日"}, []string{"/visits", "/demands/new"}, []string{"/audit", "/dashboard"}},
		{"enterprise001", true, "home-today", []string{liaison, "我的诉求", "应享政策"}, []string{"/demands", "/entitlements"}, []string{"/visits", "/users"}},
		{"village001", true, "home-seekers", []string{"登记求职人员", "待转达的就业信息"}, []string{"/job-seekers", "/broadcasts"}, []string{"/enterprises", "/declarations", "/entitlements", "/health"}},
		{"leader01", true, "home-linked", []string{"领导包联", "超时诉求"}, []string{"/dashboard/leaders"}, []string{"/users", "/demands/new"}},
		{"township01", false, "home-demands", []string{"待我审核的复工申报"}, []string{"/declarations"}, []string{"/audit"}},
		{"command", false, "home-late", []string{"打开指挥中心", "超时诉求", "待调度诉求", "今日诉求", "健康预警", "今日日报未报", "复工率"}, []string{"/audit", "/users", "/regions", "/dashboard"}, nil},
	} {
		t.Run(c.user, func(t *testing.T) {
			switch {
			case c.phone:
				Do(t, ctx, Phone())
			case c.user == "command":
				Do(t, ctx, chromedp.EmulateViewport(1440, 900)) // the command's office screen
			default:
				Do(t, ctx, Desktop())
			}
			Login(t, ctx, env.URL, c.user, apptest.Password)
			first := Eval[string](t, ctx, `(document.querySelector('main section.worklist') || {}).id || ''`)
			text := Text(t, ctx, "main")
			groups := Eval[int](t, ctx, `document.querySelectorAll('details.menu nav > a, details.menu nav > details').length`)
			links := Eval[[]string](t, ctx, `[...document.querySelectorAll('details.menu nav a')].map(a => a.getAttribute('href'))`)
			width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
			if c.phone {
				Screenshot(t, ctx, "home-"+c.user+"-375")
			} else {
				Screenshot(t, ctx, "home-"+c.user+"-desktop")
			}
			if first != c.first {
				t.Errorf("%s's home starts with %q, want %q", c.user, first, c.first)
			}
			for _, s := range c.has {
				if !strings.Contains(text, s) {
					t.Errorf("%s's home lacks %q", c.user, s)
				}
			}
			// Home, the groups, messages, password, log out: the groups are at most seven.
			if groups-3 > 7 {
				t.Errorf("%s's menu has %d entries at its top level", c.user, groups-3)
			}
			in := map[string]bool{}
			for _, l := range links {
				in[l] = true
			}
			for _, m := range c.menu {
				if !in[m] {
					t.Errorf("%s's menu lacks %s: %v", c.user, m, links)
				}
			}
			for _, m := range c.notMenu {
				if in[m] {
					t.Errorf("%s's menu offers %s, which the role cannot use", c.user, m)
				}
			}
			if c.phone && width > 375 {
				t.Errorf("%s's home is %d px wide on a 375 px phone", c.user, width)
			}
			if c.user == "liaison001" {
				// Tap targets a thumb can hit: the raise button and every line of work.
				if h := Eval[float64](t, ctx, `document.querySelector('#home-demands a.button').getBoundingClientRect().height`); h < 44 {
					t.Errorf("提诉求 is %.0f px tall on a phone, want at least 44", h)
				}
				if n := Eval[int](t, ctx, `document.querySelectorAll('#home-visits li').length`); n != stations {
					t.Errorf("liaison001 is stationed at %d enterprises; the home lists %d", stations, n)
				}
			}
			if c.user == "command" {
				// The workbench at 7 a.m.: the dashboard's figures, then the work, the
				// overdue first, in two columns; today's demands counted by state.
				order := Eval[[]string](t, ctx, `[...document.querySelectorAll('main section.worklist')].map(s => s.id)`)
				if strings.Join(order, " ") != "home-late home-escalated home-today home-alerts home-reports" {
					t.Errorf("the command's workbench lists %v", order)
				}
				var resumed int
				env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE NOT workshop AND status = '已复工'`).Scan(&resumed)
				if got := Text(t, ctx, `[data-fig="resumption.resumed"] strong`); got != strconv.Itoa(resumed) {
					t.Errorf("the workbench says %s resumed; the county has %d", got, resumed)
				}
				var today int
				env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE day = '2020-03-09'`).Scan(&today)
				chips := Eval[int](t, ctx, `[...document.querySelectorAll('#home-today .chips a:not(.bad) strong')].reduce((n, s) => n + Number(s.textContent), 0)`)
				if chips != today {
					t.Errorf("today's demands by state add up to %d; %d came in today", chips, today)
				}
				cols := Eval[int](t, ctx, `new Set([...document.querySelectorAll('main section.worklist')].map(s => Math.round(s.getBoundingClientRect().left))).size`)
				if cols != 2 {
					t.Errorf("the workbench at 1440 px has %d columns, want 2", cols)
				}
			}
			if c.user == "leader01" {
				// The phone menu fits one screen: groups that open with a tap.
				Do(t, ctx, chromedp.Click(chromedp.CSS(`details.menu > summary`)), chromedp.WaitVisible(chromedp.CSS(`details.menu nav`)))
				Screenshot(t, ctx, "menu-leader01-375")
				if bottom := Eval[float64](t, ctx, `document.querySelector('details.menu nav').getBoundingClientRect().bottom`); bottom > 812 {
					t.Errorf("the leader's open menu reaches %.0f px on an 812 px tall phone", bottom)
				}
			}
			if c.user == "enterprise001" {
				// One tap from the home to a demand's work order; the enterprise page fits
				// the phone and names the enterprise's liaison.
				Do(t, ctx, chromedp.Click(chromedp.CSS(`#home-demands li a`)), chromedp.WaitVisible(chromedp.CSS(`#demand-ribbon`)))
				Screenshot(t, ctx, "demand-enterprise001-375")
				if w := Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
					t.Errorf("the work order is %d px wide on a 375 px phone", w)
				}
				Do(t, ctx, chromedp.Click(chromedp.CSS(`main p a[href^="/enterprises/"]`)), chromedp.WaitVisible(chromedp.CSS(`.facts`)))
				Screenshot(t, ctx, "enterprise-enterprise001-375")
				if w := Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
					t.Errorf("the enterprise page is %d px wide on a 375 px phone", w)
				}
				if facts := Text(t, ctx, ".facts"); !strings.Contains(facts, liaison) {
					t.Errorf("the enterprise page does not name its liaison %s", liaison)
				}
			}
			logout(t, ctx, env.URL)
		})
	}
}
