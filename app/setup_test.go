package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

// eachEmptyCounty runs fn, on every configured dialect, on an install with nothing in it
// but the first admin, made as the README says (`fugong user add --role admin --county 430821 …`).
func eachEmptyCounty(t *testing.T, fn func(t *testing.T, env *apptest.Env)) {
	t.Helper()
	apptest.Each(t, apptest.Options{NoDemo: true}, func(t *testing.T, env *apptest.Env) {
		env.AddUser(t, fugong.User{Username: "it-admin", Role: fugong.RoleAdmin, County: "430821"})
		fn(t, env)
	})
}

// uscc makes a well-formed credit code from a region code and an eight-character body:
// both check characters (GB 11714 for the organisation code, GB 32100 for the whole).
func uscc(region, body string) string {
	first17 := "91" + region + body + string(fugong.OrgCodeCheckChar(body))
	return first17 + string(fugong.USCCCheckChar(first17))
}

func TestFirstEnterpriseOnAnEmptyInstallIsAFieldErrorNotA500(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		api := env.APIClient(t, "it-admin")
		status, body := api.JSON("POST", "/api/v1/enterprises", map[string]any{"name": "联兴新材料", "uscc": uscc("430821", "MA4L0000"),
			"township": "430821101000", "focus_area": "工矿企业"})
		var e struct {
			Error struct{ Fields map[string]string }
		}
		json.Unmarshal(body, &e)
		if status != http.StatusUnprocessableEntity || e.Error.Fields["township"] == "" {
			t.Fatalf("API: first enterprise with no regions loaded: %d %s, want 422 naming township", status, body)
		}
		c := env.Login(t, "it-admin")
		status, _, page := c.Form("/enterprises", url.Values{"name": {"联兴新材料"}, "uscc": {uscc("430821", "MA4L0000")},
			"township": {"430821101000"}, "focus_area": {"工矿企业"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "开通向导") {
			t.Fatalf("page: %d, want 422 pointing to the set-up page; body %.300s", status, page)
		}
	})
}

