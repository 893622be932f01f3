package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/demo"
)

// The seed: 2,000 亩 of new reserve land, 2,000 亩 of land swap, 2,000 亩 and 40,000
// trees at 江垭林场, reported weekly. The board's figures are counted here from the rows.
func TestTargetsBoardOnTheDemoCounty(t *testing.T) {
	t.Parallel()
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

		missedTargets := 0
		for _, w := range want {
			if w.weeks < finished {
				missedTargets++
			}
		}
		_, page := env.Login(t, "command").Page("/targets")
		if strings.Count(page, "周未报进度") != missedTargets || !strings.Contains(page, "新增储备土地") {
			t.Errorf("the board flags %d targets; the rows say %d", strings.Count(page, "周未报进度"), missedTargets)
		}

		// A week's report clears the flag; a report as a village cadre is refused.
		var id int64
		db.QueryRow(`SELECT t.id FROM targets t WHERE (SELECT COUNT(*) FROM target_reports r WHERE r.target_id = t.id) < 4`).Scan(&id)
		path := "/api/v1/targets/" + itoa(id) + "/reports"
		var done int64 // the next week's total: a cumulative figure never goes back
		db.QueryRow(`SELECT COALESCE(MIN(done), 0) FROM target_reports WHERE target_id = $1 AND week > '2020-02-24'`, id).Scan(&done)
		if status, body := c.JSON("POST", path, map[string]any{"week": "2020-02-26", "done": done}); status != http.StatusCreated {
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

// The seed: six hazard points, 6 warning signs, 12 evacuation-route signs, 6 placement
// signs, 95 avoidance cards for 370 people; the flood-season roster runs February to
// October; a missed patrol or an empty duty day alerts the command.
func TestHazardPointsAndTheFloodWatch(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		db := env.App.DB
		var points, cards, people, warning, route, placement int
		db.R.QueryRow(`SELECT COUNT(*), SUM(avoidance_cards), SUM(people), SUM(warning_signs), SUM(route_signs), SUM(placement_signs) FROM hazard_points`).
			Scan(&points, &cards, &people, &warning, &route, &placement)
		if points != 6 || cards != 95 || people != 370 || warning != 6 || route != 12 || placement != 6 {
			t.Fatalf("demo rows: %d points, %d cards, %d people, signs %d/%d/%d; the seed says 6, 95, 370, 6/12/6", points, cards, people, warning, route, placement)
		}
		status, body := env.APIClient(t, "command").JSON("GET", "/api/v1/hazard-points", nil)
		var got struct {
			Items []struct {
				ID             int64
				Name           string
				People         int
				AvoidanceCards int `json:"avoidance_cards"`
			}
			Total int
		}
		json.Unmarshal(body, &got)
		sumPeople, sumCards := 0, 0
		for _, it := range got.Items {
			sumPeople += it.People
			sumCards += it.AvoidanceCards
		}
		if status != http.StatusOK || got.Total != points || sumPeople != people || sumCards != cards {
			t.Errorf("API: %d %d points, %d people, %d cards", status, got.Total, sumPeople, sumCards)
		}
		_, page := env.Login(t, "command").Page("/hazard-points")
		if !strings.Contains(page, fmt.Sprintf("避险明白卡 %d 份 · 涉及 %d 人", cards, people)) {
			t.Errorf("the list does not show the seed's figures")
		}

		var robotCalls atomic.Int32
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), "带班领导") {
				robotCalls.Add(1)
			}
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer robot.Close()
		if err := db.SetSetting(ctx, db.W, demo.County, "notify.wecom_webhook", robot.URL); err != nil {
			t.Fatal(err)
		}
		var commands int
		db.R.QueryRow(`SELECT COUNT(*) FROM users WHERE role = 'command' AND NOT disabled`).Scan(&commands)
		alerts := func(kind string) int {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'hazard_points' AND channel = 'inapp' AND entity_id LIKE $1`, kind+":%").Scan(&n)
			return n
		}

		// 9 March: the roster is full and every point was patrolled within a week.
		if _, err := env.App.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if n := alerts("duty_empty") + alerts("patrol_missed"); n != 0 {
			t.Fatalf("%d alerts on a full roster", n)
		}
		// An empty duty day alerts the command and the group, once however often the watch runs.
		if _, err := db.W.Exec(`UPDATE duty_days SET leader = '' WHERE day = '2020-03-10'`); err != nil {
			t.Fatal(err)
		}
		_, page = env.Login(t, "command").Page("/flood-duty?month=2020-03")
		if !strings.Contains(page, "本月汛期有 1 天没有带班领导") {
			t.Errorf("the roster does not flag the empty day")
		}
		env.Clock.Set(time.Date(2020, 3, 10, 9, 0, 0, 0, env.App.Loc))
		env.App.Jobs.RunDue(ctx)
		env.App.Jobs.RunDue(ctx)
		if n := alerts("duty_empty"); n != commands {
			t.Errorf("empty duty day: %d in-app alerts, want one per command officer (%d)", n, commands)
		}
		env.App.Notify.RunDue(ctx)
		if robotCalls.Load() != 1 {
			t.Errorf("the robot was told of the empty day %d times, want 1", robotCalls.Load())
		}

		// A township officer patrols 朱家坡 on a phone; on 13 March the five other points
		// are past their week and alert, 朱家坡 does not.
		var town string
		var zhu int64
		db.R.QueryRow(`SELECT township, id FROM hazard_points WHERE name = '朱家坡'`).Scan(&town, &zhu)
		var officer string
		db.R.QueryRow(`SELECT username FROM users WHERE role = 'township' AND region = $1`, town).Scan(&officer)
		c := env.Login(t, officer)
		status, _, _ = c.Form(fmt.Sprintf("/hazard-points/%d/patrols", zhu), url.Values{"finding": {"坡体稳定，排水沟已清理"}})
		if status != http.StatusSeeOther {
			t.Fatalf("patrol: %d", status)
		}
		env.Clock.Set(time.Date(2020, 3, 13, 9, 0, 0, 0, env.App.Loc))
		env.App.Jobs.RunDue(ctx)
		var missed []string
		rows, _ := db.R.Query(`SELECT DISTINCT h.name FROM notifications n JOIN hazard_points h ON n.entity_id LIKE 'patrol_missed:%' AND n.body LIKE '%' || h.name || '%'`)
		for rows.Next() {
			var s string
			rows.Scan(&s)
			missed = append(missed, s)
		}
		rows.Close()
		var stale int
		db.R.QueryRow(`SELECT COUNT(*) FROM hazard_points h WHERE (SELECT MAX(p.day) FROM patrols p WHERE p.hazard_point_id = h.id) < '2020-03-06'`).Scan(&stale)
		if len(missed) != stale || stale != 5 || alerts("patrol_missed") != stale*commands {
			t.Errorf("missed patrols alerted for %v; %d points are past their week", missed, stale)
		}
		for _, m := range missed {
			if m == "朱家坡" {
				t.Errorf("朱家坡 was patrolled and still alerted")
			}
		}
		// A village cadre of another village cannot patrol a point outside their scope.
		status, _, _ = env.Login(t, "village001").Form(fmt.Sprintf("/hazard-points/%d/patrols", zhu), url.Values{"finding": {"x"}})
		if status != http.StatusNotFound {
			t.Errorf("patrol out of scope: %d", status)
		}
	})
}

// The seed: the command set up a checkpoint at 三合镇, 秦明树 of 凤鹤山村 on its first
// shift; every vehicle and person is registered with a temperature, and from 37.3 °C the
// command is alerted. ID numbers and phones are sealed at rest and shown masked.
func TestCheckpointRegistrationAndFeverAlert(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		var cp int64
		var town string
		db.R.QueryRow(`SELECT c.id, c.township FROM checkpoints c JOIN regions r ON r.code = c.township WHERE r.name = '三合镇'`).Scan(&cp, &town)
		if cp == 0 {
			t.Fatal("no checkpoint at 三合镇")
		}
		var firstStaff, village string
		db.R.QueryRow(`SELECT s.staff, r.name FROM checkpoint_shifts s JOIN regions r ON r.code = s.village WHERE s.checkpoint_id = $1 ORDER BY s.day, s.id LIMIT 1`, cp).Scan(&firstStaff, &village)
		if firstStaff != "秦明树" || village != "凤鹤山村" {
			t.Errorf("first shift: %s of %s", firstStaff, village)
		}
		var cadre string
		db.R.QueryRow(`SELECT u.username FROM users u JOIN regions r ON r.code = u.region WHERE u.role = 'village' AND r.name = '凤鹤山村'`).Scan(&cadre)
		var commands int
		db.R.QueryRow(`SELECT COUNT(*) FROM users WHERE role = 'command' AND NOT disabled`).Scan(&commands)
		fevers := func() int {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'checkpoint_entries' AND channel = 'inapp'`).Scan(&n)
			return n
		}
		before := fevers()

		c := env.Login(t, cadre)
		path := fmt.Sprintf("/checkpoints/%d/entries", cp)
		for _, tt := range []struct {
			temp  string
			want  int
			alert bool
		}{{"36.8", http.StatusSeeOther, false}, {"37.2", http.StatusSeeOther, false}, {"37.3", http.StatusSeeOther, true}, {"373", http.StatusUnprocessableEntity, false}} {
			n := fevers()
			status, _, _ := c.Form(path, url.Values{"plate": {"湘J12345"}, "name": {"张三"}, "id_number": {"11010519491231002X"}, "phone": {"13812345678"}, "origin": {"石门县"}, "temperature": {tt.temp}})
			if status != tt.want {
				t.Errorf("%s: %d, want %d", tt.temp, status, tt.want)
			}
			if got := fevers() - n; (got == commands) != tt.alert || (!tt.alert && got != 0) {
				t.Errorf("%s: %d alerts", tt.temp, got)
			}
		}
		if fevers()-before != commands {
			t.Errorf("one fever should alert each command officer once")
		}
		var sealedID, hash, phone string
		db.R.QueryRow(`SELECT id_number, id_hash, phone FROM checkpoint_entries WHERE name = '张三' ORDER BY id DESC LIMIT 1`).Scan(&sealedID, &hash, &phone)
		if sealedID == "" || strings.Contains(sealedID, "11010519491231002X") || hash != env.App.Keys.Hash("11010519491231002X") || strings.Contains(phone, "13812345678") {
			t.Errorf("personal data not sealed: %q %q %q", sealedID, hash, phone)
		}
		// The health record (origin, temperature) is sealed at rest and kept out of the
		// audit log; the fever flag stays in clear for the figures; pages show it opened.
		var origin, health string
		var temp int
		var feverFlag bool
		db.R.QueryRow(`SELECT origin, temperature, fever, health_sealed FROM checkpoint_entries WHERE name = '张三' ORDER BY id DESC LIMIT 1`).Scan(&origin, &temp, &feverFlag, &health)
		if origin != "" || temp != 0 || health == "" || strings.Contains(health, "石门") || !feverFlag {
			t.Errorf("health record at rest: origin %q, temperature %d, sealed %q, fever %v", origin, temp, health, feverFlag)
		}
		var inAudit int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'checkpoints' AND after_json LIKE '%石门县%'`).Scan(&inAudit)
		if inAudit != 0 {
			t.Errorf("%d audit lines hold the origin in clear", inAudit)
		}
		_, page := env.Login(t, "leader01").Page(fmt.Sprintf("/checkpoints/%d", cp))
		if !strings.Contains(page, "110105********002X") || strings.Contains(page, "11010519491231002X") {
			t.Errorf("the checkpoint page does not mask the ID number")
		}
		if !strings.Contains(page, "石门县") || !strings.Contains(page, "37.3") {
			t.Errorf("the checkpoint page does not show the opened health record")
		}
		// A cadre of another township cannot register at 三合镇's checkpoint.
		var other string
		db.R.QueryRow(`SELECT username FROM users WHERE role = 'village' AND region NOT LIKE $1 ORDER BY id LIMIT 1`, town[:9]+"%").Scan(&other)
		if status, _, _ := env.Login(t, other).Form(path, url.Values{"name": {"李四"}, "temperature": {"36.5"}}); status != http.StatusNotFound {
			t.Errorf("registration out of scope: %d", status)
		}
		// The API lists the checkpoint with the counts of its rows.
		var entries, fever int
		db.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN fever THEN 1 ELSE 0 END) FROM checkpoint_entries WHERE checkpoint_id = $1`, cp).Scan(&entries, &fever)
		status, body := env.APIClient(t, "command").JSON("GET", "/api/v1/checkpoints", nil)
		var got struct {
			Items []struct{ ID, Entries, Fevers int64 }
			Total int
		}
		json.Unmarshal(body, &got)
		if status != http.StatusOK || got.Total != 1 || got.Items[0].Entries != int64(entries) || got.Items[0].Fevers != int64(fever) {
			t.Errorf("API: %d %s; rows %d entries, %d fevers", status, body, entries, fever)
		}

		// Village screening: the cadre records someone back from 湖北, in home isolation for 14 days.
		status, _, _ = c.Form("/screenings", url.Values{"name": {"王五"}, "phone": {"13900001111"}, "from_region": {"湖北省"}, "returned_on": {"2020-03-05"}, "needs": {"米、油"}})
		if status != http.StatusSeeOther {
			t.Fatalf("screening: %d", status)
		}
		var until, sealedHealth string
		db.R.QueryRow(`SELECT isolation_until, health_sealed FROM screenings WHERE name = '王五'`).Scan(&until, &sealedHealth)
		opened, _ := env.App.Keys.Open(sealedHealth)
		if until != "" || strings.Contains(sealedHealth, "湖北") || !strings.Contains(opened, `"i":"2020-03-19"`) {
			t.Errorf("screening's health record: clear %q, opened %q; want it sealed, isolated until 2020-03-19", until, opened)
		}
		// A fever found at the door alerts the command.
		var n0, n1 int
		db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'screenings' AND channel = 'inapp'`).Scan(&n0)
		c.Form("/screenings", url.Values{"name": {"赵七"}, "from_region": {"湖北省"}, "returned_on": {"2020-03-08"}, "temperature": {"37.6"}})
		db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity = 'screenings' AND channel = 'inapp'`).Scan(&n1)
		if n1-n0 != commands {
			t.Errorf("a fever at the door: %d alerts, want %d", n1-n0, commands)
		}
		// The notices (in the app and to the robots) carry no reading, origin or name.
		var clear int
		db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE entity IN ('checkpoint_entries', 'screenings')
			AND (body LIKE '%37.%' OR body LIKE '%湖北%' OR body LIKE '%石门%' OR body LIKE '%赵七%' OR body LIKE '%张三%')`).Scan(&clear)
		if clear != 0 {
			t.Errorf("%d checkpoint or screening notices carry a health record in clear", clear)
		}
		_, page = c.Page("/screenings")
		if !strings.Contains(page, "139****1111") || !strings.Contains(page, "王五") {
			t.Errorf("the screening list does not show the masked phone")
		}
	})
}

// The seed: 88 applications from the front line, 4 activists, 6 to be developed; the
// path applicant → activist → development object → probationary member → member, one
// stage at a time, a year as activist and a year of probation.
func TestPartyApplicationsOnTheDemoCounty(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		count := func(stage string) int {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM party_applications WHERE stage = $1 OR $1 = ''`, stage).Scan(&n)
			return n
		}
		total, activists, candidates := count(""), count("activist"), count("candidate")
		if total != demo.PartyApplications || activists != demo.PartyActivists || candidates != demo.PartyCandidates {
			t.Fatalf("rows: %d applications, %d activists, %d candidates; the seed says 88, 4, 6", total, activists, candidates)
		}
		_, page := env.Login(t, "command").Page("/party-applications")
		if !strings.Contains(page, fmt.Sprintf("共收到入党申请 %d 份 · 入党积极分子 %d 名 · 发展对象 %d 名", total, activists, candidates)) {
			t.Errorf("the page does not show the counts of the rows")
		}
		// The county's leaders read them; a township or village cadre, whose scope is a
		// place while an application has only its county, is not offered an empty list.
		if status, page := env.Login(t, "leader01").Page("/party-applications"); status != http.StatusOK || !strings.Contains(page, fmt.Sprintf("共收到入党申请 %d 份", total)) {
			t.Errorf("a county leader: %d, want the list with its %d applications", status, total)
		}
		for _, user := range []string{"township01", "village001"} {
			c := env.Login(t, user)
			if _, home := c.Page("/"); strings.Contains(home, `href="/party-applications"`) {
				t.Errorf("%s is offered the party applications in the menu", user)
			}
			if status, _ := c.Page("/party-applications"); status != http.StatusForbidden && status != http.StatusNotFound {
				t.Errorf("%s opens the party applications: %d", user, status)
			}
			if status, _ := env.APIClient(t, user).JSON("GET", "/api/v1/party-applications", nil); status != http.StatusForbidden {
				t.Errorf("%s lists the party applications by API: %d, want 403", user, status)
			}
		}
		var hospital int
		db.R.QueryRow(`SELECT COUNT(*) FROM party_applications WHERE unit = '县人民医院'`).Scan(&hospital)
		if !strings.Contains(page, fmt.Sprintf(`县人民医院</a></td><td>%d</td>`, hospital)) {
			t.Errorf("the counts by unit do not show 县人民医院's %d", hospital)
		}

		c := env.APIClient(t, "command")
		status, body := c.JSON("GET", "/api/v1/party-applications?stage=applicant&limit=1000", nil)
		var got struct {
			Items []struct {
				ID      int64
				Name    string
				Version int64
			}
			Total int
		}
		json.Unmarshal(body, &got)
		if status != http.StatusOK || got.Total != count("applicant") {
			t.Fatalf("API: %d total %d", status, got.Total)
		}
		var fu struct {
			ID      int64
			Version int64
		}
		for _, it := range got.Items {
			if it.Name == "傅从珍" {
				fu.ID, fu.Version = it.ID, it.Version
			}
		}
		path := fmt.Sprintf("/api/v1/party-applications/%d/advance", fu.ID)
		steps := []struct {
			stage, day string
			version    int64
			want       int
		}{
			{"member", "2020-03-09", fu.Version, http.StatusUnprocessableEntity},
			{"activist", "2020-03-10", fu.Version, http.StatusUnprocessableEntity},
			{"activist", "2020-03-09", fu.Version, http.StatusOK},
			{"candidate", "2020-03-09", fu.Version, http.StatusConflict},
			// A year as activist first: refused, naming the first day allowed.
			{"candidate", "2020-03-09", fu.Version + 1, http.StatusUnprocessableEntity},
		}
		for _, st := range steps {
			status, body := c.JSON("POST", path, map[string]any{"stage": st.stage, "day": st.day, "version": st.version})
			if status != st.want {
				t.Errorf("%s on %s: %d %s, want %d", st.stage, st.day, status, body, st.want)
			}
			if st.stage == "candidate" && status == http.StatusUnprocessableEntity && (!strings.Contains(string(body), `"day"`) || !strings.Contains(string(body), "2021-03-09")) {
				t.Errorf("a candidate before a year as activist: %s, want day named with 2021-03-09", body)
			}
		}
		var stage, actOn, candOn string
		db.R.QueryRow(`SELECT stage, activist_on, candidate_on FROM party_applications WHERE id = $1`, fu.ID).Scan(&stage, &actOn, &candOn)
		if stage != "activist" || actOn != "2020-03-09" || candOn != "" {
			t.Errorf("傅从珍: %s %s %s", stage, actOn, candOn)
		}
		if status, _ := env.APIClient(t, "liaison001").JSON("POST", path, map[string]any{"stage": "member", "day": "2020-03-09"}); status != http.StatusForbidden {
			t.Errorf("a liaison advanced an application: %d", status)
		}
	})
}

