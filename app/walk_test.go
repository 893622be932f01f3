package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app"
	"fugong/app/apptest"
)

// Found walking fugong as its users do (r2, session 6): each test fails without its fix.

// An empty install's first admin lands on a workbench of zeros that said 「今天的日报都已
// 报送」 and nothing about the county having no townships, people or enterprises yet; the
// home now leads with the set-up steps left, each a tap to its page, until the county works.
func TestAnEmptyCountysHomeLeadsToTheSetUp(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "it-admin")
		_, page := c.Page("/")
		if !strings.Contains(page, `id="home-setup"`) || !strings.Contains(page, "本县开通尚未完成（还有 9 项待办）") ||
			!strings.Contains(page, `href="/setup#county"`) || !strings.Contains(page, `<a class="button primary" href="/setup">打开开通向导</a>`) {
			t.Fatalf("an empty county's home does not lead to the set-up: %.3000s", page)
		}
		// A county with no checklist of standards is told to make one, as a suggestion.
		if !strings.Contains(page, `<a href="/checklist"><strong>复工标准清单（列清单、定标准，按重点领域）</strong> <span class="badge">建议</span>`) {
			t.Errorf("the empty county's home does not suggest the checklist of standards")
		}
		if strings.Contains(page, "今天的日报都已报送") || !strings.Contains(page, "本县还没有企业") {
			t.Errorf("a county with no enterprise says its daily reports are all in")
		}
		if status, _, _ := c.Form("/setup/county", url.Values{"county": {"430821"}}); status != http.StatusSeeOther {
			t.Fatalf("load the county: %d", status)
		}
		_, page = c.Page("/")
		if !strings.Contains(page, "还有 7 项待办") || strings.Contains(page, `href="/setup#county"`) {
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
		// In English, an English colon.
		c.Page("/lang/en")
		_, _, page = c.Form("/demands", url.Values{"enterprise_id": {""}, "category": {"supplies"}, "description": {""}})
		if !strings.Contains(page, "Enterprise: ") || strings.Contains(page, "Enterprise：") {
			t.Errorf("the refused demand form in English does not name the field with an English colon")
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

// A liaison's bookmark of the visit form without an enterprise answered 404 「没有找到」, a
// dead end; it now opens the list of their enterprises, each a tap to the form.
func TestTheVisitFormWithoutAnEnterpriseOpensTheList(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Login(t, "liaison001")
	res := c.Do("GET", "/visits/new", "", nil, nil)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/visits" {
		t.Errorf("/visits/new without an enterprise: %d to %q, want the list", res.StatusCode, res.Header.Get("Location"))
	}
}

// An empty inbox said 「没有符合条件的记录。」 — the words of a filtered search, on a page with
// no filter — and led nowhere; it now says what will arrive there and leads back to the work.
func TestAnEmptyInboxSaysWhatArrivesThere(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	env.AddUser(t, fugong.User{Username: "leader99", Role: fugong.RoleLeader, County: "430821"})
	_, page := env.Login(t, "leader99").Page("/notifications")
	if !strings.Contains(page, `id="inbox-empty"`) || !strings.Contains(page, "还没有消息") || !strings.Contains(page, `<a href="/">回到工作台</a>`) {
		t.Errorf("an empty inbox: %.2000s", page)
	}
}

// The printed hand-out of initial passwords said 「登录地址：/login」 when fugong serve was
// started without --public-url: a path, no address. It now leaves a line to write the
// address in and says how to set it; with --public-url it prints the whole address.
func TestTheHandOutNeverPrintsABarePath(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "https://fugong.cili.gov.cn"} {
		env := apptest.New(t, "sqlite", apptest.Options{NoDemo: true, Configure: func(c *app.Config) { c.PublicURL = base }})
		env.AddUser(t, fugong.User{Username: "it-admin", Role: fugong.RoleAdmin, County: "430821"})
		c := env.Login(t, "it-admin")
		c.Form("/setup/county", url.Values{"county": {"430821"}})
		c.Form("/org-units", url.Values{"name": {"零阳街道办"}, "kind": {"township"}, "region": {"430821001000"}})
		status, next, _ := c.Form("/users", url.Values{"display_name": {"李驻企"}, "phone": {"13900000002"}, "username": {"li1"}, "role": {"liaison"}})
		if status != http.StatusSeeOther {
			t.Fatalf("make an account: %d", status)
		}
		_, page := c.Page(next)
		want := fmt.Sprintf("登录地址：%s/login", base)
		if base == "" {
			want = "请手写，或请管理员以 --public-url 启动"
		}
		if !strings.Contains(page, want) || strings.Contains(page, "登录地址：/login") {
			t.Errorf("with public URL %q the hand-out does not say %q", base, want)
		}
	}
}

