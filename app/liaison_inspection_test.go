package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/store"
)

func TestInspectionCriticismAndRectification(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		org := env.Login(t, "dept11") // 县委组织部
		target := userID(t, env, "liaison002")
		form := url.Values{"target_kind": {"liaison"}, "target_user_id": {strconv.FormatInt(target, 10)}, "finding": {"对企业复工复产情况掌握不够全面"},
			"criticism": {"通报批评"}, "deadline": {"2020-03-12"}}

		health := env.Login(t, "dept01") // 卫健局: not an inspector
		if st, _ := health.Page("/inspections/new"); st != http.StatusForbidden {
			t.Errorf("a department other than the organisation department opens the form: %d", st)
		}
		if st, _, _ := health.Form("/inspections", url.Values{"finding": form["finding"]}); st != http.StatusForbidden {
			t.Errorf("a department other than the organisation department records a finding: %d", st)
		}

		st, loc, _ := org.Form("/inspections", form)
		if st != http.StatusSeeOther {
			t.Fatalf("record a finding: %d", st)
		}
		id := strings.TrimPrefix(loc, "/inspections/")
		var notes int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND entity = 'inspections' AND entity_id = $2`, target, id).Scan(&notes)
		if notes != 1 {
			t.Errorf("the liaison got %d notices of the finding", notes)
		}
		if st, _ := env.Login(t, "liaison003").Page(loc); st != http.StatusNotFound {
			t.Errorf("another liaison reads the finding: %d, want 404", st)
		}

		liaison := env.Login(t, "liaison002")
		state := func(c *apptest.Client) string {
			_, body := c.Page(loc)
			m := regexp.MustCompile(`id="rectification-state">([^<]+)<`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no rectification state on %s", loc)
			}
			return m[1]
		}
		act := func(c *apptest.Client, action, text, deadline string) int {
			_, body := c.Page(loc)
			v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
			if v == nil {
				t.Fatalf("%s: the page offers no form", action)
			}
			st, _, _ := c.Form(loc+"/rectification", url.Values{"action": {action}, "text": {text}, "deadline": {deadline}, "version": {v[1]}})
			return st
		}
		if got := state(liaison); got != "整改中" {
			t.Errorf("new rectification shows %q", got)
		}
		if st := act(liaison, "report", "已逐一核实企业员工返岗和物资情况", ""); st != http.StatusSeeOther {
			t.Fatalf("report: %d", st)
		}
		if st := act(org, "return", "台账仍不完整", "2020-03-13"); st != http.StatusSeeOther {
			t.Fatalf("send back: %d", st)
		}
		if got := state(liaison); got != "整改中" {
			t.Errorf("after sending back: %q", got)
		}
		act(liaison, "report", "已补齐台账", "")
		if st := act(org, "verify", "同意销号", ""); st != http.StatusSeeOther {
			t.Fatalf("verify: %d", st)
		}
		if got := state(org); got != "已销号" {
			t.Errorf("after verifying: %q", got)
		}
	})
}

func TestOverdueRectificationsAreFlaggedAndNotifiedOnce(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		db := env.App.DB
		var want int
		db.R.QueryRow(`SELECT COUNT(*) FROM rectifications WHERE state = 'open' AND deadline < '2020-03-09'`).Scan(&want)
		if want != 1 {
			t.Fatalf("the demo has %d overdue rectifications, want one", want)
		}
		api := env.APIClient(t, "command")
		st, b := api.JSON("GET", "/api/v1/rectifications?overdue=true", nil)
		var res struct {
			Items []struct {
				ID       int64
				Overdue  bool
				Deadline string
			}
			Total int
		}
		json.Unmarshal(b, &res)
		if st != http.StatusOK || res.Total != want || !res.Items[0].Overdue {
			t.Fatalf("overdue rectifications: %d %s", st, b)
		}
		count := func() int {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'inspections' AND subject = '整改逾期'`).Scan(&n)
			return n
		}
		if _, err := env.App.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		first := count()
		if first != 2 { // the liaison and the inspector
			t.Errorf("overdue notices: %d, want 2", first)
		}
		// The job runs again (after a crash, say): no second notice.
		p := `{"rectification_id":` + strconv.FormatInt(res.Items[0].ID, 10) + `,"deadline":"` + res.Items[0].Deadline + `"}`
		if err := db.EnqueueJob(ctx, db.W, "430821", store.JobRectificationOverdue, p, env.Clock.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		env.App.Jobs.RunDue(ctx)
		if n := count(); n != first {
			t.Errorf("a second run sent %d more notices", n-first)
		}

		// Through the API: command records a finding against an enterprise; its account reports the fix.
		var ent int64
		var entUser string
		db.R.QueryRow(`SELECT e.id, u.username FROM enterprises e JOIN users u ON u.enterprise_id = e.id ORDER BY e.id LIMIT 1`).Scan(&ent, &entUser)
		st, b = api.JSON("POST", "/api/v1/inspections", map[string]any{"target_kind": "enterprise", "enterprise_id": ent, "finding": "防控制度落实不到位", "deadline": "2020-03-10"})
		var in struct {
			Rectification struct{ ID int64 }
		}
		json.Unmarshal(b, &in)
		if st != http.StatusCreated || in.Rectification.ID == 0 {
			t.Fatalf("create inspection: %d %s", st, b)
		}
		ec := env.APIClient(t, entUser)
		path := "/api/v1/rectifications/" + strconv.FormatInt(in.Rectification.ID, 10)
		if st, b := ec.JSON("POST", path+"/verify", map[string]any{"text": "好了"}); st != http.StatusForbidden {
			t.Errorf("the enterprise verifies its own fix: %d %s", st, b)
		}
		if st, b := ec.JSON("POST", path+"/report", map[string]any{"text": "已安排专人测温登记"}); st != http.StatusOK || !strings.Contains(string(b), `"state":"reported"`) {
			t.Errorf("the enterprise reports the fix: %d %s", st, b)
		}
		if st, _ := env.APIClient(t, "enterprise010").JSON("GET", path, nil); st != http.StatusNotFound && entUser != "enterprise010" {
			t.Errorf("another enterprise reads the rectification: %d, want 404", st)
		}
	})
}
