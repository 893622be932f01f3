package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"
	"fugong/xlsx"
)

type dashFigure struct {
	Key   string
	Value float64
	Text  string
	Href  string
}

type dashBody struct {
	Date   string
	Panels []struct {
		Key     string
		Figures []dashFigure
	}
	ByTownship []struct{ Total, Resumed int } `json:"by_township"`
	Trend      []struct {
		Day            string
		Total, Resumed int
		OnDuty         int `json:"on_duty"`
		Payroll        int
		Rate           float64
	}
}

func (d dashBody) figures() map[string]dashFigure {
	out := map[string]dashFigure{}
	for _, p := range d.Panels {
		for _, f := range p.Figures {
			out[f.Key] = f
		}
	}
	return out
}

func getDashboard(t *testing.T, c *apptest.Client, day string) dashBody {
	t.Helper()
	status, body := c.JSON("GET", "/api/v1/stats/dashboard?date="+day, nil)
	if status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", status, body)
	}
	var d dashBody
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// rowFigures counts every dashboard figure of day straight from the rows, as the offices
// define them.
func rowFigures(t *testing.T, ctx context.Context, db *sql.DB, supplies func(context.Context) ([]fugong.SupplySummary, error), now time.Time, day string) map[string]float64 {
	t.Helper()
	one := func(q string, args ...any) int64 {
		var v int64
		if err := db.QueryRow(q, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	resumedOn := `resumed_on <> '' AND resumed_on <= $1 AND NOT (status = '停产' AND status_date <= $1)`
	total := one(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE`)
	resumed := one(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND `+resumedOn, day)
	onDuty := one(`SELECT COALESCE(SUM(r.on_duty), 0) FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE e.workshop = FALSE AND r.day = $1`, day)
	payroll := one(`SELECT COALESCE(SUM(e.payroll), 0) FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE e.workshop = FALSE AND r.day = $1`, day)
	f := map[string]float64{
		"resumption.total":         float64(total),
		"resumption.resumed":       float64(resumed),
		"resumption.rate":          fugong.Percent(int(resumed), int(total)),
		"resumption.attendance":    fugong.Percent(int(onDuty), int(payroll)),
		"resumption.on_duty":       float64(onDuty),
		"resumption.above_total":   float64(one(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND above_scale = TRUE`)),
		"resumption.above_resumed": float64(one(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND above_scale = TRUE AND `+resumedOn, day)),
	}
	// Demands of the day.
	rows, err := db.Query(`SELECT state, on_site, level, owned_at, same_day_due, solved_at, response_late, same_day_late, solution_late FROM demands WHERE day = $1`, day)
	if err != nil {
		t.Fatal(err)
	}
	var in, onSite, escalated, late, solved, met, due int
	for rows.Next() {
		var state, level string
		var site, rl, sl, xl bool
		var owned, sameDue, solvedAt int64
		rows.Scan(&state, &site, &level, &owned, &sameDue, &solvedAt, &rl, &sl, &xl)
		in++
		done := state == "solved" || state == "confirmed" || state == "closed"
		if done && solvedAt != 0 {
			solved++
			if site {
				onSite++
			}
		}
		if level == "command" || level == "department" || level == "leader" {
			escalated++
		}
		if rl || sl || xl {
			late++
		}
		ok := owned != 0 && owned <= sameDue
		if ok {
			met++
		}
		if ok || now.UnixMilli() >= sameDue {
			due++
		}
	}
	rows.Close()
	f["demands.in"], f["demands.on_site"], f["demands.escalated"], f["demands.late"], f["demands.solved"] = float64(in), float64(onSite), float64(escalated), float64(late), float64(solved)
	f["demands.same_day_rate"] = fugong.Percent(met, due)
	// Policies.
	standing := `status IN ('pending', 'approved', 'paid', 'disputed')`
	f["policies.entitled"] = float64(one(`SELECT COUNT(*) FROM entitlements WHERE ` + standing))
	f["policies.amount"] = float64(one(`SELECT COALESCE(SUM(amount), 0) FROM entitlements WHERE ` + standing))
	f["policies.paid"] = float64(one(`SELECT COUNT(*) FROM payments WHERE paid_on <= $1`, day))
	f["policies.paid_amount"] = float64(one(`SELECT COALESCE(SUM(amount), 0) FROM payments WHERE paid_on <= $1`, day))
	// Power: the sheet's baseline, else the December 2019 average.
	base := map[int64]int64{}
	br, _ := db.Query(`SELECT enterprise_id, SUM(wh), COUNT(*) FROM power_uses WHERE day >= '2019-12-01' AND day <= '2019-12-31' GROUP BY enterprise_id`)
	for br.Next() {
		var id, s, n int64
		br.Scan(&id, &s, &n)
		base[id] = (s + n/2) / n
	}
	br.Close()
	br, _ = db.Query(`SELECT enterprise_id, wh FROM power_baselines`)
	for br.Next() {
		var id, wh int64
		br.Scan(&id, &wh)
		base[id] = wh
	}
	br.Close()
	ur, _ := db.Query(`SELECT u.enterprise_id, u.wh, CASE WHEN e.`+strings.ReplaceAll(resumedOn, " status", " e.status")+` THEN 1 ELSE 0 END FROM power_uses u JOIN enterprises e ON e.id = u.enterprise_id WHERE u.day = $1`, day)
	var measured, working, idle int
	var wh, bwh int64
	for ur.Next() {
		var id, w int64
		var declared int
		ur.Scan(&id, &w, &declared)
		b := base[id]
		if b <= 0 {
			continue
		}
		measured++
		wh += w
		bwh += b
		if w*100 > b*30 {
			working++
		} else if declared == 1 {
			idle++
		}
	}
	ur.Close()
	f["power.measured"], f["power.working"], f["power.idle"] = float64(measured), float64(working), float64(idle)
	f["power.resumption_index"] = fugong.Percent(working, measured)
	f["power.production_index"] = fugong.PowerIndex{Wh: wh, BaselineWh: bwh}.ProductionIndex()
	// Workforce health: workers and alerts from the rows; masks and TCM from the supply
	// summaries of issue 6, summed here.
	f["health.isolating"] = float64(one(`SELECT COUNT(*) FROM workers WHERE status = '隔离中'`))
	f["health.on_duty"] = float64(one(`SELECT COUNT(*) FROM workers WHERE status = '在岗'`))
	f["health.alerts"] = float64(one(`SELECT COUNT(*) FROM health_alerts WHERE day = $1`, day))
	f["health.checks"] = float64(one(`SELECT COUNT(*) FROM worker_checks WHERE day = $1`, day))
	sums, err := supplies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stock, need, short, given, duty int
	for _, x := range sums {
		stock += x.Stock[fugong.SupplyMask]
		need += x.DailyNeed
		given += x.TCM.Given
		duty += x.TCM.OnDuty
		if x.Short {
			short++
		}
	}
	f["health.mask_cover"] = float64(fugong.DaysOfCover(stock, need)) / 10
	f["health.short"] = float64(short)
	f["health.tcm"] = fugong.Percent(given, duty)
	// Poverty workshops (the latest headcount reported by the day) and job seekers.
	wsResumed := `e.workshop = TRUE AND e.status = '已复工' AND e.resumed_on <> '' AND e.resumed_on <= $1`
	latest := `w.day = (SELECT MAX(x.day) FROM workshop_days x WHERE x.enterprise_id = e.id AND x.day <= $1)`
	f["employment.workshops"] = float64(one(`SELECT COUNT(*) FROM enterprises WHERE workshop = TRUE`))
	f["employment.workshops_resumed"] = float64(one(`SELECT COUNT(*) FROM enterprises e WHERE `+wsResumed, day))
	f["employment.workshop_workers"] = float64(one(`SELECT COALESCE(SUM(w.workers), 0) FROM enterprises e JOIN workshop_days w ON w.enterprise_id = e.id AND `+latest+` WHERE `+wsResumed, day))
	f["employment.workshop_poor"] = float64(one(`SELECT COALESCE(SUM(w.poor_workers), 0) FROM enterprises e JOIN workshop_days w ON w.enterprise_id = e.id AND `+latest+` WHERE `+wsResumed, day))
	placed := `EXISTS (SELECT 1 FROM referrals r WHERE r.seeker_id = s.id AND r.state = 'on_duty')`
	f["employment.registered"] = float64(one(`SELECT COUNT(*) FROM job_seekers`))
	f["employment.placed"] = float64(one(`SELECT COUNT(*) FROM job_seekers s WHERE ` + placed))
	f["employment.placed_poor"] = float64(one(`SELECT COUNT(*) FROM job_seekers s WHERE s.poor AND ` + placed))
	// Liaison work.
	f["liaison.visits"] = float64(one(`SELECT COUNT(*) FROM visits WHERE day = $1`, day))
	f["liaison.active"] = float64(one(`SELECT COUNT(DISTINCT user_id) FROM visits WHERE day = $1`, day))
	f["liaison.enterprises_visited"] = float64(one(`SELECT COUNT(DISTINCT enterprise_id) FROM visits WHERE day = $1`, day))
	f["liaison.stationed"] = float64(one(`SELECT COUNT(DISTINCT user_id) FROM liaison_assignments WHERE to_date = ''`))
	return f
}

// Every figure on the dashboard equals the one counted from the rows, on the seed's day
// and on a day early in the resumption.
func TestDashboardFiguresAreTheRows(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		for _, day := range []string{"2020-03-09", "2020-02-20"} {
			got := getDashboard(t, c, day).figures()
			want := rowFigures(t, t.Context(), env.App.DB.R, func(ctx context.Context) ([]fugong.SupplySummary, error) {
				return env.App.DB.SupplySummaries(ctx, fugong.Scope{Role: fugong.RoleCommand, County: demo.County}, 0)
			}, env.Clock.Now(), day)
			for k, w := range want {
				g, ok := got[k]
				if !ok {
					t.Errorf("%s: the dashboard has no %s", day, k)
					continue
				}
				if g.Value != w {
					t.Errorf("%s: %s is %v, the rows say %v", day, k, g.Value, w)
				}
				if g.Href == "" || g.Text == "" {
					t.Errorf("%s: %s has no link or text: %+v", day, k, g)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s: %d figures on the dashboard, %d counted here", day, len(got), len(want))
			}
		}
		d := getDashboard(t, c, "2020-03-09")
		f := d.figures()
		if f["resumption.resumed"].Value != 311 || f["resumption.rate"].Text != "100%" {
			t.Errorf("9 March: %+v %+v", f["resumption.resumed"], f["resumption.rate"])
		}
		if f["power.idle"].Value == 0 || f["power.idle"].Value > 10 {
			t.Errorf("the demo's power data should show a few idle enterprises declared resumed, not %v", f["power.idle"].Value)
		}
		// The trend: 28 days to the day asked, each counted as the rows say.
		if len(d.Trend) != 28 || d.Trend[0].Day != "2020-02-11" || d.Trend[27].Day != "2020-03-09" {
			t.Fatalf("trend: %d days from %v", len(d.Trend), d.Trend[0].Day)
		}
		for _, x := range d.Trend {
			var want int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND resumed_on <> '' AND resumed_on <= $1 AND NOT (status = '停产' AND status_date <= $1)`, x.Day).Scan(&want)
			if x.Resumed != want {
				t.Errorf("trend %s: %d resumed, rows say %d", x.Day, x.Resumed, want)
			}
		}
		// A township officer gets their own township's figures, as does command drilling
		// into it with ?township=; a township officer cannot look at another one.
		var town string
		var inTown int
		env.App.DB.R.QueryRow(`SELECT region FROM users WHERE username = 'township01'`).Scan(&town)
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE township = $1 AND workshop = FALSE`, town).Scan(&inTown)
		var other string
		env.App.DB.R.QueryRow(`SELECT MIN(township) FROM enterprises WHERE township <> $1`, town).Scan(&other)
		for _, c := range []struct{ user, path string }{
			{"township01", "/api/v1/stats/dashboard"},
			{"township01", "/api/v1/stats/dashboard?township=" + other},
			{"command", "/api/v1/stats/dashboard?township=" + town},
		} {
			status, raw := env.APIClient(t, c.user).JSON("GET", c.path, nil)
			var td struct {
				ByTownship []struct {
					Key   string
					Total int
				} `json:"by_township"`
			}
			json.Unmarshal(raw, &td)
			if status != http.StatusOK || len(td.ByTownship) != 1 || td.ByTownship[0].Key != town || td.ByTownship[0].Total != inTown {
				t.Errorf("%s %s: %d, townships %+v; want %s alone with %d enterprises", c.user, c.path, status, td.ByTownship, town, inTown)
			}
		}
	})
}

const seedSentence = "截至3月9日，该县已有311家企业正式复工复产，复工率达100%。"

// The daily report of 9 March says what the seed says, in JSON, on the printable page and
// in the workbook, which opens and reads back.
func TestDailyReportOn9MarchSaysTheSeed(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		status, body := c.JSON("GET", "/api/v1/reports/daily?date=2020-03-09", nil)
		var rep struct {
			Title     string
			Sentences []string
			Kept      bool
		}
		json.Unmarshal(body, &rep)
		if status != http.StatusOK || len(rep.Sentences) == 0 || rep.Sentences[0] != seedSentence {
			t.Fatalf("daily report: %d %s", status, body)
		}
		ws := fmt.Sprintf("全县%d家就业扶贫车间已有%d家复工复产", demo.Workshops, demo.WorkshopsResumed)
		if !strings.Contains(strings.Join(rep.Sentences, ""), ws) {
			t.Errorf("the report does not say %q: %v", ws, rep.Sentences)
		}
		page := env.Login(t, "command")
		status, html := page.Page("/reports/daily?date=2020-03-09")
		if status != http.StatusOK || !strings.Contains(html, seedSentence) || !strings.Contains(html, "3月9日") {
			t.Errorf("report page %d does not say %q", status, seedSentence)
		}
		res := c.Do("GET", "/api/v1/reports/daily?date=2020-03-09&format=xlsx", "", nil, nil)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Header.Get("Content-Type") != xlsx.ContentType {
			t.Fatalf("workbook: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		names, sheets, err := xlsx.ReadTables(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		first := sheets[names[0]]
		if names[0] != "日报" || len(first) < 2 || first[1][0] != seedSentence {
			t.Fatalf("workbook sheets %v, first %v", names, first)
		}
		town := sheets["分乡镇"]
		last := town[len(town)-1]
		if last[0] != "合计" || last[1] != "311" || last[2] != "311" || last[3] != "100.0%" {
			t.Errorf("township sheet's total row: %v", last)
		}
		// The weekly report covers the seven days to the date.
		status, body = c.JSON("GET", "/api/v1/reports/weekly?date=2020-03-09", nil)
		var week struct{ From, To string }
		json.Unmarshal(body, &week)
		if status != http.StatusOK || week.From != "2020-03-03" || week.To != "2020-03-09" {
			t.Errorf("weekly: %d %s", status, body)
		}
	})
}

// The evening job makes and keeps the day's report, then waits for the next evening.
func TestEveningReportIsMadeKeptAndRescheduled(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		loc := env.App.Config.Loc
		env.Clock.Set(time.Date(2020, 3, 9, 20, 0, 1, 0, loc))
		if _, err := env.App.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM reports WHERE kind = 'daily' AND to_day = '2020-03-09'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d daily reports kept for 9 March", n)
		}
		var next int64
		env.App.DB.R.QueryRow(`SELECT run_at FROM jobs WHERE kind = 'reports.evening' AND state = 'ready'`).Scan(&next)
		if want := time.Date(2020, 3, 10, 20, 0, 0, 0, loc); next != want.UnixMilli() {
			t.Errorf("next evening's job at %v, want %v", time.UnixMilli(next).In(loc), want)
		}
		c := env.APIClient(t, "leader01")
		_, body := c.JSON("GET", "/api/v1/reports/daily?date=2020-03-09", nil)
		var rep struct {
			Kept      bool
			Sentences []string
		}
		json.Unmarshal(body, &rep)
		if !rep.Kept || rep.Sentences[0] != seedSentence {
			t.Errorf("the kept report: %s", body)
		}
	})
}

