package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/auth"
	"fugong/demo"
	"fugong/xlsx"
)

// injections are what an attacker types into a search box or a filter.
var injections = []string{`' OR 1=1 --`, `%' OR '1'='1`, `1; DROP TABLE demands; --`, `" OR ""="`, `\`, `%`, `_`, `430821' UNION SELECT username, password_hash FROM users --`}

// filterNames are the query parameters the web pages read.
var filterNames = []string{"q", "township", "status", "state", "category", "focus_area", "stage", "level", "entity", "username", "action", "day", "from", "to", "enterprise_id", "page"}

// SQL injection in every filter of every list, on the web and the API: an ordinary
// answer, never a 500, never more rows than the unfiltered list, no rows for a search,
// and every table still there.
func TestSQLInjectionInFilters(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&before)
		web := env.Login(t, "command")
		api := env.APIClient(t, "command")
		tried := 0
		for _, r := range env.App.Web.Routes {
			m, path, _ := strings.Cut(r.Pattern, " ")
			path = strings.TrimSuffix(path, "{$}")
			if m != "GET" || strings.Contains(path, "{") || strings.Contains(path, "export") || strings.HasPrefix(path, "/static") {
				continue
			}
			for _, v := range injections {
				// Every filter at once first: a page reads those it knows. A page that
				// refuses one of them (4xx) may not have reached the others, so it is
				// then tried one filter at a time. One request in place of sixteen kept
				// this test from being a quarter of CI's time.
				all := url.Values{}
				for _, name := range filterNames {
					all.Set(name, v)
				}
				status := tryFilter(t, web, path, all, "every filter", v)
				tried++
				if status < 400 {
					continue
				}
				for _, name := range filterNames {
					tryFilter(t, web, path, url.Values{name: {v}}, name, v)
					tried++
				}
			}
		}
		for _, op := range env.App.API.Ops {
			if op.Method != "GET" || strings.Contains(op.Path, "{") || op.Public {
				continue
			}
			_, plain := api.JSON("GET", op.Path, nil)
			var base struct {
				Total *int `json:"total"`
			}
			json.Unmarshal(plain, &base)
			for _, p := range op.Params {
				if p.In != "query" || p.Type != "string" {
					continue
				}
				for _, v := range injections {
					status, body := api.JSON("GET", op.Path+"?"+url.Values{p.Name: {v}}.Encode(), nil)
					tried++
					if status >= 500 {
						t.Errorf("GET %s?%s=%q: %d", op.Path, p.Name, v, status)
						continue
					}
					var got struct {
						Total *int `json:"total"`
					}
					json.Unmarshal(body, &got)
					if status != http.StatusOK || got.Total == nil || base.Total == nil {
						continue
					}
					if *got.Total > *base.Total {
						t.Errorf("GET %s?%s=%q: %d rows, more than the %d unfiltered", op.Path, p.Name, v, *got.Total, *base.Total)
					}
					if p.Name == "q" && *got.Total != 0 {
						t.Errorf("GET %s?q=%q found %d rows: the search is not literal", op.Path, v, *got.Total)
					}
				}
			}
		}
		var after int
		if err := env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&after); err != nil || after != before {
			t.Errorf("demands before %d, after %d (%v)", before, after, err)
		}
		t.Logf("%d injection attempts, 0 leaks", tried)
	})
}

// tryFilter asks a page with an injection in query and fails the test on a 500 or a
// password hash in the page; it returns the status.
func tryFilter(t *testing.T, web *apptest.Client, path string, query url.Values, name, v string) int {
	t.Helper()
	status, body := web.Page(path + "?" + query.Encode())
	if status >= 500 {
		t.Errorf("GET %s with %s=%q: %d", path, name, v, status)
	}
	if strings.Contains(body, "password_hash") && !strings.Contains(body, "UNION") {
		t.Errorf("GET %s with %s=%q shows password hashes", path, name, v)
	}
	return status
}

