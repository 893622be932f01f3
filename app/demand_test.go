package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fugong"
	"fugong/app"
	"fugong/app/apptest"
	"fugong/demo"
	"fugong/i18n"
	"fugong/store"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

type demandOut struct {
	ID           int64   `json:"id"`
	Number       string  `json:"number"`
	State        string  `json:"state"`
	Level        string  `json:"level"`
	Day          string  `json:"day"`
	SameDayDue   string  `json:"same_day_due"`
	ResponseLate bool    `json:"response_late"`
	SameDayLate  bool    `json:"same_day_late"`
	SolutionLate bool    `json:"solution_late"`
	Departments  []int64 `json:"departments"`
	Version      int64   `json:"version"`
	Timeline     []struct {
		Action string `json:"action"`
	} `json:"timeline"`
}

func decodeJSON[T any](t *testing.T, status, want int, b []byte) T {
	t.Helper()
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, b)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// enterpriseOf returns the id of the enterprise the user stands for, or the first one a
// liaison is stationed at.
func enterpriseOf(t *testing.T, env *apptest.Env, username string) int64 {
	t.Helper()
	var id int64
	err := env.App.DB.R.QueryRow(`SELECT COALESCE(u.enterprise_id, (SELECT MIN(a.enterprise_id) FROM liaison_assignments a WHERE a.user_id = u.id)) FROM users u WHERE u.username = $1`, username).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func userID(t *testing.T, env *apptest.Env, username string) int64 {
	t.Helper()
	var id int64
	if err := env.App.DB.R.QueryRow(`SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func raise(t *testing.T, c *apptest.Client, enterprise int64, cat, text string, fields map[string]string) demandOut {
	t.Helper()
	status, b := c.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": enterprise, "category": cat, "description": text, "quantity": 300, "fields": fields})
	return decodeJSON[demandOut](t, status, http.StatusCreated, b)
}

func getDemand(t *testing.T, c *apptest.Client, id int64) demandOut {
	t.Helper()
	status, b := c.JSON("GET", "/api/v1/demands/"+strconv.FormatInt(id, 10), nil)
	return decodeJSON[demandOut](t, status, http.StatusOK, b)
}

func runJobs(t *testing.T, env *apptest.Env) {
	t.Helper()
	if _, err := env.App.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

var cst = time.FixedZone("CST", 8*3600)

func TestSameDayClocks(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		liaison := env.APIClient(t, "liaison001")
		ent := enterpriseOf(t, env, "liaison001")
		masks := map[string]string{"item": "口罩"}

		env.Clock.Set(time.Date(2020, 3, 9, 21, 0, 0, 0, cst))
		early := raise(t, liaison, ent, "supplies", "口罩300个", masks)
		env.Clock.Set(time.Date(2020, 3, 9, 22, 30, 0, 0, cst))
		late := raise(t, liaison, ent, "labour", "招工30人", map[string]string{"positions": "普工"})
		env.Clock.Set(time.Date(2020, 3, 9, 23, 50, 0, 0, cst))
		latest := raise(t, liaison, ent, "materials", "原料断供", map[string]string{"material": "石英砂"})

		if early.Day != "2020-03-09" || early.SameDayDue != "2020-03-10T00:00:00+08:00" {
			t.Errorf("21:00 demand counts for %s, due %s", early.Day, early.SameDayDue)
		}
		for _, d := range []demandOut{late, latest} {
			if d.Day != "2020-03-10" || d.SameDayDue != "2020-03-11T00:00:00+08:00" {
				t.Errorf("%s after 22:00 counts for %s, due %s; want the next day", d.Number, d.Day, d.SameDayDue)
			}
		}
		if !strings.HasPrefix(latest.Number, "SQ-20200309-") {
			t.Errorf("number %s does not carry the day it came in", latest.Number)
		}

		// The 22:30 demand is escalated in time; the other two are left alone.
		status, b := liaison.JSON("POST", fmt.Sprintf("/api/v1/demands/%d/transitions", late.ID), map[string]any{"action": "escalate", "note": "上报"})
		decodeJSON[demandOut](t, status, http.StatusOK, b)

		env.Clock.Set(time.Date(2020, 3, 10, 0, 0, 0, 0, cst))
		runJobs(t, env)
		if d := getDemand(t, liaison, early.ID); !d.ResponseLate || !d.SameDayLate {
			t.Errorf("21:00 demand at midnight: response late %v, same day late %v", d.ResponseLate, d.SameDayLate)
		}
		if d := getDemand(t, liaison, latest.ID); d.SameDayLate || d.ResponseLate {
			t.Errorf("23:50 demand is late at midnight already")
		}
		env.Clock.Set(time.Date(2020, 3, 11, 0, 0, 0, 0, cst))
		runJobs(t, env)
		if d := getDemand(t, liaison, latest.ID); !d.SameDayLate || !d.ResponseLate {
			t.Errorf("23:50 demand a day later: same day late %v", d.SameDayLate)
		}
		if d := getDemand(t, liaison, late.ID); d.SameDayLate {
			t.Errorf("22:30 demand escalated in time is marked late")
		}
		// A second run at the same moment changes nothing (jobs may run twice).
		before := getDemand(t, liaison, latest.ID)
		runJobs(t, env)
		if after := getDemand(t, liaison, latest.ID); after.Version != before.Version {
			t.Errorf("a second look at the clocks changed the demand")
		}
	})
}

func TestClockSurvivesRestart(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		liaison := env.APIClient(t, "liaison001")
		env.Clock.Set(time.Date(2020, 3, 9, 23, 50, 0, 0, cst))
		d := raise(t, liaison, enterpriseOf(t, env, "liaison001"), "supplies", "口罩300个", map[string]string{"item": "口罩"})
		cfg := env.App.Config
		env.App.Close()

		a, err := app.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		env.Clock.Set(time.Date(2020, 3, 11, 0, 1, 0, 0, cst))
		if _, err := a.Jobs.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, err := store.NewDemands(a.DB, a.Loc, i18n.MustLoad()).Find(context.Background(), fugong.Scope{Role: fugong.RoleCommand, County: demo.County}, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.SameDayLate || !got.ResponseLate || got.Level == fugong.LevelLiaison {
			t.Errorf("after a restart the clocks did not fire: %+v", got)
		}
	})
}

// inbox counts the in-app notifications about a demand sent to a user.
func inbox(t *testing.T, env *apptest.Env, user string, demandID int64) int {
	t.Helper()
	var n int
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE channel = 'inapp' AND user_id = $1 AND entity = 'demands' AND entity_id = $2`,
		userID(t, env, user), strconv.FormatInt(demandID, 10)).Scan(&n)
	return n
}

func TestEscalationLadder(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		// enterprise001 is above-scale: it has a liaison, a township and a linked county leader.
		ent := env.APIClient(t, "enterprise001")
		d := raise(t, ent, 0, "utilities", "变压器增容", map[string]string{"utility": "电"}) // received 08:00, solution 12 h
		var township, leader string
		env.App.DB.R.QueryRow(`SELECT u.username FROM users u JOIN enterprises e ON e.township = u.region WHERE e.id = $1 AND u.role = 'township'`, enterpriseOf(t, env, "enterprise001")).Scan(&township)
		env.App.DB.R.QueryRow(`SELECT u.username FROM users u JOIN leader_links l ON l.user_id = u.id WHERE l.enterprise_id = $1`, enterpriseOf(t, env, "enterprise001")).Scan(&leader)
		if township == "" || leader == "" {
			t.Fatalf("enterprise001 lacks a township officer or a leader")
		}
		if inbox(t, env, "liaison001", d.ID) != 1 {
			t.Errorf("the liaison was not told of the new demand")
		}
		steps := []struct {
			at         time.Time
			level, who string
		}{
			{time.Date(2020, 3, 9, 9, 0, 0, 0, cst), fugong.LevelTownshipO, township}, // response ran out
			{time.Date(2020, 3, 9, 20, 0, 0, 0, cst), fugong.LevelCommand, "command"}, // solution ran out
			{time.Date(2020, 3, 10, 0, 0, 0, 0, cst), fugong.LevelLeader, leader},     // same day ran out
		}
		for _, s := range steps {
			env.Clock.Set(s.at)
			runJobs(t, env)
			got := getDemand(t, env.APIClient(t, "command"), d.ID)
			if got.Level != s.level {
				t.Fatalf("at %s: level %s, want %s", s.at.Format(time.TimeOnly), got.Level, s.level)
			}
			if inbox(t, env, s.who, d.ID) == 0 {
				t.Errorf("at %s: %s was not notified", s.at.Format(time.TimeOnly), s.who)
			}
		}
		// Urged by the leader: the owner (the leader's rung) and the command hear of it.
		before := inbox(t, env, "command", d.ID)
		status, b := env.APIClient(t, leader).JSON("POST", fmt.Sprintf("/api/v1/demands/%d/transitions", d.ID), map[string]any{"action": "urge", "note": "请今天解决"})
		decodeJSON[demandOut](t, status, http.StatusOK, b)
		if inbox(t, env, "command", d.ID) != before+1 {
			t.Errorf("the command did not hear of the urge")
		}
	})
}