func TestSetUpTheCountyAndItsOrgUnitsInTheBrowser(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "it-admin")
		_, page := c.Page("/setup")
		if !strings.Contains(page, `id="county-form"`) || strings.Contains(page, `id="county-loaded"`) {
			t.Fatalf("an empty county's set-up page offers no county to load")
		}
		// Another county may be chosen while nothing is loaded: the admin moves with it.
		status, loc, body := c.Form("/setup/county", url.Values{"county": {"430802"}})
		if status != http.StatusSeeOther {
			t.Fatalf("choose 永定区: %d %.300s", status, body)
		}
		status, _, body = c.Form("/setup/county", url.Values{"county": {"430821"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "不能再改选") {
			t.Fatalf("choosing another county once one is loaded: %d, want 422 saying so", status)
		}
		_, page = c.Page(loc)
		if !strings.Contains(page, "永定区（430802）") {
			t.Fatalf("set-up page after loading does not name the county: %.500s", page)
		}
		var towns int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM regions WHERE region_code = '430802' AND level = 'township'`).Scan(&towns)
		if towns < 5 {
			t.Fatalf("永定区 has %d townships loaded", towns)
		}
		// Its villages come in the same step, each under its township (the bureau's 2023 codes).
		var villages, orphans int
		env.App.DB.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN p.level = 'township' THEN 0 ELSE 1 END) FROM regions v
				LEFT JOIN regions p ON p.code = v.parent_code WHERE v.region_code = '430802' AND v.level = 'village'`).Scan(&villages, &orphans)
		var name string
		env.App.DB.R.QueryRow(`SELECT name FROM regions WHERE code = '430802001001'`).Scan(&name)
		if villages != 255 || orphans != 0 || name != "回龙居委会" {
			t.Fatalf("永定区 has %d villages loaded (%d under no township; 430802001001 is %q), want the bureau's 255", villages, orphans, name)
		}
		if !strings.Contains(page, fmt.Sprintf("%d 个村（社区）", villages)) {
			t.Errorf("set-up page does not count the villages: %.800s", page)
		}
		// Org units: a department with the focus areas it supervises, a township office.
		status, _, body = c.Form("/org-units", url.Values{"kind": {"township"}, "name": {"大庸桥街道办事处"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "须选择所属乡镇") {
			t.Fatalf("township office without its township: %d, want 422 naming it", status)
		}
		status, _, _ = c.Form("/org-units", url.Values{"kind": {"department"}, "name": {"县卫健局"}, "focus_areas": {"工矿企业", "窗口服务"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create department: %d", status)
		}
		var id int64
		var areas string
		env.App.DB.R.QueryRow(`SELECT id, focus_areas FROM org_units WHERE name = '县卫健局'`).Scan(&id, &areas)
		if areas != "工矿企业,窗口服务" {
			t.Fatalf("focus areas stored as %q", areas)
		}
		sid := strconv.FormatInt(id, 10)
		status, _, _ = c.Form("/org-units/"+sid, url.Values{"kind": {"department"}, "name": {"区卫健局"}, "focus_areas": {"工矿企业"}, "version": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("edit department: %d", status)
		}
		status, _, _ = c.Form("/org-units/"+sid, url.Values{"kind": {"department"}, "name": {"又一个名字"}, "version": {"1"}})
		if status != http.StatusConflict {
			t.Fatalf("edit at a stale version: %d, want 409", status)
		}
		c.Form("/org-units/"+sid+"/retired", url.Values{"retired": {"1"}})
		_, page = c.Page("/org-units")
		if !strings.Contains(page, "区卫健局") || !strings.Contains(page, "已撤销") {
			t.Fatalf("the list does not show the renamed, retired department")
		}
		// A command officer sees the list but may not change it.
		if status, _, _ := c.Form("/org-units/"+sid+"/retired", url.Values{"retired": {"0"}}); status != http.StatusSeeOther {
			t.Fatalf("restore: %d", status)
		}
	})
}

// loadCounty loads 慈利县 and its townships through the set-up page.
func loadCounty(t *testing.T, c *apptest.Client) {
	t.Helper()
	if status, _, body := c.Form("/setup/county", url.Values{"county": {"430821"}}); status != http.StatusSeeOther {
		t.Fatalf("load the county: %d %.300s", status, body)
	}
}

var handoutRe = regexp.MustCompile(`<td>([^<]+)</td><td class="password"><code>([a-z0-9]+)</code>`)

// handout reads the printable list: username → initial password.
func handout(t *testing.T, c *apptest.Client, query string) map[string]string {
	t.Helper()
	status, page := c.Page("/users/handout" + query)
	if status != http.StatusOK {
		t.Fatalf("hand-out list: %d", status)
	}
	out := map[string]string{}
	for _, m := range handoutRe.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestAnAccountMadeInTheBrowserGetsAnInitialPasswordChangedAtFirstLogin(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(t, "it-admin")
		loadCounty(t, admin)
		status, _, body := admin.Form("/users", url.Values{"display_name": {"陈小斌"}, "phone": {"139 0744 1234"}, "role": {"township"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "须指定所属区划") {
			t.Fatalf("township officer without a township: %d, want 422 naming it", status)
		}
		status, loc, _ := admin.Form("/users", url.Values{"display_name": {"陈小斌"}, "phone": {"139 0744 1234"}, "role": {"liaison"}, "rank": {"副科级"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/users/handout?id=") {
			t.Fatalf("create liaison: %d → %s", status, loc)
		}
		pw := handout(t, admin, strings.TrimPrefix(loc, "/users/handout"))["13907441234"]
		if pw == "" {
			t.Fatalf("the hand-out list has no initial password for the new account (username = phone)")
		}
		liaison := env.Anonymous(t)
		if res := liaison.PostLogin("13907441234", pw); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first login with the initial password: %d", res.StatusCode)
		}
		status, _ = liaison.Page("/visits")
		if status != http.StatusSeeOther {
			t.Fatalf("a page before the initial password is changed: %d, want a redirect to /password", status)
		}
		_, page := liaison.Page("/password")
		if !strings.Contains(page, `id="must-change"`) {
			t.Fatalf("the password page does not say the initial password must be changed")
		}
		if status, _, _ := liaison.Form("/password", url.Values{"current": {pw}, "new": {pw}, "repeat": {pw}}); status == http.StatusSeeOther {
			t.Fatalf("the initial password was accepted as the new one")
		}
		if status, _, _ := liaison.Form("/password", url.Values{"current": {pw}, "new": {"Cili-2020-mine"}, "repeat": {"Cili-2020-mine"}}); status != http.StatusSeeOther {
			t.Fatalf("change the initial password: %d", status)
		}
		if len(handout(t, admin, "")) != 0 {
			t.Fatalf("a changed password is still on the hand-out list")
		}
		liaison = env.Anonymous(t)
		liaison.PostLogin("13907441234", "Cili-2020-mine")
		if status, _ := liaison.Page("/visits"); status != http.StatusOK {
			t.Fatalf("after the change, /visits: %d", status)
		}
		// Reset: a new initial password, the old sessions end.
		var id int64
		env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = '13907441234'`).Scan(&id)
		if status, _, _ := admin.Form("/users/"+strconv.FormatInt(id, 10)+"/password", nil); status != http.StatusSeeOther {
			t.Fatalf("reset: %d", status)
		}
		if status, _ := liaison.Page("/visits"); status != http.StatusSeeOther {
			t.Fatalf("after a reset the old session still works: %d", status)
		}
		if handout(t, admin, "")["13907441234"] == "" {
			t.Fatalf("the reset password is not on the hand-out list")
		}
		// Edit: the name and the position; a stale version is refused.
		status, _, _ = admin.Form("/users/"+strconv.FormatInt(id, 10), url.Values{"display_name": {"陈小兵"}, "phone": {"13907441234"}, "role": {"liaison"}, "rank": {"正科级"}, "version": {"3"}})
		if status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}
		_, page = admin.Page("/users?q=1390744")
		if !strings.Contains(page, "陈小兵") || !strings.Contains(page, "正科级") {
			t.Fatalf("the list does not show the edit")
		}
	})
}

func TestSetUpThroughTheJSONAPI(t *testing.T) {
	t.Parallel()
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		loadCounty(t, env.Login(t, "it-admin"))
		api := env.APIClient(t, "it-admin")
		status, b := api.JSON("POST", "/api/v1/org-units", map[string]any{"kind": "department", "name": "县人社局", "focus_areas": "工矿企业,不存在的领域"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "focus_areas") {
			t.Fatalf("a department with an unknown focus area: %d %s", status, b)
		}
		status, b = api.JSON("POST", "/api/v1/org-units", map[string]any{"kind": "department", "name": "县人社局", "focus_areas": "工矿企业"})
		var o struct{ ID, Version int64 }
		json.Unmarshal(b, &o)
		if status != http.StatusCreated || o.ID == 0 {
			t.Fatalf("create org unit: %d %s", status, b)
		}
		status, b = api.JSON("POST", "/api/v1/users", map[string]any{"display_name": "刘人社", "phone": "13907449999", "role": "department", "org_unit_id": o.ID})
		var u struct {
			ID              int64
			Username        string
			InitialPassword string `json:"initial_password"`
		}
		json.Unmarshal(b, &u)
		if status != http.StatusCreated || u.Username != "13907449999" || u.InitialPassword == "" {
			t.Fatalf("create account: %d %s", status, b)
		}
		if res := env.Anonymous(t).PostLogin(u.Username, u.InitialPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with the initial password the API answered: %d", res.StatusCode)
		}
		status, b = api.JSON("PUT", "/api/v1/org-units/"+strconv.FormatInt(o.ID, 10), map[string]any{"kind": "department", "name": "县人社局", "retired": true, "version": 7})
		if status != http.StatusConflict {
			t.Fatalf("update at a stale version: %d %s", status, b)
		}
		if status, b = api.JSON("POST", "/api/v1/users/"+strconv.FormatInt(u.ID, 10)+"/password-reset", nil); status != http.StatusOK || !strings.Contains(string(b), "initial_password") {
			t.Fatalf("reset through the API: %d %s", status, b)
		}
	})
}