// The seed: on 9 March 县人民法院 visited 慈利联兴新材料科技有限公司 and 慈利宏发油脂有限公司
// to take in their judicial needs; each need is a 司法 demand dispatched to the court.
func TestJudicialVisitsBecomeDispatchedDemands(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		var court, procuratorate int64
		db.R.QueryRow(`SELECT id FROM org_units WHERE name = '县人民法院'`).Scan(&court)
		db.R.QueryRow(`SELECT id FROM org_units WHERE name = '县人民检察院'`).Scan(&procuratorate)
		rows, err := db.R.Query(`SELECT e.name, d.category, d.state, (SELECT COUNT(*) FROM demand_assignments a WHERE a.demand_id = d.id AND a.org_unit_id = v.org_unit_id)
			FROM judicial_visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN demands d ON d.id = v.demand_id WHERE v.day = '2020-03-09' AND v.org_unit_id = $1 ORDER BY e.name`, court)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var name, cat, state string
			var assigned int
			rows.Scan(&name, &cat, &state, &assigned)
			names = append(names, name)
			if cat != "legal" || state != "dispatched" || assigned != 1 {
				t.Errorf("%s: %s %s, dispatched to the court %d", name, cat, state, assigned)
			}
		}
		rows.Close()
		if strings.Join(names, ",") != "慈利宏发油脂有限公司,慈利联兴新材料科技有限公司" {
			t.Errorf("the court's visits of 9 March: %v", names)
		}
		user := func(org int64) string {
			var u string
			db.R.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 AND role = 'department' ORDER BY id LIMIT 1`, org).Scan(&u)
			return u
		}
		judge := env.APIClient(t, user(court))
		var ent int64
		db.R.QueryRow(`SELECT id FROM enterprises WHERE name = '慈利联兴新材料科技有限公司'`).Scan(&ent)
		status, body := judge.JSON("POST", "/api/v1/judicial-visits", map[string]any{"enterprise_id": ent, "day": "2020-03-09", "visitor": "审判员", "need": "劳动合同纠纷咨询", "matter": "劳动争议"})
		if status != http.StatusCreated {
			t.Fatalf("visit: %d %s", status, body)
		}
		var v struct {
			DemandID  int64 `json:"demand_id"`
			OrgUnitID int64 `json:"org_unit_id"`
		}
		json.Unmarshal(body, &v)
		var cat, state string
		var assigned int
		db.R.QueryRow(`SELECT d.category, d.state, (SELECT COUNT(*) FROM demand_assignments a WHERE a.demand_id = d.id AND a.org_unit_id = $2) FROM demands d WHERE d.id = $1`, v.DemandID, court).
			Scan(&cat, &state, &assigned)
		if v.OrgUnitID != court || cat != "legal" || state != "dispatched" || assigned != 1 {
			t.Errorf("the need became %s %s, dispatched to the court %d", cat, state, assigned)
		}
		if status, _ := judge.JSON("GET", fmt.Sprintf("/api/v1/demands/%d", v.DemandID), nil); status != http.StatusOK {
			t.Errorf("the court cannot see the demand dispatched to it: %d", status)
		}
		// The procuratorate sees its own visits, not the court's.
		status, body = env.APIClient(t, user(procuratorate)).JSON("GET", "/api/v1/judicial-visits", nil)
		var l struct{ Total int }
		json.Unmarshal(body, &l)
		if status != http.StatusOK || l.Total != 0 {
			t.Errorf("the procuratorate sees %d visits (%d)", l.Total, status)
		}
		var all int
		db.R.QueryRow(`SELECT COUNT(*) FROM judicial_visits`).Scan(&all)
		_, body = env.APIClient(t, "command").JSON("GET", "/api/v1/judicial-visits", nil)
		json.Unmarshal(body, &l)
		if l.Total != all {
			t.Errorf("command sees %d visits, rows %d", l.Total, all)
		}
	})
}