func deptOrg(t *testing.T, env *apptest.Env, name string) int64 {
	t.Helper()
	var id int64
	if err := env.App.DB.R.QueryRow(`SELECT id FROM org_units WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func deptUser(t *testing.T, env *apptest.Env, org int64) string {
	t.Helper()
	var u string
	if err := env.App.DB.R.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 AND role = 'department'`, org).Scan(&u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCoordinationSolvesAll(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		cmd := env.APIClient(t, "command")
		health := deptOrg(t, env, "县卫生健康局")
		dept := env.APIClient(t, deptUser(t, env, health))
		status, b := dept.JSON("GET", "/api/v1/demands?open=true", nil)
		already := decodeJSON[struct{ Total int }](t, status, http.StatusOK, b).Total
		var ids []int64
		var users []string
		for i := 1; i <= 3; i++ {
			u := fmt.Sprintf("enterprise%03d", i+10)
			d := raise(t, cmd, enterpriseOf(t, env, u), "supplies", "口罩短缺", map[string]string{"item": "口罩"})
			ids, users = append(ids, d.ID), append(users, u)
		}
		status, b = cmd.JSON("POST", "/api/v1/demand-actions", map[string]any{"title": "统一调配口罩", "owner_org_id": health, "demand_ids": ids})
		act := decodeJSON[struct {
			ID      int64       `json:"id"`
			Demands []demandOut `json:"demands"`
		}](t, status, http.StatusCreated, b)
		if len(act.Demands) != 3 {
			t.Fatalf("action holds %d demands", len(act.Demands))
		}
		other := env.APIClient(t, deptUser(t, env, deptOrg(t, env, "县交通运输局")))
		// A department sees only what is dispatched to it.
		status, b = dept.JSON("GET", "/api/v1/demands?open=true", nil)
		if l := decodeJSON[struct{ Total int }](t, status, http.StatusOK, b); l.Total != already+3 {
			t.Errorf("the health bureau sees %d open demands, want %d", l.Total, already+3)
		}
		if status, _ := other.JSON("GET", fmt.Sprintf("/api/v1/demands/%d", ids[0]), nil); status != http.StatusNotFound {
			t.Errorf("another department sees a demand not dispatched to it: %d", status)
		}
		status, b = dept.JSON("POST", fmt.Sprintf("/api/v1/demand-actions/%d/solve", act.ID), map[string]any{"note": "已从县储备调拨"})
		decodeJSON[map[string]any](t, status, http.StatusOK, b)
		for i, id := range ids {
			if d := getDemand(t, cmd, id); d.State != fugong.DemandSolved {
				t.Errorf("demand %d is %s after its action was solved", id, d.State)
			}
			if inbox(t, env, users[i], id) < 2 { // coordinated, then solved
				t.Errorf("%s was not told", users[i])
			}
		}
	})
}

