package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// A wrongly entered party application is corrected or deleted, on the page and through
// the API: a correction keeps every rule of the stages (each refusal naming the field in
// Chinese), a stale version is a conflict, and the audit log keeps what it said before.
// The totals sentence counts the probationary members.
func TestPartyApplicationIsCorrectedAndDeleted(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		web := env.Login(t, "command")
		var qin, version int64
		db.QueryRow(`SELECT id, version FROM party_applications WHERE name = '秦明树'`).Scan(&qin, &version)
		edit := fmt.Sprintf("/party-applications/%d", qin)
		if _, page := web.Page(edit + "/edit"); !strings.Contains(page, `name="candidate_on"`) || strings.Contains(page, `name="probationary_on"`) {
			t.Fatalf("the edit page of a development object does not offer exactly the days reached")
		}
		form := func(v url.Values) url.Values {
			base := url.Values{"version": {fmt.Sprint(version)}, "name": {"秦明树"}, "unit": {"三合镇凤鹤山村"}, "post": {"辅警"}, "applied_on": {"2018-09-10"},
				"activist_on": {"2019-03-01"}, "candidate_on": {"2020-03-06"}}
			for k, x := range v {
				base[k] = x
			}
			return base
		}
		for _, tt := range []struct {
			name string
			v    url.Values
			want string
		}{
			{"no name", url.Values{"name": {""}}, "必填"},
			{"activist less than a year before development", url.Values{"activist_on": {"2019-06-01"}}, "2020-06-01 起才能列为发展对象"},
			{"a day after today", url.Values{"candidate_on": {"2020-03-10"}}, "日期不能晚于今天"},
			{"activist before the application", url.Values{"applied_on": {"2019-04-01"}}, "日期早于上一阶段"},
		} {
			if status, _, body := web.Form(edit, form(tt.v)); status != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) {
				t.Errorf("%s: %d, want 422 saying %q", tt.name, status, tt.want)
			}
		}
		if status, _, body := web.Form(edit, form(url.Values{"post": {"三合镇健康服务点辅警"}})); status != http.StatusSeeOther {
			t.Fatalf("a correction: %d %s", status, body)
		}
		if status, _, _ := web.Form(edit, form(url.Values{"post": {"辅警"}})); status != http.StatusConflict {
			t.Errorf("a correction at the old version: %d, want 409", status)
		}
		var post, before string
		db.QueryRow(`SELECT post FROM party_applications WHERE id = $1`, qin).Scan(&post)
		db.QueryRow(`SELECT before_json FROM audit_log WHERE entity = 'party_applications' AND entity_id = $1 AND action = 'update'`, fmt.Sprint(qin)).Scan(&before)
		if post != "三合镇健康服务点辅警" || !strings.Contains(before, `"辅警"`) {
			t.Errorf("after the correction the post is %q and the log kept %q", post, before)
		}

		// The API: the same rule, then a delete at a stale and at the right version.
		api := env.APIClient(t, "command")
		in := map[string]any{"version": version + 1, "name": "秦明树", "unit": "三合镇凤鹤山村", "applied_on": "2018-09-10", "activist_on": "2019-03-01", "candidate_on": "2019-12-01"}
		if status, b := api.JSON("PUT", "/api/v1/party-applications/"+fmt.Sprint(qin), in); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"candidate_on"`) || !strings.Contains(string(b), "培养考察一年以上") {
			t.Errorf("API, development before a year as activist: %d %s", status, b)
		}
		in["candidate_on"], in["member_on"] = "2020-03-06", "2020-03-08"
		if status, b := api.JSON("PUT", "/api/v1/party-applications/"+fmt.Sprint(qin), in); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"member_on"`) || !strings.Contains(string(b), "转为正式党员日期：尚未到这一阶段") {
			t.Errorf("API, a day of a stage not reached: %d %s", status, b)
		}
		delete(in, "member_on")
		if status, b := api.JSON("PUT", "/api/v1/party-applications/"+fmt.Sprint(qin), in); status != http.StatusOK || !strings.Contains(string(b), `"version":3`) {
			t.Errorf("API, a correction: %d %s", status, b)
		}
		status, b := api.JSON("POST", "/api/v1/party-applications", map[string]any{"name": "重复录入", "unit": "县公安局", "applied_on": "2020-02-20"})
		if status != http.StatusCreated {
			t.Fatalf("API, a new application: %d %s", status, b)
		}
		var dup int64
		db.QueryRow(`SELECT id FROM party_applications WHERE name = '重复录入'`).Scan(&dup)
		if status, b := api.JSON("DELETE", fmt.Sprintf("/api/v1/party-applications/%d?version=7", dup), nil); status != http.StatusConflict {
			t.Errorf("API, a delete at a stale version: %d %s", status, b)
		}
		if status, b := api.JSON("DELETE", fmt.Sprintf("/api/v1/party-applications/%d?version=1", dup), nil); status != http.StatusNoContent {
			t.Errorf("API, a delete: %d %s", status, b)
		}
		// The page: delete 傅从珍's application entered by mistake.
		var fu int64
		db.QueryRow(`SELECT id FROM party_applications WHERE name = '傅从珍'`).Scan(&fu)
		if status, _, body := web.Form(fmt.Sprintf("/party-applications/%d/delete", fu), url.Values{"version": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("deleting on the page: %d %s", status, body)
		}
		var left, logged int
		db.QueryRow(`SELECT COUNT(*) FROM party_applications WHERE id IN ($1, $2)`, dup, fu).Scan(&left)
		db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'party_applications' AND action = 'delete' AND before_json LIKE '%傅从珍%'`).Scan(&logged)
		if left != 0 || logged != 1 {
			t.Errorf("after two deletes %d applications are left and the log kept 傅从珍's %d times", left, logged)
		}
		if status, b := env.APIClient(t, "liaison001").JSON("DELETE", fmt.Sprintf("/api/v1/party-applications/%d", qin), nil); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("a liaison deletes an application: %d %s", status, b)
		}

		// 秦明树 becomes a probationary member; the sentence counts him.
		if status, _, body := web.Form(edit+"/advance", url.Values{"stage": {"probationary"}, "day": {"2020-03-09"}, "version": {"3"}}); status != http.StatusSeeOther {
			t.Fatalf("admitting 秦明树 as probationary member: %d %s", status, body)
		}
		var total, prob, members int
		db.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN stage = 'probationary' THEN 1 ELSE 0 END), SUM(CASE WHEN stage = 'member' THEN 1 ELSE 0 END) FROM party_applications`).Scan(&total, &prob, &members)
		if _, page := web.Page("/party-applications"); !strings.Contains(page, fmt.Sprintf("共收到入党申请 %d 份", total)) || !strings.Contains(page, fmt.Sprintf("预备党员 %d 名 · 正式党员 %d 名", prob, members)) {
			t.Errorf("the totals sentence does not count %d probationary members", prob)
		}
	})
}
