package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// Who confirms a solved demand: not the liaison who solved it, command only with a note,
// the enterprise with a rating it chose. A reopen keeps the first solution clock.
func TestDemandConfirmationAndReopen(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		liaison := env.APIClient(t, "liaison001")
		ent := enterpriseOf(t, env, "liaison001")
		var entUser string
		db.QueryRow(`SELECT username FROM users WHERE enterprise_id = $1 AND role = 'enterprise' ORDER BY id LIMIT 1`, ent).Scan(&entUser)
		if entUser == "" {
			t.Fatal("liaison001's enterprise has no account")
		}
		enterprise, command := env.APIClient(t, entUser), env.APIClient(t, "command")
		d := raise(t, liaison, ent, "supplies", "口罩300个", map[string]string{"item": "口罩"})
		path := fmt.Sprintf("/api/v1/demands/%d/transitions", d.ID)
		act := func(c *apptest.Client, body map[string]any, want int, says string) {
			t.Helper()
			status, b := c.JSON("POST", path, body)
			if status != want || !strings.Contains(string(b), says) {
				t.Fatalf("%v: %d %s, want %d saying %q", body, status, b, want, says)
			}
		}
		act(liaison, map[string]any{"action": "solve_on_site", "note": "已送到"}, http.StatusOK, `"solved"`)
		act(liaison, map[string]any{"action": "confirm", "rating": 5}, http.StatusForbidden, "由提出诉求的企业确认")
		act(command, map[string]any{"action": "confirm", "rating": 5}, http.StatusUnprocessableEntity, `"note"`)
		act(enterprise, map[string]any{"action": "confirm"}, http.StatusUnprocessableEntity, `"rating"`)

		var due, dueAfter int64
		db.QueryRow(`SELECT solution_due FROM demands WHERE id = $1`, d.ID).Scan(&due)
		act(enterprise, map[string]any{"action": "reopen", "note": "还差100个"}, http.StatusOK, `"reopened"`)
		var reopens int
		db.QueryRow(`SELECT solution_due, reopens FROM demands WHERE id = $1`, d.ID).Scan(&dueAfter, &reopens)
		if dueAfter != due || reopens != 1 {
			t.Errorf("after the reopen: solution due %d (was %d), reopens %d; want the first clock kept and one reopen", dueAfter, due, reopens)
		}
		act(liaison, map[string]any{"action": "solve_on_site", "note": "补齐100个"}, http.StatusOK, `"solved"`)
		act(command, map[string]any{"action": "confirm", "rating": 4, "note": "电话回访企业，确认已解决"}, http.StatusOK, `"confirmed"`)

		// The page: no rating is chosen in advance.
		if _, page := env.Login(t, entUser).Page(fmt.Sprintf("/demands/%d", d.ID)); strings.Contains(page, `name="rating" value="5" checked`) {
			t.Errorf("the confirm form starts at 5★")
		}
	})
}

// The demand API refuses what it used to bend: another enterprise's id from an enterprise,
// an Idempotency-Key reused with another body. Flags read 1 as true; rates with nothing to
// take them of are null. The demo's 联兴 mask shortage is a demand.
func TestDemandAPIRefusesWhatItBent(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		c := env.APIClient(t, "enterprise002")
		other := enterpriseOf(t, env, "enterprise001")
		var before, after int
		db.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&before)
		body := map[string]any{"enterprise_id": other, "category": "supplies", "description": "口罩300个", "quantity": 300, "fields": map[string]string{"item": "口罩"}}
		if status, b := c.JSON("POST", "/api/v1/demands", body); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"enterprise_id"`) {
			t.Errorf("another enterprise's id: %d %s, want 422 naming enterprise_id", status, b)
		}
		db.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&after)
		if after != before {
			t.Errorf("a refused demand was written")
		}

		body["enterprise_id"] = enterpriseOf(t, env, "enterprise002")
		first, _ := c.JSON("POST", "/api/v1/demands", body, "Idempotency-Key", "k-18")
		again, _ := c.JSON("POST", "/api/v1/demands", body, "Idempotency-Key", "k-18")
		body["quantity"] = 3000
		other2, b := c.JSON("POST", "/api/v1/demands", body, "Idempotency-Key", "k-18")
		if first != http.StatusCreated || again != http.StatusCreated || other2 != http.StatusUnprocessableEntity || !strings.Contains(string(b), "Idempotency-Key") {
			t.Errorf("the same key: %d, a retry %d, another body %d %s; want 201, 201, 422", first, again, other2, b)
		}

		command := env.APIClient(t, "command")
		total := func(q string) int {
			_, b := command.JSON("GET", "/api/v1/demands?limit=1&"+q, nil)
			var l struct{ Total int }
			json.Unmarshal(b, &l)
			return l.Total
		}
		if all, late1, lateTrue := total(""), total("late=1"), total("late=true"); late1 != lateTrue || late1 >= all {
			t.Errorf("late=1 gives %d, late=true %d, all %d", late1, lateTrue, all)
		}
		if status, _ := command.JSON("GET", "/api/v1/demands?late=maybe", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("late=maybe: %d, want 422", status)
		}

		_, b = command.JSON("GET", "/api/v1/stats/demands?from=2030-01-01&to=2030-01-02", nil)
		var st struct{ All map[string]any }
		json.Unmarshal(b, &st)
		for _, k := range []string{"response_rate", "same_day_rate", "on_time_solution_rate", "solution_rate", "satisfaction"} {
			if v, ok := st.All[k]; !ok || v != nil {
				t.Errorf("%s with no demand: %v, want null", k, v)
			}
		}

		var n int
		db.QueryRow(`SELECT COUNT(*) FROM demands d JOIN enterprises e ON e.id = d.enterprise_id WHERE e.name = '慈利联兴新材料科技有限公司' AND d.category = 'supplies' AND d.channel = 'system'`).Scan(&n)
		if n != 1 {
			t.Errorf("联兴's mask shortage raised %d demands, want 1", n)
		}
	})
}