func TestDemandScope(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		mine := env.APIClient(t, "enterprise001")
		d := raise(t, mine, 0, "labour", "缺普工", map[string]string{"positions": "普工"})
		path := fmt.Sprintf("/api/v1/demands/%d", d.ID)
		for _, u := range []string{"enterprise002", "liaison050", "village001"} {
			if status, _ := env.APIClient(t, u).JSON("GET", path, nil); status != http.StatusNotFound && status != http.StatusForbidden {
				t.Errorf("%s reads someone else's demand: %d", u, status)
			}
		}
		status, b := env.APIClient(t, "enterprise002").JSON("GET", "/api/v1/demands", nil)
		for _, it := range decodeJSON[struct{ Items []demandOut }](t, status, http.StatusOK, b).Items {
			if it.ID == d.ID {
				t.Errorf("enterprise002's list shows enterprise001's demand")
			}
		}
		hr := deptOrg(t, env, "县人力资源和社会保障局")
		dept := env.APIClient(t, deptUser(t, env, hr))
		if status, _ := dept.JSON("GET", path, nil); status != http.StatusNotFound {
			t.Errorf("a department sees a demand before it is dispatched: %d", status)
		}
		// An enterprise may not dispatch; the command may.
		if status, _ := mine.JSON("POST", path+"/transitions", map[string]any{"action": "dispatch", "departments": []int64{hr}}); status != http.StatusForbidden {
			t.Errorf("an enterprise dispatched its own demand: %d", status)
		}
		status, b = env.APIClient(t, "command").JSON("POST", path+"/transitions", map[string]any{"action": "dispatch", "departments": []int64{hr}, "note": "请人社局对接"})
		decodeJSON[demandOut](t, status, http.StatusOK, b)
		if status, _ := dept.JSON("GET", path, nil); status != http.StatusOK {
			t.Errorf("the department cannot see what is dispatched to it: %d", status)
		}
	})
}