// A county leader sees their own links, what is late or stuck first; the command sees
// every leader.
func TestLeaderViewPutsWhatIsLateFirst(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var uid int64
		db.QueryRow(`SELECT id FROM users WHERE username = 'leader01'`).Scan(&uid)
		var links int
		db.QueryRow(`SELECT COUNT(*) FROM leader_links WHERE user_id = $1 AND to_date = ''`, uid).Scan(&links)
		// Make one of the leader's enterprises late, to see it first.
		var ent int64
		db.QueryRow(`SELECT enterprise_id FROM leader_links WHERE user_id = $1 AND enterprise_id IS NOT NULL ORDER BY id DESC LIMIT 1`, uid).Scan(&ent)
		if ent != 0 {
			env.App.DB.W.Exec(`UPDATE demands SET same_day_late = TRUE, state = 'received' WHERE id = (SELECT MIN(id) FROM demands)`)
			env.App.DB.W.Exec(`UPDATE demands SET enterprise_id = $1 WHERE id = (SELECT MIN(id) FROM demands)`, ent)
		}
		c := env.APIClient(t, "leader01")
		status, body := c.JSON("GET", "/api/v1/stats/leaders?date=2020-03-09", nil)
		var out struct {
			Items []struct {
				UserID int64 `json:"user_id"`
				Items  []struct {
					ID          int64
					Kind        string
					Flagged     bool
					LateDemands int `json:"late_demands"`
				}
			}
		}
		json.Unmarshal(body, &out)
		if status != http.StatusOK || len(out.Items) != 1 || out.Items[0].UserID != uid || len(out.Items[0].Items) != links {
			t.Fatalf("leader01's view (%d links): %d %s", links, status, body)
		}
		items := out.Items[0].Items
		for i := 1; i < len(items); i++ {
			if items[i].Flagged && !items[i-1].Flagged {
				t.Errorf("a flagged item after one that is not: %+v", items)
			}
		}
		if ent != 0 && (items[0].ID != ent || items[0].LateDemands == 0) {
			t.Errorf("the late enterprise %d is not first: %+v", ent, items[0])
		}
		status, body = env.APIClient(t, "command").JSON("GET", "/api/v1/stats/leaders?date=2020-03-09", nil)
		var all struct{ Total int }
		json.Unmarshal(body, &all)
		var leaders int
		db.QueryRow(`SELECT COUNT(DISTINCT user_id) FROM leader_links WHERE to_date = ''`).Scan(&leaders)
		if status != http.StatusOK || all.Total != leaders {
			t.Errorf("the command sees %d leaders, rows say %d", all.Total, leaders)
		}
		page := env.Login(t, "leader01")
		if status, html := page.Page("/dashboard/leaders"); status != http.StatusOK || !strings.Contains(html, "包联") {
			t.Errorf("leader page: %d", status)
		}
	})
}

