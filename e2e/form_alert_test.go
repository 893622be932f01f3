package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// A village cadre on a 375 px phone records an impossible reading for a person on the
// screenings list's second page; the page answers with its first, where that row is not:
// the one alert names what is wrong instead of 「填写有误，请按提示修改。」 alone.
func TestARefusalOffTheFormIsNamedOnAPhone(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	cadre := env.Login(t, "village001")
	for i := range 51 {
		if status, _, body := cadre.Form("/screenings", url.Values{"name": {fmt.Sprintf("居家%02d", i)}, "from_region": {"湖北省武汉市"}, "returned_on": {"2020-03-06"}}); status != 303 {
			t.Fatalf("screening %d: %d %s", i, status, body)
		}
	}
	var first int64
	env.App.DB.R.QueryRow(`SELECT id FROM screenings WHERE name = '居家00'`).Scan(&first)
	// Screened two days ago, 居家00 owes today's reading: the row offers its form.
	if _, err := env.App.DB.W.Exec(`UPDATE screenings SET day = '2020-03-07' WHERE id = $1`, first); err != nil {
		t.Fatal(err)
	}
	ctx := Browser(t)
	Do(t, ctx, Phone())
	Login(t, ctx, env.URL, "village001", apptest.Password)
	row := fmt.Sprintf("#s%d", first)
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/screenings?offset=50"),
		chromedp.WaitVisible(chromedp.CSS(row+` input[name=reading]`)),
	)
	Do(t, ctx, chromedp.SetValue(chromedp.CSS(row+` input[name=reading]`), "99"))
	submit(t, ctx, row+` button[type=submit]`, `div.alert[role=alert]`)
	alert := Text(t, ctx, `div.alert[role=alert]`)
	alerts := Eval[int](t, ctx, `document.querySelectorAll('div.alert[role=alert]').length`)
	width := Eval[int](t, ctx, `document.documentElement.scrollWidth`)
	Screenshot(t, ctx, "screening-refused-off-page-375")
	if !strings.Contains(alert, "体温应写成如 36.5 的形式") {
		t.Errorf("the alert says %q, want the reading's message", alert)
	}
	if alerts != 1 {
		t.Errorf("the refused page shows %d alerts, want one", alerts)
	}
	if width > 375 {
		t.Errorf("the refused page is %d px wide on a 375 px phone", width)
	}
}