func TestWeComDeliveryRetries(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var calls atomic.Int32
		var got atomic.Value
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			got.Store(string(b))
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer robot.Close()
		ctx := context.Background()
		if err := env.App.DB.SetSetting(ctx, env.App.DB.W, demo.County, "notify.wecom_webhook", robot.URL); err != nil {
			t.Fatal(err)
		}
		cmd := env.APIClient(t, "command")
		d := raise(t, cmd, enterpriseOf(t, env, "enterprise001"), "supplies", "口罩300个", map[string]string{"item": "口罩"})
		status, b := cmd.JSON("POST", fmt.Sprintf("/api/v1/demands/%d/transitions", d.ID), map[string]any{"action": "urge", "note": "今天必须解决"})
		decodeJSON[demandOut](t, status, http.StatusOK, b)
		env.App.Notify.RunDue(ctx)
		env.Clock.Advance(time.Minute)
		env.App.Notify.RunDue(ctx)
		if calls.Load() != 2 {
			t.Fatalf("robot called %d times, want 2 (a failure, then the retry)", calls.Load())
		}
		var msg struct {
			MsgType string `json:"msgtype"`
			Text    struct{ Content string }
		}
		json.Unmarshal([]byte(got.Load().(string)), &msg)
		if msg.MsgType != "text" || !strings.Contains(msg.Text.Content, d.Number) {
			t.Errorf("robot got %q", got.Load())
		}
		var state string
		var attempts int
		env.App.DB.R.QueryRow(`SELECT state, attempts FROM notifications WHERE channel = 'wecom' AND entity_id = $1`, strconv.FormatInt(d.ID, 10)).Scan(&state, &attempts)
		if state != "sent" || attempts != 2 {
			t.Errorf("wecom notification %s after %d attempts", state, attempts)
		}
		// The demand's page says what was sent and that it was delivered.
		_, page := env.Login(t, "command").Page(fmt.Sprintf("/demands/%d", d.ID))
		if !strings.Contains(page, "企业微信群机器人") || !strings.Contains(page, "已送达") {
			t.Errorf("the timeline does not show the robot's delivery")
		}
	})
}

