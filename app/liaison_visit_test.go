package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
)

// assigned returns an enterprise liaison001 is stationed at, and one they are not.
func assigned(t *testing.T, env *apptest.Env, username string) (mine, other int64) {
	t.Helper()
	db := env.App.DB.R
	if err := db.QueryRow(`SELECT MIN(a.enterprise_id) FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE u.username = $1 AND a.to_date = ''`, username).Scan(&mine); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT MIN(e.id) FROM enterprises e WHERE e.id NOT IN (SELECT a.enterprise_id FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE u.username = $1 AND a.to_date = '')`, username).Scan(&other); err != nil {
		t.Fatal(err)
	}
	return mine, other
}

func visitForm(enterpriseID int64, uuid string, in time.Time) url.Values {
	return url.Values{"client_uuid": {uuid}, "enterprise_id": {strconv.FormatInt(enterpriseID, 10)}, "checked_in_at": {in.Format(time.RFC3339)},
		"tasks": {"宣传政策", "发放口罩或预防中药"}, "findings": {"口罩存量约可支撑5天"},
		"demand_category": {"supplies"}, "demand_description": {"按70%到岗率每天需要口罩300个，请协调"}}
}

func count(t *testing.T, env *apptest.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.App.DB.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestVisitWithDemandIsLoggedOnceEvenWhenSentTwice(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "liaison001")
		mine, _ := assigned(t, env, "liaison001")
		status, body := c.Page("/visits/new?enterprise_id=" + strconv.FormatInt(mine, 10))
		if status != http.StatusOK || !strings.Contains(body, "发放口罩或预防中药") || strings.Contains(body, "<script>") {
			t.Fatalf("visit form: %d", status)
		}
		const uuid = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"
		before := count(t, env, `SELECT COUNT(*) FROM visits`)
		in := env.Clock.Now().Add(-40 * time.Minute)
		status, loc, _ := c.Form("/visits", visitForm(mine, uuid, in))
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/visits/") {
			t.Fatalf("first send: %d %s", status, loc)
		}
		status, loc2, _ := c.Form("/visits", visitForm(mine, uuid, in))
		if status != http.StatusSeeOther || loc2 != loc {
			t.Fatalf("resend: %d %s, want the first visit %s", status, loc2, loc)
		}
		if n := count(t, env, `SELECT COUNT(*) FROM visits`) - before; n != 1 {
			t.Errorf("two sends of one form made %d visits", n)
		}
		if n := count(t, env, `SELECT COUNT(*) FROM visit_demands d JOIN visits v ON v.id = d.visit_id WHERE v.client_uuid = $1`, uuid); n != 1 {
			t.Errorf("two sends of one form raised %d demands", n)
		}
		api := env.APIClient(t, "liaison001")
		req := map[string]any{"client_uuid": "5f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", "enterprise_id": mine, "checked_in_at": in.Format(time.RFC3339),
			"tasks": []string{"排查监测"}, "location": map[string]any{"latitude": 29.42, "longitude": 111.12, "accuracy_m": 30},
			"demand": map[string]any{"category": "labour", "description": "缺一线工人20名"}}
		st1, b1 := api.JSON("POST", "/api/v1/visits", req)
		st2, b2 := api.JSON("POST", "/api/v1/visits", req)
		if st1 != http.StatusCreated || st2 != http.StatusOK || string(b1) != string(b2) || !strings.Contains(string(b1), `"on_site":false`) {
			t.Errorf("API resend: %d then %d; %s / %s", st1, st2, b1, b2)
		}
		// The demand raised on the visit is a real demand, once, in the demand workflow.
		if n := count(t, env, `SELECT COUNT(*) FROM demands d JOIN visit_demands vd ON vd.demand_id = d.id WHERE d.description = '缺一线工人20名' AND d.channel = 'on_site' AND d.category = 'labour'`); n != 1 {
			t.Errorf("%d demands in the workflow for the visit's demand, want 1", n)
		}
		if _, doc := env.Anonymous(t).JSON("GET", "/api/v1/openapi.json", nil); !strings.Contains(string(doc), "/api/v1/rectifications/{id}/verify") {
			t.Errorf("the OpenAPI document lacks the liaison operations")
		}
		_, page := c.Page(loc)
		for _, want := range []string{"按70%到岗率每天需要口罩300个", "发放口罩或预防中药", "陈小斌"} {
			if !strings.Contains(page, want) {
				t.Errorf("visit page lacks %q", want)
			}
		}
	})
}

func TestNoVisitAtAnEnterpriseNotAssigned(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "liaison001")
		_, other := assigned(t, env, "liaison001")
		before := count(t, env, `SELECT COUNT(*) FROM visits`)
		if status, _ := c.Page("/visits/new?enterprise_id=" + strconv.FormatInt(other, 10)); status != http.StatusNotFound {
			t.Errorf("form for an enterprise not assigned: %d, want 404", status)
		}
		status, _, _ := c.Form("/visits", visitForm(other, "7f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", env.Clock.Now().Add(-time.Hour)))
		if status != http.StatusNotFound {
			t.Errorf("visit at an enterprise not assigned: %d, want 404", status)
		}
		api := env.APIClient(t, "liaison001")
		st, b := api.JSON("POST", "/api/v1/visits", map[string]any{"client_uuid": "8f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", "enterprise_id": other,
			"checked_in_at": env.Clock.Now().Add(-time.Hour).Format(time.RFC3339), "tasks": []string{"宣传政策"}})
		if st != http.StatusNotFound {
			t.Errorf("API visit at an enterprise not assigned: %d %s, want 404", st, b)
		}
		if n := count(t, env, `SELECT COUNT(*) FROM visits`) - before; n != 0 {
			t.Errorf("%d visits made out of scope", n)
		}
	})
}

func TestVisitFormRefusesBadInputByField(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "liaison001")
		mine, _ := assigned(t, env, "liaison001")
		v := visitForm(mine, "9f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", env.Clock.Now().Add(30*time.Minute))
		v.Set("checked_out_at", env.Clock.Now().Add(time.Hour).Format(time.RFC3339))
		v.Set("tasks", "打扫卫生")
		status, _, body := c.Form("/visits", v)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "没有“打扫卫生”这项工作") || !strings.Contains(body, "请检查手机时间") {
			t.Errorf("bad visit: %d, want 422 naming the task and the time", status)
		}
	})
}
