// Package apptest starts a whole fugong — the demo county on a fresh database, behind a
// real HTTP server on 127.0.0.1 — and gives tests clients that log in as a user would.
package apptest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/app"
	"fugong/auth"
	"fugong/demo"
	"fugong/store/storetest"
)

// Password is every demo account's password in tests.
const Password = "demo-password-2020"

var passwordHash = func() string {
	h, err := auth.HashPassword(Password)
	if err != nil {
		panic(err)
	}
	return h
}()

// PublicURL is the public base address the tests' fugong is configured with (the links
// its QR codes carry).
const PublicURL = "https://cili.fugong.test"

// Env is a running fugong with the demo county.
type Env struct {
	App   *app.App
	URL   string
	Clock *fugong.ManualClock
	// Dialect is "sqlite" or "postgres".
	Dialect string

	spec spec // the OpenAPI document answers are checked against
}

// Options adjust the environment.
type Options struct {
	// NoDemo starts on an empty database.
	NoDemo bool
	// Configure may change the config before the app is built.
	Configure func(c *app.Config)
}

// Each runs fn on a fresh environment of every configured dialect, the dialects at the
// same time: each has its own database and server, and PostgreSQL's work is done in its
// own processes, so the app package's tests take about half as long on two cores. fn
// must not write to variables it shares with the other dialect's run.
func Each(t *testing.T, o Options, fn func(t *testing.T, env *Env)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, d, o))
		})
	}
}

// EachInTurn runs fn like Each, but on one dialect after the other: for a test that looks
// at the process's own folders (TMPDIR, set with t.Setenv), which runs on two databases at
// once would share.
func EachInTurn(t *testing.T, o Options, fn func(t *testing.T, env *Env)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, New(t, d, o))
		})
	}
}