type o311Req struct {
	ServiceRequestID  string `json:"service_request_id"`
	Status            string `json:"status"`
	StatusNotes       string `json:"status_notes"`
	ServiceCode       string `json:"service_code"`
	AgencyResponsible string `json:"agency_responsible"`
	RequestedDatetime string `json:"requested_datetime"`
	UpdatedDatetime   string `json:"updated_datetime"`
	ExpectedDatetime  string `json:"expected_datetime"`
}

func TestOpen311(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		anon := env.Anonymous(t)
		status, b := anon.JSON("GET", "/open311/v2/services.json", nil)
		open311Valid(t, "services", b)
		services := decodeJSON[[]map[string]any](t, status, http.StatusOK, b)
		if len(services) != len(fugong.DemandCategories) || services[0]["service_code"] != "supplies" || services[0]["metadata"] != true {
			t.Errorf("services: %s", b)
		}
		status, b = anon.JSON("GET", "/open311/v2/services/supplies.json", nil)
		open311Valid(t, "definition", b)
		def := decodeJSON[struct {
			ServiceCode string `json:"service_code"`
			Attributes  []struct {
				Code, Datatype string
				Required       bool
			}
		}](t, status, http.StatusOK, b)
		if def.ServiceCode != "supplies" || len(def.Attributes) < 3 {
			t.Errorf("definition: %s", b)
		}
		key := env.APIClient(t, "enterprise001").Token
		post := func(v url.Values) (int, []byte) {
			res := anon.Do("POST", "/open311/v2/requests.json", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), nil)
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, b
		}
		status, b = post(url.Values{"api_key": {key}, "service_code": {"supplies"}, "description": {"需要口罩300个"}, "attribute[item]": {"口罩"}, "attribute[quantity]": {"300"}})
		open311Valid(t, "created", b)
		created := decodeJSON[[]struct {
			ID string `json:"service_request_id"`
		}](t, status, http.StatusCreated, b)
		if len(created) != 1 || !strings.HasPrefix(created[0].ID, "SQ-20200309-") {
			t.Fatalf("created: %s", b)
		}
		status, b = anon.JSON("GET", "/open311/v2/requests/"+created[0].ID+".json?api_key="+url.QueryEscape(key), nil)
		open311Valid(t, "requests", b)
		var raw []map[string]any
		json.Unmarshal(b, &raw)
		if len(raw) != 1 || raw[0]["lat"] != nil || raw[0]["long"] != nil || raw[0]["media_url"] != nil || raw[0]["address"] == "" || raw[0]["address"] == enterpriseName(t, env, "enterprise001") {
			t.Errorf("a request posted without a place: lat, long, media_url should be null and address the enterprise's address: %s", b)
		}
		// What a client posts about where and what is kept.
		status, b = post(url.Values{"api_key": {key}, "service_code": {"supplies"}, "description": {"仓库缺消毒液"}, "attribute[item]": {"消毒液"},
			"lat": {"29.4291"}, "long": {"111.1213"}, "address_string": {"零阳镇工业园3号仓库"}, "media_url": {"https://img.example.cn/a.jpg"}})
		placed := decodeJSON[[]struct {
			ID string `json:"service_request_id"`
		}](t, status, http.StatusCreated, b)
		status, b = anon.JSON("GET", "/open311/v2/requests.json?service_request_id="+placed[0].ID+"&api_key="+url.QueryEscape(key), nil)
		open311Valid(t, "requests", b)
		raw = nil
		json.Unmarshal(b, &raw)
		if len(raw) != 1 || raw[0]["lat"] != 29.4291 || raw[0]["long"] != 111.1213 || raw[0]["address"] != "零阳镇工业园3号仓库" || raw[0]["media_url"] != "https://img.example.cn/a.jpg" {
			t.Errorf("the posted place and photo were not kept: %s", b)
		}
		reqs := decodeJSON[[]o311Req](t, status, http.StatusOK, b)
		status, b = anon.JSON("GET", "/open311/v2/requests/"+created[0].ID+".json?api_key="+url.QueryEscape(key), nil)
		reqs = decodeJSON[[]o311Req](t, status, http.StatusOK, b)
		if len(reqs) != 1 || reqs[0].Status != "open" || reqs[0].ServiceCode != "supplies" || reqs[0].ExpectedDatetime != "2020-03-10T08:00:00+08:00" ||
			reqs[0].RequestedDatetime != "2020-03-09T08:00:00+08:00" || reqs[0].AgencyResponsible == "" || reqs[0].StatusNotes == "" {
			t.Errorf("request: %s", b)
		}
		// Solved by the liaison: the client sees it closed with the note.
		var id int64
		env.App.DB.R.QueryRow(`SELECT id FROM demands WHERE number = $1`, created[0].ID).Scan(&id)
		status, b = env.APIClient(t, "liaison001").JSON("POST", fmt.Sprintf("/api/v1/demands/%d/transitions", id), map[string]any{"action": "solve_on_site", "note": "已送到300个口罩"})
		decodeJSON[demandOut](t, status, http.StatusOK, b)
		status, b = anon.JSON("GET", "/open311/v2/requests.json?status=closed&api_key="+url.QueryEscape(key), nil)
		reqs = decodeJSON[[]o311Req](t, status, http.StatusOK, b)
		if len(reqs) == 0 || reqs[0].ServiceRequestID != created[0].ID || reqs[0].Status != "closed" || !strings.Contains(reqs[0].StatusNotes, "已送到300个口罩") {
			t.Errorf("closed requests: %s", b)
		}
		// XML.
		res := anon.Do("GET", "/open311/v2/requests/"+created[0].ID+".xml?api_key="+url.QueryEscape(key), "", nil, nil)
		xb, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var x struct {
			XMLName  xml.Name `xml:"service_requests"`
			Requests []struct {
				ID     string `xml:"service_request_id"`
				Status string `xml:"status"`
			} `xml:"request"`
		}
		if err := xml.Unmarshal(xb, &x); err != nil || len(x.Requests) != 1 || x.Requests[0].Status != "closed" {
			t.Errorf("xml: %v %s", err, xb)
		}
		// Errors are the spec's list, naming fields as the client posted them.
		for _, c := range []struct {
			v    url.Values
			want int
			says string
		}{
			{url.Values{"service_code": {"supplies"}, "description": {"x"}}, http.StatusUnauthorized, ""},
			{url.Values{"api_key": {key}, "service_code": {"pets"}, "description": {"x"}}, http.StatusBadRequest, "service_code"},
			{url.Values{"api_key": {key}, "service_code": {"supplies"}, "description": {"x"}}, http.StatusBadRequest, "attribute[item]"},
			{url.Values{"api_key": {key}, "service_code": {"supplies"}, "description": {"x"}, "attribute[item]": {"口罩"}, "media_url": {"javascript:alert(1)"}}, http.StatusBadRequest, "media_url"},
			{url.Values{"api_key": {key}, "service_code": {"supplies"}, "description": {"x"}, "attribute[item]": {"口罩"}, "lat": {"north"}}, http.StatusBadRequest, "lat"},
			{url.Values{"api_key": {"forged"}, "service_code": {"supplies"}, "description": {"x"}}, http.StatusForbidden, ""},
		} {
			status, b := post(c.v)
			open311Valid(t, "errors", b)
			if !strings.Contains(string(b), `"description":"`+c.says) {
				t.Errorf("the error does not name %s first: %s", c.says, b)
			}
			errs := decodeJSON[[]struct {
				Code        int    `json:"code"`
				Description string `json:"description"`
			}](t, status, c.want, b)
			if len(errs) == 0 || errs[0].Code != c.want || errs[0].Description == "" {
				t.Errorf("error list: %s", b)
			}
		}
		if status, _ := anon.JSON("GET", "/open311/v2/requests/SQ-20200309-9999.json?api_key="+url.QueryEscape(key), nil); status != http.StatusNotFound {
			t.Errorf("unknown request: %d", status)
		}
		// The key may also come as the spec's clients send it on POST: in the query.
		res = anon.Do("POST", "/open311/v2/requests.json?api_key="+url.QueryEscape(key), "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"service_code": {"supplies"}, "description": {"测温枪2把"}, "attribute[item]": {"测温枪"}}.Encode()), nil)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Errorf("api_key in the query of a POST: %d", res.StatusCode)
		}
		// Discovery, in both formats, says where the endpoint is and how to get a key.
		status, b = anon.JSON("GET", "/open311/v2/discovery.json", nil)
		open311Valid(t, "discovery", b)
		if status != http.StatusOK || !strings.Contains(string(b), `"url":"`+apptest.PublicURL+`/open311/v2"`) || !strings.Contains(string(b), "api_key") {
			t.Errorf("discovery: %d %s", status, b)
		}
		res = anon.Do("GET", "/open311/v2/discovery.xml", "", nil, nil)
		xb, _ = io.ReadAll(res.Body)
		res.Body.Close()
		var disc struct {
			XMLName   xml.Name `xml:"discovery"`
			Endpoints []struct {
				URL     string   `xml:"url"`
				Formats []string `xml:"formats>format"`
			} `xml:"endpoints>endpoint"`
		}
		if err := xml.Unmarshal(xb, &disc); err != nil || len(disc.Endpoints) != 1 || len(disc.Endpoints[0].Formats) != 2 {
			t.Errorf("discovery.xml: %v %s", err, xb)
		}
	})
}

