package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/demo"
	"fugong/store"
)

// A worker in isolation and a person screened at home who miss a day's check alert at the
// county's missed-check hour: the worker's enterprise, liaison, township and command; the
// person's village cadres, township and command. Once per person and day, however often
// the job runs. Who was checked does not alert.
func TestMissedChecksAlert(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		db := env.App.DB
		var checked, missed int64
		rows, err := db.R.Query(`SELECT id FROM workers WHERE status = '隔离中' ORDER BY id LIMIT 2`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			if checked == 0 {
				checked = id
			} else {
				missed = id
			}
		}
		rows.Close()
		if missed == 0 {
			t.Fatal("the demo has fewer than two workers in isolation")
		}
		var isolating int
		db.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE status = '隔离中'`).Scan(&isolating)
		api := env.APIClient(t, "command")
		var checkedToday int
		db.R.QueryRow(`SELECT COUNT(DISTINCT w.id) FROM workers w JOIN worker_checks c ON c.worker_id = w.id AND c.day = '2020-03-09' WHERE w.status = '隔离中'`).Scan(&checkedToday)
		if status, b := api.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", checked), map[string]any{"day": "2020-03-09", "slot": "day", "temperature_tenths": 365}); status != http.StatusCreated {
			t.Fatalf("a check in isolation: %d %s", status, b)
		}

		// A village cadre screens two people back from 湖北 today.
		var villageUser, village string
		db.R.QueryRow(`SELECT username, region FROM users WHERE role = 'village' AND NOT disabled ORDER BY id LIMIT 1`).Scan(&villageUser, &village)
		vc := env.Login(t, villageUser)
		for _, name := range []string{"张居家", "李居家"} {
			status, _, body := vc.Form("/screenings", url.Values{"name": {name}, "from_region": {"湖北省武汉市"}, "returned_on": {"2020-03-05"}, "temperature": {"36.4"}})
			if status != http.StatusSeeOther {
				t.Fatalf("screening %s: %d %s", name, status, body)
			}
		}
		var zhang, li int64
		db.R.QueryRow(`SELECT id FROM screenings WHERE name = '张居家'`).Scan(&zhang)
		db.R.QueryRow(`SELECT id FROM screenings WHERE name = '李居家'`).Scan(&li)

		if err := db.ScheduleMissedChecks(ctx, env.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		missedAlerts := func(worker int64) int {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM health_alerts WHERE source = 'missed' AND worker_id = $1`, worker).Scan(&n)
			return n
		}
		// 9 March, 20:00: every worker in isolation without the day's reading alerts; the
		// people screened today owe nothing yet (the door visit took today's).
		env.Clock.Set(time.Date(2020, 3, 9, 20, 0, 0, 0, env.App.Loc))
		if _, err := env.App.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if missedAlerts(checked) != 0 || missedAlerts(missed) != 1 {
			t.Errorf("missed-check alerts: checked worker %d, unchecked %d; want 0 and 1", missedAlerts(checked), missedAlerts(missed))
		}
		var all int
		db.R.QueryRow(`SELECT COUNT(*) FROM health_alerts WHERE source = 'missed' AND day = '2020-03-09'`).Scan(&all)
		if want := isolating - checkedToday - 1; all != want {
			t.Errorf("%d missed-check alerts on 9 March, want %d (in isolation without a check)", all, want)
		}
		recipients := func(entity string, id int64) map[string]bool {
			out := map[string]bool{}
			rows, _ := db.R.Query(`SELECT u.role FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.entity = $1 AND n.entity_id = $2 AND n.channel = 'inapp'`, entity, fmt.Sprint(id))
			defer rows.Close()
			for rows.Next() {
				var r string
				rows.Scan(&r)
				out[r] = true
			}
			return out
		}
		var alertID int64
		db.R.QueryRow(`SELECT id FROM health_alerts WHERE source = 'missed' AND worker_id = $1`, missed).Scan(&alertID)
		got := recipients("health_alerts", alertID)
		for _, role := range []string{"enterprise", "liaison", "township", "command"} {
			if !got[role] {
				t.Errorf("the missed check of worker %d did not reach the %s (got %v)", missed, role, got)
			}
		}
		// Run again (a retry after a crash): nobody is told twice.
		if err := db.EnqueueJob(ctx, db.W, demo.County, store.JobMissedChecks, "", env.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		env.App.Jobs.RunDue(ctx)
		db.R.QueryRow(`SELECT COUNT(*) FROM health_alerts WHERE source = 'missed' AND day = '2020-03-09'`).Scan(&all)
		if want := isolating - checkedToday - 1; all != want {
			t.Errorf("after a second run %d missed-check alerts, want still %d", all, want)
		}

		// 10 March: the cadre records 张居家's reading on the screenings page; 李居家's is
		// missing at 20:00 and alerts the village, the township and command.
		env.Clock.Set(time.Date(2020, 3, 10, 9, 0, 0, 0, env.App.Loc))
		vc = env.Login(t, villageUser) // a new day, a new session
		_, page := vc.Page("/screenings")
		if !strings.Contains(page, fmt.Sprintf(`action="/screenings/%d/checks"`, zhang)) {
			t.Errorf("the screenings page offers no reading for a person in home isolation")
		}
		status, _, body := vc.Form(fmt.Sprintf("/screenings/%d/checks", zhang), url.Values{"reading": {"45.0"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "体温应写成") {
			t.Errorf("an impossible reading: %d, want 422 with the temperature's message", status)
		}
		status, _, body = vc.Form(fmt.Sprintf("/screenings/%d/checks", zhang), url.Values{"reading": {"99"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "体温应写成") {
			t.Errorf("a reading of 99: %d, want 422 naming the temperature", status)
		}
		if status, _, body = vc.Form(fmt.Sprintf("/screenings/%d/checks", zhang), url.Values{"reading": {"36.6"}}); status != http.StatusSeeOther {
			t.Fatalf("today's reading: %d %s", status, body)
		}
		if status, _, body = vc.Form(fmt.Sprintf("/screenings/%d/checks", zhang), url.Values{"reading": {"36.7"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "一天登记一次") {
			t.Errorf("a second reading the same day: %d, want 422 saying one a day", status)
		}
		if _, page = vc.Page("/screenings"); !strings.Contains(page, "36.6") {
			t.Errorf("the screenings page does not show today's reading")
		}
		env.Clock.Set(time.Date(2020, 3, 10, 20, 0, 0, 0, env.App.Loc))
		env.App.Jobs.RunDue(ctx)
		if got := recipients("screenings", zhang); len(got) != 0 {
			t.Errorf("a person checked today alerted %v", got)
		}
		got = recipients("screenings", li)
		for _, role := range []string{"village", "township", "command"} {
			if !got[role] {
				t.Errorf("the missed check of a person screened at home did not reach the %s (got %v)", role, got)
			}
		}
	})
}

// A checkpoint registration written up afterwards keeps its time, and the list shows it;
// a time ahead of now is refused naming the field, by form and API alike.
func TestCheckpointEntryKeepsItsTime(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var cp int64
		env.App.DB.R.QueryRow(`SELECT id FROM checkpoints ORDER BY id LIMIT 1`).Scan(&cp)
		c := env.Login(t, "command")
		path := fmt.Sprintf("/checkpoints/%d/entries", cp)
		status, _, body := c.Form(path, url.Values{"name": {"王过往"}, "plate": {"湘G12345"}, "origin": {"常德"}, "temperature": {"36.5"}, "at": {"2020-03-09T09:30"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "通过时间不能晚于现在") {
			t.Errorf("a time ahead of now: %d, want 422 naming the time", status)
		}
		if status, _, body = c.Form(path, url.Values{"name": {"王过往"}, "plate": {"湘G12345"}, "origin": {"常德"}, "temperature": {"36.5"}, "at": {"2020-03-09T07:45"}}); status != http.StatusSeeOther {
			t.Fatalf("a registration written up later: %d %s", status, body)
		}
		if _, page := c.Page(fmt.Sprintf("/checkpoints/%d", cp)); !strings.Contains(page, "2020-03-09 07:45") {
			t.Errorf("the registrations do not show the time passed")
		}
		api := env.APIClient(t, "command")
		status, b := api.JSON("POST", fmt.Sprintf("/api/v1/checkpoints/%d/entries", cp), map[string]any{"name": "赵过往", "temperature": "36.6", "at": "2020-03-10T07:00:00+08:00"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"at"`) {
			t.Errorf("API, a time ahead of now: %d %s, want 422 naming at", status, b)
		}
		status, b = api.JSON("POST", fmt.Sprintf("/api/v1/checkpoints/%d/entries", cp), map[string]any{"name": "赵过往", "temperature": "36.6", "at": "2020-03-09T06:10:00+08:00"})
		var e struct{ At string }
		json.Unmarshal(b, &e)
		if status != http.StatusCreated || !strings.HasPrefix(e.At, "2020-03-09T06:10:00") {
			t.Errorf("API, a time written up later: %d %s", status, b)
		}
	})
}

// A worker's history between two days filters the steps through the gates as well as
// the checks; a range that runs backwards is refused naming to.
func TestWorkerHistoryRangeFiltersGates(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var w int64
		var arrival string
		env.App.DB.R.QueryRow(`SELECT w.id, MIN(g.day) FROM workers w JOIN worker_gates g ON g.worker_id = w.id WHERE w.status = '在岗' GROUP BY w.id ORDER BY w.id LIMIT 1`).Scan(&w, &arrival)
		api := env.APIClient(t, "command")
		count := func(path string) int {
			status, b := api.JSON("GET", path, nil)
			if status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, status, b)
			}
			var l struct{ Total int }
			json.Unmarshal(b, &l)
			return l.Total
		}
		base := fmt.Sprintf("/api/v1/workers/%d/gates", w)
		all := count(base)
		before := "2000-01-01"
		if all == 0 || count(base+"?to="+before) != 0 || count(base+"?from="+arrival) != all {
			t.Errorf("gates: %d in all, %d to %s, %d from %s", all, count(base+"?to="+before), before, count(base+"?from="+arrival), arrival)
		}
		status, b := api.JSON("GET", base+"?from=2020-03-09&to=2020-03-01", nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"to"`) {
			t.Errorf("a range backwards: %d %s, want 422 naming to", status, b)
		}
		c := env.Login(t, "command")
		_, page := c.Page(fmt.Sprintf("/workers/%d?from=2000-01-01&to=2000-01-02", w))
		if strings.Contains(page, "入口关") && strings.Contains(page, `id="gates"><li>`) {
			t.Errorf("the worker page shows steps outside the range")
		}
		if _, page = c.Page(fmt.Sprintf("/workers/%d?from=2020-03-09&to=2020-03-01", w)); !strings.Contains(page, "结束日期不能早于开始日期") {
			t.Errorf("the worker page does not refuse a backwards range")
		}
	})
}

// The TCM form names the worker a dose is given to, and the enterprise sees who is on
// duty without a dose (一个不漏) and gives one with a tap; the API lists the same.
func TestTCMDoseReachesTheWorker(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var ent int64
		var without int
		db.QueryRow(`SELECT enterprise_id, COUNT(*) FROM workers WHERE status = '在岗' AND tcm_doses = 0 GROUP BY enterprise_id ORDER BY COUNT(*) DESC, enterprise_id LIMIT 1`).Scan(&ent, &without)
		var user string
		db.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1`, ent).Scan(&user)
		var worker int64
		db.QueryRow(`SELECT id FROM workers WHERE enterprise_id = $1 AND status = '在岗' AND tcm_doses = 0 ORDER BY id LIMIT 1`, ent).Scan(&worker)
		c := env.Login(t, user)
		board := fmt.Sprintf("/health/enterprises/%d", ent)
		_, page := c.Page(board)
		if !strings.Contains(page, fmt.Sprintf(`id="no-tcm-count">%d<`, without)) {
			t.Errorf("the board does not count %d on duty without a dose", without)
		}
		if status, _, body := c.Form(board+"/supplies", url.Values{"item": {"tcm"}, "kind": {"given"}, "quantity": {"1"}, "worker_id": {fmt.Sprint(worker)}}); status != http.StatusSeeOther {
			t.Fatalf("a dose given: %d %s", status, body)
		}
		if _, page = c.Page(board); !strings.Contains(page, fmt.Sprintf(`id="no-tcm-count">%d<`, without-1)) {
			t.Errorf("after a dose the board does not count %d", without-1)
		}
		status, _, body := c.Form(board+"/supplies", url.Values{"item": {"mask"}, "kind": {"given"}, "quantity": {"1"}, "worker_id": {fmt.Sprint(worker)}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "只有发放预防性中药时才填写员工") {
			t.Errorf("a mask given to a worker: %d, want 422 naming the worker", status)
		}
		api := env.APIClient(t, user)
		st, b := api.JSON("GET", fmt.Sprintf("/api/v1/workers?enterprise_id=%d&status=%s&no_tcm=true", ent, url.QueryEscape("在岗")), nil)
		var l struct{ Total int }
		json.Unmarshal(b, &l)
		if st != http.StatusOK || l.Total != without-1 {
			t.Errorf("API, on duty without a dose: %d total %d, want %d", st, l.Total, without-1)
		}
	})
}
