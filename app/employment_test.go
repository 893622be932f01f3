package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fugong"
	"fugong/app"
	"fugong/app/apptest"
	"fugong/demo"
	"fugong/xlsx"
)

// The seed's statistic on 9 March, computed here from the rows: 33 workshops, 14 resumed,
// nearly 200 back at work, 49 of them from poor households.
func TestWorkshopStatisticOnTheDemoCounty(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const day = "2020-03-09"
		var want struct{ Total, Resumed, Workers, Poor int }
		db := env.App.DB.R
		db.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN status = '已复工' AND resumed_on <> '' AND resumed_on <= $1 THEN 1 ELSE 0 END) FROM enterprises WHERE workshop = TRUE`, day).
			Scan(&want.Total, &want.Resumed)
		rows, err := db.Query(`SELECT e.id, w.day, w.workers, w.poor_workers FROM enterprises e JOIN workshop_days w ON w.enterprise_id = e.id
			WHERE e.workshop = TRUE AND e.status = '已复工' AND e.resumed_on <= $1 AND w.day <= $1`, day)
		if err != nil {
			t.Fatal(err)
		}
		latest := map[int64]struct {
			day        string
			work, poor int
		}{}
		for rows.Next() {
			var id int64
			var d string
			var w, p int
			rows.Scan(&id, &d, &w, &p)
			if d > latest[id].day {
				latest[id] = struct {
					day        string
					work, poor int
				}{d, w, p}
			}
		}
		rows.Close()
		for _, l := range latest {
			want.Workers += l.work
			want.Poor += l.poor
		}
		c := env.APIClient(t, "command")
		status, body := c.JSON("GET", "/api/v1/stats/workshops?date="+day, nil)
		if status != http.StatusOK {
			t.Fatalf("stats: %d %s", status, body)
		}
		var got struct {
			Date                    string
			Total, Resumed, Workers int
			PoorWorkers             int `json:"poor_workers"`
		}
		json.Unmarshal(body, &got)
		if got.Total != want.Total || got.Resumed != want.Resumed || got.Workers != want.Workers || got.PoorWorkers != want.Poor {
			t.Errorf("API says %+v; the rows say %+v", got, want)
		}
		// The seed: 33 / 14 / "近200" / 49.
		if want.Total != 33 || want.Resumed != 14 || want.Workers < 190 || want.Workers > 200 || want.Poor != 49 {
			t.Errorf("the demo county does not read as the seed: %+v", want)
		}
		// A day before any workshop resumed counts none back at work.
		_, body = c.JSON("GET", "/api/v1/stats/workshops?date=2020-02-01", nil)
		json.Unmarshal(body, &got)
		if got.Resumed != 0 || got.Workers != 0 {
			t.Errorf("on 1 February: %+v", got)
		}
		if status, _ := c.JSON("GET", "/api/v1/stats/workshops?date=9.3.2020", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("a bad date: %d, want 422", status)
		}
		_, doc := c.JSON("GET", "/api/v1/openapi.json", nil)
		for _, path := range []string{"/api/v1/stats/workshops", "/api/v1/job-postings", "/api/v1/job-seekers", "/api/v1/referrals", "/api/v1/broadcasts"} {
			if !strings.Contains(string(doc), `"`+path+`"`) {
				t.Errorf("the OpenAPI document lacks %s", path)
			}
		}
		// The board says it in the seed's own words, to a village cadre on a phone too.
		_, page := env.Login(t, "village001").Page("/workshops")
		about := map[bool]string{true: "近" + strconv.Itoa((want.Workers+9)/10*10) + "人", false: strconv.Itoa(want.Workers/10*10) + "多人"}[want.Workers%10 >= 5]
		if want.Workers%10 == 0 {
			about = strconv.Itoa(want.Workers) + "人"
		}
		headline := "全县" + strconv.Itoa(want.Total) + "家就业扶贫车间已有" + strconv.Itoa(want.Resumed) + "家复工复产，" + about +
			"返岗，其中" + strconv.Itoa(want.Poor) + "人为贫困劳动力"
		if !strings.Contains(page, headline) {
			t.Errorf("the workshop board lacks %q", headline)
		}
		// A workshop's account is shown its own daily form, not every workshop's.
		var owner string
		var own int64
		env.App.DB.R.QueryRow(`SELECT u.username, e.id FROM users u JOIN enterprises e ON e.id = u.enterprise_id WHERE e.workshop ORDER BY e.id LIMIT 1`).Scan(&owner, &own)
		if _, page := env.Login(t, owner).Page("/workshops"); strings.Count(page, `/days"`) != 1 || !strings.Contains(page, "/workshops/"+strconv.FormatInt(own, 10)+"/days") {
			t.Errorf("%s is shown %d workshop forms, want its own only", owner, strings.Count(page, `/days"`))
		}
	})
}

var ldRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// The public board needs no login and each posting carries schema.org JobPosting data
// with the properties search engines require, and a QR code.
func TestJobBoardCarriesJobPostingData(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		a := env.Anonymous(t)
		status, board := a.Page("/jobs")
		if status != http.StatusOK {
			t.Fatalf("/jobs: %d", status)
		}
		var open int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM job_postings WHERE closed = FALSE AND posted_on <= '2020-03-09' AND valid_until >= '2020-03-09'`).Scan(&open)
		ids := regexp.MustCompile(`href="/jobs/(\d+)"`).FindAllStringSubmatch(board, -1)
		if open == 0 || len(ids) != min(open, 50) {
			t.Fatalf("the board lists %d postings; %d are open", len(ids), open)
		}
		status, page := a.Page("/jobs/" + ids[0][1])
		if status != http.StatusOK {
			t.Fatalf("posting page: %d", status)
		}
		m := ldRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no JSON-LD block")
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		checkJobPostingLD(t, ld)
		if ld["@type"] != "JobPosting" || ld["@context"] != "https://schema.org/" {
			t.Errorf("type %v context %v", ld["@type"], ld["@context"])
		}
		for _, k := range []string{"title", "description", "datePosted", "hiringOrganization", "jobLocation", "validThrough", "baseSalary"} {
			if v, ok := ld[k]; !ok || v == "" || v == nil {
				t.Errorf("JobPosting lacks %s", k)
			}
		}
		org, _ := ld["hiringOrganization"].(map[string]any)
		loc, _ := ld["jobLocation"].(map[string]any)
		addr, _ := loc["address"].(map[string]any)
		sal, _ := ld["baseSalary"].(map[string]any)
		val, _ := sal["value"].(map[string]any)
		if org["name"] == "" || addr["addressCountry"] != "CN" || sal["currency"] != "CNY" || val["unitText"] != "MONTH" || val["minValue"] == nil {
			t.Errorf("nested properties: org %v address %v salary %v", org, addr, sal)
		}
		if v, _ := ld["validThrough"].(string); !strings.HasSuffix(v, "+08:00") {
			t.Errorf("validThrough %q is not RFC 3339 with the county's offset", v)
		}
		res := a.Do("GET", "/jobs/"+ids[0][1]+"/qr.png", "", nil, nil)
		png, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("QR code: %s, %d bytes", res.Header.Get("Content-Type"), len(png))
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("public pages must carry the CSP too")
		}
		_, bulletin := a.Page("/jobs/bulletin")
		if !strings.Contains(bulletin, "《慈利县企业招聘信息》") || strings.Count(bulletin, "<tr>") != open+1 {
			t.Errorf("the bulletin lacks its title or lists %d rows for %d open postings", strings.Count(bulletin, "<tr>")-1, open)
		}
		if status, _ := a.Page("/jobs/999999"); status != http.StatusNotFound {
			t.Errorf("a missing posting: %d", status)
		}
	})
}

// smsGateway stands in for the SMS provider on 127.0.0.1 and keeps what it receives.
type smsGateway struct {
	mu   sync.Mutex
	msgs []struct{ Phone, Text string }
	fail map[string]bool
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct{ Phone, Text string }
	json.NewDecoder(r.Body).Decode(&m)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fail[m.Phone] {
		http.Error(w, "rejected", http.StatusBadRequest)
		return
	}
	g.msgs = append(g.msgs, m)
	w.Write([]byte(`{"ok":true}`))
}

func TestBroadcastIsDeliveredToTheVillagesPhones(t *testing.T) {
	t.Parallel()
	// The dialects run at once, each with its own gateway (Configure runs in each run).
	var gws sync.Map // data folder → its run's gateway
	apptest.Each(t, apptest.Options{Configure: func(c *app.Config) {
		gw := &smsGateway{fail: map[string]bool{}}
		srv := httptest.NewServer(gw)
		t.Cleanup(srv.Close)
		gws.Store(c.Data, gw)
		c.Notify.SMSURL = srv.URL
	}}, func(t *testing.T, env *apptest.Env) {
		v, _ := gws.Load(env.App.Config.Data)
		gw := v.(*smsGateway)
		db := env.App.DB
		var village string
		db.R.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&village)
		phones := map[string]bool{}
		// Seekers who have a job (王兵, on duty since 23 February) get no more job news.
		// The villagers on the village's contact list get it too.
		rows, _ := db.R.Query(`SELECT phone_sealed FROM job_seekers WHERE village = $1
			AND id NOT IN (SELECT seeker_id FROM referrals WHERE state IN ('hired', 'on_duty'))
			UNION ALL SELECT phone_sealed FROM villagers WHERE village = $1`, village)
		for rows.Next() {
			var s string
			rows.Scan(&s)
			p, err := env.App.Keys.Open(s)
			if err != nil {
				t.Fatal(err)
			}
			phones[p] = true
		}
		rows.Close()
		if len(phones) < 2 {
			t.Fatalf("大兴村 has %d seekers; the demo should register several", len(phones))
		}
		var failing string
		for p := range phones {
			failing = p
			break
		}
		gw.mu.Lock()
		gw.fail = map[string]bool{failing: true}
		gw.mu.Unlock()
		text := "县工业集中区企业招工：普工月薪4000-5000元，离家近，包吃住。有意者请联系村干部登记，或查看《慈利县企业招聘信息》。"
		// What a phone receives: the county's signature, the text, how to opt out.
		received := demo.DemoSMSSignature + text + " " + fugong.OptOutNotice
		c := env.APIClient(t, "village001")
		status, body := c.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": text, "villages": []string{village}})
		if status != http.StatusCreated {
			t.Fatalf("broadcast: %d %s", status, body)
		}
		var b struct {
			ID       int64
			Encoding string
			Parts    int
			Counts   []struct {
				Village                             string
				Recipients, Sent, Delivered, Failed int
			}
		}
		json.Unmarshal(body, &b)
		if info := fugong.SplitSMS(received); b.Encoding != "UCS-2" || b.Parts != info.Parts {
			t.Errorf("the broadcast says %s in %d parts; SplitSMS says %s in %d", b.Encoding, b.Parts, info.Encoding, info.Parts)
		}
		// The outbox holds no phone in clear.
		var clear int
		for p := range phones {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE recipient LIKE $1`, "%"+p+"%").Scan(&n)
			clear += n
		}
		if clear != 0 {
			t.Errorf("%d outbox rows hold a phone in clear", clear)
		}
		// Retries of the failing phone run out as the clock moves on.
		for i := 0; i < 10; i++ {
			if _, err := env.App.Notify.RunDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			env.Clock.Advance(time60m)
		}
		gw.mu.Lock()
		got := map[string]bool{}
		for _, m := range gw.msgs {
			got[m.Phone] = true
			if m.Text != received {
				t.Errorf("the gateway got %q, want %q", m.Text, received)
			}
		}
		gw.mu.Unlock()
		for p := range phones {
			if p != failing && !got[p] {
				t.Errorf("%s got no message", p)
			}
		}
		if got["13574410001"] {
			t.Errorf("王兵, placed at 联兴 since 23 February, still got the job SMS")
		}
		_, body = c.JSON("GET", "/api/v1/broadcasts/"+strconv.FormatInt(b.ID, 10), nil)
		json.Unmarshal(body, &b)
		if len(b.Counts) != 1 {
			t.Fatalf("counts %+v", b.Counts)
		}
		k := b.Counts[0]
		if k.Village != village || k.Recipients != len(phones) || k.Sent != len(phones) || k.Delivered != len(phones)-1 || k.Failed != 1 {
			t.Errorf("tally %+v; want %d phones, %d sent, %d delivered, 1 failed", k, len(phones), len(phones), len(phones)-1)
		}
		// A village cadre texts only their village; the organisation department any.
		var other string
		db.R.QueryRow(`SELECT region FROM users WHERE username = 'village002'`).Scan(&other)
		if status, _ := c.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "招工", "villages": []string{other}}); status != http.StatusUnprocessableEntity {
			t.Errorf("a cadre texting another village: %d, want 422", status)
		}
		org := env.APIClient(t, "dept11") // 县委组织部
		if status, body := org.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "招工信息", "villages": []string{village, other}}); status != http.StatusCreated {
			t.Errorf("the organisation department: %d %s", status, body)
		}
		if status, _ := env.APIClient(t, "dept01").JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "招工信息", "villages": []string{village}}); status != http.StatusForbidden {
			t.Errorf("another department: %d, want 403", status)
		}
	})
}

