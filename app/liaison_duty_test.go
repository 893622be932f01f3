package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"
)

func TestFourResponsibilitiesGapsCountedFromTheRows(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		// What the rows say: who could answer for each enterprise.
		covered := map[string]bool{} // focus areas some department officer supervises
		rows, _ := db.Query(`SELECT o.focus_areas FROM org_units o WHERE o.kind = 'department' AND EXISTS (SELECT 1 FROM users u WHERE u.org_unit_id = o.id AND u.role = 'department')`)
		for rows.Next() {
			var areas string
			rows.Scan(&areas)
			for _, a := range strings.Split(areas, ",") {
				covered[a] = true
			}
		}
		rows.Close()
		overridden := map[string]bool{}
		rows, _ = db.Query(`SELECT enterprise_id, kind FROM responsibility_overrides`)
		for rows.Next() {
			var id int64
			var kind string
			rows.Scan(&id, &kind)
			overridden[strconv.FormatInt(id, 10)+kind] = true
		}
		rows.Close()
		gaps := map[string]int{}
		var firstGap int64
		var firstDuty string
		rows, _ = db.Query(`SELECT e.id, e.contact_name, e.focus_area, e.workshop,
			EXISTS (SELECT 1 FROM users u WHERE u.role = 'township' AND u.region = e.township),
			EXISTS (SELECT 1 FROM liaison_assignments a WHERE a.enterprise_id = e.id AND a.to_date = '') FROM enterprises e ORDER BY e.id`)
		any := 0
		for rows.Next() {
			var id int64
			var contact, focus string
			var workshop, town, liaison bool
			rows.Scan(&id, &contact, &focus, &workshop, &town, &liaison)
			key := strconv.FormatInt(id, 10)
			// A poverty workshop is supervised by the department covering 扶贫车间.
			dept := focus != "" && covered[focus] || workshop && covered["扶贫车间"]
			has := map[string]bool{"enterprise": contact != "", "township": town, "department": dept, "liaison": liaison}
			gap := false
			for _, duty := range []string{"enterprise", "township", "department", "liaison"} {
				if !has[duty] && !overridden[key+duty] {
					gaps[duty]++
					gap = true
					if firstGap == 0 {
						firstGap, firstDuty = id, duty
					}
				}
			}
			if gap {
				any++
			}
		}
		rows.Close()
		if !covered["扶贫车间"] {
			t.Errorf("no department supervises poverty workshops in the demo")
		}
		c := env.Login(t, "command")
		st, body := c.Page("/responsibilities/gaps")
		if st != http.StatusOK {
			t.Fatalf("gaps: %d", st)
		}
		if got := figure(t, body, "gap-total"); got != any {
			t.Errorf("enterprises with a gap: page %d, rows %d", got, any)
		}
		for _, d := range []string{"enterprise", "township", "department", "liaison"} {
			if got := figure(t, body, "gap-"+d); got != gaps[d] {
				t.Errorf("%s gaps: page %d, rows %d", d, got, gaps[d])
			}
		}
		if firstGap == 0 {
			return // nobody is missing: nothing to name
		}
		// Command names a person for one gap: one fewer.
		path := "/responsibilities/" + strconv.FormatInt(firstGap, 10)
		if st, _ := c.Page(path); st != http.StatusOK {
			t.Fatalf("edit page: %d", st)
		}
		if st, _, _ := c.Form(path, url.Values{"duty": {firstDuty}, "name": {"县乡村振兴局·李明"}, "phone": {"13607440000"}}); st != http.StatusSeeOther {
			t.Fatalf("name a person: %d", st)
		}
		_, body = c.Page("/responsibilities/gaps")
		if got := figure(t, body, "gap-"+firstDuty); got != gaps[firstDuty]-1 {
			t.Errorf("after naming one: %d %s gaps, want %d", got, firstDuty, gaps[firstDuty]-1)
		}
		// A township officer sees only their township's enterprises and may not name anyone.
		tc := env.Login(t, "township01")
		if st, _, _ := tc.Form(path, url.Values{"duty": {"department"}, "name": {"x"}}); st != http.StatusForbidden {
			t.Errorf("a township officer overrides: %d, want 403", st)
		}
	})
}