// open311Valid checks an Open311 answer against the JSON schema written from the
// GeoReport v2 specification (testdata/open311.schema.json), definition def.
func open311Valid(t *testing.T, def string, body []byte) {
	t.Helper()
	f, err := os.Open("testdata/open311.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://fugong.test/open311.schema.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id + "#/$defs/" + def)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("Open311 %s is not JSON: %v\n%s", def, err, body)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("Open311 %s does not match the specification's schema: %v\n%s", def, err, body)
	}
}

// enterpriseName is the name of the enterprise a user stands for.
func enterpriseName(t *testing.T, env *apptest.Env, username string) string {
	t.Helper()
	var name string
	env.App.DB.R.QueryRow(`SELECT name FROM enterprises WHERE id = $1`, enterpriseOf(t, env, username)).Scan(&name)
	return name
}

func TestDemandStatsAPI(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		status, b := env.APIClient(t, "command").JSON("GET", "/api/v1/stats/demands?by=category&from=2020-02-11&to=2020-03-09", nil)
		st := decodeJSON[struct {
			All struct {
				Total        int     `json:"total"`
				Solved       int     `json:"solved"`
				SolutionRate float64 `json:"solution_rate"`
				Satisfaction float64 `json:"satisfaction"`
			} `json:"all"`
			Items []struct {
				Key   string `json:"key"`
				Total int    `json:"total"`
			} `json:"items"`
		}](t, status, http.StatusOK, b)
		var total, solved, rated, ratingSum int
		env.App.DB.R.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN state IN ('solved', 'confirmed', 'closed') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN rating > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(rating), 0) FROM demands WHERE day BETWEEN '2020-02-11' AND '2020-03-09'`).Scan(&total, &solved, &rated, &ratingSum)
		if total == 0 || st.All.Total != total || st.All.Solved != solved {
			t.Errorf("figures %+v; the rows say %d demands, %d solved", st.All, total, solved)
		}
		if want := float64(ratingSum) / float64(rated); st.All.Satisfaction < want-0.001 || st.All.Satisfaction > want+0.001 {
			t.Errorf("satisfaction %.4f, rows say %.4f", st.All.Satisfaction, want)
		}
		sum := 0
		for _, g := range st.Items {
			sum += g.Total
		}
		if sum != total {
			t.Errorf("categories add up to %d, not %d", sum, total)
		}
		// An enterprise's figures are its own.
		status, b = env.APIClient(t, "enterprise001").JSON("GET", "/api/v1/stats/demands?by=day", nil)
		var own int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE enterprise_id = $1`, enterpriseOf(t, env, "enterprise001")).Scan(&own)
		if got := decodeJSON[struct {
			All struct{ Total int } `json:"all"`
		}](t, status, http.StatusOK, b); got.All.Total != own {
			t.Errorf("enterprise001's figures count %d demands, it has %d", got.All.Total, own)
		}
	})
}
