package app_test

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
)

func uploadLedger(t *testing.T, c *apptest.Client, rows [][]any) (int, string) {
	t.Helper()
	book, err := xlsx.Build("选派名单", []string{"姓名", "职级", "手机号", "工作单位", "统一社会信用代码"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "选派名单.xlsx")
	fw.Write(book)
	mw.Close()
	res := c.Do("POST", "/liaison/dispatch/preview", mw.FormDataContentType(), &body, http.Header{"X-Csrf-Token": {c.CSRF}})
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(b)
}

func TestDispatchFromALedgerIsPreviewedThenAllOrNothing(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var uscc1, uscc2, old string
		db.QueryRow(`SELECT e.uscc, u.display_name FROM enterprises e JOIN liaison_assignments a ON a.enterprise_id = e.id JOIN users u ON u.id = a.user_id ORDER BY e.id LIMIT 1`).Scan(&uscc1, &old)
		db.QueryRow(`SELECT uscc FROM enterprises ORDER BY id LIMIT 1 OFFSET 1`).Scan(&uscc2)
		assignments := func() int { return count(t, env, `SELECT COUNT(*) FROM liaison_assignments`) }
		before := assignments()
		c := env.Login(t, "command")
		c.Page("/liaison/dispatch")

		st, body := uploadLedger(t, c, [][]any{
			{"赵建国", "副科级", "13900000001", "县教育局", uscc1},
			{"钱文华", "科员", "13900000002", "县财政局", uscc2},
			{"孙立新", "正科级", "1390000", "县林业局", uscc2},
			{"李红", "副处级", "13900000004", "县发改局", "91430821MA4L0000X0"},
		})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("bad ledger: %d", st)
		}
		body = html.UnescapeString(body)
		for _, want := range []string{"第 3 行 · 职级", "第 4 行 · 手机号", "第 4 行 · 统一社会信用代码", "第 5 行 · 统一社会信用代码"} {
			if !strings.Contains(body, want) {
				t.Errorf("the bad ledger's errors do not name %q", want)
			}
		}
		if assignments() != before {
			t.Fatalf("a bad ledger changed the assignments")
		}

		st, body = uploadLedger(t, c, [][]any{
			{"赵建国", "副科级", "13900000001", "县教育局", uscc1},
			{"赵建国", "副科级", "13900000001", "县教育局", uscc2},
		})
		if st != http.StatusOK || !strings.Contains(body, "新账号") || !strings.Contains(body, "接替 "+old) {
			t.Fatalf("preview: %d", st)
		}
		if assignments() != before {
			t.Fatalf("the preview changed the assignments")
		}
		// The checked rows (phones among them) wait on the server, sealed, under a token
		// only their uploader can use; the page carries the token alone.
		m := regexp.MustCompile(`action="/liaison/dispatch/([0-9a-f]{32})/commit"`).FindStringSubmatch(body)
		if m == nil || strings.Contains(body, "13900000001") || strings.Contains(body, `name="rows"`) {
			t.Fatal("the preview carries its rows (a phone), or no token")
		}
		sealedUpload(t, env, m[1], "13900000001")
		gone := func(c *apptest.Client, token string) {
			t.Helper()
			if st, _, page := c.Form("/liaison/dispatch/"+token+"/commit", nil); st != http.StatusNotFound || !strings.Contains(page, "这份预览已过期") || assignments() != before {
				t.Errorf("token %q: %d; want 404 这份预览已过期 and nothing changed", token, st)
			}
		}
		var other string
		db.QueryRow(`SELECT username FROM users WHERE role IN ('command', 'admin') AND username <> 'command' ORDER BY id LIMIT 1`).Scan(&other)
		if other != "" {
			gone(env.Login(t, other), m[1])
		}
		gone(c, m[1][:31]+"x")
		st, loc, _ := c.Form("/liaison/dispatch/"+m[1]+"/commit", nil)
		if st != http.StatusSeeOther {
			t.Fatalf("commit: %d %s", st, loc)
		}
		if st, _, _ := c.Form("/liaison/dispatch/"+m[1]+"/commit", nil); st != http.StatusNotFound {
			t.Errorf("the token used twice: %d", st)
		}
		var rank string
		var accounts int
		db.QueryRow(`SELECT MIN(rank), COUNT(*) FROM users WHERE display_name = '赵建国' AND role = 'liaison'`).Scan(&rank, &accounts)
		if accounts != 1 || rank != "副科级" {
			t.Errorf("the cadre named twice has %d accounts, rank %q", accounts, rank)
		}
		for _, u := range []string{uscc1, uscc2} {
			var name string
			var active int
			db.QueryRow(`SELECT MIN(u.display_name), COUNT(*) FROM liaison_assignments a JOIN users u ON u.id = a.user_id JOIN enterprises e ON e.id = a.enterprise_id
				WHERE e.uscc = $1 AND a.to_date = ''`, u).Scan(&name, &active)
			if name != "赵建国" || active != 1 {
				t.Errorf("enterprise %s: stationed %q (%d active), want 赵建国 alone", u, name, active)
			}
		}
	})
}
