package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong"
	"fugong/app"
	"fugong/app/apptest"
	"fugong/auth"
	"fugong/server"

	"github.com/pquerna/otp/totp"
)

// The password page holds every new password to the domain's rule (等保 2.0 level 3):
// too short, one kind of character, the username or a common one is refused with a
// message that says why, and the old password keeps working.
func TestPasswordPageRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Login(t, "village001")
	for _, tt := range []struct{ password, want string }{
		{"12345678", "密码至少10个字符"},
		{"1234567890123", "至少两类字符"},
		{"village001-pass", "不能是用户名"},
		{"Password123", "太常见"},
	} {
		status, _, body := c.Form("/password", url.Values{"current": {apptest.Password}, "new": {tt.password}, "repeat": {tt.password}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) {
			t.Errorf("new password %q: status %d, want 422 saying %q", tt.password, status, tt.want)
		}
	}
	if res := env.Anonymous(t).PostLogin("village001", apptest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the old password stopped working after refused changes: %d", res.StatusCode)
	}
}

// A page elsewhere cannot raise a demand in a logged-in enterprise's name through the
// Open311 POST: a caller known only by the session cookie must send the CSRF token; an
// api_key caller needs none.
func TestOpen311PostNeedsCSRFFromCookieCallers(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Login(t, "enterprise001")
	form := url.Values{"service_code": {"supplies"}, "description": {"需要口罩300个"}, "attribute[item]": {"口罩"}, "attribute[quantity]": {"300"}}
	post := func(v url.Values) int {
		res := c.Do("POST", "/open311/v2/requests.json", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), nil)
		res.Body.Close()
		return res.StatusCode
	}
	if status := post(form); status != http.StatusForbidden {
		t.Errorf("cookie caller without the CSRF token: %d, want 403", status)
	}
	withToken := url.Values{"csrf": {c.CSRF}}
	for k, v := range form {
		withToken[k] = v
	}
	if status := post(withToken); status != http.StatusCreated {
		t.Errorf("cookie caller with the CSRF token: %d, want 201", status)
	}
	withKey := url.Values{"api_key": {env.APIClient(t, "enterprise001").Token}}
	for k, v := range form {
		withKey[k] = v
	}
	if status := post(withKey); status != http.StatusCreated {
		t.Errorf("api_key caller: %d, want 201", status)
	}
}

// A village cadre cannot test whether an ID number or a phone is registered elsewhere in
// the county: registering one that another village holds answers as for one never seen,
// while a duplicate in their own village is still refused.
func TestVillageCannotProbeRegistrationsElsewhere(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const phone = "13900002222"
		id := "43082119880101123" + string(fugong.IDNumberCheckChar("43082119880101123"))
		a, b := env.Login(t, "village001"), env.Login(t, "village002")
		register := func(c *apptest.Client, phone, id string) (int, string) {
			c.Page("/job-seekers/new")
			status, _, body := c.Form("/job-seekers", url.Values{"phone": {phone}, "name": {"王五"}, "id_number": {id}, "skills": {"电工"}})
			return status, body
		}
		if status, _ := register(a, phone, id); status != http.StatusSeeOther {
			t.Fatalf("register in village001: %d", status)
		}
		if status, body := register(b, phone, id); status != http.StatusSeeOther || strings.Contains(body, "已登记") {
			t.Errorf("village002 registering an ID and phone held in village001: %d; it must answer as for a new one", status)
		}
		if status, body := register(a, phone, id); status != http.StatusUnprocessableEntity || !strings.Contains(body, "已登记") {
			t.Errorf("a duplicate in the cadre's own village: %d, want 422 saying 已登记", status)
		}
	})
}

// Failed logins and the lockout they cause are in the audit log, with the account and
// the address they came from (等保 2.0 level 3).
func TestFailedLoginsAndLockoutsAreAudited(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Anonymous(t)
		for i := 0; i < auth.MaxFailures; i++ {
			c.PostLogin("township01", "wrong-password-1").Body.Close()
		}
		c.PostLogin("township01", apptest.Password).Body.Close() // while locked
		var failed, lockouts int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND username = 'township01' AND ip = '127.0.0.1'`).Scan(&failed)
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'lockout' AND username = 'township01'`).Scan(&lockouts)
		if failed != auth.MaxFailures+1 || lockouts != 1 {
			t.Errorf("audit log: %d failed logins, %d lockouts; want %d and 1", failed, lockouts, auth.MaxFailures+1)
		}
	})
}

