package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"fugong/app/apptest"
)

func TestOperationsEndpointsAndHeaders(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Anonymous(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if status, _ := c.Page(p); status != 200 {
			t.Errorf("%s: %d", p, status)
		}
	}
	c.Page("/login")
	res := c.Do("GET", "/login", "", nil, nil)
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q must allow only our own scripts, no unsafe-inline", csp)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	res = c.Do("GET", "/metrics", "", nil, nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := string(b)
	if !strings.Contains(m, `fugong_http_requests_total{route="GET /login",status="200"}`) ||
		!strings.Contains(m, "fugong_http_request_duration_seconds_bucket") || !strings.Contains(m, "go_sql_open_connections") {
		t.Errorf("metrics lack requests by route, latency or the database pool")
	}
}

func TestNoStackTraceOnErrors(t *testing.T) {
	env := apptest.New(t, "sqlite", apptest.Options{})
	c := env.Login(t, "command")
	for _, p := range []string{"/enterprises/999999", "/enterprises/abc", "/no/such/page"} {
		status, body := c.Page(p)
		if status != http.StatusNotFound || strings.Contains(body, "goroutine") || !strings.Contains(body, "没有找到") {
			t.Errorf("%s: %d; want a Chinese 404 page", p, status)
		}
	}
	api := env.APIClient(t, "command")
	status, body := api.JSON("POST", "/api/v1/auth/token", map[string]any{"username": 5})
	if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest || !strings.Contains(string(body), `"error"`) {
		t.Errorf("malformed body: %d %s", status, body)
	}
}
