package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/auth"
)

func TestLoginShowsTheRolesHome(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "liaison001")
		status, body := c.Page("/")
		if status != http.StatusOK {
			t.Fatalf("home: %d", status)
		}
		// 陈小斌 is the seed's liaison; the demo stations him at two enterprises.
		if !strings.Contains(body, "陈小斌，您好") {
			t.Errorf("home does not greet the liaison by name")
		}
		// The home lists every enterprise he is stationed at, with today's visit done or not.
		rows, err := env.App.DB.R.Query(`SELECT e.name FROM liaison_assignments a JOIN users u ON u.id = a.user_id JOIN enterprises e ON e.id = a.enterprise_id
			WHERE u.username = 'liaison001' AND a.to_date = ''`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var name string
			rows.Scan(&name)
			n++
			if !strings.Contains(body, name) {
				t.Errorf("liaison001 is stationed at %s; the home page does not list it", name)
			}
		}
		if n == 0 || strings.Count(body, "今日已走访")+strings.Count(body, "今日未走访") != n {
			t.Errorf("the home page does not say, for each of liaison001's %d enterprises, whether today's visit is done", n)
		}
	})
}

func TestBadPasswordGives401WithoutHint(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Anonymous(t)
		res := c.PostLogin("command", "wrong-password")
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad password: %d, want 401", res.StatusCode)
		}
		res2 := c.PostLogin("nobody-such", "wrong-password")
		if res2.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unknown user: %d, want 401", res2.StatusCode)
		}
		status, b1 := c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "command", "password": "nope-nope"})
		_, b2 := c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "nobody-such", "password": "nope-nope"})
		if status != http.StatusUnauthorized || string(b1) != string(b2) {
			t.Errorf("token: wrong password and unknown user must answer the same 401; got %d %s vs %s", status, b1, b2)
		}
	})
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Anonymous(t)
		for i := 0; i < auth.MaxFailures; i++ {
			c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "township01", "password": "wrong-password"})
		}
		status, _ := c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "township01", "password": apptest.Password})
		if status != http.StatusUnauthorized {
			t.Fatalf("right password during lockout: %d, want 401", status)
		}
		env.Clock.Advance(auth.LockBase + time.Second)
		status, _ = c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "township01", "password": apptest.Password})
		if status != http.StatusCreated {
			t.Fatalf("right password after the lock ran out: %d, want 201", status)
		}
	})
}

func TestFormsRefuseMissingCSRF(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "admin")
		status, _, _ := c.Form("/users/2/disabled", url.Values{"csrf": {"forged"}, "disabled": {"1"}})
		if status != http.StatusForbidden {
			t.Fatalf("forged CSRF: %d, want 403", status)
		}
		status, _, _ = c.Form("/users/2/disabled", url.Values{"disabled": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("with the session's token: %d, want 303", status)
		}
		// The login form has its own token: a login without it is refused.
		anon := env.Anonymous(t)
		res := anon.Do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader("username=admin&password="+apptest.Password), nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("login without token: %d, want 403", res.StatusCode)
		}
	})
}