// A browser session left unused for the idle timeout ends; one in use does not.
func TestIdleSessionEnds(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) { c.IdleTimeout = 30 * time.Minute }})
	c := env.Login(t, "command")
	for i := 0; i < 3; i++ {
		env.Clock.Advance(20 * time.Minute)
		if status, _ := c.Page("/"); status != http.StatusOK {
			t.Fatalf("a session used every 20 minutes ended after %d uses: %d", i, status)
		}
	}
	env.Clock.Advance(31 * time.Minute)
	if status, _ := c.Page("/"); status != http.StatusSeeOther {
		t.Errorf("a session idle for 31 minutes: %d, want a redirect to the login page", status)
	}
}

// Behind a trusted reverse proxy the client's address comes from X-Forwarded-For (the
// right-most hop the proxy wrote, not what the client put before it); from anyone else
// the header is ignored. /metrics answers loopback callers and holders of the metrics
// token only, and HSTS is sent when asked for.
func TestTrustedProxiesMetricsAndHSTS(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) {
		c.TrustedProxies, _ = server.ParseProxies("127.0.0.0/8")
		c.MetricsToken = "scrape-token-123"
		c.HSTS = true
	}})
	c := env.Anonymous(t)
	c.Do("GET", "/login", "", nil, nil).Body.Close()
	body := url.Values{"username": {"township01"}, "password": {"wrong-password-1"}}
	_, page := c.Page("/login")
	body.Set("csrf", regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1])
	res := c.Do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(body.Encode()), http.Header{"X-Forwarded-For": {"1.2.3.4, 198.51.100.7"}})
	res.Body.Close()
	var ip string
	env.App.DB.R.QueryRow(`SELECT ip FROM audit_log WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1`).Scan(&ip)
	if ip != "198.51.100.7" {
		t.Errorf("failed login through the proxy audited from %q, want 198.51.100.7", ip)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("--hsts: no Strict-Transport-Security header")
	}
	metrics := func(h http.Header) int {
		res := c.Do("GET", "/metrics", "", nil, h)
		res.Body.Close()
		return res.StatusCode
	}
	if s := metrics(nil); s != http.StatusOK {
		t.Errorf("/metrics from loopback: %d", s)
	}
	if s := metrics(http.Header{"X-Forwarded-For": {"203.0.113.9"}}); s != http.StatusForbidden {
		t.Errorf("/metrics from 203.0.113.9 through the proxy: %d, want 403", s)
	}
	if s := metrics(http.Header{"X-Forwarded-For": {"203.0.113.9"}, "Authorization": {"Bearer scrape-token-123"}}); s != http.StatusOK {
		t.Errorf("/metrics with the token: %d", s)
	}

	plain := apptest.New(t, "sqlite", apptest.Options{})
	p := plain.Anonymous(t)
	_, page = p.Page("/login")
	body.Set("csrf", regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1])
	p.Do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(body.Encode()), http.Header{"X-Forwarded-For": {"198.51.100.7"}}).Body.Close()
	plain.App.DB.R.QueryRow(`SELECT ip FROM audit_log WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1`).Scan(&ip)
	if ip != "127.0.0.1" {
		t.Errorf("X-Forwarded-For believed with no trusted proxy: audited from %q", ip)
	}
	res = p.Do("GET", "/metrics", "", nil, http.Header{"X-Forwarded-For": {"203.0.113.9"}})
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("/metrics forwarded by a local proxy that is not trusted: %d, want 403", res.StatusCode)
	}
}