// A village cadre registers a seeker, phone first; the ID number and phone show masked in
// pages, the API and the export, an unmasked view is audited, and the database holds
// neither in clear.
func TestSeekerPersonalDataIsMaskedAndSealed(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const phone = "13900001111"
		id := "43082119950315441" + string(fugong.IDNumberCheckChar("43082119950315441"))
		wrong := id[:17] + map[bool]string{true: "1", false: "2"}[id[17] != '1']
		c := env.Login(t, "village001")
		c.Page("/job-seekers/new")
		status, loc, body := c.Form("/job-seekers", url.Values{"phone": {phone}, "name": {"李四"}, "id_number": {wrong}, "skills": {"电工"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "身份证号校验位不正确") {
			t.Fatalf("a wrong check character: %d; the page must say so", status)
		}
		status, loc, _ = c.Form("/job-seekers", url.Values{"phone": {phone}, "name": {"李四"}, "id_number": {id}, "skills": {"电工"}, "poor": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("register: %d", status)
		}
		_, page := c.Page(loc)
		if strings.Contains(page, phone) || strings.Contains(page, id) || !strings.Contains(page, "139****1111") || !strings.Contains(page, "430821********441"+id[17:]) {
			t.Errorf("the seeker page must show the masked numbers only")
		}
		seekerID := strings.TrimPrefix(loc, "/job-seekers/")
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask' AND entity = 'job_seekers' AND entity_id = $1`, seekerID).Scan(&before)
		_, page = c.Page(loc + "?unmask=1")
		var after int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'unmask' AND entity = 'job_seekers' AND entity_id = $1`, seekerID).Scan(&after)
		if !strings.Contains(page, phone) || after != before+1 {
			t.Errorf("unmask: shows the phone %v, audit lines %d → %d", strings.Contains(page, phone), before, after)
		}
		api := env.APIClient(t, "village001")
		_, jb := api.JSON("GET", "/api/v1/job-seekers?q=李四", nil)
		if strings.Contains(string(jb), phone) || !strings.Contains(string(jb), "139****1111") {
			t.Errorf("the API list must be masked: %s", jb)
		}
		_, jb = api.JSON("GET", "/api/v1/job-seekers/"+seekerID+"?unmask=true", nil)
		if !strings.Contains(string(jb), id) {
			t.Errorf("unmask=true for a village cadre should show the ID number")
		}
		if status, _ := env.APIClient(t, "dept01").JSON("GET", "/api/v1/job-seekers/"+seekerID+"?unmask=true", nil); status != http.StatusForbidden {
			t.Errorf("a department may not unmask: %d", status)
		}
		res := c.Do("GET", "/job-seekers/export.xlsx", "", nil, nil)
		sheet, err := xlsx.ReadXLSX(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range sheet.Rows {
			if r.Get("姓名") == "李四" {
				found = r.Get("手机号") == "139****1111" && r.Get("身份证号") == "430821********441"+id[17:]
			}
			if strings.Contains(r.Get("手机号")+r.Get("身份证号"), "0001111") {
				t.Errorf("the export holds a clear number")
			}
		}
		if !found {
			t.Errorf("the export lacks the masked seeker")
		}
		// Another village's cadre cannot see the seeker.
		if status, _ := env.Login(t, "village002").Page(loc); status != http.StatusNotFound {
			t.Errorf("another village: %d, want 404", status)
		}
		// Nothing in the database in clear: the audit log, the seekers, everything.
		var n int
		for _, tbl := range []string{"job_seekers", "audit_log", "notifications"} {
			var cols []string
			switch tbl {
			case "job_seekers":
				cols = []string{"name", "id_number_sealed", "id_number_masked", "phone_sealed", "phone_masked", "skills"}
			case "audit_log":
				cols = []string{"before_json", "after_json"}
			default:
				cols = []string{"recipient", "body"}
			}
			for _, col := range cols {
				var k int
				env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM `+tbl+` WHERE `+col+` LIKE $1 OR `+col+` LIKE $2`, "%"+phone+"%", "%"+id+"%").Scan(&k)
				n += k
			}
		}
		if n != 0 {
			t.Errorf("%d rows hold the phone or ID number in clear", n)
		}
		if env.Dialect == "sqlite" {
			env.App.DB.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			for _, f := range []string{env.App.DB.Path, env.App.DB.Path + "-wal"} {
				b, _ := os.ReadFile(f)
				if bytes.Contains(b, []byte(phone)) || bytes.Contains(b, []byte(id)) {
					t.Errorf("%s holds the phone or ID number in clear", f)
				}
			}
		}
	})
}