func TestTokensAreRevocable(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		if status, body := c.JSON("GET", "/api/v1/me", nil); status != 200 || !strings.Contains(string(body), `"role":"command"`) {
			t.Fatalf("me: %d %s", status, body)
		}
		if status, _ := c.JSON("DELETE", "/api/v1/auth/token", nil); status != http.StatusNoContent {
			t.Fatalf("revoke: %d", status)
		}
		if status, _ := c.JSON("GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
			t.Fatalf("me after revoke: %d, want 401", status)
		}
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1`, c.Token).Scan(&n)
		if n != 0 {
			t.Fatalf("a token is stored in clear")
		}
	})
}

func TestOtherTownshipsEnterpriseIs404(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var mine, other int64
		var town string
		env.App.DB.R.QueryRow(`SELECT region FROM users WHERE username = 'township01'`).Scan(&town)
		env.App.DB.R.QueryRow(`SELECT id FROM enterprises WHERE township = $1 ORDER BY id LIMIT 1`, town).Scan(&mine)
		env.App.DB.R.QueryRow(`SELECT id FROM enterprises WHERE township <> $1 ORDER BY id LIMIT 1`, town).Scan(&other)
		c := env.Login(t, "township01")
		if status, _ := c.Page("/enterprises/" + itoa(mine)); status != 200 {
			t.Errorf("own township's enterprise: %d", status)
		}
		status, body := c.Page("/enterprises/" + itoa(other))
		if status != http.StatusNotFound || strings.Contains(body, "统一社会信用代码") {
			t.Errorf("other township's enterprise page: %d, want 404 with nothing of it", status)
		}
		api := env.APIClient(t, "township01")
		if status, _ := api.JSON("GET", "/api/v1/enterprises/"+itoa(other), nil); status != http.StatusNotFound {
			t.Errorf("other township's enterprise in the API: %d, want 404", status)
		}
		_, b := api.JSON("GET", "/api/v1/enterprises?limit=1000", nil)
		var list struct {
			Items []struct{ Township string }
			Total int
		}
		json.Unmarshal(b, &list)
		if list.Total == 0 {
			t.Fatal("township01 sees no enterprise at all")
		}
		for _, e := range list.Items {
			if e.Township != town {
				t.Fatalf("township01 listed an enterprise of %s", e.Township)
			}
		}
	})
}

func TestAuditRecordsWhoWhatBeforeAfter(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "admin")
		var id int64
		env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'village001'`).Scan(&id)
		if status, _, _ := c.Form("/users/"+itoa(id)+"/disabled", url.Values{"disabled": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("disable: %d", status)
		}
		status, body := c.Page("/audit?entity=users&action=update")
		if status != 200 {
			t.Fatalf("audit page: %d", status)
		}
		// In words: who, the action, the object, and the field's before → after.
		if !strings.Contains(body, "admin") || !strings.Contains(body, "停用：否 → 是") || !strings.Contains(body, "修改") || strings.Contains(body, `&#34;Disabled&#34;`) {
			t.Errorf("audit page does not show who disabled the account, before and after, in words")
		}
		// The disabled account can no longer log in.
		if res := env.Anonymous(t).PostLogin("village001", apptest.Password); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled account logged in: %d", res.StatusCode)
		}
		// Liaisons may not read the audit log.
		l := env.Login(t, "liaison001")
		if status, _ := l.Page("/audit"); status != http.StatusForbidden {
			t.Errorf("liaison opened the audit log: %d", status)
		}
	})
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// A session token planted before login is not the one used after it.
func TestLoginGivesAFreshSession(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Anonymous(t)
	u, _ := url.Parse(env.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: "planted-by-attacker", Path: "/"}})
	if res := c.PostLogin("command", apptest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == auth.SessionCookie && ck.Value == "planted-by-attacker" {
			t.Fatal("the planted session token survived login")
		}
	}
	if status, _ := c.Page("/"); status != 200 {
		t.Fatalf("home after login: %d", status)
	}
}

// An admin uploads a regions CSV; a bad line is named in Chinese and nothing is written.
func TestRegionImportNamesBadLinesAndWritesNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "admin")
		upload := func(csv string) (int, string) {
			var b strings.Builder
			mw := multipart.NewWriter(&b)
			mw.WriteField("csrf", c.CSRF)
			fw, _ := mw.CreateFormFile("file", "regions.csv")
			fw.Write([]byte(csv))
			mw.Close()
			res := c.Do("POST", "/regions/import", mw.FormDataContentType(), strings.NewReader(b.String()), nil)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(body)
		}
		status, body := upload("code,name,parent_code,level\n430821108903,新村,430821108000,village\n430821108,坏代码,430821,township\n")
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "第 3 行") || !strings.Contains(body, "乡镇代码为12位") {
			t.Fatalf("bad import: %d; want line 3 named in Chinese", status)
		}
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM regions WHERE code = '430821108903'`).Scan(&n)
		if n != 0 {
			t.Fatal("a good line of a bad file was written")
		}
		status, _ = upload("code,name,parent_code,level\n430821108903,新村,430821108000,village\n")
		if status != http.StatusSeeOther {
			t.Fatalf("good import: %d", status)
		}
		_, page := c.Page("/regions?parent=430821108000")
		if !strings.Contains(page, "新村") {
			t.Fatal("the imported village is not listed under its township")
		}
	})
}

// One address that tries logins faster than a person could is slowed down, whatever the
// accounts it tries.
func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Anonymous(t)
	limited := false
	// The limiter refills one attempt a second; each attempt costs an argon2id hash, so a
	// tight loop spends its burst long before a few hundred attempts.
	for i := 0; i < 300; i++ {
		status, body := c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": fmt.Sprintf("guess%03d", i), "password": "guess-guess"})
		if status == http.StatusTooManyRequests && strings.Contains(string(body), "尝试次数过多") {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("300 rapid logins from one address were all let through")
	}
}
