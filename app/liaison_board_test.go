package app_test

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// demoRows are the visits and assignments of the demo county, read raw for the tests to
// compute the boards' figures themselves.
type demoRows struct {
	visits []struct {
		user, enterprise int64
		day              string
		in               int64
	}
	assigned   map[int64]bool // users stationed now
	enterprise []int64
}

func readRows(t *testing.T, env *apptest.Env) demoRows {
	t.Helper()
	db := env.App.DB.R
	var d demoRows
	rows, err := db.Query(`SELECT user_id, enterprise_id, day, checked_in_at FROM visits`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v struct {
			user, enterprise int64
			day              string
			in               int64
		}
		rows.Scan(&v.user, &v.enterprise, &v.day, &v.in)
		d.visits = append(d.visits, v)
	}
	rows.Close()
	d.assigned = map[int64]bool{}
	rows, _ = db.Query(`SELECT user_id FROM liaison_assignments WHERE to_date = ''`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		d.assigned[id] = true
	}
	rows.Close()
	rows, _ = db.Query(`SELECT id FROM enterprises`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		d.enterprise = append(d.enterprise, id)
	}
	rows.Close()
	return d
}

func figure(t *testing.T, body, id string) int {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `">(\d+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no figure #%s", id)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestBoardsCountWhatTheRowsSay(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		loc := env.App.Loc
		today := env.Clock.Now().In(loc).Format(time.DateOnly)
		by := time.Date(2020, 3, 9, 9, 0, 0, 0, loc).UnixMilli()
		d := readRows(t, env)
		checkedIn := map[int64]bool{}
		last := map[int64]string{}
		for _, v := range d.visits {
			if v.day == today && v.in < by {
				checkedIn[v.user] = true
			}
			if v.day > last[v.enterprise] {
				last[v.enterprise] = v.day
			}
		}
		noVisit := 0
		for u := range d.assigned {
			if !checkedIn[u] {
				noVisit++
			}
		}
		stale := 0
		for _, e := range d.enterprise {
			if last[e] <= "2020-03-06" { // three days before 9 March, or never
				stale++
			}
		}
		if noVisit == 0 || noVisit == len(d.assigned) || stale == 0 {
			t.Fatalf("the demo should have some liaisons not yet checked in (%d of %d) and some stale enterprises (%d)", noVisit, len(d.assigned), stale)
		}
		c := env.Login(t, "command")
		status, body := c.Page("/liaison/boards")
		if status != http.StatusOK {
			t.Fatalf("boards: %d", status)
		}
		if got := figure(t, body, "no-visit-count"); got != noVisit {
			t.Errorf("liaisons not checked in by 09:00: board says %d, the rows %d", got, noVisit)
		}
		if got := figure(t, body, "stale-count"); got != stale {
			t.Errorf("enterprises not visited for 3 days: board says %d, the rows %d", got, stale)
		}

		// One of them checks in at 08:30: the board has one fewer.
		var username string
		var enterprise int64
		env.App.DB.R.QueryRow(`SELECT u.username, MIN(a.enterprise_id) FROM users u JOIN liaison_assignments a ON a.user_id = u.id
			WHERE u.role = 'liaison' AND u.id NOT IN (SELECT user_id FROM visits WHERE day = $1) GROUP BY u.username ORDER BY u.username LIMIT 1`, today).Scan(&username, &enterprise)
		env.Clock.Set(time.Date(2020, 3, 9, 8, 45, 0, 0, loc))
		lc := env.Login(t, username)
		if st, _, _ := lc.Form("/visits", visitForm(enterprise, "1f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", time.Date(2020, 3, 9, 8, 30, 0, 0, loc))); st != http.StatusSeeOther {
			t.Fatalf("visit: %d", st)
		}
		_, body = c.Page("/liaison/boards")
		if got := figure(t, body, "no-visit-count"); got != noVisit-1 {
			t.Errorf("after a check-in at 08:30 the board says %d, want %d", got, noVisit-1)
		}

		// The week of liaison001 (陈小斌, there every morning) is seven days of visits.
		lc = env.Login(t, "liaison001")
		_, week := lc.Page("/liaison/week")
		var uid int64
		env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'liaison001'`).Scan(&uid)
		total := 0
		for _, v := range d.visits {
			if v.user == uid && v.day >= "2020-03-03" && v.day <= today {
				total++
			}
		}
		if !regexp.MustCompile(`<td><strong>` + strconv.Itoa(total) + `</strong></td>`).MatchString(week) {
			t.Errorf("liaison001's week should total %d visits", total)
		}
	})
}

func TestScorecardSortsAndExports(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		d := readRows(t, env)
		visits := map[int64]int{}
		for _, v := range d.visits {
			if v.day >= "2020-02-11" && v.day <= "2020-03-09" {
				visits[v.user]++
			}
		}
		most := 0
		for _, n := range visits {
			most = max(most, n)
		}
		c := env.Login(t, "command")
		res := c.Do("GET", "/liaison/scorecard.xlsx?from=2020-02-11&to=2020-03-09&sort=visits&dir=desc", "", nil, nil)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsx.ContentType {
			t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		sheet, err := xlsx.ReadXLSX(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet.Rows) != len(d.assigned) {
			t.Errorf("export has %d liaisons, %d are stationed", len(sheet.Rows), len(d.assigned))
		}
		if got := sheet.Rows[0].Get("走访次数"); got != strconv.Itoa(most) {
			t.Errorf("sorted by visits, the first line has %s visits; the most is %d", got, most)
		}
		var uid int64
		env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = 'liaison001'`).Scan(&uid)
		for _, r := range sheet.Rows {
			if r.Get("账号") == "liaison001" && r.Get("走访次数") != strconv.Itoa(visits[uid]) {
				t.Errorf("liaison001: %s visits in the export, %d in the rows", r.Get("走访次数"), visits[uid])
			}
		}
	})
}