func uploadPower(t *testing.T, c *apptest.Client, name string, body []byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	res := c.Do("POST", "/power/upload?date=2020-03-09", mw.FormDataContentType(), &b, nil)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(page)
}

// The grid company's sheet, with December rows for the baseline: a bad row and nothing is
// written; a clean one is previewed, then imported whole, and the index counts it.
func TestPowerImportAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var id int64
		var code string
		db.QueryRow(`SELECT id, uscc FROM enterprises WHERE workshop = FALSE ORDER BY id LIMIT 1`).Scan(&id, &code)
		env.App.DB.W.Exec(`DELETE FROM power_uses WHERE enterprise_id = $1`, id)
		env.App.DB.W.Exec(`DELETE FROM power_baselines WHERE enterprise_id = $1`, id)
		var sb strings.Builder
		sb.WriteString("统一社会信用代码,日期,用电量(千瓦时)\n")
		for d := 1; d <= 31; d++ {
			fmt.Fprintf(&sb, "%s,2019-12-%02d,1000\n", code, d)
		}
		good := sb.String() + code + ",2020/3/9,250.5\n"
		bad := good + "91430821XXXXXXXXXX,2020-03-09,abc\n"
		page := env.Login(t, "command")
		status, html := uploadPower(t, page, "power.csv", []byte(bad))
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, "第 34 行") || !strings.Contains(html, "用电量(千瓦时)") {
			t.Fatalf("bad sheet: %d", status)
		}
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM power_uses WHERE enterprise_id = $1`, id).Scan(&n)
		if n != 0 {
			t.Fatalf("a bad sheet wrote %d rows", n)
		}
		status, html = uploadPower(t, page, "power.csv", []byte(good))
		m := regexpFind(html, `action="(/power/uploads/[0-9a-f]+/commit)"`)
		if status != http.StatusOK || m == "" {
			t.Fatalf("preview: %d", status)
		}
		if status, loc, _ := page.Form(m, nil); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/power") {
			t.Fatalf("commit: %d %s", status, loc)
		}
		db.QueryRow(`SELECT COUNT(*) FROM power_uses WHERE enterprise_id = $1`, id).Scan(&n)
		if n != 32 {
			t.Fatalf("%d rows imported, want 32", n)
		}
		// 250.5 kWh of a 1000 kWh December average is under 30 %: idle, though declared resumed.
		_, body := env.APIClient(t, "command").JSON("GET", "/api/v1/stats/power?date=2020-03-09", nil)
		var p struct {
			Idle []struct {
				EnterpriseID int64 `json:"enterprise_id"`
				Wh           int64
				BaselineWh   int64 `json:"baseline_wh"`
			}
		}
		json.Unmarshal(body, &p)
		found := false
		for _, i := range p.Idle {
			found = found || i.EnterpriseID == id && i.Wh == 250500 && i.BaselineWh == 1000000
		}
		if !found {
			t.Errorf("the imported enterprise is not listed idle: %s", body)
		}
	})
}

func regexpFind(s, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// With a TTL, everyone who sees the same figures shares one computation for that long:
// a demand raised meanwhile shows only when the figures are computed again. Each scope
// keeps its own figures.
func TestDashboardFiguresAreSharedForTheirTTL(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		day := env.Clock.Now().In(cst).Format(time.DateOnly)
		total := func() int {
			n := 0
			for _, f := range getDashboardStruct(t, env, day).DemandsByCategory {
				n += f.Total
			}
			return n
		}
		env.App.DB.DashboardTTL = time.Hour
		before := total()
		raise(t, c, enterpriseOf(t, env, "enterprise001"), "supplies", "口罩 共享看板", map[string]string{"item": "口罩"})
		if got := total(); got != before {
			t.Errorf("within the TTL the dashboard was computed again: %d demands, then %d", before, got)
		}
		computedAt := func() time.Time {
			status, b := c.JSON("GET", "/api/v1/stats/dashboard?date="+day, nil)
			var out struct {
				ComputedAt time.Time `json:"computed_at"`
			}
			if err := json.Unmarshal(b, &out); status != http.StatusOK || err != nil {
				t.Fatalf("dashboard: %d %v", status, err)
			}
			return out.ComputedAt
		}
		first := computedAt()
		env.Clock.Advance(time.Minute)
		if got := computedAt(); !got.Equal(first) {
			t.Errorf("the shared figures say they were computed at %v, then %v", first, got)
		}
		env.App.DB.DashboardTTL = 0
		if got := total(); got != before+1 {
			t.Errorf("computed afresh the dashboard counts %d demands, want %d", got, before+1)
		}
		if got := computedAt(); !got.Equal(first.Add(time.Minute)) {
			t.Errorf("computed afresh the figures say %v, want %v", got, first.Add(time.Minute))
		}
	})
}

func getDashboardStruct(t *testing.T, env *apptest.Env, day string) fugong.Dashboard {
	t.Helper()
	d, err := env.App.DB.Dashboard(t.Context(), fugong.Scope{Role: fugong.RoleCommand, County: demo.County}, day, day)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
