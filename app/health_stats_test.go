package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"fugong/app/apptest"
)

// Checks recorded through the API at once (group commit gathers them) are counted per
// enterprise and day as they commit: the counts the health figures read agree with
// counting the check rows, a refused duplicate counts nothing, and the county's totals
// show the day's checks.
func TestCheckCountsAgreeWithTheChecks(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		var ids []int64
		for i := 0; i < 6; i++ {
			w := createWorker(t, c, ent, validID(fmt.Sprintf("4308211990010100%d", i)), "")
			gate(t, c, w.ID, map[string]any{"gate": "entry", "from_region": "湖南省长沙市", "arrival": "2020-03-09", "temperature_tenths": 364}, 201)
			gate(t, c, w.ID, map[string]any{"gate": "screening"}, 201)
			gate(t, c, w.ID, map[string]any{"gate": "clear"}, 201)
			ids = append(ids, w.ID)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for i, id := range ids {
			for _, slot := range []string{"am", "pm"} {
				temp := 362
				if i < 2 && slot == "pm" {
					temp = 381
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					status, _ := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", id), map[string]any{"slot": slot, "temperature_tenths": temp})
					mu.Lock()
					statuses[status]++
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		if status, _ := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", ids[0]), map[string]any{"slot": "am", "temperature_tenths": 390}); status != http.StatusConflict {
			t.Errorf("a second morning check: %d, want 409", status)
		}
		if statuses[http.StatusCreated] != 12 {
			t.Fatalf("checks answered %v, want 12 × 201", statuses)
		}
		db := env.App.DB.R
		var off int
		// A check's reading is sealed: the alarming ones are those that raised an alert.
		err := db.QueryRow(`SELECT COUNT(*) FROM (SELECT x.enterprise_id, x.day, COUNT(*) AS n,
				(SELECT COUNT(*) FROM health_alerts h WHERE h.enterprise_id = x.enterprise_id AND h.day = x.day AND h.source IN ('am', 'pm', 'day')) AS a
			FROM worker_checks x GROUP BY x.enterprise_id, x.day) c FULL JOIN check_days k ON k.enterprise_id = c.enterprise_id AND k.day = c.day
			WHERE k.checks IS NULL OR c.n IS NULL OR k.checks <> c.n OR k.alarming <> c.a`).Scan(&off)
		if err != nil || off != 0 {
			t.Fatalf("%d enterprise-days whose counts disagree with the checks (%v)", off, err)
		}
		var ours, alarming int
		db.QueryRow(`SELECT checks, alarming FROM check_days WHERE enterprise_id = $1 AND day = '2020-03-09'`, ent).Scan(&ours, &alarming)
		if ours < 12 || alarming < 2 {
			t.Errorf("the enterprise's count of the day: %d checks, %d alarming; want at least 12 and 2", ours, alarming)
		}
		var today int
		db.QueryRow(`SELECT COUNT(*) FROM worker_checks WHERE day = '2020-03-09' AND region_code = '430821'`).Scan(&today)
		status, b := env.APIClient(t, "command").JSON("GET", "/api/v1/health/townships", nil)
		var out struct {
			Items []struct {
				ChecksToday int `json:"checks_today"`
			} `json:"items"`
		}
		if status != http.StatusOK || json.Unmarshal(b, &out) != nil {
			t.Fatalf("totals: %d %s", status, b)
		}
		sum := 0
		for _, x := range out.Items {
			sum += x.ChecksToday
		}
		if sum != today || sum < 12 {
			t.Errorf("the county's totals count %d checks today, the rows %d", sum, today)
		}
	})
}