// A referral goes referred → interviewed → hired → on duty, each step dated, recorded by
// the matchmaker's side and the employer's; a skipped step is refused.
func TestReferralOverTheAPI(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		v := env.APIClient(t, "village001")
		_, body := v.JSON("GET", "/api/v1/job-seekers?limit=100", nil)
		var seekers struct {
			Items []struct {
				ID   int64
				Name string
			}
		}
		json.Unmarshal(body, &seekers)
		var wang int64
		var other int64
		for _, s := range seekers.Items {
			if s.Name == "王兵" {
				wang = s.ID
			} else if other == 0 {
				other = s.ID
			}
		}
		if wang == 0 {
			t.Fatal("王兵 is not registered in 大兴村")
		}
		_, body = v.JSON("GET", "/api/v1/referrals?seeker_id="+strconv.FormatInt(wang, 10), nil)
		if !strings.Contains(string(body), `"state":"on_duty"`) {
			t.Errorf("王兵 should be placed (on duty): %s", body)
		}
		// The best-fitting posting for another seeker, then the whole way.
		status, body := v.JSON("GET", "/api/v1/job-seekers/"+strconv.FormatInt(other, 10)+"/matches", nil)
		var ms struct {
			Items []struct {
				Score   int
				Reasons []string
				Posting struct{ ID, EnterpriseID int64 } `json:"posting"`
			}
		}
		json.Unmarshal(body, &ms)
		if status != http.StatusOK || len(ms.Items) == 0 || len(ms.Items[0].Reasons) == 0 {
			t.Fatalf("matches: %d %s", status, body)
		}
		for i := 1; i < len(ms.Items); i++ {
			if ms.Items[i].Score > ms.Items[i-1].Score {
				t.Fatalf("matches not ranked by fit")
			}
		}
		var pick int64
		for _, m := range ms.Items {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM referrals WHERE seeker_id = $1 AND posting_id = $2`, other, m.Posting.ID).Scan(&n)
			if n == 0 {
				pick = m.Posting.ID
				break
			}
		}
		status, body = v.JSON("POST", "/api/v1/referrals", map[string]any{"seeker_id": other, "posting_id": pick})
		if status != http.StatusCreated {
			t.Fatalf("refer: %d %s", status, body)
		}
		var r struct {
			ID, Version int64
			State       string
		}
		json.Unmarshal(body, &r)
		if status, _ := v.JSON("POST", "/api/v1/referrals", map[string]any{"seeker_id": other, "posting_id": pick}); status != http.StatusConflict {
			t.Errorf("a second referral of the same pair: %d, want 409", status)
		}
		// The enterprise is told, in its notification centre.
		var told int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id JOIN job_postings p ON p.enterprise_id = u.enterprise_id
			WHERE p.id = $1 AND n.channel = 'inapp' AND n.subject = 'referral.n.new' AND n.entity_id = $2`, pick, strconv.FormatInt(r.ID, 10)).Scan(&told)
		if told == 0 {
			t.Errorf("the enterprise was not told of the referral")
		}
		path := "/api/v1/referrals/" + strconv.FormatInt(r.ID, 10) + "/advance"
		if status, _ := v.JSON("POST", path, map[string]any{"state": "hired"}); status != http.StatusUnprocessableEntity {
			t.Errorf("skipping the interview: %d, want 422", status)
		}
		for _, st := range []string{"interviewed", "hired", "on_duty"} {
			status, body := v.JSON("POST", path, map[string]any{"state": st, "day": "2020-03-09"})
			if status != http.StatusOK || !strings.Contains(string(body), `"state":"`+st+`"`) {
				t.Fatalf("advance to %s: %d %s", st, status, body)
			}
		}
		if status, _ := env.APIClient(t, "village002").JSON("POST", path, map[string]any{"state": "declined"}); status != http.StatusNotFound {
			t.Errorf("another village's cadre: %d, want 404", status)
		}
		// The statistics count the placement.
		_, body = env.APIClient(t, "command").JSON("GET", "/api/v1/stats/employment", nil)
		var st struct {
			Registered, Referred, Placed int
			PlacedPoor                   int `json:"placed_poor"`
		}
		json.Unmarshal(body, &st)
		var placed, poor int
		env.App.DB.R.QueryRow(`SELECT COUNT(DISTINCT r.seeker_id), COUNT(DISTINCT CASE WHEN s.poor THEN r.seeker_id END) FROM referrals r JOIN job_seekers s ON s.id = r.seeker_id WHERE r.state = 'on_duty'`).Scan(&placed, &poor)
		if st.Placed != placed || st.PlacedPoor != poor || placed < 2 {
			t.Errorf("stats %+v; the rows say %d placed, %d poor", st, placed, poor)
		}
	})
}