// A name and a description holding markup show as text on every page, stay literal in
// the .xlsx and CSV exports, and go into notifications as plain text.
func TestMarkupEverywhere(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test"})
	e := fugong.Enterprise{County: demo.County, Name: markup, USCC: demo.USCC(demo.County, 9998, false), Township: "430821001000", FocusArea: "园区企业", Status: fugong.StatusResumed}
	if err := env.App.DB.CreateEnterpriseTx(ctx, env.App.DB.W, &e); err != nil {
		t.Fatal(err)
	}
	api := env.APIClient(t, "command")
	status, b := api.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": e.ID, "category": "supplies", "description": markup, "quantity": 1, "fields": map[string]string{"item": "口罩"}})
	if status != http.StatusCreated {
		t.Fatalf("raise: %d %s", status, b)
	}
	var d struct{ ID int64 }
	json.Unmarshal(b, &d)
	// A demand of an enterprise with a liaison, so that a notification carries the markup.
	own := env.APIClient(t, "enterprise001")
	if status, b := own.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": enterpriseOf(t, env, "enterprise001"), "category": "supplies",
		"description": markup, "quantity": 1, "fields": map[string]string{"item": "口罩"}}); status != http.StatusCreated {
		t.Fatalf("raise: %d %s", status, b)
	}
	env.App.Notify.RunDue(context.Background())
	for _, user := range []string{"liaison001", "enterprise001"} {
		status, body := env.Login(t, user).Page("/notifications")
		if status != http.StatusOK || strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s's notifications: %d, or markup shown as markup", user, status)
		}
	}

	ids := map[string]string{"/enterprises/": strconv.FormatInt(e.ID, 10), "/demands/": strconv.FormatInt(d.ID, 10)}
	c := env.Login(t, "command")
	pages := 0
	for _, r := range env.App.Web.Routes {
		m, path, _ := strings.Cut(r.Pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		if m != "GET" || strings.Contains(path, "export") {
			continue
		}
		if strings.Contains(path, "{") {
			prefix, rest, _ := strings.Cut(path, "{")
			id, ok := ids[prefix]
			if !ok {
				continue
			}
			_, rest, _ = strings.Cut(rest, "}")
			if strings.Contains(rest, "{") {
				continue
			}
			path = prefix + id + rest
		}
		status, body := c.Page(path)
		pages++
		if status >= 500 {
			t.Errorf("%s: %d", path, status)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows the markup as markup", path)
		}
	}

	res := c.Do("GET", "/ledgers/enterprises/export?format=csv", "", nil, nil)
	rows, err := csv.NewReader(res.Body).ReadAll()
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !csvHas(rows, markup) {
		t.Errorf("the CSV export does not hold the name literally")
	}
	res = c.Do("GET", "/ledgers/enterprises/export", "", nil, nil)
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	res.Body.Close()
	sheet, err := xlsx.ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range sheet.Rows {
		for _, v := range r.Cells {
			found = found || v == markup
		}
	}
	if !found {
		t.Errorf("the .xlsx export does not hold the name literally")
	}

	var n int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE body LIKE '%<script>alert%' OR subject LIKE '%<script>alert%'`).Scan(&n)
	t.Logf("%d pages, 2 exports and %d notifications holding the markup checked", pages, n)
}

func csvHas(rows [][]string, s string) bool {
	for _, r := range rows {
		for _, v := range r {
			if v == s {
				return true
			}
		}
	}
	return false
}

// A form body that cannot be read is the sender's fault: the page answers 400 in the
// user's language, as the API does for a broken JSON body, and nothing is written.
func TestMalformedFormIsABadRequest(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&before)
		c := env.Login(t, "command")
		res := c.Do("POST", "/enterprises", "application/x-www-form-urlencoded", strings.NewReader("name=%zz&uscc=1"), http.Header{auth.CSRFHeader: {c.CSRF}})
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "请求格式不正确") {
			t.Errorf("a malformed form: %d, want 400 with 请求格式不正确", res.StatusCode)
		}
		var after int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&after)
		if after != before {
			t.Errorf("%d enterprises after a malformed form, %d before", after, before)
		}
	})
}
