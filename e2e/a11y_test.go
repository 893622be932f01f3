package e2e

import (
	"context"
	_ "embed"
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored from npm (testdata/axe.README.md says which version).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeRun runs axe-core over the page and keeps the serious and critical violations.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
	.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => v.impact + " " + v.id + " (" + v.help + "): " + v.nodes.slice(0, 4).map(n => n.target.join(" ") +
		(n.any.length && n.any[0].message ? " — " + n.any[0].message : "")).join(" | ")))`

// Axe checks the page in the tab against WCAG with axe-core and returns one line per
// serious or critical violation: the rule, what it asks, and the first elements that
// break it.
func Axe(t testing.TB, ctx context.Context) []string {
	t.Helper()
	if !Eval[bool](t, ctx, `typeof window.axe === "object"`) {
		Get(t, ctx, chromedp.Evaluate[bool](axeSource+"\n;true"))
	}
	return Get(t, ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
}

// a11yPage is one page a role works on, and what shows that it is ready.
type a11yPage struct{ path, ready string }

// Every role's home and main task pages pass axe-core without a serious or critical
// violation (contrast, names of buttons, links and fields, landmarks), on the device the
// role uses: the phone roles at 375 px, the command and admin at 1440 px, the wall screen
// at 1920×1080.
func TestEveryRolesPagesAreAccessible(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	id := func(q string) string {
		var n int64
		if err := env.App.DB.R.QueryRow(q).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: %d, %v", q, n, err)
		}
		return strconv.FormatInt(n, 10)
	}
	ent := id(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`)
	entDemand := id(`SELECT MIN(id) FROM demands WHERE enterprise_id = ` + ent)
	station := id(`SELECT MIN(a.enterprise_id) FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'liaison001' AND a.to_date = ''`)
	liaisonDemand := id(`SELECT MIN(d.id) FROM demands d JOIN liaison_assignments a ON a.enterprise_id = d.enterprise_id AND a.to_date = ''
		JOIN users u ON u.id = a.user_id WHERE u.username = 'liaison001' AND d.state NOT IN ('solved', 'confirmed', 'closed')`)
	escalated := id(`SELECT MIN(id) FROM demands WHERE state IN ('escalated', 'received')`)
	villager := id(`SELECT MIN(v.id) FROM villagers v JOIN users u ON u.region = v.village WHERE u.username = 'village001'`)
	main := "main h1"
	phone, office, wall := Phone(), chromedp.EmulateViewport(1440, 900), chromedp.EmulateViewport(1920, 1080)

	for _, c := range []struct {
		user   string
		screen Step
		pages  []a11yPage
	}{
		{"", phone, []a11yPage{{"/login", "form.form"}}},
		{"liaison001", phone, []a11yPage{{"/", main}, {"/demands", main}, {"/demands/new", main}, {"/demands/" + liaisonDemand, "#demand-ribbon"},
			{"/visits", main}, {"/visits/new?enterprise_id=" + station, main}, {"/health", main}}},
		{"enterprise001", phone, []a11yPage{{"/", main}, {"/demands/" + entDemand, "#demand-ribbon"}, {"/enterprises/" + ent, ".facts"},
			{"/demands/new", main}, {"/entitlements", main}, {"/notifications", main}}},
		{"village001", phone, []a11yPage{{"/", main}, {"/job-seekers", main}, {"/job-seekers/new", main}, {"/broadcasts", main}, {"/employment", main},
			{"/villagers/" + villager + "/edit", main}, {"/villagers/" + villager + "/retire", main}}},
		{"leader01", phone, []a11yPage{{"/", main}, {"/dashboard/leaders", main}, {"/demands/queue", main}}},
		{"township01", office, []a11yPage{{"/", main}, {"/declarations", main}, {"/dashboard", "#dashboard[data-loaded]"}}},
		{"command", office, []a11yPage{{"/", main}, {"/dashboard", "#dashboard[data-loaded]"}, {"/demands/queue", main}, {"/demands", main},
			{"/demands/" + escalated, "#demand-ribbon"}, {"/reports/daily", main}, {"/enterprises", main}}},
		{"command", wall, []a11yPage{{"/dashboard?wall=1", "#chart-township svg"}}},
		{"admin", office, []a11yPage{{"/", main}, {"/users", main}, {"/setup", main}, {"/org-units", main}, {"/audit", main}}},
	} {
		name := c.user
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			ctx := Browser(t) // a browser per person, each with the harness's time limit
			Do(t, ctx, c.screen)
			if c.user != "" {
				Login(t, ctx, env.URL, c.user, apptest.Password)
			}
			for _, pg := range c.pages {
				Do(t, ctx, chromedp.Navigate(env.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
				if v := Axe(t, ctx); len(v) > 0 {
					t.Errorf("%s on %s: %d serious or critical accessibility violations:\n%s", name, pg.path, len(v), strings.Join(v, "\n"))
				}
			}
		})
	}
}
