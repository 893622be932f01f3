package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/app/apptest"
	"fugong/xlsx"
)

// enterpriseOf returns the id and name of the first enterprise the user is stationed at
// (liaison) or is (enterprise).
func enterpriseAndName(t *testing.T, env *apptest.Env, username string) (int64, string) {
	t.Helper()
	var id int64
	var name string
	err := env.App.DB.R.QueryRow(`SELECT e.id, e.name FROM enterprises e JOIN liaison_assignments a ON a.enterprise_id = e.id JOIN users u ON u.id = a.user_id
		WHERE u.username = $1 AND e.status = '已复工' ORDER BY e.id LIMIT 1`, username).Scan(&id, &name)
	if err != nil {
		t.Fatal(err)
	}
	return id, name
}

type workerOut struct {
	ID       int64  `json:"id"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Masked   bool   `json:"masked"`
	Status   string `json:"status"`
}

// validID completes seventeen digits with the GB 11643 check character.
func validID(first17 string) string {
	for _, c := range "0123456789X" {
		if fugong.CheckIDNumber(first17+string(c)) == "" {
			return first17 + string(c)
		}
	}
	return ""
}

func createWorker(t *testing.T, c *apptest.Client, ent int64, id, phone string) workerOut {
	t.Helper()
	status, body := c.JSON("POST", "/api/v1/workers", map[string]any{"enterprise_id": ent, "name": "谭沛", "id_number": id, "phone": phone, "home_region": "湖北省利川市"})
	if status != http.StatusCreated {
		t.Fatalf("create worker: %d %s", status, body)
	}
	var w workerOut
	json.Unmarshal(body, &w)
	return w
}

// Personal data is sealed at rest, masked in the API, pages and exports by default, and
// shown in clear only to a role that may see it, with an audit line for each view.
func TestWorkerPersonalDataIsSealedAndMasked(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		liaison := env.APIClient(t, "liaison001")
		idNo, phone := validID("42280219900307451"), "13907448765"
		w := createWorker(t, liaison, ent, idNo, phone)
		if !w.Masked || w.IDNumber != idNo[:6]+"********"+idNo[14:] || w.Phone != "139****8765" {
			t.Fatalf("create answers %+v, want masked", w)
		}
		// A second record of the same person at the same enterprise is refused.
		if status, _ := liaison.JSON("POST", "/api/v1/workers", map[string]any{"enterprise_id": ent, "name": "谭沛", "id_number": idNo}); status != http.StatusUnprocessableEntity {
			t.Errorf("duplicate person: %d, want 422", status)
		}
		// A bad check character is named.
		status, body := liaison.JSON("POST", "/api/v1/workers", map[string]any{"enterprise_id": ent, "name": "王兵", "id_number": idNo[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", idNo[17])+1)%11])})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "校验位") {
			t.Errorf("bad ID number: %d %s", status, body)
		}
		// Found by the exact ID number, masked.
		_, body = liaison.JSON("GET", fmt.Sprintf("/api/v1/workers?id_number=%s", idNo), nil)
		if strings.Contains(string(body), idNo) || !strings.Contains(string(body), `"total":1`) {
			t.Errorf("lookup by ID number: %s", body)
		}
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask'`).Scan(&before)
		_, body = liaison.JSON("GET", fmt.Sprintf("/api/v1/workers/%d?unmask=true", w.ID), nil)
		var clear workerOut
		json.Unmarshal(body, &clear)
		if clear.IDNumber != idNo || clear.Phone != phone || clear.Masked {
			t.Errorf("unmasked for the liaison: %s", body)
		}
		var after int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask' AND entity = 'workers' AND entity_id = $1`, fmt.Sprint(w.ID)).Scan(&after)
		if after != before+1 {
			t.Errorf("unmask audit lines: %d, want %d", after, before+1)
		}
		// A township officer sees the worker, masked, and may not unmask.
		var town string
		env.App.DB.R.QueryRow(`SELECT u.username FROM users u JOIN enterprises e ON e.township = u.region WHERE e.id = $1 AND u.role = 'township'`, ent).Scan(&town)
		tc := env.APIClient(t, town)
		if status, _ := tc.JSON("GET", fmt.Sprintf("/api/v1/workers/%d?unmask=true", w.ID), nil); status != http.StatusForbidden {
			t.Errorf("township unmask: %d, want 403", status)
		}
		// The page shows it masked, and in clear only after the unmask button.
		page := env.Login(t, "liaison001")
		_, html := page.Page(fmt.Sprintf("/workers/%d", w.ID))
		if strings.Contains(html, idNo) || !strings.Contains(html, idNo[:6]+"********"+idNo[14:]) {
			t.Errorf("the worker page is not masked")
		}
		if _, _, html := page.Form(fmt.Sprintf("/workers/%d/unmask", w.ID), nil); !strings.Contains(html, idNo) {
			t.Errorf("the unmask button does not show the ID number")
		}
		// Exports are masked.
		res := page.Do("GET", fmt.Sprintf("/health/enterprises/%d/export", ent), "", nil, nil)
		x, _ := io.ReadAll(res.Body)
		res.Body.Close()
		found := false
		xlsx.EachXLSX(bytes.NewReader(x), xlsx.Limits{}, func([]string) error { return nil }, func(r xlsx.Row) error {
			if r.Get("身份证号") == idNo[:6]+"********"+idNo[14:] {
				found = true
			}
			if r.Get("身份证号") == idNo || r.Get("手机号") == phone {
				t.Errorf("export row %d in clear", r.Line)
			}
			return nil
		})
		if !found {
			t.Errorf("the export lacks the masked worker")
		}
		_, body = liaison.JSON("GET", fmt.Sprintf("/api/v1/workers/export?enterprise_id=%d", ent), nil)
		if bytes.Contains(body, []byte(idNo)) {
			t.Errorf("API export in clear")
		}
		// The database holds neither in clear.
		if env.Dialect == "sqlite" {
			env.App.DB.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			path := env.App.DB.Path
			for _, f := range []string{path, path + "-wal"} {
				raw, err := os.ReadFile(f)
				if err != nil {
					continue
				}
				if bytes.Contains(raw, []byte(idNo)) || bytes.Contains(raw, []byte(phone)) {
					t.Errorf("%s holds personal data in clear", f)
				}
			}
		} else {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE id_sealed LIKE '%' || $1 || '%' OR phone_sealed LIKE '%' || $2 || '%'`, idNo, phone).Scan(&n)
			var audit int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%' || $1 || '%' OR before_json LIKE '%' || $1 || '%'`, idNo).Scan(&audit)
			if n+audit > 0 {
				t.Errorf("the database holds the ID number in clear")
			}
		}
	})
}

