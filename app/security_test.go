package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

// The password page holds every new password to the domain's rule (等保 2.0 level 3):
// too short, one kind of character, the username or a common one is refused with a
// message that says why, and the old password keeps working.
func TestPasswordPageRefusesWeakPasswords(t *testing.T) {
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
