package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// A village cadre imports the village's contact list from the spreadsheet LibreOffice
// saved, through the project's one import path: every bad cell is named by row and
// column and nothing is written; a clean file is previewed masked and added whole. The
// API lists and adds villagers, and an opt-out is undone at the villager's request with
// a note, audited, so that the next broadcast reaches the phone again.
func TestVillagersImportedAndOptOutUndone(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var village string
		db.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&village)
		count := func() (n int) {
			db.QueryRow(`SELECT COUNT(*) FROM villagers WHERE village = $1`, village).Scan(&n)
			return n
		}
		before := count()
		if before == 0 {
			t.Errorf("the demo village has no villagers on its contact list")
		}
		web := env.Login(t, "village001")
		status, page := uploadTo(t, web, "/villagers/import", "村民通讯录.xlsx", officeFile(t, "office/villagers-bad.xlsx"))
		for _, want := range []string{"第 2 行 · 手机号", "第 3 行 · 村：不是您能发送招工信息的村", "第 4 行 · 建档立卡贫困户：填“是”或“否”", "第 5 行 · 手机号：与第 4 行重复"} {
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
				t.Errorf("the bad contact list: %d, want 422 naming %s", status, want)
			}
		}
		if count() != before {
			t.Errorf("a bad contact list wrote villagers")
		}
		status, page = uploadTo(t, web, "/villagers/import", "村民通讯录.xlsx", officeFile(t, "office/villagers.xlsx"))
		m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
		if status != http.StatusOK || m == nil || !strings.Contains(page, "139****0101") || strings.Contains(page, "13974410101") {
			t.Fatalf("the preview: %d %v", status, regexp.MustCompile(`第 \d+ 行 · [^<]*`).FindAllString(page, -1))
		}
		if status, _, body := web.Form("/villagers/import", url.Values{"token": {m[1]}}); status != http.StatusSeeOther {
			t.Fatalf("the confirmation: %d %s", status, body)
		}
		var poor bool
		db.QueryRow(`SELECT poor FROM villagers WHERE name = '覃大春'`).Scan(&poor)
		if count() != before+3 || !poor {
			t.Errorf("after the import %d villagers (want %d), 覃大春 poor %v", count(), before+3, poor)
		}
		if status, page := uploadTo(t, web, "/villagers/import", "村民通讯录.xlsx", officeFile(t, "office/villagers.xlsx")); status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 2 行 · 手机号：这个手机号已在本村通讯录中") {
			t.Errorf("the same list again: %d, want 422 naming each phone already listed", status)
		}

		api := env.APIClient(t, "village001")
		status, b := api.JSON("GET", "/api/v1/villagers?limit=100", nil)
		var list struct{ Total int }
		json.Unmarshal(b, &list)
		if status != http.StatusOK || list.Total != before+3 || !strings.Contains(string(b), `"phone":"139****0101"`) {
			t.Errorf("API, the villagers: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/villagers", map[string]any{"name": "田新", "phone": "1397441"}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"phone"`) {
			t.Errorf("API, a villager with a short phone: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/villagers", map[string]any{"name": "田新", "phone": "13974410199", "poor": true}); status != http.StatusCreated || !strings.Contains(string(b), `"village":"`+village+`"`) {
			t.Errorf("API, a villager: %d %s", status, b)
		}

		// 李秋菊 asks to stop, then to receive again.
		if status, b := api.JSON("POST", "/api/v1/optouts", map[string]any{"phone": "13974410102"}); status != http.StatusNoContent {
			t.Fatalf("API, an opt-out: %d %s", status, b)
		}
		if status, b := api.JSON("GET", "/api/v1/optouts", nil); status != http.StatusOK || !strings.Contains(string(b), `"phone":"139****0102"`) {
			t.Errorf("API, the opt-outs: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/optouts/undo", map[string]any{"phone": "13974410102", "note": ""}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"note"`) || !strings.Contains(string(b), "说明：必填") {
			t.Errorf("API, an undo without a note: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/optouts/undo", map[string]any{"phone": "13974410103", "note": "本人来电"}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "手机号：这个号码不在退订名单中") {
			t.Errorf("API, an undo of a phone not on the list: %d %s", status, b)
		}
		if status, b := api.JSON("POST", "/api/v1/optouts/undo", map[string]any{"phone": "139 7441 0102", "note": "本人来电要求恢复接收"}); status != http.StatusNoContent {
			t.Errorf("API, an undo: %d %s", status, b)
		}
		// The page: 向红梅 opts out and back in with the cadre.
		if status, _, body := web.Form("/broadcasts/optouts", url.Values{"optout_phone": {"13974410103"}}); status != http.StatusSeeOther {
			t.Fatalf("the page's opt-out: %d %s", status, body)
		}
		if status, _, body := web.Form("/broadcasts/optouts/undo", url.Values{"optin_phone": {"13974410103"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "怎样提出") {
			t.Errorf("the page's undo without a note: %d", status)
		}
		if status, _, body := web.Form("/broadcasts/optouts/undo", url.Values{"optin_phone": {"13974410103"}, "optin_note": {"本人到村部要求"}}); status != http.StatusSeeOther {
			t.Fatalf("the page's undo: %d %s", status, body)
		}
		var optouts, undone int
		db.QueryRow(`SELECT COUNT(*) FROM sms_optouts`).Scan(&optouts)
		db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'sms_optouts' AND action = 'delete' AND after_json LIKE '%本人%' AND before_json LIKE '%139****01%'`).Scan(&undone)
		if optouts != 0 || undone != 2 {
			t.Errorf("after two undos %d opt-outs are left and %d undos are in the log", optouts, undone)
		}
		status, b = api.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "联兴招普工，月薪4500元。", "villages": []string{village}})
		if status != http.StatusCreated || !strings.Contains(string(b), `"opted_out":0`) {
			t.Errorf("a broadcast after the undos: %d %s, want none left out", status, b)
		}
	})
}