// workerOnDuty registers a worker back from 长沙 through entry, screening and clearance.
func workerOnDuty(t *testing.T, c *apptest.Client, ent int64, id string) workerOut {
	t.Helper()
	w := createWorker(t, c, ent, id, "")
	gate(t, c, w.ID, map[string]any{"gate": "entry", "from_region": "湖南省长沙市", "arrival": "2020-03-09", "temperature_tenths": 364}, 201)
	gate(t, c, w.ID, map[string]any{"gate": "screening"}, 201)
	gate(t, c, w.ID, map[string]any{"gate": "clear"}, 201)
	return w
}

func gate(t *testing.T, c *apptest.Client, id int64, body map[string]any, want int) string {
	t.Helper()
	status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/gates", id), body)
	if status != want {
		t.Fatalf("gate %v: %d %s, want %d", body["gate"], status, b, want)
	}
	return string(b)
}

// A worker back from 湖北 cannot be cleared for duty before central isolation is served.
func TestGatesRequireIsolationForRiskRegions(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		w := createWorker(t, c, ent, validID("42010619950812003"), "")
		gate(t, c, w.ID, map[string]any{"gate": "clear"}, 422)
		gate(t, c, w.ID, map[string]any{"gate": "entry", "from_region": "湖北省武汉市", "arrival": "2020-03-08", "temperature_tenths": 365}, 201)
		out := gate(t, c, w.ID, map[string]any{"gate": "screening"}, 201)
		if !strings.Contains(out, `"risk":"high"`) {
			t.Fatalf("screening of an arrival from 湖北: %s", out)
		}
		gate(t, c, w.ID, map[string]any{"gate": "clear"}, 422)
		gate(t, c, w.ID, map[string]any{"gate": "isolation", "isolation_kind": "home"}, 422)
		out = gate(t, c, w.ID, map[string]any{"gate": "isolation", "isolation_kind": "central"}, 201)
		if !strings.Contains(out, `"planned_end":"2020-03-23"`) {
			t.Errorf("planned end of 14 days from 9 March: %s", out)
		}
		// The day's reading in isolation.
		if status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"temperature_tenths": 366}); status != http.StatusCreated {
			t.Errorf("isolation check: %d %s", status, b)
		}
		gate(t, c, w.ID, map[string]any{"gate": "release", "day": "2020-03-22"}, 422)
		gate(t, c, w.ID, map[string]any{"gate": "release", "day": "2020-03-23"}, 201)
		gate(t, c, w.ID, map[string]any{"gate": "clear", "day": "2020-03-23"}, 201)
		_, b := c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d", w.ID), nil)
		if !strings.Contains(string(b), `"status":"在岗"`) {
			t.Errorf("after release and clearing: %s", b)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/gates", w.ID), nil)
		if !strings.Contains(string(b), `"total":5`) || !strings.Contains(string(b), `"recorder_name":"liaison001"`) {
			t.Errorf("gate history: %s", b)
		}
		// Twice a day at work: the same slot twice is a conflict.
		if status, _ := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"slot": "am", "temperature_tenths": 362}); status != http.StatusCreated {
			t.Errorf("morning check: %d", status)
		}
		if status, _ := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"slot": "am", "temperature_tenths": 362}); status != http.StatusConflict {
			t.Errorf("second morning check: %d, want 409", status)
		}
	})
}

