package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// A client app that shows only the error's message (a county's 政务 app, a WeCom mini
// program) tells its user which fields to fix, by their labels, in the user's language;
// fields keeps each field's message alone, keyed by the JSON field, as before.
func TestAPIInvalidMessageNamesEachField(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		liaison, command, owner := env.APIClient(t, "liaison001"), env.APIClient(t, "command"), env.APIClient(t, "enterprise001")
		ent, own := enterpriseOf(t, env, "liaison001"), enterpriseOf(t, env, "enterprise001")
		// The enterprise has not resumed yet (the demo's has), and declares without
		// meeting a required standard of its focus area, which the answer names by its text.
		if _, err := env.App.DB.W.Exec(`UPDATE enterprises SET status = '未复工' WHERE id = $1`, own); err != nil {
			t.Fatal(err)
		}
		var item int64
		var text string
		env.App.DB.R.QueryRow(`SELECT c.id, c.text FROM checklist_items c JOIN enterprises e ON e.id = $1 AND c.region_code = e.region_code
			AND (c.focus_area = e.focus_area OR c.focus_area = '') WHERE c.required ORDER BY c.id LIMIT 1`, own).Scan(&item, &text)
		if text == "" {
			t.Fatal("the demo enterprise's focus area has no required standard")
		}
		for _, c := range []struct {
			name         string
			client       *apptest.Client
			method, path string
			body         map[string]any
			zh, en       string
			field        string // a field whose own message stays as it was
			alone        string
		}{
			{"a county setting out of range", command, "PUT", "/api/v1/settings",
				map[string]any{"values": map[string]string{"health.isolation_days": "0"}},
				"请检查：隔离天数：请填 1 到 60 之间的整数。",
				"Please check: Isolation days: Enter a whole number from 1 to 60.",
				"health.isolation_days", "请填 1 到 60 之间的整数。"},
			{"a declaration that leaves a required standard unmet", owner, "POST", "/api/v1/declarations",
				map[string]any{"enterprise_id": own, "planned_on": "2020-03-12", "answers": map[string]bool{}},
				"", "",
				fmt.Sprintf("item_%d", item), "这是必备条件，满足后才能申报。"},
			{"a demand with no category or description", liaison, "POST", "/api/v1/demands",
				map[string]any{"enterprise_id": ent, "category": "", "description": ""},
				"请检查：请选择诉求类别。内容：必填。", // a message naming its field stands alone,
				"Please check: Category: Choose a category. Description: Required.",
				"description", "必填。"},
			{"a party application with no name or unit", command, "POST", "/api/v1/party-applications",
				map[string]any{"name": "", "unit": "", "applied_on": "2020-02-20"},
				"请检查：名称：必填。单位：必填。",
				"Please check: Name: Required. Unit: Required.",
				"unit", "必填。"},
			{"a group robot with nothing filled in", command, "POST", "/api/v1/channels",
				map[string]any{"name": "", "org_unit_id": 0, "kind": "", "webhook": ""},
				"请检查：类型：请选择企业微信或钉钉。名称：必填。单位：必填。机器人地址：请填写机器人的 Webhook 地址（https://…）。",
				"Please check: Kind: Choose WeCom or DingTalk. Name: Required. Organisation: Required. Webhook: Enter the robot's webhook URL (https://…).",
				"kind", "请选择企业微信或钉钉。"},
		} {
			if c.zh == "" { // all the standards unmet: the one named among them
				c.zh, c.en = "「"+text+"」：这是必备条件，满足后才能申报。", "“"+text+"”: Required: it must be met before declaring."
			}
			for _, lang := range []struct{ accept, want string }{{"", c.zh}, {"zh-CN,zh;q=0.9", c.zh}, {"en-GB,en;q=0.8", c.en}} {
				var headers []string
				if lang.accept != "" {
					headers = []string{"Accept-Language", lang.accept}
				}
				status, b := c.client.JSON(c.method, c.path, c.body, headers...)
				var got struct {
					Error struct {
						Code    string            `json:"code"`
						Message string            `json:"message"`
						Fields  map[string]string `json:"fields"`
					} `json:"error"`
				}
				if err := json.Unmarshal(b, &got); err != nil || status != http.StatusUnprocessableEntity {
					t.Errorf("%s (%q): %d %s", c.name, lang.accept, status, b)
					continue
				}
				if got.Error.Code != "invalid" || got.Error.Message != lang.want && !(strings.HasPrefix(c.path, "/api/v1/declarations") && strings.Contains(got.Error.Message, lang.want)) {
					t.Errorf("%s (%q): message %q, want %q", c.name, lang.accept, got.Error.Message, lang.want)
				}
				if lang.want == c.zh && got.Error.Fields[c.field] != c.alone {
					t.Errorf("%s: fields.%s = %q, want %q as before", c.name, c.field, got.Error.Fields[c.field], c.alone)
				}
			}
		}
	})
}

// A refusal the form cannot draw beside its control — a reading for a person on the
// screenings list's second page, the page answering with its first — is named in the
// alert, not left at 「填写有误，请按提示修改。」 alone.
func TestARefusalTheFormDoesNotDrawIsNamedInTheAlert(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		web := env.Login(t, "village001")
		for i := range 51 {
			if status, _, body := web.Form("/screenings", url.Values{"name": {fmt.Sprintf("居家%02d", i)}, "from_region": {"湖北省武汉市"}, "returned_on": {"2020-03-06"}}); status != http.StatusSeeOther {
				t.Fatalf("screening %d: %d %s", i, status, body)
			}
		}
		var first int64
		env.App.DB.R.QueryRow(`SELECT id FROM screenings WHERE name = '居家00'`).Scan(&first)
		if _, page := web.Page("/screenings"); strings.Contains(page, fmt.Sprintf(`id="s%d"`, first)) {
			t.Fatalf("the first person screened is on the list's first page: the test needs them on the second")
		}
		status, _, body := web.Form(fmt.Sprintf("/screenings/%d/checks", first), url.Values{"reading": {"99"}})
		alert := regexp.MustCompile(`(?s)<div class="alert" role="alert">.*?</div>`).FindString(body)
		if status != http.StatusUnprocessableEntity || !strings.Contains(alert, "体温应写成如 36.5 的形式") {
			t.Errorf("a bad reading for a person on the second page: %d, alert %q", status, alert)
		}
		if n := strings.Count(body, "体温应写成如 36.5 的形式"); n != 1 {
			t.Errorf("the reading's message stands %d times on the page", n)
		}
		if n := strings.Count(body, "填写有误，请按提示修改。"); n != 1 {
			t.Errorf("the refused page says 填写有误 %d times", n)
		}
	})
}