// A department writes only in its sector and reads only what DESIGN.md gives it: 工信局
// (dept02: 园区企业, 工矿企业) cannot report on another department's target, raise a 司法
// demand for an enterprise outside its sector, advance a referral, or read job seekers,
// party applications and key projects; the departments whose sector they are still can.
func TestDepartmentStaysInItsSector(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		dept := env.APIClient(t, "dept02")
		var other, outside, referral int64
		db.QueryRow(`SELECT t.id FROM targets t JOIN org_units o ON o.id = t.org_unit_id WHERE o.name = '县自然资源局' LIMIT 1`).Scan(&other)
		db.QueryRow(`SELECT id FROM enterprises WHERE focus_area = '景区景点' LIMIT 1`).Scan(&outside)
		db.QueryRow(`SELECT id FROM referrals LIMIT 1`).Scan(&referral)
		if other == 0 || outside == 0 || referral == 0 {
			t.Fatalf("the demo lacks a target of another department (%d), a scenic spot (%d) or a referral (%d)", other, outside, referral)
		}
		if status, _ := dept.JSON("POST", fmt.Sprintf("/api/v1/targets/%d/reports", other), map[string]any{"week": "2020-03-09", "done": 1}); status != http.StatusNotFound {
			t.Errorf("report on another department's target: %d, want 404", status)
		}
		if status, body := env.APIClient(t, "dept04").JSON("POST", fmt.Sprintf("/api/v1/targets/%d/reports", other), map[string]any{"week": "2020-03-09", "done": 0}); status == http.StatusNotFound || status == http.StatusForbidden {
			t.Errorf("自然资源局 reporting on its own target: %d %s", status, body)
		}
		var before, after int
		db.QueryRow(`SELECT COUNT(*) FROM demands WHERE category = $1`, fugong.JudicialCategory).Scan(&before)
		if status, _ := dept.JSON("POST", "/api/v1/judicial-visits", map[string]any{"enterprise_id": outside, "day": "2020-03-09", "visitor": "科长", "need": "合同纠纷", "matter": "合同"}); status != http.StatusUnprocessableEntity && status != http.StatusForbidden {
			t.Errorf("a 司法 demand for an enterprise outside the sector: %d, want it refused", status)
		}
		db.QueryRow(`SELECT COUNT(*) FROM demands WHERE category = $1`, fugong.JudicialCategory).Scan(&after)
		if after != before {
			t.Errorf("a refused judicial visit left %d demands", after-before)
		}
		if status, _ := dept.JSON("POST", fmt.Sprintf("/api/v1/referrals/%d/advance", referral), map[string]any{"state": "interviewed", "day": "2020-03-09"}); status != http.StatusNotFound {
			t.Errorf("advance a referral: %d, want 404", status)
		}
		count := func(c *apptest.Client, path string) int {
			status, body := c.JSON("GET", path, nil)
			var l struct{ Total int }
			json.Unmarshal(body, &l)
			if status != http.StatusOK && status != http.StatusForbidden {
				t.Errorf("GET %s: %d", path, status)
			}
			return l.Total
		}
		for _, path := range []string{"/api/v1/job-seekers", "/api/v1/party-applications", "/api/v1/key-projects"} {
			if n := count(dept, path); n != 0 {
				t.Errorf("工信局 reads %d rows of %s", n, path)
			}
		}
		for who, path := range map[string]string{"dept03": "/api/v1/job-seekers", "dept11": "/api/v1/party-applications", "dept06": "/api/v1/key-projects"} {
			if n := count(env.APIClient(t, who), path); n == 0 {
				t.Errorf("%s, whose sector it is, reads no rows of %s", who, path)
			}
		}
	})
}