// A fever at a check reaches the enterprise's liaison, the township and command at once,
// and command's WeCom robot — here a local receiver that fails the first time.
func TestFeverAlertReachesTheWeComRobot(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		// Each dialect's run has its own robot: the two runs go at once.
		var mu sync.Mutex
		var got []string
		calls := 0
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			b, _ := io.ReadAll(r.Body)
			got = append(got, string(b))
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer robot.Close()
		ctx := context.Background()
		if err := env.App.DB.SetSetting(ctx, env.App.DB.W, "430821", "notify.wecom.command", robot.URL); err != nil {
			t.Fatal(err)
		}
		ent, name := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		w := workerOnDuty(t, c, ent, validID("43082119900101003"))
		env.App.Notify.RunDue(ctx) // deliver what the demo queued before
		status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"slot": "am", "temperature_tenths": 381})
		if status != http.StatusCreated || !strings.Contains(string(b), `"alert":true`) {
			t.Fatalf("fever check: %d %s", status, b)
		}
		var inapp, clear int
		env.App.DB.R.QueryRow(`SELECT COUNT(DISTINCT u.role), SUM(CASE WHEN n.body LIKE '%38.1%' THEN 1 ELSE 0 END) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE n.entity = 'health_alerts' AND n.channel = 'inapp' AND n.body LIKE '%谭沛%'`).Scan(&inapp, &clear)
		if inapp != 4 || clear != 0 {
			t.Errorf("in-app alerts reach %d roles (want 4: enterprise, liaison, township, command), %d with the reading in clear", inapp, clear)
		}
		mu.Lock()
		calls, got = 0, nil
		mu.Unlock()
		env.App.Notify.RunDue(ctx)
		env.Clock.Advance(time.Minute)
		env.App.Notify.RunDue(ctx)
		mu.Lock()
		defer mu.Unlock()
		if calls != 2 || len(got) != 1 || !strings.Contains(got[0], name) {
			t.Errorf("robot calls %d, messages %q", calls, got)
		}
		// A group chat reads the robot's message: no temperature, symptom or worker in it.
		if len(got) == 1 && (strings.Contains(got[0], "38.1") || strings.Contains(got[0], "体温") || strings.Contains(got[0], "谭沛")) {
			t.Errorf("the robot's message carries health data: %q", got[0])
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/alerts?enterprise_id=%d", ent), nil)
		if !strings.Contains(string(b), `"temperature_tenths":381`) {
			t.Errorf("today's alerts: %s", b)
		}
	})
}

