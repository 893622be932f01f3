package app_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"fugong/app/apptest"
)

// The seed: 2,000 亩 of new reserve land, 2,000 亩 of land swap, 2,000 亩 and 40,000
// trees at 江垭林场, reported weekly. The board's figures are counted here from the rows.
func TestTargetsBoardOnTheDemoCounty(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		type row struct {
			planned, done int64
			weeks         int
		}
		want := map[int64]row{}
		rows, err := db.Query(`SELECT t.id, t.planned, COALESCE((SELECT r.done FROM target_reports r WHERE r.target_id = t.id ORDER BY r.week DESC LIMIT 1), 0),
			(SELECT COUNT(*) FROM target_reports r WHERE r.target_id = t.id) FROM targets t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var r row
			rows.Scan(&id, &r.planned, &r.done, &r.weeks)
			want[id] = r
		}
		rows.Close()
		if len(want) != 4 {
			t.Fatalf("%d targets in the demo; the seed has 4", len(want))
		}
		c := env.APIClient(t, "command")
		status, body := c.JSON("GET", "/api/v1/targets", nil)
		if status != http.StatusOK {
			t.Fatalf("targets: %d %s", status, body)
		}
		var got struct {
			Items []struct {
				ID           int64
				Planned      int64
				Done         int64
				RatePermille int64    `json:"rate_permille"`
				MissedWeeks  []string `json:"missed_weeks"`
			}
			Total int
		}
		json.Unmarshal(body, &got)
		if got.Total != len(want) {
			t.Fatalf("total %d, rows %d", got.Total, len(want))
		}
		// On 9 March the finished weeks since 10 February are four.
		const finished = 4
		for _, it := range got.Items {
			w := want[it.ID]
			if it.Planned != w.planned || it.Done != w.done || it.RatePermille != w.done*1000/w.planned {
				t.Errorf("target %d: %+v, rows %+v", it.ID, it, w)
			}
			if len(it.MissedWeeks) != finished-w.weeks {
				t.Errorf("target %d: missed %v, rows have %d of %d weeks", it.ID, it.MissedWeeks, w.weeks, finished)
			}
		}

		// A week's report clears the flag; a report as a village cadre is refused.
		var id int64
		db.QueryRow(`SELECT t.id FROM targets t WHERE (SELECT COUNT(*) FROM target_reports r WHERE r.target_id = t.id) < 4`).Scan(&id)
		path := "/api/v1/targets/" + itoa(id) + "/reports"
		if status, body := c.JSON("POST", path, map[string]any{"week": "2020-02-26", "done": 700}); status != http.StatusCreated {
			t.Fatalf("report: %d %s", status, body)
		}
		status, body = c.JSON("GET", "/api/v1/targets", nil)
		json.Unmarshal(body, &got)
		for _, it := range got.Items {
			if it.ID == id && len(it.MissedWeeks) != 0 {
				t.Errorf("after the report, still missed %v", it.MissedWeeks)
			}
		}
		if status, _ := env.APIClient(t, "village001").JSON("POST", path, map[string]any{"week": "2020-03-02", "done": 800}); status != http.StatusForbidden {
			t.Errorf("village cadre's report: %d", status)
		}
	})
}
