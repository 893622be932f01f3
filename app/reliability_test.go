package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fugong/app/apptest"
	"fugong/i18n"
)

// rawPost posts a JSON body with a bearer token from any goroutine (apptest's clients
// stop the test on a transport error, which only the test's goroutine may do).
func rawPost(env *apptest.Env, token, path string, body []byte, headers ...string) (int, []byte, error) {
	req, err := http.NewRequest("POST", env.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// Ten retries of one create, all at once, with one Idempotency-Key: one demand, and every
// caller hears the same answer.
func TestIdempotencyConcurrentRetries(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "enterprise001")
		text := "幂等并发重试 口罩500个"
		body, _ := json.Marshal(map[string]any{"enterprise_id": enterpriseOf(t, env, "enterprise001"), "category": "supplies",
			"description": text, "quantity": 500, "fields": map[string]string{"item": "口罩"}})
		type answer struct {
			status int
			body   string
			err    error
		}
		answers := make([]answer, 10)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, b, err := rawPost(env, c.Token, "/api/v1/demands", body, "Idempotency-Key", "retry-7f3a")
				answers[i] = answer{status, string(b), err}
			}()
		}
		wg.Wait()
		for i, a := range answers {
			if a.err != nil {
				t.Fatalf("retry %d: %v", i, a.err)
			}
			if a.status != http.StatusCreated || a.body != answers[0].body {
				t.Errorf("retry %d answered %d %.200s; the first answered %d %.200s", i, a.status, a.body, answers[0].status, answers[0].body)
			}
		}
		var n int
		if err := env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE description = $1`, text).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("10 concurrent retries with one key made %d demands, want 1", n)
		}
	})
}

// enterpriseForm is the edit form of an enterprise as the page would post it, read from
// the database.
func enterpriseForm(t *testing.T, env *apptest.Env, id int64) url.Values {
	t.Helper()
	var name, uscc, township, village, address, industry, focus, contact, phone, status string
	var above, park, workshop bool
	var rent, version int64
	var payroll int
	err := env.App.DB.R.QueryRow(`SELECT name, uscc, township, village, address, industry, focus_area, contact_name, contact_phone, status,
		above_scale, park_tenant, workshop, monthly_rent, payroll, version FROM enterprises WHERE id = $1`, id).
		Scan(&name, &uscc, &township, &village, &address, &industry, &focus, &contact, &phone, &status, &above, &park, &workshop, &rent, &payroll, &version)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"name": {name}, "uscc": {uscc}, "township": {township}, "village": {village}, "address": {address}, "industry": {industry},
		"focus_area": {focus}, "contact_name": {contact}, "contact_phone": {phone}, "status": {status},
		"monthly_rent": {fmt.Sprintf("%d.%02d", rent/100, rent%100)}, "payroll": {strconv.Itoa(payroll)}, "version": {strconv.FormatInt(version, 10)}}
	for k, b := range map[string]bool{"above_scale": above, "park_tenant": park, "workshop": workshop} {
		if b {
			v.Set(k, "on")
		}
	}
	return v
}

// Two people edit one enterprise at the same moment, one through the API and one through
// the web form, both from the same version: one wins, the other hears a clear conflict in
// Chinese, and after re-reading, the loser's edit goes in on top of the winner's.
func TestLostUpdateAPIAndWeb(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	stale := cat.T("zh", "error.stale")
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		api := env.APIClient(t, "command")
		web := env.Login(t, "command")
		id := enterpriseOf(t, env, "enterprise001")
		path := "/enterprises/" + strconv.FormatInt(id, 10)
		wins := map[string]int{}
		for round := 0; round < 6; round++ {
			form := enterpriseForm(t, env, id)
			version, _ := strconv.ParseInt(form.Get("version"), 10, 64)
			in := map[string]any{"name": form.Get("name"), "uscc": form.Get("uscc"), "township": form.Get("township"), "village": form.Get("village"),
				"address": form.Get("address"), "industry": form.Get("industry"), "focus_area": form.Get("focus_area"), "contact_name": form.Get("contact_name"),
				"contact_phone": form.Get("contact_phone"), "status": form.Get("status"), "above_scale": form.Get("above_scale") != "",
				"park_tenant": form.Get("park_tenant") != "", "workshop": form.Get("workshop") != "", "payroll": form.Get("payroll"),
				"version": version}
			apiAddr := fmt.Sprintf("接口地址%d", round)
			webName := fmt.Sprintf("网页联系人%d", round)
			in["address"] = apiAddr
			var rent int64
			env.App.DB.R.QueryRow(`SELECT monthly_rent FROM enterprises WHERE id = $1`, id).Scan(&rent)
			in["monthly_rent_fen"] = rent
			in["payroll"], _ = strconv.Atoi(form.Get("payroll"))
			body, _ := json.Marshal(in)
			form.Set("contact_name", webName)
			form.Set("csrf", web.CSRF)

			var wg sync.WaitGroup
			var apiStatus, webStatus int
			var apiBody, webBody string
			wg.Add(2)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("PUT", env.URL+"/api/v1"+path, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept-Language", "zh-CN")
				req.Header.Set("Authorization", "Bearer "+api.Token)
				if res, err := http.DefaultClient.Do(req); err == nil {
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					apiStatus, apiBody = res.StatusCode, string(b)
				}
			}()
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", env.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if res, err := web.HTTP.Do(req); err == nil {
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					webStatus, webBody = res.StatusCode, string(b)
				}
			}()
			wg.Wait()

			var address, contact string
			var after int64
			env.App.DB.R.QueryRow(`SELECT address, contact_name, version FROM enterprises WHERE id = $1`, id).Scan(&address, &contact, &after)
			switch {
			case apiStatus == http.StatusOK && webStatus == http.StatusConflict:
				wins["api"]++
				if address != apiAddr || !strings.Contains(webBody, stale) {
					t.Errorf("round %d: the API won but address is %q; the form says stale: %v", round, address, strings.Contains(webBody, stale))
				}
				if contact == webName {
					t.Errorf("round %d: the losing form's contact went in", round)
				}
			case webStatus == http.StatusSeeOther && apiStatus == http.StatusConflict:
				wins["web"]++
				var e struct{ Error struct{ Message string } }
				json.Unmarshal([]byte(apiBody), &e)
				if contact != webName || e.Error.Message != stale {
					t.Errorf("round %d: the form won but contact is %q; the API said %q", round, contact, e.Error.Message)
				}
				if address == apiAddr {
					t.Errorf("round %d: the losing API edit went in", round)
				}
			default:
				t.Fatalf("round %d: API %d %.200s, web %d: want one 200/303 and one 409", round, apiStatus, apiBody, webStatus)
			}
			if after != version+1 {
				t.Errorf("round %d: version %d → %d, want one step", round, version, after)
			}
		}
		t.Logf("of 6 simultaneous edit pairs the API won %d, the form %d; every loser heard 409 %q", wins["api"], wins["web"], stale)
	})
}