// Admin and command log in with a second factor (RFC 6238 TOTP, 等保 2.0 level 3): an
// account that must have one is sent to the enrolment page until it has; an enrolled
// account gives its code after the password, on the page and for an API token; a wrong
// code is a failed login; an admin resets a lost authenticator.
func TestSecondFactorForAdminAndCommand(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) { c.RequireTOTP = true }})
	secretRe := regexp.MustCompile(`<code id="totp-secret">([A-Z2-7=]+)</code>`)
	enrol := func(username string) (*apptest.Client, string) {
		c := env.Anonymous(t)
		if res := c.PostLogin(username, apptest.Password); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login %s: %d", username, res.StatusCode)
		}
		if status, _ := c.Page("/"); status != http.StatusSeeOther {
			t.Fatalf("%s without a second factor opened the home page: %d, want a redirect to the enrolment page", username, status)
		}
		_, page := c.Page("/account/totp")
		m := secretRe.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, "data:image/png;base64,") {
			t.Fatalf("the enrolment page shows no secret or QR code")
		}
		if status, _, _ := c.Form("/account/totp", url.Values{"secret": {m[1]}, "code": {"000000"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("enrol with a wrong code: %d, want 422", status)
		}
		code, _ := totp.GenerateCode(m[1], env.Clock.Now())
		status, _, page := c.Form("/account/totp", url.Values{"secret": {m[1]}, "code": {code}})
		if status != http.StatusOK || len(recoveryRe.FindAllString(page, -1)) != 10 {
			t.Fatalf("enrol: %d, %d recovery codes shown, want 10", status, len(recoveryRe.FindAllString(page, -1)))
		}
		if status, _ := c.Page("/"); status != http.StatusOK {
			t.Fatalf("after enrolling, the home page: %d", status)
		}
		return c, m[1]
	}
	if status, _ := env.Anonymous(t).JSON("POST", "/api/v1/auth/token", map[string]string{"username": "admin", "password": apptest.Password}); status != http.StatusForbidden {
		t.Errorf("a token for admin before enrolling: %d, want 403", status)
	}
	admin, secret := enrol("admin")
	command, _ := enrol("command")

	// The next login asks for the code; the password alone opens nothing. (Half a minute
	// on: the code that enrolled opens no login.)
	env.Clock.Advance(30 * time.Second)
	c := env.Anonymous(t)
	res := c.PostLogin("admin", apptest.Password)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login/totp") {
		t.Fatalf("login of an enrolled admin: %d %s, want the code page", res.StatusCode, loc)
	}
	if status, _ := c.Page("/users"); status != http.StatusSeeOther {
		t.Errorf("a password without its code opened /users: %d", status)
	}
	_, page := c.Page("/login/totp")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	post := func(code string) *http.Response {
		return c.Do("POST", "/login/totp", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"csrf": {csrf}, "code": {code}}.Encode()), nil)
	}
	if res := post("123456"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong code: %d, want 401", res.StatusCode)
	}
	code, _ := totp.GenerateCode(secret, env.Clock.Now())
	if res := post(code); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right code: %d", res.StatusCode)
	}
	if status, _ := c.Page("/users"); status != http.StatusOK {
		t.Errorf("after the code, /users: %d", status)
	}
	var failed int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND username = 'admin' AND after_json LIKE '%second_factor%'`).Scan(&failed)
	if failed != 1 {
		t.Errorf("audit log: %d failed second factors, want 1", failed)
	}

	// The API: no code, 401; the code that opened the page login, 401 (used); the next
	// code, a token.
	api := env.Anonymous(t)
	if status, _ := api.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "admin", "password": apptest.Password}); status != http.StatusUnauthorized {
		t.Errorf("a token without the code: %d, want 401", status)
	}
	if status, _ := api.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "admin", "password": apptest.Password, "totp": code}); status != http.StatusUnauthorized {
		t.Errorf("a token with a code used already: %d, want 401", status)
	}
	env.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, env.Clock.Now())
	if status, body := api.JSON("POST", "/api/v1/auth/token", map[string]string{"username": "admin", "password": apptest.Password, "totp": code}); status != http.StatusCreated {
		t.Errorf("a token with the code: %d %s", status, body)
	}

	// A lost phone: the admin resets command's authenticator; command's session ends and
	// the next login enrols again.
	var commandID int64
	env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'command'`).Scan(&commandID)
	admin.Page("/users")
	if status, _, _ := admin.Form(fmt.Sprintf("/users/%d/totp/reset", commandID), nil); status != http.StatusSeeOther {
		t.Fatalf("reset: %d", status)
	}
	if status, _ := command.Page("/"); status != http.StatusSeeOther {
		t.Errorf("command's session after the reset: %d, want it ended", status)
	}
	enrol("command")
}

// recoveryRe finds the recovery codes on the page that shows them.
var recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)

