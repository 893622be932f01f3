package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// A party application is recorded on its page and moves through every stage to full
// membership: a year as activist, a year as probationary member (预备党员), each refused
// before its day with that day named.
func TestPartyApplicationPathHasEveryStage(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		web := env.Login(t, "command")
		status, _, body := web.Form("/party-applications", url.Values{"name": {"向前进"}, "unit": {"县人民医院"}, "post": {"护士"}, "applied_on": {"2020-03-10"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "日期不能晚于今天") {
			t.Errorf("an application dated tomorrow: %d, want 422 naming the date", status)
		}
		if status, _, body = web.Form("/party-applications", url.Values{"name": {"向前进"}, "unit": {"县人民医院"}, "post": {"护士"}, "applied_on": {"2020-03-01"}}); status != http.StatusSeeOther {
			t.Fatalf("recording an application: %d %s", status, body)
		}
		if _, page := web.Page("/party-applications?stage=applicant&limit=200"); !strings.Contains(page, "向前进") && !strings.Contains(page, "party-list") {
			t.Errorf("the new application is not listed")
		}
		api := env.APIClient(t, "command")
		if status, b := api.JSON("POST", "/api/v1/party-applications", map[string]any{"name": "李一线", "unit": "县公安局", "applied_on": "2020-02-20"}); status != http.StatusCreated {
			t.Errorf("API, a new application: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/party-applications", map[string]any{"name": "", "unit": "县公安局", "applied_on": "0000-01-01"}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"name"`) || !strings.Contains(string(b), `"applied_on"`) {
			t.Errorf("API, an application with no name on 0000-01-01: %d %s", status, b)
		}

		// 秦明树, a development object since 6 March, becomes a probationary member today;
		// full membership waits a year.
		var qin, version int64
		db.QueryRow(`SELECT id, version FROM party_applications WHERE name = '秦明树'`).Scan(&qin, &version)
		path := fmt.Sprintf("/party-applications/%d/advance", qin)
		if status, _, body = web.Form(path, url.Values{"stage": {"probationary"}, "day": {"2020-03-09"}, "version": {fmt.Sprint(version)}}); status != http.StatusSeeOther {
			t.Fatalf("admitting 秦明树 as probationary member: %d %s", status, body)
		}
		status, _, body = web.Form(path, url.Values{"stage": {"member"}, "day": {"2020-03-09"}, "version": {fmt.Sprint(version + 1)}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "2021-03-09") || !strings.Contains(body, "预备期一年") {
			t.Errorf("full membership the same day: %d, want 422 naming 2021-03-09", status)
		}
		var stage, probOn string
		db.QueryRow(`SELECT stage, probationary_on FROM party_applications WHERE id = $1`, qin).Scan(&stage, &probOn)
		if stage != "probationary" || probOn != "2020-03-09" {
			t.Errorf("秦明树: %s since %s", stage, probOn)
		}
		if _, page := web.Page("/party-applications"); !strings.Contains(page, "预备党员") {
			t.Errorf("the counts have no 预备党员 column")
		}
	})
}

// The court records its visit on the judicial page; the API refuses an org unit that is
// not a judicial body, naming org_unit_id, from the command and from a department alike.
func TestJudicialVisitsFromThePage(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var court int64
		var judge string
		db.QueryRow(`SELECT o.id, u.username FROM org_units o JOIN users u ON u.org_unit_id = o.id WHERE o.name = '县人民法院' ORDER BY u.id LIMIT 1`).Scan(&court, &judge)
		var health int64
		var officer string
		db.QueryRow(`SELECT o.id, u.username FROM org_units o JOIN users u ON u.org_unit_id = o.id WHERE o.name = '县卫生健康局' ORDER BY u.id LIMIT 1`).Scan(&health, &officer)
		var ent int64
		db.QueryRow(`SELECT id FROM enterprises ORDER BY id LIMIT 1`).Scan(&ent)
		web := env.Login(t, judge)
		if _, page := web.Page("/judicial-visits"); !strings.Contains(page, `action="/judicial-visits"`) {
			t.Fatalf("the court has no form to record a visit")
		}
		status, _, body := web.Form("/judicial-visits", url.Values{"enterprise_id": {fmt.Sprint(ent)}, "day": {"2020-03-09"}, "visitor": {"王法官"}, "need": {"一笔货款被拖欠，想了解诉前调解"}})
		if status != http.StatusSeeOther {
			t.Fatalf("the court records a visit: %d %s", status, body)
		}
		var demand int64
		db.QueryRow(`SELECT demand_id FROM judicial_visits WHERE visitor = '王法官'`).Scan(&demand)
		if demand == 0 {
			t.Errorf("the need did not become a demand")
		}
		status, _, body = web.Form("/judicial-visits", url.Values{"enterprise_id": {fmt.Sprint(ent)}, "day": {"2020-03-09"}, "visitor": {""}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "必填") && !strings.Contains(body, "请填写") {
			t.Errorf("a visit without the visitor: %d, want 422 naming the field", status)
		}
		in := map[string]any{"org_unit_id": health, "enterprise_id": ent, "day": "2020-03-09", "visitor": "张科长"}
		status, b := env.APIClient(t, "command").JSON("POST", "/api/v1/judicial-visits", in)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"org_unit_id"`) || !strings.Contains(string(b), "不是司法机关") {
			t.Errorf("command names 县卫生健康局: %d %s, want 422 naming org_unit_id", status, b)
		}
		if officer != "" {
			status, b = env.APIClient(t, officer).JSON("POST", "/api/v1/judicial-visits", in)
			var e struct {
				Error struct{ Fields map[string]string }
			}
			json.Unmarshal(b, &e)
			if status != http.StatusUnprocessableEntity && status != http.StatusForbidden || status == http.StatusUnprocessableEntity && e.Error.Fields["org_unit_id"] == "" {
				t.Errorf("the health bureau records a judicial visit: %d %s", status, b)
			}
		}
		in["org_unit_id"] = court
		if status, b = env.APIClient(t, "command").JSON("POST", "/api/v1/judicial-visits", in); status != http.StatusCreated {
			t.Errorf("command names the court: %d %s", status, b)
		}
	})
}

// A poverty workshop's department responsibility is the department that supervises
// workshops (扶贫车间 among its focus areas), in the responsibilities view too.
func TestWorkshopResponsibilityNamesItsDepartment(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var dept string
		db.QueryRow(`SELECT name FROM org_units WHERE focus_areas LIKE '%扶贫车间%' ORDER BY id LIMIT 1`).Scan(&dept)
		var ws string
		db.QueryRow(`SELECT name FROM enterprises WHERE workshop AND id NOT IN (SELECT enterprise_id FROM responsibility_overrides) ORDER BY id LIMIT 1`).Scan(&ws)
		if dept == "" || ws == "" {
			t.Fatalf("the demo has no workshop department (%q) or no workshop (%q)", dept, ws)
		}
		_, page := env.Login(t, "command").Page("/responsibilities?q=" + url.QueryEscape(ws))
		if !strings.Contains(page, ws) || !strings.Contains(page, dept) || !strings.Contains(page, "扶贫车间") {
			t.Errorf("the responsibilities of %s do not name %s", ws, dept)
		}
	})
}
