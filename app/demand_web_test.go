package app_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/xlsx"
)

func TestDemandPages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent := env.Login(t, "enterprise001")
		id := enterpriseOf(t, env, "enterprise001")
		// The QR poster and its image; the link leads to the raise form.
		if status, body := ent.Page(fmt.Sprintf("/enterprises/%d/qr", id)); status != http.StatusOK || !strings.Contains(body, "/e/"+strconv.FormatInt(id, 10)) {
			t.Fatalf("qr page: %d", status)
		}
		res := ent.Do("GET", fmt.Sprintf("/enterprises/%d/qr.png", id), "", nil, nil)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("qr png: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		res = ent.Do("GET", fmt.Sprintf("/e/%d", id), "", nil, nil)
		res.Body.Close()
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/demands/new?enterprise_id=") {
			t.Errorf("qr link leads to %q", loc)
		}
		if status, body := ent.Page("/demands/new"); status != http.StatusOK || !strings.Contains(body, `name="viewport"`) || !strings.Contains(body, "口罩") {
			t.Fatalf("raise form: %d", status)
		}
		form := url.Values{"category": {"supplies"}, "supplies.item": {"口罩"}, "description": {"需要口罩300个"}, "quantity": {"300"}, "urgency": {"urgent"}}
		// enterprise001 is 联兴, whose mask shortage the demo raised as a demand: this is
		// another need, said so.
		first := url.Values(maps.Clone(form))
		first.Set("not_duplicate", "1")
		status, loc, _ := ent.Form("/demands", first)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/demands/") {
			t.Fatalf("raise: %d %s", status, loc)
		}
		// Raised at 08:00 on 9 March: due the same day, written as the offices write it.
		if _, page := ent.Page(loc); !strings.Contains(page, "03-09 24:00") || strings.Contains(page, "03-10 00:00") {
			t.Errorf("the same-day deadline is not shown as 03-09 24:00")
		}
		// The same need again: the similar open demand is shown before anything is saved.
		status, _, body := ent.Form("/demands", form)
		if status != http.StatusOK || !strings.Contains(body, `id="similar"`) {
			t.Errorf("a duplicate was not caught: %d", status)
		}
		form.Set("not_duplicate", "1")
		if status, _, _ := ent.Form("/demands", form); status != http.StatusSeeOther {
			t.Errorf("confirmed duplicate refused: %d", status)
		}
		// The command dispatches it from its page; the timeline shows who did what.
		cmd := env.Login(t, "command")
		if status, body := cmd.Page("/demands/queue"); status != http.StatusOK || !strings.Contains(body, `id="coordinate-form"`) {
			t.Errorf("queue: %d", status)
		}
		_, page := cmd.Page(loc)
		if !strings.Contains(page, `id="act-dispatch"`) || !strings.Contains(page, `id="act-urge"`) {
			t.Fatalf("the command's detail page lacks the dispatch and urge forms")
		}
		health := deptOrg(t, env, "县卫生健康局")
		status, _, _ = cmd.Form(loc+"/step", url.Values{"action": {"dispatch"}, "departments": {strconv.FormatInt(health, 10)}, "note": {"请卫健局调拨"}})
		if status != http.StatusSeeOther {
			t.Fatalf("dispatch: %d", status)
		}
		dept := env.Login(t, deptUser(t, env, health))
		if status, _, _ := dept.Form(loc+"/step", url.Values{"action": {"solve"}, "note": {"已调拨300个"}}); status != http.StatusSeeOther {
			t.Fatalf("solve: %d", status)
		}
		if status, _, _ := ent.Form(loc+"/step", url.Values{"action": {"confirm"}, "rating": {"5"}, "comment": {"很及时"}}); status != http.StatusSeeOther {
			t.Fatalf("confirm: %d", status)
		}
		_, page = ent.Page(loc)
		for _, want := range []string{"已确认", "请卫健局调拨", "已调拨300个", "很及时", "提出诉求"} {
			if !strings.Contains(page, want) {
				t.Errorf("the timeline lacks %q", want)
			}
		}
		if _, body := ent.Page("/notifications"); !strings.Contains(body, "已解决") {
			t.Errorf("the enterprise's notification centre lacks the solution")
		}
		for _, p := range []string{"/demands", "/demands/stats?by=township", "/demands/stats?by=department", "/demands/stats?by=liaison", "/demands/stats?by=day"} {
			if status, _ := cmd.Page(p); status != http.StatusOK {
				t.Errorf("%s: %d", p, status)
			}
		}
	})
}

func TestDemandImportAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var name string
		env.App.DB.R.QueryRow(`SELECT e.name FROM enterprises e JOIN liaison_assignments a ON a.enterprise_id = e.id JOIN users u ON u.id = a.user_id WHERE u.username = 'liaison001' ORDER BY e.id`).Scan(&name)
		c := env.Login(t, "liaison001")
		upload := func(rows [][]any) (int, string) {
			b, err := xlsx.Build("诉求", []string{"企业名称", "诉求类别", "诉求内容", "数量", "明细"}, rows)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", c.CSRF)
			fw, _ := mw.CreateFormFile("file", "wechat.xlsx")
			fw.Write(b)
			mw.Close()
			res := c.Do("POST", "/demands/import", mw.FormDataContentType(), &buf, nil)
			defer res.Body.Close()
			var body strings.Builder
			bb := new(bytes.Buffer)
			bb.ReadFrom(res.Body)
			body.Write(bb.Bytes())
			return res.StatusCode, body.String()
		}
		count := func() int {
			var n int
			env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM demands WHERE channel = 'import'`).Scan(&n)
			return n
		}
		status, body := upload([][]any{{name, "防疫物资", "口罩", "300", "口罩"}, {"不存在的企业", "用工", "招工", "", "普工"}, {name, "宠物", "x", "", ""}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "第 3 行 · 企业名称") || !strings.Contains(body, "第 4 行 · 诉求类别") || count() != 0 {
			t.Fatalf("bad ledger: %d, %d imported", status, count())
		}
		status, body = upload([][]any{{name, "防疫物资", "口罩", "300", "口罩"}, {name, "用工", "招工", "", "普工"}})
		if status != http.StatusOK || !strings.Contains(body, `id="import-preview"`) || count() != 0 {
			t.Fatalf("preview: %d, %d imported", status, count())
		}
		// The checked rows wait on the server, sealed, under a token only their uploader
		// can use; the page carries the token alone.
		m := regexp.MustCompile(`action="/demands/import/([0-9a-f]{32})/commit"`).FindStringSubmatch(body)
		if m == nil || strings.Contains(body, "payload") || strings.Contains(body, `type="hidden" name="rows"`) {
			t.Fatalf("the preview carries its rows, or no token")
		}
		sealedUpload(t, env, m[1], "口罩")
		gone := func(c *apptest.Client, token string) {
			t.Helper()
			if status, _, page := c.Form("/demands/import/"+token+"/commit", nil); status != http.StatusNotFound || !strings.Contains(page, "这份预览已过期") || count() != 0 {
				t.Errorf("token %q: %d, %d imported; want 404 这份预览已过期", token, status, count())
			}
		}
		gone(env.Login(t, "liaison002"), m[1])
		gone(c, strings.Repeat("0", 32))
		if status, _, _ := c.Form("/demands/import/"+m[1]+"/commit", nil); status != http.StatusSeeOther || count() != 2 {
			t.Errorf("commit: %d, %d imported", status, count())
		}
		if status, _, _ := c.Form("/demands/import/"+m[1]+"/commit", nil); status != http.StatusNotFound || count() != 2 {
			t.Errorf("the token used twice: %d, %d imported", status, count())
		}
	})
}

// The demand's work order says under its buttons what each step it offers does, and when
// a clock runs out its timeline says which clock acted, not a bare "系统".
func TestWorkOrderExplainsItsStepsAndNamesTheClock(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	ent := env.Login(t, "enterprise001")
	form := url.Values{"category": {"supplies"}, "supplies.item": {"消毒液"}, "description": {"需要消毒液50升"}, "quantity": {"50"},
		"urgency": {"urgent"}, "not_duplicate": {"1"}}
	status, loc, _ := ent.Form("/demands", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/demands/") {
		t.Fatalf("raise: %d %s", status, loc)
	}
	command := env.Login(t, "command")
	_, page := command.Page(loc)
	buttons := regexp.MustCompile(`name="action" value="([a-z_]+)"`).FindAllStringSubmatch(page, -1)
	if len(buttons) < 3 {
		t.Fatalf("the command is offered %d steps on a new demand", len(buttons))
	}
	for _, b := range buttons {
		if !strings.Contains(page, `aria-describedby="help-`+b[1]+`"`) || !strings.Contains(page, `<dd id="help-`+b[1]+`">`) {
			t.Errorf("the step %s has no line saying what it does", b[1])
		}
	}
	if !strings.Contains(page, "算作已响应") || !strings.Contains(page, "勾选责任部门交办") {
		t.Errorf("the help lines of 接单办理 and 交办部门 are missing")
	}
	// Nobody responds within the hour: the clock marks it late and escalates it.
	env.Clock.Advance(2 * time.Hour)
	if _, err := env.App.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, page = command.Page(loc)
	if !strings.Contains(page, "系统 · 响应时限到期") {
		t.Errorf("the timeline does not say that the response clock ran out:\n%s", page[strings.Index(page, `id="demand-timeline"`):])
	}
}
