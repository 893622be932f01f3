package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/auth"
)

// addProvince makes the account of a province's command over the demo county's province.
func addProvince(t *testing.T, env *apptest.Env, username, area string) {
	t.Helper()
	h, err := auth.HashPassword(apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	u := fugong.User{Username: username, DisplayName: "省指挥部", Role: fugong.RoleProvince, County: area, Region: area}
	if err := env.App.DB.CreateUser(fugong.WithActor(context.Background(), fugong.Actor{Username: "test"}), &u, h); err != nil {
		t.Fatal(err)
	}
}

// TestProvince: Hunan's command sees the demo county among its counties with the same
// figures the county's own command sees, reads the demand figures by county, and cannot
// write; a city's command elsewhere sees no county.
func TestProvince(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		addProvince(t, env, "hunan", "430000")
		addProvince(t, env, "changsha", "430100")
		day := "2020-03-09"
		command := getDashboard(t, env.APIClient(t, "command"), day).figures()

		hq := env.APIClient(t, "hunan")
		status, body := hq.JSON("GET", "/api/v1/stats/province?date="+day, nil)
		if status != http.StatusOK {
			t.Fatalf("province: %d %s", status, body)
		}
		var p struct {
			Counties []struct {
				Code        string `json:"region_code"`
				Name        string
				Enterprises int
				Resumed     int
				Escalated   int
				Demands     struct{ Total, Late int }
			}
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Counties) != 1 || p.Counties[0].Code != "430821" {
			t.Fatalf("Hunan's counties: %+v", p.Counties)
		}
		c := p.Counties[0]
		for key, got := range map[string]int{"resumption.total": c.Enterprises, "resumption.resumed": c.Resumed, "demands.in": c.Demands.Total,
			"demands.late": c.Demands.Late, "demands.escalated": c.Escalated} {
			if want := int(command[key].Value); got != want {
				t.Errorf("%s: the province sees %d, the county's command %d", key, got, want)
			}
		}

		// The demand figures by county are the county's whole figures.
		var all, byCounty struct {
			All   struct{ Total, Solved int }
			Items []struct {
				Key   string
				Total int
			}
		}
		_, body = env.APIClient(t, "command").JSON("GET", "/api/v1/stats/demands", nil)
		json.Unmarshal(body, &all)
		status, body = hq.JSON("GET", "/api/v1/stats/demands?by=county", nil)
		json.Unmarshal(body, &byCounty)
		if status != http.StatusOK || all.All.Total == 0 || byCounty.All != all.All || len(byCounty.Items) != 1 || byCounty.Items[0].Total != all.All.Total {
			t.Errorf("by county: %d %s; the county's whole: %+v", status, body, all.All)
		}
		// Its medians come from the minutes kept per day: near the county's exact ones.
		var medians [2]struct {
			All struct {
				Response int `json:"median_response_minutes"`
				Solution int `json:"median_solution_minutes"`
			}
		}
		json.Unmarshal(body, &medians[0])
		_, body = env.APIClient(t, "command").JSON("GET", "/api/v1/stats/demands", nil)
		json.Unmarshal(body, &medians[1])
		got, exact := medians[0].All, medians[1].All
		if exact.Response <= 0 || exact.Solution <= 0 || got.Response < exact.Response*3/4-1 || got.Response > exact.Response*5/4+1 ||
			got.Solution < exact.Solution/2 || got.Solution > exact.Solution*3/2 {
			t.Errorf("province medians %+v, the county's exact ones %+v", got, exact)
		}
		if status, _ := hq.JSON("GET", "/api/v1/stats/demands?by=township", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("a province by township: %d, want 422", status)
		}

		// Read-only: no write, not even one its scope would let it find.
		if status, body := hq.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": 1, "category": "other", "description": "x"}); status != http.StatusForbidden {
			t.Errorf("a province raising a demand: %d %s", status, body)
		}
		web := env.Login(t, "hunan")
		if status, page := web.Page("/province?date=" + day); status != http.StatusOK || !strings.Contains(page, "慈利县") {
			t.Errorf("province page: %d", status)
		}
		if status, page := web.Page("/province/demands"); status != http.StatusOK || !strings.Contains(page, `id="stat-response-median">`+strconv.Itoa(got.Response)+" 分钟") {
			t.Errorf("province demand figures page: %d, want the median response %d 分钟", status, got.Response)
		}
		if status, page := web.Page("/"); status != http.StatusSeeOther && !strings.Contains(page, "慈利县") {
			t.Errorf("a province's home is its counties: %d", status)
		}
		if status, _, _ := web.Form("/demands", url.Values{"category": {"other"}}); status != http.StatusForbidden {
			t.Errorf("a province posting a form: %d", status)
		}

		// Changsha's city command: no county of its in this database.
		status, body = env.APIClient(t, "changsha").JSON("GET", "/api/v1/stats/province?date="+day, nil)
		if status != http.StatusOK || strings.Contains(string(body), "430821") {
			t.Errorf("Changsha sees: %d %s", status, body)
		}
	})
}