// Below seven days of cover one supply demand is raised, and no second while it is open.
func TestShortageRaisesExactlyOneSupplyDemand(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var ent int64
		var payroll int
		env.App.DB.R.QueryRow(`SELECT id, payroll FROM enterprises WHERE name = '慈利联兴新材料科技有限公司'`).Scan(&ent, &payroll)
		c := env.APIClient(t, "command")
		var sums struct {
			Items []struct {
				DailyNeed         int            `json:"daily_need"`
				DaysOfCoverTenths int            `json:"days_of_cover_tenths"`
				Stock             map[string]int `json:"stock"`
				Short             bool           `json:"short"`
				OpenSupplyRequest bool           `json:"open_supply_request"`
			} `json:"items"`
		}
		_, b := c.JSON("GET", fmt.Sprintf("/api/v1/supplies?enterprise_id=%d", ent), nil)
		json.Unmarshal(b, &sums)
		s := sums.Items[0]
		if want := (payroll*70 + 99) / 100; s.DailyNeed != want || s.DailyNeed < 290 || s.DailyNeed > 310 {
			t.Errorf("daily need %d, want %d (about 300)", s.DailyNeed, want)
		}
		if s.DaysOfCoverTenths != s.Stock["mask"]*10/s.DailyNeed || s.DaysOfCoverTenths < 45 || s.DaysOfCoverTenths > 55 || !s.Short || !s.OpenSupplyRequest {
			t.Errorf("the seed's enterprise: %+v, want about 5 days, short, one request open", s)
		}
		count := func() int {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM supply_requests WHERE enterprise_id = $1`, ent).Scan(&n)
			return n
		}
		if count() != 1 {
			t.Fatalf("the demo raised %d requests, want 1", count())
		}
		for i := 0; i < 3; i++ {
			if status, b := c.JSON("POST", "/api/v1/supplies", map[string]any{"enterprise_id": ent, "item": "mask", "kind": "used", "quantity": 100}); status != http.StatusCreated {
				t.Fatalf("use masks: %d %s", status, b)
			}
		}
		if count() != 1 {
			t.Errorf("%d requests after more use, want still 1", count())
		}
		// Stock back above the threshold closes it; the next shortage raises a new one.
		c.JSON("POST", "/api/v1/supplies", map[string]any{"enterprise_id": ent, "item": "mask", "kind": "received", "quantity": 5000})
		c.JSON("POST", "/api/v1/supplies", map[string]any{"enterprise_id": ent, "item": "mask", "kind": "used", "quantity": 4500})
		var open, all int
		env.App.DB.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END) FROM supply_requests WHERE enterprise_id = $1`, ent).Scan(&all, &open)
		if all != 2 || open != 1 {
			t.Errorf("after a refill and a new shortage: %d requests, %d open; want 2, 1", all, open)
		}
		// Each shortage is a real demand in the demand workflow, with its number and clocks.
		var demands int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE enterprise_id = $1 AND category = 'supplies' AND channel = 'system' AND number LIKE 'SQ-%'`, ent).Scan(&demands)
		if demands != 2 { // the demo's shortage and this one
			t.Errorf("%d supply demands raised by the rule, want 2", demands)
		}
	})
}

// A liaison cannot see, check or give supplies to a worker of an enterprise not
// assigned to them: 404, never the data.
func TestLiaisonScopeOverWorkers(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var other int64
		env.App.DB.R.QueryRow(`SELECT w.id FROM workers w JOIN liaison_assignments a ON a.enterprise_id = w.enterprise_id JOIN users u ON u.id = a.user_id
			WHERE u.username = 'liaison002' AND w.status = '在岗' ORDER BY w.id LIMIT 1`).Scan(&other)
		c := env.APIClient(t, "liaison001")
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{"GET", fmt.Sprintf("/api/v1/workers/%d", other), nil},
			{"GET", fmt.Sprintf("/api/v1/workers/%d/checks", other), nil},
			{"POST", fmt.Sprintf("/api/v1/workers/%d/checks", other), map[string]any{"slot": "am", "temperature_tenths": 365}},
			{"POST", fmt.Sprintf("/api/v1/workers/%d/gates", other), map[string]any{"gate": "leave"}},
		} {
			if status, b := c.JSON(r.method, r.path, r.body); status != http.StatusNotFound {
				t.Errorf("%s %s: %d %s, want 404", r.method, r.path, status, b)
			}
		}
		_, b := c.JSON("GET", "/api/v1/workers?limit=1000", nil)
		if strings.Contains(string(b), fmt.Sprintf(`"id":%d,`, other)) {
			t.Errorf("the list shows another liaison's worker")
		}
		page := env.Login(t, "liaison001")
		if status, _ := page.Page(fmt.Sprintf("/workers/%d", other)); status != http.StatusNotFound {
			t.Errorf("page of another liaison's worker: %d", status)
		}
	})
}

// The demo: 204 workers given preventive TCM at 慈利宏发油脂有限公司; workers in
// isolation back from 湖北; a few alerts today; county totals that add up.
func TestDemoWorkforceHealth(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	db := env.App.DB.R
	var given, onDuty int
	db.QueryRow(`SELECT SUM(CASE WHEN w.tcm_doses > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN w.status = '在岗' THEN 1 ELSE 0 END) FROM workers w JOIN enterprises e ON e.id = w.enterprise_id
		WHERE e.name = '慈利宏发油脂有限公司'`).Scan(&given, &onDuty)
	if given < 190 || given > 204 {
		t.Errorf("宏发: %d workers given TCM (of %d on duty); the seed says 204 were helped", given, onDuty)
	}
	var hubei, alerts, total int
	db.QueryRow(`SELECT COUNT(*) FROM workers WHERE status = '隔离中' AND home_region LIKE '湖北%'`).Scan(&hubei)
	db.QueryRow(`SELECT COUNT(*) FROM health_alerts WHERE day = '2020-03-09'`).Scan(&alerts)
	db.QueryRow(`SELECT COUNT(*) FROM workers`).Scan(&total)
	if hubei == 0 || alerts == 0 || total < 2000 {
		t.Errorf("demo: %d workers, %d from 湖北 in isolation, %d alerts today", total, hubei, alerts)
	}
	c := env.APIClient(t, "command")
	var sums struct {
		Items []struct {
			Workers map[string]int `json:"workers"`
		} `json:"items"`
	}
	_, b := c.JSON("GET", "/api/v1/health/townships", nil)
	json.Unmarshal(b, &sums)
	sum := 0
	for _, t := range sums.Items {
		for _, n := range t.Workers {
			sum += n
		}
	}
	if sum != total {
		t.Errorf("township totals sum to %d workers, the county has %d", sum, total)
	}
	page := env.Login(t, "command")
	if status, html := page.Page("/health"); status != http.StatusOK || !strings.Contains(html, "township-totals") {
		t.Errorf("county page: %d", status)
	}
}

// An import with one bad row imports nothing and names the row and column; a good one
// previews first and then imports every row.
func TestWorkerImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		rows := [][]any{}
		for i := 0; i < 30; i++ {
			rows = append(rows, []any{fmt.Sprintf("员工%d", i), validID(fmt.Sprintf("43082119900101%03d", 100+i)), "", "湖南省张家界市慈利县", "否", ""})
		}
		bad := append([][]any{}, rows...)
		bad = append(bad, []any{"坏行", "430821199001011", "", "", "否", ""})
		count := func() int {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM workers WHERE enterprise_id = $1`, ent).Scan(&n)
			return n
		}
		before := count()
		post := func(data [][]any, dry bool) (int, string) {
			b, err := xlsx.Build("员工", []string{"姓名", "身份证号", "手机号", "户籍地", "贫困户", "状态"}, data)
			if err != nil {
				t.Fatal(err)
			}
			res := c.Do("POST", fmt.Sprintf("/api/v1/workers/import?enterprise_id=%d&dry_run=%v", ent, dry), xlsx.ContentType, bytes.NewReader(b), nil)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(body)
		}
		status, body := post(bad, false)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"line":32`) || !strings.Contains(body, `"column":"身份证号"`) || count() != before {
			t.Fatalf("bad import: %d %s; %d workers, want %d", status, body, count(), before)
		}
		status, body = post(rows, true)
		if status != http.StatusOK || !strings.Contains(body, `"rows":30`) || !strings.Contains(body, `"committed":false`) || count() != before {
			t.Fatalf("preview: %d %s", status, body)
		}
		if strings.Contains(body, rows[0][1].(string)) {
			t.Errorf("the preview shows an ID number in clear")
		}
		status, body = post(rows, false)
		if status != http.StatusOK || !strings.Contains(body, `"committed":true`) || count() != before+30 {
			t.Fatalf("import: %d %s; %d workers, want %d", status, body, count(), before+30)
		}
		// The same ledger again updates the same people: nobody is doubled.
		post(rows, false)
		if count() != before+30 {
			t.Errorf("re-import doubled workers: %d", count())
		}
	})
}