// A liaison of a new county, before any link, had a home of empty lists with a 提诉求 button
// to a form whose enterprise list was empty and 「今天的日报都已报送」; it now says they are not
// stationed yet and who links them.
func TestALiaisonStationedNowhereIsToldWhatComes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{NoDemo: true})
	env.AddUser(t, fugong.User{Username: "li1", Role: fugong.RoleLiaison, County: "430821"})
	_, page := env.Login(t, "li1").Page("/")
	_, page, _ = strings.Cut(page, "<main")
	if !strings.Contains(page, "在「包联关系」里为您派驻企业后") || strings.Contains(page, `href="/demands/new"`) || strings.Contains(page, "今天的日报都已报送") {
		t.Errorf("the home of a liaison stationed nowhere: %.3000s", page)
	}
}

// The homes' empty lists said 「没有符合条件的记录。」, the words of a filtered search, where
// nothing was filtered; each now says what is missing.
func TestAHomesEmptyListSaysWhatIsMissing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	_, page := env.Login(t, "liaison001").Page("/")
	_, page, _ = strings.Cut(page, "<main")
	if !strings.Contains(page, "没有待整改的问题。") || strings.Contains(page, "没有符合条件的记录") {
		t.Errorf("liaison001's home, with nothing to rectify: %.4000s", page)
	}
}

// On a county with no checklist of standards the declaration's 复工标准自查 was a heading over
// nothing; it now says there is no checklist yet and what to write instead.
func TestADeclarationWithoutStandardsSaysWhatToDo(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	if _, err := env.App.DB.W.Exec(`DELETE FROM checklist_items`); err != nil {
		t.Fatal(err)
	}
	ent := enterpriseOf(t, env, "enterprise001")
	_, page := env.Login(t, "liaison001").Page("/enterprises/" + strconv.FormatInt(ent, 10) + "/declare")
	if !strings.Contains(page, `id="no-standards"`) || !strings.Contains(page, "本县还没有为本企业所在领域制定复工标准清单") {
		t.Errorf("a declaration with no standards to tick: %.3000s", page)
	}
}

// /setup kept its big 载入本县区划 button once the county was loaded; pressed again, it loaded
// the shipped list over the village names the office had corrected by CSV. The form is gone
// once the county is loaded, and a reload is refused with the way to correct names.
func TestALoadedCountyIsNotLoadedAgain(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "it-admin")
		loadCounty(t, c)
		if _, err := env.App.DB.W.Exec(`UPDATE regions SET name = '更正后的村名' WHERE code = '430821001001'`); err != nil {
			t.Fatal(err)
		}
		if _, page := c.Page("/setup"); strings.Contains(page, `id="county-form"`) {
			t.Errorf("the set-up page still offers to load the loaded county")
		}
		status, _, body := c.Form("/setup/county", url.Values{"county": {"430821"}})
		var name string
		env.App.DB.R.QueryRow(`SELECT name FROM regions WHERE code = '430821001001'`).Scan(&name)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "再次载入会把更正过的名称改回") || name != "更正后的村名" {
			t.Errorf("loading the county again: %d, the village is %q", status, name)
		}
	})
}

// A refused form said 「填写有误，请按提示修改。」 twice, the layout's alert above the title and
// the form's own under it; a form that says it itself says it once.
func TestARefusedFormSaysSoOnce(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Login(t, "liaison001")
	c.Page("/demands/new")
	_, _, page := c.Form("/demands", url.Values{"category": {"supplies"}})
	if n := strings.Count(page, "填写有误，请按提示修改。"); n != 1 {
		t.Errorf("the refused demand form says 填写有误 %d times", n)
	}
	a := env.Login(t, "admin")
	a.Page("/enterprises/new")
	_, _, page = a.Form("/enterprises", url.Values{"name": {"测试"}, "uscc": {"123"}})
	if n := strings.Count(page, "填写有误，请按提示修改。"); n != 1 {
		t.Errorf("the refused enterprise form says 填写有误 %d times", n)
	}
}
