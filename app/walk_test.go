package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

// Found walking fugong as its users do (r2, session 6): each test fails without its fix.

// An empty install's first admin lands on a workbench of zeros that said 「今天的日报都已
// 报送」 and nothing about the county having no townships, people or enterprises yet; the
// home now leads with the set-up steps left, each a tap to its page, until the county works.
func TestAnEmptyCountysHomeLeadsToTheSetUp(t *testing.T) {
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "it-admin")
		_, page := c.Page("/")
		if !strings.Contains(page, `id="home-setup"`) || !strings.Contains(page, "本县开通尚未完成（还有 8 项待办）") ||
			!strings.Contains(page, `href="/setup#county"`) || !strings.Contains(page, `<a class="button primary" href="/setup">打开开通向导</a>`) {
			t.Fatalf("an empty county's home does not lead to the set-up: %.3000s", page)
		}
		if status, _, _ := c.Form("/setup/county", url.Values{"county": {"430821"}}); status != http.StatusSeeOther {
			t.Fatalf("load the county: %d", status)
		}
		_, page = c.Page("/")
		if !strings.Contains(page, "还有 6 项待办") || strings.Contains(page, `href="/setup#county"`) {
			t.Errorf("with the county loaded, the home still counts the regions as to do")
		}
		// The set-up page marks the settings optional, not 「已有 0」.
		_, page = c.Page("/setup")
		if !strings.Contains(page, "可选（已有默认值）") || strings.Contains(page, "已有 0</span></li>\n</ol>") {
			t.Errorf("the settings step reads as done with 0")
		}
	})
}

func TestASetUpCountysHomeSaysNothingOfTheSetUp(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		for _, u := range []string{"admin", "command"} {
			if _, page := env.Login(t, u).Page("/"); strings.Contains(page, `id="home-setup"`) {
				t.Errorf("the demo county is set up, but %s's home says it is not", u)
			}
		}
	})
}

// 包联关系 on an enterprise's page opened the county's link list with an empty form: the
// credit code had to be typed again and the save went back to the whole list. It now
// starts with the enterprise's code, keeps the filter, and comes back to it.
func TestLinksOpenedFromAnEnterpriseStartWithIt(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var id int64
		var code string
		env.App.DB.R.QueryRow(`SELECT id, uscc FROM enterprises ORDER BY id LIMIT 1`).Scan(&id, &code)
		c := env.Login(t, "admin")
		_, page := c.Page("/links?enterprise=" + strconv.FormatInt(id, 10))
		if !strings.Contains(page, `name="uscc" type="text" value="`+code+`"`) || !strings.Contains(page, `<input type="hidden" name="enterprise" value="`+strconv.FormatInt(id, 10)+`">`) {
			t.Fatalf("the link form does not start with the enterprise's credit code %s: %.4000s", code, page)
		}
		// The form keeps it on a bad field and comes back to the enterprise's list.
		status, _, page := c.Form("/links", url.Values{"enterprise": {strconv.FormatInt(id, 10)}, "kind": {fugong.LinkLiaison}, "username": {"nobody-here"}, "uscc": {code}, "from_date": {"2020-03-09"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `value="`+code+`"`) || !strings.Contains(page, `name="enterprise" value="`+strconv.FormatInt(id, 10)+`"`) {
			t.Fatalf("a bad username: %d, the form lost the enterprise", status)
		}
		status, next, _ := c.Form("/links", url.Values{"enterprise": {strconv.FormatInt(id, 10)}, "kind": {fugong.LinkLiaison}, "username": {"liaison002"}, "uscc": {code}, "from_date": {"2020-03-09"}})
		if status != http.StatusSeeOther || next != "/links?enterprise="+strconv.FormatInt(id, 10) {
			t.Fatalf("saved: %d to %q, want back to the enterprise's links", status, next)
		}
	})
}

// A new demand's message quoted a description ending 「。」 and added its own: 「…自动提出
// 物资诉求。。请马上办理」.
func TestANewDemandsMessageIsOneSentence(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		api := env.APIClient(t, "enterprise001")
		if status, b := api.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": enterpriseOf(t, env, "enterprise001"), "category": "supplies",
			"description": "口罩只够两天，请协调300个。", "quantity": 300, "fields": map[string]string{"item": "口罩"}}); status != http.StatusCreated {
			t.Fatalf("raise: %d %s", status, b)
		}
		var body string
		env.App.DB.R.QueryRow(`SELECT body FROM notifications WHERE body LIKE $1`, "%请协调300个%").Scan(&body)
		if !strings.Contains(body, "请协调300个。请马上办理") {
			t.Errorf("the liaison's message reads %q", body)
		}
	})
}

// Bad input on a phone's forms: each message under a field said 「必填。」 or 「请填写整数。」
// alone, which does not say which of a dozen fields it is about once the label has scrolled
// away; it now names the field, and nothing of the refused form is kept.
func TestAFieldsMessageNamesTheField(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		count := func(table string) (n int) {
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
			return n
		}
		demands, reports := count("demands"), count("daily_reports")
		c := env.Login(t, "liaison001")
		c.Page("/demands/new")
		status, _, page := c.Form("/demands", url.Values{"enterprise_id": {""}, "category": {"supplies"}, "description": {""}, "quantity": {"-3"}})
		for _, want := range []string{"企业：必填。", "诉求内容：必填。", "物资：必填。"} {
			if !strings.Contains(page, want) {
				t.Errorf("the refused demand form (%d) does not say %q", status, want)
			}
		}
		ent := enterpriseOf(t, env, "enterprise001")
		e := env.Login(t, "enterprise001")
		e.Page("/enterprises/" + strconv.FormatInt(ent, 10) + "/report")
		status, _, page = e.Form("/enterprises/"+strconv.FormatInt(ent, 10)+"/reports", url.Values{"day": {"2020-03-09"}, "on_duty": {"许多"}, "capacity": {"80"}, "mask_stock": {"100"}, "masks_used": {"10"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "在岗人数：") {
			t.Errorf("the refused daily report (%d) does not name 在岗人数", status)
		}
		if count("demands") != demands || count("daily_reports") != reports {
			t.Errorf("a refused form was kept: demands %d → %d, daily reports %d → %d", demands, count("demands"), reports, count("daily_reports"))
		}
	})
}
