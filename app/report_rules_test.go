package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// Reports are refused where they would make the figures lie: more on duty than on the
// payroll, a week not yet come, progress or a cumulative total that goes back. A target's
// own API answer says the same missed weeks as the board, and the board speaks in %.
func TestReportsRefuseFiguresThatLie(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var ent int64
		var payroll int
		db.QueryRow(`SELECT e.id, e.payroll FROM enterprises e JOIN users u ON u.enterprise_id = e.id WHERE u.username = 'enterprise002'`).Scan(&ent, &payroll)
		c := env.APIClient(t, "enterprise002")
		report := map[string]any{"enterprise_id": ent, "day": "2020-03-09", "on_duty": 9999, "capacity": 80, "mask_stock": 600, "masks_used": 100}
		if status, body := c.JSON("POST", "/api/v1/daily-reports", report); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"on_duty":"在岗人数不能超过在册员工数（`+fmt.Sprint(payroll)) {
			t.Errorf("9999 on duty of %d: %d %s, want 422 naming on_duty", payroll, status, body)
		}
		report["on_duty"] = payroll
		if status, body := c.JSON("POST", "/api/v1/daily-reports", report); status != http.StatusCreated && status != http.StatusOK {
			t.Errorf("the whole payroll on duty: %d %s", status, body)
		}

		// A key project's weekly report: the week after this one, and less than last week.
		var project int64
		var week string
		var progress int
		db.QueryRow(`SELECT project_id, week, progress FROM project_reports WHERE progress > 0 ORDER BY week DESC, project_id LIMIT 1`).Scan(&project, &week, &progress)
		command := env.Login(t, "command")
		path := fmt.Sprintf("/projects/%d/reports", project)
		for _, tt := range []struct {
			week     string
			progress int
			want     string
		}{
			{"2020-03-16", progress + 1, "周次不能晚于本周"},
			{"2020-03-09", progress - 1, "累计进度只进不退"},
		} {
			status, _, page := command.Form(path, url.Values{"week": {tt.week}, "progress": {fmt.Sprint(tt.progress)}, "note": {"周报"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, tt.want) {
				t.Errorf("project report %s at %d%% (last %s: %d%%): %d, want 422 saying %q", tt.week, tt.progress, week, progress, status, tt.want)
			}
		}
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM project_reports WHERE project_id = $1 AND week > $2`, project, week).Scan(&n)
		if n != 0 {
			t.Errorf("a refused weekly report was written")
		}

		// A target: the cumulative total may not go down, and the item says the board's missed weeks.
		var target int64
		var done int64
		var lastWeek string
		db.QueryRow(`SELECT r.target_id, r.week, r.done FROM target_reports r WHERE r.done > 0 ORDER BY r.week DESC, r.target_id LIMIT 1`).Scan(&target, &lastWeek, &done)
		api := env.APIClient(t, "command")
		if status, body := api.JSON("POST", fmt.Sprintf("/api/v1/targets/%d/reports", target), map[string]any{"week": "2020-03-09", "done": done - 1}); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"done"`) {
			t.Errorf("a cumulative total below last week's %d: %d %s, want 422 naming done", done, status, body)
		}
		type item struct {
			ID          int64
			MissedWeeks []string `json:"missed_weeks"`
			Rate        float64
		}
		var list struct{ Items []item }
		_, body := api.JSON("GET", "/api/v1/targets", nil)
		json.Unmarshal(body, &list)
		flagged := 0
		for _, it := range list.Items {
			var one item
			_, b := api.JSON("GET", fmt.Sprintf("/api/v1/targets/%d", it.ID), nil)
			json.Unmarshal(b, &one)
			if fmt.Sprint(one.MissedWeeks) != fmt.Sprint(it.MissedWeeks) || one.Rate != it.Rate {
				t.Errorf("target %d: the item says missed %v at %v%%, the list %v at %v%%", it.ID, one.MissedWeeks, one.Rate, it.MissedWeeks, it.Rate)
			}
			flagged += len(it.MissedWeeks)
		}
		if flagged == 0 {
			t.Errorf("no target of the demo misses a week; the test proves nothing")
		}
		if _, page := command.Page("/targets"); strings.Contains(page, "‰") || !strings.Contains(page, "完成率 ") {
			t.Errorf("the board does not give its rates in %%")
		}
	})
}
