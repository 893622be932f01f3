package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/app/apptest"
	"fugong/regions"
	"fugong/store/storetest"

	"github.com/chromedp/chromedp"
)

// robot is a WeCom group robot on 127.0.0.1: it keeps every text it is sent.
type robot struct {
	mu    sync.Mutex
	texts []string
}

func (rb *robot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Text struct{ Content string }
	}
	b, _ := io.ReadAll(r.Body)
	json.Unmarshal(b, &m)
	rb.mu.Lock()
	rb.texts = append(rb.texts, m.Text.Content)
	rb.mu.Unlock()
	io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
}

func (rb *robot) got() []string {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return append([]string(nil), rb.texts...)
}

// effort counts what a person does in the browser: the pages they work on, the fields
// they type or choose, the files they pick and the buttons they press.
type effort struct {
	pages                 []string
	fields, files, clicks int
	log                   func(page string) // notes when each page is begun
}

func (e *effort) page(p string) {
	if e.log != nil {
		e.log(p)
	}
	for _, q := range e.pages {
		if q == p {
			return
		}
	}
	e.pages = append(e.pages, p)
}

// The done-test: the county IT officer takes an empty install, on the evening the
// notice arrives, to a working county — 10 townships, 9 org units, 180 people, 311
// enterprises, liaison and leader links and a group robot — with nothing but the pages and
// the office's own sheets (org units in an Excel 2007 workbook, enterprises and links as
// .xlsx saved by LibreOffice, staff and villages as GBK CSV; see testdata/county/make.sh). Then a liaison on a 375 px phone logs in with the hand-out
// password, must change it, sees their enterprises and raises a demand, and the
// command's robot on 127.0.0.1 gets it. The wall time and the person's effort are logged
// (figures for the note, not assertions).
func TestACountyIsSetUpInOneEveningFromAnEmptyInstall(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel() // each database's evening on its own server and browser, at once
			setUpCounty(t, d)
		})
	}
}