// A TOTP code opens one login only: the same code again, within its window, is refused
// and audited as a replay (RFC 6238 §5.2). Recovery codes, shown once at enrolment and
// kept as argon2id hashes, each open one login instead of a code — on the page and for a
// token — and each use is audited; a new set, asked for with a current code, voids the
// old one.
func TestSecondFactorReplayAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) { c.RequireTOTP = true }})
	c := env.Anonymous(t)
	c.PostLogin("command", apptest.Password)
	_, page := c.Page("/account/totp")
	secret := regexp.MustCompile(`<code id="totp-secret">([A-Z2-7=]+)</code>`).FindStringSubmatch(page)[1]
	code, _ := totp.GenerateCode(secret, env.Clock.Now())
	_, _, page = c.Form("/account/totp", url.Values{"secret": {secret}, "code": {code}})
	var codes []string
	for _, m := range recoveryRe.FindAllStringSubmatch(page, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown at enrolment, want 10", len(codes))
	}
	var kept int
	var hash string
	env.App.DB.R.QueryRow(`SELECT COUNT(*), MIN(code_hash) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.username = 'command'`).Scan(&kept, &hash)
	if kept != 10 || !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(page, hash) {
		t.Errorf("kept %d recovery codes, hash %.20q…", kept, hash)
	}

	// login runs the password and then the second step with code, and answers the status.
	login := func(code string) int {
		c := env.Anonymous(t)
		c.PostLogin("command", apptest.Password)
		_, page := c.Page("/login/totp")
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
		res := c.Do("POST", "/login/totp", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"csrf": {csrf}, "code": {code}}.Encode()), nil)
		res.Body.Close()
		return res.StatusCode
	}
	audit := func(action, like string) int {
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE username = 'command' AND action = $1 AND after_json LIKE $2`, action, like).Scan(&n)
		return n
	}
	// Replay: the enrolment's code, then a fresh code twice.
	if status := login(code); status != http.StatusUnauthorized {
		t.Errorf("the code that enrolled, once more: %d, want 401", status)
	}
	env.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, env.Clock.Now())
	if status := login(code); status != http.StatusSeeOther {
		t.Fatalf("a fresh code: %d", status)
	}
	if status := login(code); status != http.StatusUnauthorized {
		t.Errorf("the same code again within its window: %d, want 401", status)
	}
	if n := audit("login_failed", "%second_factor_replay%"); n != 2 {
		t.Errorf("%d replays in the audit log, want 2", n)
	}

	// A recovery code, as typed from paper (capitals, no dash), opens one login.
	typed := strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))
	if status := login(typed); status != http.StatusSeeOther {
		t.Fatalf("a recovery code: %d", status)
	}
	if status := login(codes[0]); status != http.StatusUnauthorized {
		t.Errorf("the same recovery code again: %d, want 401", status)
	}
	if n := audit("recovery_code_used", `%"left":9%`); n != 1 {
		t.Errorf("%d recovery_code_used lines with 9 left, want 1", n)
	}
	// and a token.
	if status, body := env.Anonymous(t).JSON("POST", "/api/v1/auth/token", map[string]string{"username": "command", "password": apptest.Password, "totp": codes[1]}); status != http.StatusCreated {
		t.Errorf("a token with a recovery code: %d %s", status, body)
	}

	// The account page says how many are left; a new set needs a current code.
	_, page = c.Page("/account/totp")
	if !strings.Contains(page, "还有 8 个未使用的恢复码") {
		t.Errorf("the account page does not say 8 recovery codes are left")
	}
	if status, _, _ := c.Form("/account/totp/recovery", url.Values{"code": {"000000"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("new recovery codes with a wrong code: %d, want 422", status)
	}
	env.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, env.Clock.Now())
	status, _, page := c.Form("/account/totp/recovery", url.Values{"code": {code}})
	fresh := recoveryRe.FindAllStringSubmatch(page, -1)
	if status != http.StatusOK || len(fresh) != 10 {
		t.Fatalf("new recovery codes: %d, %d shown", status, len(fresh))
	}
	if status := login(codes[2]); status != http.StatusUnauthorized {
		t.Errorf("an old recovery code after a new set: %d, want 401", status)
	}
	if status := login(fresh[0][1]); status != http.StatusSeeOther {
		t.Errorf("a new recovery code: %d", status)
	}
	if n := audit("recovery_codes_new", "%"); n != 1 {
		t.Errorf("%d recovery_codes_new lines, want 1", n)
	}

	// Someone with the password guesses codes: a right password does not clear the
	// count of wrong codes, so the fifth wrong code locks the account.
	for i := 0; i < 5; i++ {
		if status := login("000000"); status != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+1, status)
		}
	}
	if res := env.Anonymous(t).PostLogin("command", apptest.Password); res.StatusCode == http.StatusSeeOther {
		t.Errorf("after five wrong codes, each after the right password, the account is not locked")
	}
}

// Unmasking in bulk is bounded (PIPL, minimum necessary): beyond the hourly limit an
// export in clear is refused, except to the command with a reason, which is audited as
// bulk_unmask and told to every command account.
func TestBulkUnmaskIsLimited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	env.App.API.Health.UnmaskLimit = 3
	command, admin := env.APIClient(t, "command"), env.APIClient(t, "admin")
	count := func(q string) int {
		var n int
		env.App.DB.R.QueryRow(q).Scan(&n)
		return n
	}
	unmasked := func() int { return count(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask'`) }
	before := unmasked()
	status, body := command.JSON("GET", "/api/v1/workers/export?unmask=true", nil)
	if status != http.StatusForbidden || !strings.Contains(string(body), "每小时") {
		t.Errorf("a bulk export in clear without a reason: %d %.200s, want 403 naming the limit", status, body)
	}
	if status, _ := admin.JSON("GET", "/api/v1/workers/export?unmask=true&reason="+url.QueryEscape("核查"), nil); status != http.StatusForbidden {
		t.Errorf("admin with a reason: %d, want 403 (command only)", status)
	}
	if n := unmasked(); n != before {
		t.Errorf("refused exports unmasked %d records", n-before)
	}
	if status, _ := command.JSON("GET", "/api/v1/workers/export?unmask=true&reason="+url.QueryEscape("疫情流调需要完整名单"), nil); status != http.StatusOK {
		t.Fatalf("command with a reason: %d", status)
	}
	if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulk_unmask' AND after_json LIKE '%疫情流调%'`); n != 1 {
		t.Errorf("bulk_unmask audit lines: %d, want 1", n)
	}
	if n := count(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.role = 'command' AND n.entity = 'audit_log'`); n == 0 {
		t.Error("the command was not told of the bulk export")
	}
	env.App.API.Health.UnmaskLimit = 1 << 30
	if status, _ := env.APIClient(t, "liaison001").JSON("GET", "/api/v1/workers/export?unmask=true", nil); status != http.StatusOK {
		t.Errorf("an export within the limit: %d", status)
	}
}

// The hourly unmask limit counts every view in clear, not only exports: a checkpoint's
// registrations shown in clear on its page (one audit line each) and workers listed in
// clear through the API count, and beyond the limit they are refused like an export.
func TestUnmaskLimitCountsCheckpointEntriesAndLists(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	count := func(q string) int {
		var n int
		env.App.DB.R.QueryRow(q).Scan(&n)
		return n
	}
	var cp int64
	env.App.DB.R.QueryRow(`SELECT id FROM checkpoints ORDER BY id LIMIT 1`).Scan(&cp)
	command := env.Login(t, "command")
	command.Page(fmt.Sprintf("/checkpoints/%d", cp))
	first := validID("11010519900101002")
	v := url.Values{"plate": {"湘G12340"}, "name": {"王五"}, "id_number": {first}, "phone": {"13800000000"}, "origin": {"长沙市"}, "temperature": {"36.5"}}
	if status, _, body := command.Form(fmt.Sprintf("/checkpoints/%d/entries", cp), v); status != http.StatusSeeOther {
		t.Fatalf("register: %d %.300s", status, body)
	}
	// The page shows 50: the limit lets one page in clear through, not two.
	entries := min(50, count(fmt.Sprintf(`SELECT COUNT(*) FROM checkpoint_entries WHERE checkpoint_id = %d`, cp)))
	env.App.API.Health.UnmaskLimit = entries + 1
	page := fmt.Sprintf("/checkpoints/%d?unmask=1", cp)
	if status, body := command.Page(page); status != http.StatusOK || !strings.Contains(body, first) {
		t.Fatalf("the registrations in clear, within the limit: %d", status)
	}
	if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask' AND entity = 'checkpoint_entries'`); n != entries {
		t.Errorf("%d unmask lines for %d registrations seen in clear", n, entries)
	}
	status, body := command.Page(page)
	if status != http.StatusForbidden || !strings.Contains(body, "每小时") || strings.Contains(body, first) {
		t.Errorf("beyond the hourly limit: %d, want 403 naming the limit and no ID number", status)
	}
	if status, body := command.Page(page + "&reason=" + url.QueryEscape("流调核对")); status != http.StatusOK || !strings.Contains(body, first) {
		t.Errorf("the command with a reason: %d", status)
	}
	if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulk_unmask' AND entity = 'checkpoint_entries' AND after_json LIKE '%流调核对%'`); n != 1 {
		t.Errorf("%d bulk_unmask lines, want 1", n)
	}

	// A list in clear through the API counts too.
	env.App.API.Health.UnmaskLimit = 3
	liaison := env.APIClient(t, "liaison001")
	if status, b := liaison.JSON("GET", "/api/v1/workers?unmask=true&limit=2", nil); status != http.StatusOK {
		t.Fatalf("two workers in clear: %d %s", status, b)
	}
	if status, b := liaison.JSON("GET", "/api/v1/workers?unmask=true&limit=2", nil); status != http.StatusForbidden || !strings.Contains(string(b), "每小时") {
		t.Errorf("two more, beyond 3 an hour: %d %s, want 403", status, b)
	}
	if status, _ := liaison.JSON("GET", "/api/v1/workers?limit=2", nil); status != http.StatusOK {
		t.Errorf("masked, still: %d", status)
	}
}