// An import is previewed, then registers every row or none; a bad row is named by its
// line and column.
func TestSeekerImportAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "village001")
		c.Page("/job-seekers/import")
		var before int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM job_seekers`).Scan(&before)
		head := []string{"姓名", "身份证号", "手机号", "性别", "技能", "建档立卡贫困户"}
		good := [][]any{{"赵一", "43082119900101123" + string(fugong.IDNumberCheckChar("43082119900101123")), "13900002001", "男", "普工", "是"},
			{"钱二", "", "13900002002", "女", "缝纫", "否"}}
		bad := append(append([][]any{}, good...), []any{"孙三", "430821199001011239", "13900002003", "男", "", ""})
		upload := func(rows [][]any) (int, string) {
			b, err := xlsx.Build("求职登记", head, rows)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			w := multipartForm(&buf, c.CSRF, b)
			res := c.Do("POST", "/job-seekers/import", w, &buf, nil)
			out, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(out)
		}
		status, page := upload(bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 4 行 · 身份证号") {
			t.Errorf("a bad row: %d; the page must name 第 4 行 · 身份证号", status)
		}
		status, page = upload(good)
		if status != http.StatusOK || !strings.Contains(page, "import-preview") || strings.Contains(page, "13900002001") {
			t.Fatalf("preview: %d, masked %v", status, !strings.Contains(page, "13900002001"))
		}
		m := regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
		if m == nil || strings.Contains(page, "payload") {
			t.Fatal("no confirm form with the staged upload's token")
		}
		var mid int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM job_seekers`).Scan(&mid)
		if mid != before {
			t.Errorf("the preview wrote %d seekers", mid-before)
		}
		token := m[1]
		status, _, _ = c.Form("/job-seekers/import", url.Values{"token": {token}})
		var after int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM job_seekers`).Scan(&after)
		if status != http.StatusSeeOther || after != before+2 {
			t.Errorf("confirm: %d, %d new seekers, want 2", status, after-before)
		}
		// The token is spent once the rows are registered.
		if status, _, _ := c.Form("/job-seekers/import", url.Values{"token": {token}}); status != http.StatusNotFound {
			t.Errorf("a spent token: %d, want 404", status)
		}
		// The same file again: every row a duplicate, and none written.
		status, page = upload(good)
		m = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
		if status != http.StatusOK || m == nil {
			t.Fatalf("preview again: %d", status)
		}
		status, _, body := c.Form("/job-seekers/import", url.Values{"token": {m[1]}})
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM job_seekers`).Scan(&after)
		if status != http.StatusUnprocessableEntity || after != before+2 || !strings.Contains(body, "该手机号已登记") {
			t.Errorf("a repeated import: %d, %d seekers written", status, after-before-2)
		}
	})
}