func setUpCounty(t *testing.T, dialect string) {
	start := time.Now()
	sheet := func(name string) string {
		p, err := filepath.Abs(filepath.Join("testdata", "county", name))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := apptest.New(t, dialect, apptest.Options{NoDemo: true})
	// The first admin, as the README says: `fugong user add --role admin --county 431024 …`.
	env.AddUser(t, fugong.User{Username: "it-admin", DisplayName: "县信息中心", Role: fugong.RoleAdmin, County: "431024"})
	rb := &robot{}
	robotSrv := httptest.NewServer(rb)
	defer robotSrv.Close()
	db := env.App.DB.R
	var e effort
	e.log = func(p string) { t.Logf("%6.1f s: %s", time.Since(start).Seconds(), p) }

	ctx := BrowserFor(t, 10*time.Minute) // a long evening's work on a shared machine
	Do(t, ctx, chromedp.EmulateViewport(1440, 900))
	e.page("/login")
	e.fields += 2
	e.clicks++
	Login(t, ctx, env.URL, "it-admin", apptest.Password)

	// The county from the shipped list, its townships with it.
	e.page("/setup")
	e.fields++
	e.clicks++
	// The home of an empty county leads there: its steps left, and the button.
	steps := Eval[int](t, ctx, `document.querySelectorAll('#home-setup li').length`)
	Screenshot(t, ctx, "setup-empty-home-1440")
	if steps != 9 {
		t.Errorf("the empty county's home lists %d set-up steps to do, want 9", steps)
	}
	submit(t, ctx, `#home-setup a.button.primary[href="/setup"]`, `#county-form`)
	Do(t, ctx, chromedp.SetValue(chromedp.CSS(`#county-form select[name=county]`), "431024"))
	submit(t, ctx, `#county-form button[type=submit]`, `#county-loaded`)
	if s := Text(t, ctx, "#county-loaded"); !strings.Contains(s, "嘉禾县（431024）：10 个乡镇") {
		t.Fatalf("after loading the county the page says %q", s)
	}

	count := func(q string, args ...any) (n int) {
		t.Helper()
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The county step loaded its villages (the bureau's 2023 list); the office's own list,
	// from the regions page's CSV import (its template's layout, saved as GBK), renames
	// some and adds others.
	shipped, err := regions.Villages("431024")
	if err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT COUNT(*) FROM regions WHERE region_code = '431024' AND level = 'village'`); n != len(shipped) || n == 0 {
		t.Fatalf("the county step loaded %d villages, want the shipped %d", n, len(shipped))
	}
	villageCodes := map[string]bool{}
	for _, v := range shipped {
		villageCodes[v.Code] = true
	}
	own, err := os.ReadFile(sheet("villages-gbk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(own), "\n")[1:] {
		if code, _, ok := strings.Cut(line, ","); ok {
			villageCodes[code] = true
		}
	}
	e.page("/regions")
	e.files++
	e.clicks++
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/regions#import"),
		chromedp.WaitVisible(chromedp.CSS(`#regions-template`)),
		chromedp.SetUploadFiles(chromedp.CSS(`form[action="/regions/import"] input[type=file]`), []string{sheet("villages-gbk.csv")}),
	)
	Eval[bool](t, ctx, `(document.body.dataset.before = '1') === '1'`)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/regions/import"] button[type=submit]`)))
	waitJS(t, ctx, `!document.body.dataset.before && document.readyState === 'complete'`, "the villages' import answered")
	if p := Eval[string](t, ctx, `location.pathname`); p != "/regions" {
		t.Fatalf("the villages were refused: %s", Text(t, ctx, "main"))
	}
	Screenshot(t, ctx, "setup-regions-1440")

	// importSheet uploads a sheet on one of the set-up import pages, checks its preview
	// and commits it.
	importSheet := func(kind, file, done string, previewHas ...string) {
		t.Helper()
		e.page("/setup/import/" + kind)
		e.files++
		e.clicks += 2
		Do(t, ctx,
			chromedp.Navigate(env.URL+"/setup/import/"+kind),
			chromedp.WaitVisible(chromedp.CSS(`#import-form`)),
			chromedp.SetUploadFiles(chromedp.CSS(`#import-form input[type=file]`), []string{sheet(file)}),
		)
		submit(t, ctx, `#import-form button[type=submit]`, `#import-commit, #import-errors, main > div.alert[role=alert]`)
		if Eval[bool](t, ctx, `!!document.querySelector('#import-errors, main > div.alert[role=alert]')`) {
			t.Fatalf("%s: the sheet %s was refused: %s", kind, file, Text(t, ctx, "main"))
		}
		preview := Text(t, ctx, "#import-preview")
		for _, s := range previewHas {
			if !strings.Contains(preview, s) {
				t.Errorf("%s: the preview does not show %q", kind, s)
			}
		}
		Screenshot(t, ctx, "setup-"+kind+"-preview-1440")
		submit(t, ctx, `#import-commit button`, done+`, #import-errors, main > div.alert[role=alert]`)
		if Eval[bool](t, ctx, `!!document.querySelector('#import-errors, main > div.alert[role=alert]')`) {
			t.Fatalf("%s: the commit was refused: %s", kind, Text(t, ctx, "main"))
		}
	}
	importSheet("org-units", "org-units-excel2007.xlsx", `#orgunits`, "县卫生健康局", "窗口服务、景区景点", "珠泉镇人民政府")
	importSheet("people", "people-gbk.csv", `#handout`, "陈小斌", "驻企联络员", "普满乡/杨家村", "序号")
	handout := Eval[int](t, ctx, `document.querySelectorAll('#handout tbody tr td.password').length`)
	var username, initial string
	row := Eval[[]string](t, ctx, `(() => { const tr = [...document.querySelectorAll('#handout tbody tr')].find(tr => tr.cells[0].textContent.trim() === '陈小斌');
		return tr ? [tr.cells[4].textContent.trim(), tr.cells[5].textContent.trim()] : []; })()`)
	if len(row) == 2 {
		username, initial = row[0], row[1]
	}
	Screenshot(t, ctx, "setup-handout-1440")
	if handout != 180 || username == "" || initial == "" {
		t.Fatalf("the hand-out list has %d accounts and for 陈小斌 %q, want 180 and the liaison's username and password", handout, row)
	}

	// The enterprise registry and the links on the ledgers page.
	ledger := func(kind, file string) {
		t.Helper()
		e.page("/ledgers")
		e.files++
		e.clicks += 2
		form := `form[action="/ledgers/` + kind + `/upload"]`
		Do(t, ctx,
			chromedp.Navigate(env.URL+"/ledgers"),
			chromedp.WaitVisible(chromedp.CSS(form)),
			chromedp.SetUploadFiles(chromedp.CSS(form+` input[type=file]`), []string{sheet(file)}),
		)
		submit(t, ctx, form+` button[type=submit]`, `#ledger-preview, main > div.alert[role=alert]`)
		if Eval[bool](t, ctx, `!!document.querySelector('main > div.alert[role=alert]')`) {
			t.Fatalf("%s: the sheet %s was refused: %.2000s", kind, file, Text(t, ctx, "main > div.alert[role=alert]"))
		}
		submit(t, ctx, `#ledger-preview button[type=submit]`, `main h1`)
		if Eval[bool](t, ctx, `!!document.querySelector('main > div.alert[role=alert]')`) {
			t.Fatalf("%s: the commit was refused: %.2000s", kind, Text(t, ctx, "main > div.alert[role=alert]"))
		}
	}
	ledger("enterprises", "enterprises-libreoffice.xlsx")
	ledger("links", "links-libreoffice.xlsx")

	// The enterprises' accounts, from the registry in one press: all 311 are ticked.
	e.page("/users/enterprise-accounts")
	e.clicks++
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/users/enterprise-accounts"),
		chromedp.WaitVisible(chromedp.CSS(`#enterprise-accounts`)),
	)
	ticked := Eval[int](t, ctx, `document.querySelectorAll('#enterprise-accounts input[name=enterprise]:checked').length`)
	submit(t, ctx, `#enterprise-accounts button[type=submit]`, `#handout, #enterprise-accounts-errors, main > div.alert[role=alert]`)
	if n := Eval[int](t, ctx, `document.querySelectorAll('#handout tbody tr td.password').length`); ticked != 311 || n != 311 {
		t.Fatalf("%d enterprises ticked and %d on the enterprises' hand-out list, want 311", ticked, n)
	}

	// The command's WeCom group robot (the form's default kind, with every event ticked),
	// and its test button.
	e.page("/channels/new")
	e.fields += 3
	e.clicks++
	Do(t, ctx,
		chromedp.Navigate(env.URL+"/channels/new"),
		chromedp.WaitVisible(chromedp.CSS(`#channel-form`)),
		chromedp.SendKeys(chromedp.CSS(`#channel-form input[name=name]`), "指挥部企业微信群"),
	)
	command := Eval[string](t, ctx, `[...document.querySelectorAll('#channel-form select[name=org_unit_id] option')].find(o => o.textContent.includes('指挥部')).value`)
	Do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#channel-form select[name=org_unit_id]`), command),
		chromedp.SendKeys(chromedp.CSS(`#channel-form input[name=webhook]`), robotSrv.URL+"/cgi-bin/webhook/send?key=jiahe"),
	)
	submit(t, ctx, `#channel-form button[type=submit]`, `#channels`)
	e.page("/channels")
	e.clicks++
	submit(t, ctx, `#channels form[action$="/test"] button`, `#channel-answer`)
	if s := Text(t, ctx, "#channel-answer"); !strings.Contains(s, "测试消息已送达") {
		t.Fatalf("the robot's test: %q", s)
	}

	// The checklist: every step done.
	Do(t, ctx, chromedp.Navigate(env.URL+"/setup"), chromedp.WaitVisible(chromedp.CSS(`#setup-steps`)))
	todo := Eval[[]string](t, ctx, `[...document.querySelectorAll('#setup-steps li')].filter(li => li.querySelector('.badge.warn')).map(li => li.textContent.trim())`)
	// The steps' numbers (drawn left of each line) sit inside the card, not on its border.
	if room := Eval[float64](t, ctx, `document.querySelector('#setup-steps li').getBoundingClientRect().left - document.querySelector('#setup-steps').getBoundingClientRect().left`); room < 32 {
		t.Errorf("the checklist's numbers have %.0f px inside the card, want 32 or more", room)
	}
	Screenshot(t, ctx, "setup-done-1440")
	if len(todo) > 0 {
		t.Errorf("the checklist still lists as to do: %q", todo)
	}
	got := map[string]int{
		"townships":           count(`SELECT COUNT(*) FROM regions WHERE region_code = '431024' AND level = 'township'`),
		"villages":            count(`SELECT COUNT(*) FROM regions WHERE region_code = '431024' AND level = 'village'`),
		"org units":           count(`SELECT COUNT(*) FROM org_units WHERE region_code = '431024'`),
		"people":              count(`SELECT COUNT(*) FROM users WHERE region_code = '431024' AND username <> 'it-admin' AND role <> 'enterprise'`),
		"enterprise accounts": count(`SELECT COUNT(*) FROM users WHERE region_code = '431024' AND role = 'enterprise' AND must_change_password`),
		"enterprises":         count(`SELECT COUNT(*) FROM enterprises WHERE region_code = '431024'`),
		"liaison links":       count(`SELECT COUNT(*) FROM liaison_assignments`),
		"leader links":        count(`SELECT COUNT(*) FROM leader_links`),
		"robots":              count(`SELECT COUNT(*) FROM notify_channels`),
	}
	want := map[string]int{"townships": 10, "villages": len(villageCodes), "org units": 9, "people": 180, "enterprises": 311, "liaison links": 311, "leader links": 60, "robots": 1, "enterprise accounts": 311}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("the county has %d %s, want %d", got[k], k, w)
		}
	}
	setupDone := time.Since(start)

	// The liaison, on a phone, with the password from the hand-out list.
	phone := BrowserFor(t, 5*time.Minute)
	Do(t, phone, Phone())
	Login(t, phone, env.URL, username, initial)
	atPassword := Eval[bool](t, phone, `location.pathname === '/password' && !!document.querySelector('#must-change')`)
	Screenshot(t, phone, "liaison-first-login-375")
	if !atPassword {
		t.Fatalf("first login with the initial password did not ask for a new one: %s", Eval[string](t, phone, `location.href`))
	}
	const mine = "Jiahe-2020-lianluo"
	Do(t, phone,
		chromedp.SendKeys(chromedp.CSS(`input[name=current]`), initial),
		chromedp.SendKeys(chromedp.CSS(`input[name=new]`), mine),
		chromedp.SendKeys(chromedp.CSS(`input[name=repeat]`), mine),
	)
	submit(t, phone, `form.form button[type=submit]`, `input[name=username]`)
	Login(t, phone, env.URL, username, mine)
	MenuTo(t, phone, "/visits")
	Do(t, phone, chromedp.WaitVisible(chromedp.CSS(`#my-enterprises`)))
	shown := Eval[[]string](t, phone, `[...document.querySelectorAll('#my-enterprises li')].map(li => li.textContent.trim())`)
	width := Eval[int](t, phone, `document.documentElement.scrollWidth`)
	Screenshot(t, phone, "liaison-enterprises-375")
	var linked []string
	rows, err := db.Query(`SELECT e.name FROM liaison_assignments l JOIN enterprises e ON e.id = l.enterprise_id JOIN users u ON u.id = l.user_id WHERE u.username = $1`, username)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		linked = append(linked, n)
	}
	rows.Close()
	if len(linked) < 2 || len(shown) != len(linked) {
		t.Fatalf("the liaison sees %q, linked to %q", shown, linked)
	}
	for _, n := range linked {
		if !strings.Contains(strings.Join(shown, "\n"), n) {
			t.Errorf("the liaison's page lacks their enterprise %s", n)
		}
	}
	if width > 375 {
		t.Errorf("the liaison's page is %d px wide on a 375 px phone", width)
	}

	// A demand raised on the phone reaches the command's robot.
	const need = "复工后口罩缺口约300个，库存只够5天"
	Do(t, phone,
		chromedp.Navigate(env.URL+"/demands/new"),
		chromedp.WaitVisible(chromedp.CSS(`#demand-form`)),
	)
	ent := Eval[string](t, phone, `document.querySelector('#demand-form select[name=enterprise_id] option:nth-child(2)').value`)
	Do(t, phone,
		chromedp.SetValue(chromedp.CSS(`select[name=enterprise_id]`), ent),
		chromedp.SetValue(chromedp.CSS(`select[name=category]`), "supplies"),
		chromedp.SetValue(chromedp.CSS(`select[name="supplies.item"]`), "口罩"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), need),
	)
	submit(t, phone, `#demand-form button[type=submit]`, `#demand-timeline`)
	Screenshot(t, phone, "liaison-demand-375")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(strings.Join(rb.got(), "\n"), need) {
		env.App.Notify.RunDue(context.Background())
		time.Sleep(100 * time.Millisecond)
	}
	texts := rb.got()
	if len(texts) != 2 || !strings.Contains(texts[1], need) {
		t.Fatalf("the robot on 127.0.0.1 got %q, want the test message and the new demand", texts)
	}
	t.Logf("%s: an empty install set up as a county in %s of wall time (the whole test, liaison and demand included: %s)",
		dialect, setupDone.Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
	t.Logf("the IT officer's effort: %d pages (%s), %d fields typed or chosen, %d files, %d buttons",
		len(e.pages), strings.Join(e.pages, " "), e.fields, e.files, e.clicks)
}
