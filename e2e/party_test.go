package e2e

import (
	"fmt"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// On a phone, the command corrects a wrongly entered party application (a refusal names
// the day and the first allowed one), and a village cadre reads the list, whose totals count
// the probationary members, with nothing to edit.
func TestPartyApplicationCorrectedOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	var id int64
	env.App.DB.R.QueryRow(`SELECT id FROM party_applications WHERE name = '秦明树'`).Scan(&id)
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "command", apptest.Password)
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/party-applications/%d/edit", env.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#party-edit`)),
		chromedp.SetValue(chromedp.CSS(`#party-edit input[name=activist_on]`), "2019-06-01"),
	)
	submit(t, ctx, `#party-edit button[type=submit]`, `#party-edit`)
	refusal := Text(t, ctx, "#party-edit")
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "party-edit-refused-375")
	if !strings.Contains(refusal, "2020-06-01 起才能列为发展对象") {
		t.Errorf("the refusal says %q, want the first allowed day", refusal)
	}
	if width > 375 {
		t.Errorf("the edit page is %d px wide on a 375 px phone", width)
	}
	Do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#party-edit input[name=activist_on]`), "2019-03-01"),
		chromedp.SetValue(chromedp.CSS(`#party-edit input[name=post]`), "三合镇健康服务点辅警"),
	)
	submit(t, ctx, `#party-edit button[type=submit]`, `#party-list`)
	if row := Text(t, ctx, fmt.Sprintf("#a%d", id)); !strings.Contains(row, "三合镇健康服务点辅警") {
		t.Errorf("after the correction the row says %q", row)
	}
}

// A county leader reads the party list on a phone: the totals count the probationary
// members, and there is nothing to edit. (Township and village cadres, whose scope is a
// place while an application has only its county, do not have the list.)
func TestPartyListOnALeadersPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	liaison := Browser(t)
	Do(t, liaison, Phone())
	Login(t, liaison, env.URL, "leader01", apptest.Password)
	Do(t, liaison, chromedp.Navigate(env.URL+"/party-applications"))
	Screenshot(t, liaison, "party-list-leader-375")
	Do(t, liaison, chromedp.WaitVisible(chromedp.CSS(`#party-totals`)))
	totals := Text(t, liaison, "#party-totals")
	edits := Eval[int](t, liaison, `document.querySelectorAll('a.edit').length`)
	width := Eval[int](t, liaison, `document.documentElement.scrollWidth`)
	if !strings.Contains(totals, "预备党员") || edits != 0 {
		t.Errorf("the leader reads %q with %d edit links", totals, edits)
	}
	if width > 375 {
		t.Errorf("the party list is %d px wide on a 375 px phone", width)
	}
}
