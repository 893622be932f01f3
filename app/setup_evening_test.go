package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

// got is what the gateway has received so far.
func (g *smsGateway) got() []struct{ Phone, Text string } {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]struct{ Phone, Text string }(nil), g.msgs...)
}

// The command sets the SMS gateway through the settings API and a "text the liaison"
// channel; a demand an enterprise raises, and its urging, reach the enterprise's liaison's
// phone through the gateway on 127.0.0.1. A bad setting is refused with nothing saved.
func TestALiaisonIsTextedThroughTheConfiguredGateway(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		gw := &smsGateway{fail: map[string]bool{}}
		srv := httptest.NewServer(gw)
		defer srv.Close()
		api := env.APIClient(t, "command")
		status, body := api.JSON("PUT", "/api/v1/settings", map[string]any{"values": map[string]string{"health.isolation_days": "0", "no.such": "1"}})
		var bad struct {
			Error struct{ Fields map[string]string }
		}
		json.Unmarshal(body, &bad)
		if status != http.StatusUnprocessableEntity || bad.Error.Fields["health.isolation_days"] == "" || bad.Error.Fields["no.such"] == "" {
			t.Fatalf("bad settings: %d %s, want 422 naming both", status, body)
		}
		audits := func() (n int) {
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'settings' AND entity_id IN ('sms.url', 'health.isolation_days')`).Scan(&n)
			return n
		}
		before := audits()
		status, body = api.JSON("PUT", "/api/v1/settings", map[string]any{"values": map[string]string{"sms.url": srv.URL + "/send", "sms.success": "ok=true",
			"sms.signature": "【慈利县指挥部】", "health.isolation_days": "21"}})
		if status != http.StatusOK || !strings.Contains(string(body), `"value":"21"`) {
			t.Fatalf("save settings: %d %s", status, body)
		}
		if n := audits() - before; n != 2 {
			t.Errorf("%d audit rows for the two settings changed, want 2", n)
		}
		var command int64
		env.App.DB.R.QueryRow(`SELECT MIN(id) FROM org_units WHERE kind = 'command'`).Scan(&command)
		status, body = api.JSON("POST", "/api/v1/channels", map[string]any{"org_unit_id": command, "kind": "sms", "name": "短信给联络员",
			"events": "demand.new,demand.urged"})
		if status != http.StatusCreated {
			t.Fatalf("the SMS channel: %d %s", status, body)
		}
		ent := enterpriseOf(t, env, "enterprise001")
		var liaisonPhone string
		env.App.DB.R.QueryRow(`SELECT u.phone FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE a.enterprise_id = $1 AND a.to_date = ''`, ent).Scan(&liaisonPhone)
		status, body = env.APIClient(t, "enterprise001").JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": ent, "category": "supplies",
			"description": "缺少熟练焊工用的防护面罩5个", "quantity": 5, "fields": map[string]string{"item": "口罩"}})
		if status != http.StatusCreated {
			t.Fatalf("raise: %d %s", status, body)
		}
		var d struct{ ID, Version int64 }
		json.Unmarshal(body, &d)
		env.App.Notify.RunDue(context.Background())
		texts := gw.got()
		if liaisonPhone == "" || len(texts) != 1 || texts[0].Phone != liaisonPhone || !strings.Contains(texts[0].Text, "缺少熟练焊工用的防护面罩5个") ||
			!strings.HasPrefix(texts[0].Text, "【慈利县指挥部】") {
			t.Fatalf("the gateway got %v, want one text to the liaison %s about the demand", texts, liaisonPhone)
		}
		var outbox string
		env.App.DB.R.QueryRow(`SELECT recipient FROM notifications WHERE channel = 'sms' ORDER BY id DESC LIMIT 1`).Scan(&outbox)
		if strings.Contains(outbox, liaisonPhone) || !strings.HasPrefix(outbox, fugong.UserRecipient) {
			t.Errorf("the outbox holds %q for the text: the phone is read as it is sent", outbox)
		}
		if status, body := api.JSON("POST", "/api/v1/demands/"+strconv.FormatInt(d.ID, 10)+"/transitions", map[string]any{"action": "urge", "note": "今天必须解决"}); status != http.StatusOK {
			t.Fatalf("urge: %d %s", status, body)
		}
		env.App.Notify.RunDue(context.Background())
		if texts = gw.got(); len(texts) != 2 || texts[1].Phone != liaisonPhone {
			t.Fatalf("after urging the gateway got %v, want a second text to the liaison", texts)
		}
	})
}

// An initial password opens no API: a token request is refused, naming why, until the
// account's owner has set a password of their own.
func TestAnInitialPasswordGetsNoTokenUntilChanged(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		admin := env.APIClient(t, "admin")
		status, body := admin.JSON("POST", "/api/v1/users", map[string]any{"display_name": "李新", "phone": "13907449999", "role": "command", "title": "值班员"})
		var acc struct {
			InitialPassword string `json:"initial_password"`
			Title           string
		}
		json.Unmarshal(body, &acc)
		if status != http.StatusCreated || acc.InitialPassword == "" || acc.Title != "值班员" {
			t.Fatalf("make an account: %d %s", status, body)
		}
		anon := env.Anonymous(t)
		status, body = anon.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "13907449999", "password": acc.InitialPassword})
		if status != http.StatusForbidden || !strings.Contains(string(body), "初始密码") {
			t.Fatalf("a token for an initial password: %d %s, want 403 saying to change it", status, body)
		}
		c := env.Anonymous(t)
		c.PostLogin("13907449999", acc.InitialPassword)
		c.Page("/password")
		if status, _, page := c.Form("/password", url.Values{"current": {acc.InitialPassword}, "new": {"Mine-own-2020x"}, "repeat": {"Mine-own-2020x"}}); status != http.StatusSeeOther {
			t.Fatalf("change the password: %d %.400s", status, page)
		}
		status, body = anon.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "13907449999", "password": "Mine-own-2020x"})
		if status != http.StatusCreated {
			t.Fatalf("a token after the change: %d %s", status, body)
		}
	})
}

// Enterprises registered without an account get theirs in one press from the registry,
// on the hand-out list, and change the password at first login.
func TestEnterpriseAccountsAreMadeFromTheRegistryInBulk(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var town string
		env.App.DB.R.QueryRow(`SELECT MIN(code) FROM regions WHERE level = 'township'`).Scan(&town)
		cmd := env.APIClient(t, "command")
		for i, name := range []string{"慈利新材料", "慈利食品"} {
			if status, body := cmd.JSON("POST", "/api/v1/enterprises", map[string]any{"name": name, "uscc": uscc("430821", "MA4LY00"+strconv.Itoa(i)),
				"township": town, "focus_area": "工矿企业", "contact_phone": "1380744990" + strconv.Itoa(i)}); status != http.StatusCreated {
				t.Fatalf("register %s: %d %s", name, status, body)
			}
		}
		c := env.Login(t, "admin")
		_, page := c.Page("/users/enterprise-accounts")
		if strings.Count(page, `name="enterprise"`) != 2 || !strings.Contains(page, "慈利新材料") {
			t.Fatalf("the page does not list exactly the two enterprises without an account: %.1500s", page)
		}
		if status, _, _ := c.Form("/users/enterprise-accounts", nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("nothing ticked: %d, want 422", status)
		}
		var id string
		env.App.DB.R.QueryRow(`SELECT id FROM enterprises WHERE name = '慈利新材料'`).Scan(&id)
		status, loc, body := c.Form("/users/enterprise-accounts", url.Values{"enterprise": {id}})
		if status != http.StatusSeeOther || loc != "/users/handout?role=enterprise" {
			t.Fatalf("make the account: %d %s %.400s", status, loc, body)
		}
		h := handout(t, c, "?role=enterprise")
		user := uscc("430821", "MA4LY000")
		if len(h) != 1 || h[user] == "" {
			t.Fatalf("the enterprises' hand-out list: %v, want the one account by its credit code", h)
		}
		e := env.Anonymous(t)
		if res := e.PostLogin(user, h[user]); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the enterprise's first login: %d", res.StatusCode)
		}
		if res := e.Do("GET", "/", "", nil, nil); res.Header.Get("Location") != "/password" {
			t.Fatalf("first login goes to %q, want /password", res.Header.Get("Location"))
		}
		_, page = c.Page("/users/enterprise-accounts")
		if strings.Count(page, `name="enterprise"`) != 1 {
			t.Fatalf("after the first, one enterprise is still without an account")
		}
	})
}

// The org units sheet through the API: a dry run previews, the import writes; a staff
// sheet's 职务 is kept in its own field.
func TestOrgUnitsImportedThroughTheAPI(t *testing.T) {
	t.Parallel()
	units, err := os.ReadFile("testdata/setup/org-units-libreoffice.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	eachEmptyCounty(t, func(t *testing.T, env *apptest.Env) {
		loadCounty(t, env.Login(t, "it-admin"))
		api := env.APIClient(t, "it-admin")
		post := func(q string) (int, map[string]any) {
			res := api.Do("POST", "/api/v1/org-units/import"+q, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", strings.NewReader(string(units)), nil)
			defer res.Body.Close()
			var out map[string]any
			json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, out
		}
		status, out := post("?dry_run=true")
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM org_units`).Scan(&n)
		if status != http.StatusOK || out["committed"] != false || out["rows"] != float64(4) || n != 0 {
			t.Fatalf("dry run: %d %v, %d org units written", status, out, n)
		}
		status, out = post("")
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM org_units`).Scan(&n)
		if status != http.StatusOK || out["committed"] != true || n != 4 {
			t.Fatalf("import: %d %v, %d org units", status, out, n)
		}
		status, out = post("")
		if status != http.StatusUnprocessableEntity || out["error_count"] == float64(0) {
			t.Fatalf("the same sheet again: %d %v, want 422 naming the rows", status, out)
		}
	})
}