// New starts fugong on a fresh database of the dialect with the demo county, its clock
// stopped at the demo's start (9 March 2020, 08:00) until the test moves it.
//
// The demo county is built once per test binary and dialect and copied for each test (a
// file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so that every test gets
// its own county without paying for building it.
func New(t testing.TB, dialect string, o Options) *Env {
	t.Helper()
	ctx := context.Background()
	clock := fugong.NewManualClock(demo.Start)
	dir := t.TempDir()
	cfg := app.Config{Data: dir, Clock: clock, PublicURL: PublicURL, Log: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), Demo: !o.NoDemo}
	if dialect == "postgres" {
		cfg.DB = storetest.DSN(t, dialect)
	}
	if !o.NoDemo {
		copyDemo(t, dialect, cfg)
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatalf("start fugong: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &Env{App: a, URL: srv.URL, Clock: clock, Dialect: dialect}
}

type demoTemplate struct {
	once sync.Once
	dir  string // the data folder holding fugong.db (SQLite) and the key file
	db   string // the PostgreSQL template database's name
	err  error
}

var templates = map[string]*demoTemplate{"sqlite": {}, "postgres": {}}

// tempBase is the temporary folder as the test binary started: the template outlives the
// test that builds it, which may have pointed TMPDIR at its own folder (t.Setenv).
var tempBase = os.TempDir()

// copyDemo puts a copy of the demo county into cfg's database and data folder.
func copyDemo(t testing.TB, dialect string, cfg app.Config) {
	t.Helper()
	tpl := templates[dialect]
	tpl.once.Do(func() { tpl.err = tpl.build(dialect) })
	if tpl.err != nil {
		t.Fatalf("build the demo county: %v", tpl.err)
	}
	files := []string{"fugong.key"}
	if dialect == "sqlite" {
		files = append(files, "fugong.db")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(tpl.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfg.Data, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if dialect == "postgres" {
		u, _ := url.Parse(cfg.DB)
		name := strings.TrimPrefix(u.Path, "/")
		admin, err := sql.Open("pgx", os.Getenv("FUGONG_TEST_POSTGRES"))
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tpl.db); err != nil {
			t.Fatal(err)
		}
	}
}

func (tpl *demoTemplate) build(dialect string) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp(tempBase, "fugong-demo-template-")
	if err != nil {
		return err
	}
	tpl.dir = dir
	cfg := app.Config{Data: dir, Clock: fugong.NewManualClock(demo.Start), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if dialect == "postgres" {
		base := os.Getenv("FUGONG_TEST_POSTGRES")
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer admin.Close()
		dropStaleTemplates(admin)
		tpl.db = fmt.Sprintf("fugong_tpl_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
		if _, err := admin.Exec("CREATE DATABASE " + tpl.db); err != nil {
			return err
		}
		u, err := url.Parse(base)
		if err != nil {
			return err
		}
		u.Path = "/" + tpl.db
		cfg.DB = u.String()
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := demo.Build(ctx, a.DB, demo.Options{PasswordHash: passwordHash, Keys: a.Keys}); err != nil {
		a.Close()
		return err
	}
	// Closing checkpoints SQLite's WAL into the file and frees PostgreSQL's template.
	return a.Close()
}

// dropStaleTemplates drops the demo templates of test processes that have ended: a
// template lives as long as its test binary, which has no hook at its end, so each build
// clears those of earlier runs (28 MB each) that would otherwise pile up on the server.
func dropStaleTemplates(admin *sql.DB) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'fugong\_tpl\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		var pid int
		if rows.Scan(&name) == nil {
			if _, err := fmt.Sscanf(name, "fugong_tpl_%d_", &pid); err == nil && pid != os.Getpid() {
				if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); os.IsNotExist(err) {
					stale = append(stale, name)
				}
			}
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec("DROP DATABASE IF EXISTS " + name)
	}
}

// testWriter sends the app's warnings and errors to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// Client is a browser-like client: it keeps cookies and does not follow redirects, so
// tests can see them.
type Client struct {
	t    testing.TB
	env  *Env
	HTTP *http.Client
	// CSRF is the session's token, read from the last page.
	CSRF string
	// Token is a bearer token, when the client uses the API.
	Token string
}

// Anonymous returns a client with no login.
func (e *Env) Anonymous(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, env: e, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login logs a user in through the login form and returns their client.
func (e *Env) Login(t testing.TB, username string) *Client {
	t.Helper()
	c := e.Anonymous(t)
	res := c.PostLogin(username, Password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	c.Page("/") // reads the session's CSRF token
	return c
}

// AddUser makes an account with the test password straight in the database, as
// `fugong user add` does: on an empty install (NoDemo), the first admin.
func (e *Env) AddUser(t testing.TB, u fugong.User) fugong.User {
	t.Helper()
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "cli"})
	if err := e.App.DB.CreateUser(ctx, &u, passwordHash); err != nil {
		t.Fatalf("add user %s: %v", u.Username, err)
	}
	return u
}

// APIClient returns a client holding a bearer token for username.
func (e *Env) APIClient(t testing.TB, username string) *Client {
	t.Helper()
	c := e.Anonymous(t)
	status, body := c.JSON("POST", "/api/v1/auth/token", map[string]string{"username": username, "password": Password})
	if status != http.StatusCreated {
		t.Fatalf("token for %s: %d %s", username, status, body)
	}
	var tok struct{ Token string }
	json.Unmarshal(body, &tok)
	c.Token = tok.Token
	return c
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// PostLogin submits the login form with the token the form page gave.
func (c *Client) PostLogin(username, password string) *http.Response {
	c.t.Helper()
	_, body := c.Page("/login")
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("login page has no CSRF field")
	}
	return c.Do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}}.Encode()), nil)
}

// Page GETs a page and returns its status and body; it remembers the CSRF token it shows.
func (c *Client) Page(path string) (int, string) {
	c.t.Helper()
	res := c.Do("GET", path, "", nil, nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := regexp.MustCompile(`data-csrf="([^"]+)"`).FindSubmatch(b); m != nil {
		c.CSRF = string(m[1])
	}
	return res.StatusCode, string(b)
}

// Form POSTs a form with the session's CSRF token and returns the status, the redirect
// location and the body.
func (c *Client) Form(path string, v url.Values) (int, string, string) {
	c.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("csrf") == "" && c.CSRF != "" {
		v.Set("csrf", c.CSRF)
	}
	res := c.Do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// JSON sends a JSON request (body nil for none) with the bearer token, if any.
func (c *Client) JSON(method, path string, body any, headers ...string) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	res := c.Do(method, path, "application/json", r, h)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, b
}

// Do sends a request. An exchange with the API (/api/v1, /open311/v2) is checked against
// the OpenAPI document (checkAPI).
func (c *Client) Do(method, path, contentType string, body io.Reader, h http.Header) *http.Response {
	c.t.Helper()
	var reqBody []byte
	if body != nil && underAPI(path) {
		b, err := io.ReadAll(body)
		if err != nil {
			c.t.Fatal(err)
		}
		reqBody, body = b, bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.env.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if underAPI(path) {
		c.checkAPI(req, reqBody, res)
	}
	return res
}
