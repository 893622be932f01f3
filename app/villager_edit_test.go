package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// A village cadre corrects a villager of the contact list (a wrong phone, a typo, the
// poor-household flag) at the version read, takes one who moved away off the list after
// confirming, and takes the list out as a spreadsheet, phones masked. A stale version is
// refused, bad input names the field, another village's cadre finds nothing, the phone
// stays sealed, every change is in the audit log, and the broadcasts already sent keep
// the villager among their recipients while the next one leaves them out.
func TestVillagerCorrectedRetiredAndExported(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var village, other, otherVillage string
		db.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&village)
		db.QueryRow(`SELECT username, region FROM users WHERE role = 'village' AND region <> $1 ORDER BY username LIMIT 1`, village).Scan(&other, &otherVillage)
		if other == "" {
			t.Fatalf("the demo has no village cadre of another village than %s", village)
		}
		web := env.Login(t, "village001")
		if status, _, body := web.Form("/villagers", url.Values{"name": {"张小年"}, "phone": {"13974419901"}}); status != http.StatusSeeOther {
			t.Fatalf("add a villager: %d %s", status, body)
		}
		if status, _, body := web.Form("/villagers", url.Values{"name": {"李木生"}, "phone": {"13974419902"}}); status != http.StatusSeeOther {
			t.Fatalf("add a villager: %d %s", status, body)
		}
		var id, other2 int64
		db.QueryRow(`SELECT id FROM villagers WHERE name = '张小年'`).Scan(&id)
		db.QueryRow(`SELECT id FROM villagers WHERE name = '李木生'`).Scan(&other2)
		path := "/villagers/" + strconv.FormatInt(id, 10)

		// The list links each villager to the form; the form shows the phone masked only.
		status, page := web.Page("/broadcasts")
		if status != http.StatusOK || !strings.Contains(page, `href="`+path+`/edit"`) || !strings.Contains(page, `href="/villagers/export.xlsx"`) {
			t.Fatalf("the contact list: %d, want a link to %s/edit and the export", status, path)
		}
		status, page = web.Page(path + "/edit")
		if status != http.StatusOK || !strings.Contains(page, "139****9901") || strings.Contains(page, "13974419901") || !strings.Contains(page, `name="version" value="1"`) {
			t.Fatalf("the edit form: %d, want the phone masked and version 1", status)
		}

		// Another village's cadre: 404 for the form, the change and the removal.
		web2 := env.Login(t, other)
		if status, _ := web2.Page(path + "/edit"); status != http.StatusNotFound {
			t.Errorf("%s opens %s's villager: %d, want 404", other, village, status)
		}
		if status, _, _ := web2.Form(path, url.Values{"version": {"1"}, "name": {"改名"}, "phone": {""}}); status != http.StatusNotFound {
			t.Errorf("%s changes %s's villager: %d, want 404", other, village, status)
		}
		if status, _, _ := web2.Form(path+"/retire", url.Values{"version": {"1"}}); status != http.StatusNotFound {
			t.Errorf("%s removes %s's villager: %d, want 404", other, village, status)
		}
		if _, page := web.Page("/broadcasts?vq=" + url.QueryEscape("李木")); !strings.Contains(page, "李木生") || strings.Contains(page, "张小年") || !strings.Contains(page, "找到 1 人") {
			t.Errorf("searching the contact list for 李木 does not show 李木生 alone")
		}
		// The county's command may, as the scope rules say.
		if status, _ := env.Login(t, "command").Page(path + "/edit"); status != http.StatusOK {
			t.Errorf("the command opens a villager of the county: %d, want 200", status)
		}

		// Bad input names the field in Chinese; nothing changes.
		status, _, body := web.Form(path, url.Values{"version": {"1"}, "name": {""}, "phone": {"1397441"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "姓名：必填") || !strings.Contains(body, "手机号应为 11 位数字") {
			t.Errorf("an empty name and a short phone: %d %v", status, regexp.MustCompile(`field-error[^>]*>[^<]*`).FindAllString(body, -1))
		}
		status, _, body = web.Form(path, url.Values{"version": {"1"}, "name": {"张小年"}, "phone": {"13974419902"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "这个手机号已在本村通讯录中") {
			t.Errorf("the phone of 李木生: %d, want 422 naming the phone", status)
		}
		// Without the session's CSRF token the form is refused.
		if status, _, _ := web.Form(path, url.Values{"csrf": {"forged"}, "version": {"1"}, "name": {"伪造"}}); status != http.StatusForbidden {
			t.Errorf("a change without the CSRF token: %d, want 403", status)
		}

		// The correction: a typo in the name, the right phone, a poor household.
		status, loc, body := web.Form(path, url.Values{"version": {"1"}, "name": {"张晓年"}, "phone": {"139 7441 9911"}, "poor": {"1"}})
		if status != http.StatusSeeOther || !strings.Contains(loc, "/broadcasts") {
			t.Fatalf("the correction: %d %s %s", status, loc, body)
		}
		var name, masked, sealed, hash string
		var poor bool
		var version int64
		db.QueryRow(`SELECT name, phone_masked, phone_sealed, phone_hash, poor, version FROM villagers WHERE id = $1`, id).Scan(&name, &masked, &sealed, &hash, &poor, &version)
		if opened, _ := env.App.Keys.Open(sealed); name != "张晓年" || masked != "139****9911" || !poor || version != 2 || opened != "13974419911" ||
			hash != env.App.Keys.Hash("13974419911") || strings.Contains(sealed, "9911") {
			t.Errorf("after the correction: %s %s poor %v version %d, sealed opens to %q", name, masked, poor, version, opened)
		}
		var before, after string
		db.QueryRow(`SELECT before_json, after_json FROM audit_log WHERE entity = 'villagers' AND action = 'update' AND entity_id = $1`, strconv.FormatInt(id, 10)).Scan(&before, &after)
		if !strings.Contains(before, "139****9901") || !strings.Contains(after, "139****9911") || !strings.Contains(after, "张晓年") || strings.Contains(before+after, "13974419") {
			t.Errorf("the audit of the correction: before %s after %s, want both phones masked", before, after)
		}
		// The form read at version 1 is stale now.
		status, _, body = web.Form(path, url.Values{"version": {"1"}, "name": {"张小年"}})
		if status != http.StatusConflict || !strings.Contains(body, "该记录已被他人修改") {
			t.Errorf("a stale correction: %d, want 409 saying someone else changed it", status)
		}
		// An empty phone keeps the phone.
		if status, _, body := web.Form(path, url.Values{"version": {"2"}, "name": {"张晓年"}, "poor": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("a correction keeping the phone: %d %s", status, body)
		}
		db.QueryRow(`SELECT phone_masked, version FROM villagers WHERE id = $1`, id).Scan(&masked, &version)
		if masked != "139****9911" || version != 3 {
			t.Errorf("after a correction without a phone: %s version %d", masked, version)
		}

		// A broadcast reaches 张晓年; then he moves away.
		api := env.APIClient(t, "village001")
		status, b := api.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "联兴招普工，月薪4500元。", "villages": []string{village}})
		if status != http.StatusCreated {
			t.Fatalf("a broadcast: %d %s", status, b)
		}
		sent := func() (n int) {
			db.QueryRow(`SELECT COUNT(*) FROM broadcast_villagers WHERE villager_id = $1`, id).Scan(&n)
			return n
		}
		if sent() != 1 {
			t.Fatalf("the broadcast reached 张晓年 %d times, want 1", sent())
		}
		status, page = web.Page(path + "/retire")
		if status != http.StatusOK || !strings.Contains(page, "确认将张晓年（139****9911") || !strings.Contains(page, `action="`+path+`/retire"`) {
			t.Fatalf("the confirmation: %d, want it to name 张晓年 masked", status)
		}
		if status, _, _ := web.Form(path+"/retire", url.Values{"version": {"2"}}); status != http.StatusConflict {
			t.Errorf("a stale removal: %d, want 409", status)
		}
		if status, _, body := web.Form(path+"/retire", url.Values{"version": {"3"}}); status != http.StatusSeeOther {
			t.Fatalf("the removal: %d %s", status, body)
		}
		if status, loc, _ := web.Form(path+"/retire", url.Values{"version": {"3"}}); status != http.StatusSeeOther || !strings.Contains(loc, "/broadcasts") {
			t.Errorf("the confirmation pressed twice: %d %s, want back to the list", status, loc)
		}
		if _, page := web.Page("/broadcasts"); strings.Contains(page, "张晓年") {
			t.Errorf("the contact list still shows 张晓年 after the removal")
		}
		var retired int64
		var by string
		db.QueryRow(`SELECT COALESCE(retired_at, 0), retired_by FROM villagers WHERE id = $1`, id).Scan(&retired, &by)
		var audited int
		db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'villagers' AND action = 'retire' AND entity_id = $1 AND before_json LIKE '%张晓年%'`, strconv.FormatInt(id, 10)).Scan(&audited)
		if retired == 0 || by != "village001" || sent() != 1 || audited != 1 {
			t.Errorf("after the removal: retired_at %d by %q, %d broadcast records, %d audit lines", retired, by, sent(), audited)
		}
		status, b = api.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "联兴再招普工两名。", "villages": []string{village}})
		if status != http.StatusCreated || sent() != 1 {
			t.Errorf("a broadcast after the removal: %d, 张晓年 reached %d times, want still 1", status, sent())
		}
		if status, _ := web.Page(path + "/edit"); status != http.StatusNotFound {
			t.Errorf("the form of a villager taken off the list: %d, want 404", status)
		}
		// He comes back: the same phone may be added anew.
		if status, _, body := web.Form("/villagers", url.Values{"name": {"张晓年"}, "phone": {"13974419911"}}); status != http.StatusSeeOther {
			t.Errorf("the same phone added again after the removal: %d %s", status, body)
		}

		// The export: the import's columns, phones masked, 是/否, no one taken off.
		res := web.Do("GET", "/villagers/export.xlsx", "", nil, nil)
		book, _ := io.ReadAll(res.Body)
		res.Body.Close()
		_, sheets, err := xlsx.ReadTables(bytes.NewReader(book))
		rows := sheets["村民通讯录"]
		if res.StatusCode != http.StatusOK || err != nil || len(rows) < 3 || strings.Join(rows[0], ",") != "姓名,手机号,村,建档立卡贫困户" {
			t.Fatalf("the export: %d %v %v", res.StatusCode, err, rows)
		}
		found := map[string]string{}
		for _, r := range rows[1:] {
			found[r[0]] = strings.Join(r, ",")
			if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(r[1]) {
				t.Errorf("the export shows a phone in clear: %v", r)
			}
		}
		if !strings.Contains(found["李木生"], ",139****9902,") || !strings.HasSuffix(found["李木生"], ",否") || !strings.HasSuffix(found["张晓年"], ",否") {
			t.Errorf("the export's rows: 李木生 %q, 张晓年 %q", found["李木生"], found["张晓年"])
		}
		if len(rows)-1 != countVillagers(t, env, village) {
			t.Errorf("the export has %d villagers, the list %d", len(rows)-1, countVillagers(t, env, village))
		}
		res = web2.Do("GET", "/villagers/export.xlsx", "", nil, nil)
		book, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if _, sheets, _ := xlsx.ReadTables(bytes.NewReader(book)); strings.Contains(strings.Join(flatten(sheets["村民通讯录"]), ","), "李木生") {
			t.Errorf("%s's export holds %s's villagers", other, village)
		}
	})
}

// The JSON API reads, corrects and retires a villager as the page does, and exports the
// list masked unless a role that may see phones asks with unmask=true (each villager
// audited), as the workers export does.
func TestVillagerAPI(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var village, other string
		db.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&village)
		db.QueryRow(`SELECT username FROM users WHERE role = 'village' AND region <> $1 ORDER BY username LIMIT 1`, village).Scan(&other)
		api := env.APIClient(t, "village001")
		status, b := api.JSON("POST", "/api/v1/villagers", map[string]any{"name": "王春花", "phone": "13974418801"})
		var v struct {
			ID        int64
			Version   int64
			Phone     string
			Poor      bool
			RetiredAt string `json:"retired_at"`
		}
		json.Unmarshal(b, &v)
		if status != http.StatusCreated || v.Version != 1 {
			t.Fatalf("add: %d %s", status, b)
		}
		path := "/api/v1/villagers/" + strconv.FormatInt(v.ID, 10)
		// A long list is searched by part of a name, a phone's last four digits or a whole
		// phone (by its hash).
		for _, q := range []string{"春花", "8801", "139 7441 8801"} {
			status, b := api.JSON("GET", "/api/v1/villagers?q="+url.QueryEscape(q), nil)
			var list struct {
				Items []struct{ Name string }
				Total int
			}
			json.Unmarshal(b, &list)
			if status != http.StatusOK || list.Total != 1 || len(list.Items) != 1 || list.Items[0].Name != "王春花" {
				t.Errorf("search %q: %d %s, want 王春花 alone", q, status, b)
			}
		}
		if status, b := api.JSON("GET", path, nil); status != http.StatusOK || !strings.Contains(string(b), `"phone":"139****8801"`) {
			t.Errorf("get: %d %s", status, b)
		}
		if status, b := env.APIClient(t, other).JSON("GET", path, nil); status != http.StatusNotFound {
			t.Errorf("another village's cadre reads the villager: %d %s, want 404", status, b)
		}
		if status, b := env.APIClient(t, other).JSON("PUT", path, map[string]any{"version": 1, "name": "改名"}); status != http.StatusNotFound {
			t.Errorf("another village's cadre corrects the villager: %d %s, want 404", status, b)
		}
		status, b = api.JSON("PUT", path, map[string]any{"version": 1, "name": " ", "phone": "2397441880"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"name":"姓名：必填。"`) || !strings.Contains(string(b), `"phone":"手机号应为 11 位数字。"`) {
			t.Errorf("bad input: %d %s, want 422 naming 姓名 and 手机号", status, b)
		}
		// The masked phone sent back as read keeps the phone.
		status, b = api.JSON("PUT", path, map[string]any{"version": 1, "name": "王春华", "phone": "139****8801", "poor": true})
		json.Unmarshal(b, &v)
		if status != http.StatusOK || v.Version != 2 || !v.Poor || v.Phone != "139****8801" {
			t.Fatalf("correct: %d %s", status, b)
		}
		if status, b := api.JSON("PUT", path, map[string]any{"version": 1, "name": "王春花"}); status != http.StatusConflict || !strings.Contains(string(b), "该记录已被他人修改") {
			t.Errorf("a stale correction: %d %s, want 409", status, b)
		}
		if status, b := api.JSON("POST", path+"/retire", map[string]any{"version": 1}); status != http.StatusConflict {
			t.Errorf("a stale removal: %d %s, want 409", status, b)
		}
		status, b = api.JSON("POST", path+"/retire", map[string]any{"version": 2})
		json.Unmarshal(b, &v)
		if status != http.StatusOK || v.RetiredAt == "" {
			t.Fatalf("retire: %d %s", status, b)
		}
		if status, b := api.JSON("PUT", path, map[string]any{"version": 3, "name": "王春花"}); status != http.StatusConflict || !strings.Contains(string(b), "已移出通讯录") {
			t.Errorf("correcting a villager taken off: %d %s, want 409", status, b)
		}
		if status, b := api.JSON("GET", "/api/v1/villagers?limit=500", nil); status != http.StatusOK || strings.Contains(string(b), "王春华") {
			t.Errorf("the list after the removal: %d, still shows 王春华", status)
		}

		export := func(c *apptest.Client, query string) (int, [][]string) {
			res := c.Do("GET", "/api/v1/villagers/export"+query, "", nil, nil)
			book, _ := io.ReadAll(res.Body)
			res.Body.Close()
			_, sheets, _ := xlsx.ReadTables(bytes.NewReader(book))
			return res.StatusCode, sheets["村民通讯录"]
		}
		unmasked := func() (n int) {
			db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'villagers' AND action = 'unmask'`).Scan(&n)
			return n
		}
		status, rows := export(api, "")
		if status != http.StatusOK || len(rows) < 2 || !strings.Contains(rows[1][1], "****") || unmasked() != 0 {
			t.Errorf("the export: %d %v, want masked phones and no unmask audited", status, rows)
		}
		status, rows = export(api, "?unmask=true")
		if status != http.StatusOK || len(rows) < 2 || !regexp.MustCompile(`^1[3-9]\d{9}$`).MatchString(rows[1][1]) || unmasked() != len(rows)-1 {
			t.Errorf("the unmasked export: %d, %d rows, %d unmask lines, first %v", status, len(rows)-1, unmasked(), rows[1:2])
		}
		if status, _ := export(env.APIClient(t, "township01"), "?unmask=true"); status != http.StatusForbidden {
			t.Errorf("a township's unmasked export: %d, want 403", status)
		}
	})
}

// The import preview says 是 or 否 for the poor-household column, never a blank.
func TestVillagerImportPreviewSaysYesOrNo(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		web := env.Login(t, "village001")
		status, page := uploadTo(t, web, "/villagers/import", "村民通讯录.xlsx", officeFile(t, "office/villagers.xlsx"))
		m := regexp.MustCompile(`<tr><td>\d+</td><td>([^<]+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>`).FindAllStringSubmatch(page, -1)
		got := map[string]string{}
		for _, r := range m {
			got[r[1]] = r[2]
		}
		if status != http.StatusOK || got["覃大春"] != "是" || got["李秋菊"] != "否" || got["向红梅"] != "否" {
			t.Errorf("the preview's poor-household column: %d %v", status, got)
		}
	})
}

func countVillagers(t *testing.T, env *apptest.Env, village string) (n int) {
	t.Helper()
	env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM villagers WHERE village = $1 AND retired_at IS NULL`, village).Scan(&n)
	return n
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