// An enterprise posts a job over the API; it goes on the public board at once, its own
// scope keeps other enterprises out, and a bad wage range is named.
func TestEnterprisePostsAJob(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		e := env.APIClient(t, "enterprise003")
		var township string
		env.App.DB.R.QueryRow(`SELECT e.township FROM enterprises e JOIN users u ON u.enterprise_id = e.id WHERE u.username = 'enterprise003'`).Scan(&township)
		req := map[string]any{"title": "装配工", "openings": 12, "wage_min_yuan": 4200, "wage_max_yuan": 3800, "township": township,
			"address": "慈利县工业集中区", "skills": []string{"装配"}, "near_home": true, "meals": true, "valid_until": "2020-04-15"}
		status, body := e.JSON("POST", "/api/v1/job-postings", req)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"wage_max"`) {
			t.Fatalf("a wage range upside down: %d %s", status, body)
		}
		req["wage_max_yuan"] = 5200
		status, body = e.JSON("POST", "/api/v1/job-postings", req, "Idempotency-Key", "post-1")
		if status != http.StatusCreated {
			t.Fatalf("post: %d %s", status, body)
		}
		var p struct {
			ID        int64
			PostedOn  string `json:"posted_on"`
			WageMax   int    `json:"wage_max_yuan"`
			Enterpris string `json:"enterprise_name"`
		}
		json.Unmarshal(body, &p)
		if p.PostedOn != "2020-03-09" || p.WageMax != 5200 {
			t.Errorf("posted %+v", p)
		}
		if status, again := e.JSON("POST", "/api/v1/job-postings", req, "Idempotency-Key", "post-1"); status != http.StatusCreated || string(again) != string(body) {
			t.Errorf("a retry with the same key must answer the first posting: %d", status)
		}
		id := strconv.FormatInt(p.ID, 10)
		if _, board := env.Anonymous(t).Page("/jobs"); !strings.Contains(board, `href="/jobs/`+id+`"`) {
			t.Errorf("the new posting is not on the public board")
		}
		if status, _ := env.APIClient(t, "enterprise004").JSON("GET", "/api/v1/job-postings/"+id, nil); status != http.StatusNotFound {
			t.Errorf("another enterprise reads the posting: %d, want 404", status)
		}
		// A village cadre, a matchmaker, finds it among their seekers' matches and may refer.
		var seeker string
		env.App.DB.R.QueryRow(`SELECT CAST(MIN(s.id) AS TEXT) FROM job_seekers s JOIN users u ON u.region = s.village WHERE u.username = 'village001'`).Scan(&seeker)
		if _, m := env.APIClient(t, "village001").JSON("GET", "/api/v1/job-seekers/"+seeker+"/matches", nil); !strings.Contains(string(m), `"id":`+id+`,`) {
			t.Errorf("the new posting is not among the matches of a seeker of 大兴村")
		}
		if status, _ := env.APIClient(t, "village001").JSON("POST", "/api/v1/job-postings", req); status != http.StatusForbidden {
			t.Errorf("a village cadre posting a job: %d, want 403", status)
		}
		// Closing it takes it off the board.
		c := env.Login(t, "enterprise003")
		c.Page("/job-postings/" + id)
		if status, _, _ := c.Form("/job-postings/"+id+"/close", url.Values{"version": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("close: %d", status)
		}
		if status, _ := env.Anonymous(t).Page("/jobs/" + id); status != http.StatusNotFound {
			t.Errorf("a closed posting on the public board: %d, want 404", status)
		}
	})
}
