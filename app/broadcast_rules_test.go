package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/store"
)

// Job news reaches the village at large: the seekers and the villagers on the village's
// contact list, each phone once, poor households first, signed with the county's
// signature and ending 回复TD退订. A TD reply through the gateway, or the villager's word
// to the cadre, keeps that phone out of every later broadcast.
func TestBroadcastReachesTheVillageAndHonoursOptOuts(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		var village string
		db.R.QueryRow(`SELECT region FROM users WHERE username = 'village001'`).Scan(&village)
		web := env.Login(t, "village001")
		if _, page := web.Page("/broadcasts"); !strings.Contains(page, "回复TD退订") || !strings.Contains(page, "【慈利县指挥部】") {
			t.Errorf("the broadcast form does not show the signature and the opt-out notice")
		}
		for _, v := range []url.Values{
			{"name": {"张村民"}, "phone": {"13800000001"}, "poor": {"1"}},
			{"name": {"李村民"}, "phone": {"13800000002"}},
			{"name": {"王村民"}, "phone": {"13800000003"}},
		} {
			if status, _, body := web.Form("/villagers", v); status != http.StatusSeeOther {
				t.Fatalf("adding %s: %d %s", v.Get("name"), status, body)
			}
		}
		if status, _, body := web.Form("/villagers", url.Values{"name": {"错号"}, "phone": {"12345"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "11") {
			t.Errorf("a villager with phone 12345: %d, want 422 naming the phone", status)
		}
		if status, _, body := web.Form("/villagers", url.Values{"name": {"张村民"}, "phone": {"138 0000 0001"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "已在本村通讯录") {
			t.Errorf("the same phone twice: %d, want 422 naming the phone", status)
		}

		// 李村民 replies TD to an earlier text; 王村民 asks the cadre.
		if err := db.SetSetting(t.Context(), db.W, "430821", store.SettingSMSInboundToken, "gw-secret"); err != nil {
			t.Fatal(err)
		}
		gw := env.Anonymous(t)
		if status, _ := gw.JSON("POST", "/api/v1/sms/inbound", map[string]any{"phone": "13800000002", "text": "TD"}, "X-SMS-Token", "wrong"); status != http.StatusUnauthorized {
			t.Errorf("a reply with a wrong token: %d, want 401", status)
		}
		status, b := gw.JSON("POST", "/api/v1/sms/inbound", map[string]any{"phone": "13800000002", "text": " td "}, "X-SMS-Token", "gw-secret")
		if status != http.StatusOK || !strings.Contains(string(b), `"opted_out":true`) {
			t.Errorf("a TD reply: %d %s", status, b)
		}
		if status, b = gw.JSON("POST", "/api/v1/sms/inbound", map[string]any{"phone": "13800000003", "text": "什么时候上班？"}, "X-SMS-Token", "gw-secret"); status != http.StatusOK || !strings.Contains(string(b), `"opted_out":false`) {
			t.Errorf("another reply: %d %s", status, b)
		}
		if status, _, body := web.Form("/broadcasts/optouts", url.Values{"optout_phone": {"1380000"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "11") {
			t.Errorf("an opt-out of a short number: %d, want 422 naming the phone", status)
		}
		if status, _, body := web.Form("/broadcasts/optouts", url.Values{"optout_phone": {"13800000003"}}); status != http.StatusSeeOther {
			t.Fatalf("the cadre enters an opt-out: %d %s", status, body)
		}

		var seekers, demoVillagers int
		db.R.QueryRow(`SELECT COUNT(*) FROM job_seekers WHERE village = $1 AND id NOT IN (SELECT seeker_id FROM referrals WHERE state IN ('hired', 'on_duty'))`, village).Scan(&seekers)
		db.R.QueryRow(`SELECT COUNT(*) FROM villagers WHERE village = $1 AND demo`, village).Scan(&demoVillagers)
		seekers += demoVillagers // the demo's own contact list
		api := env.APIClient(t, "village001")
		status, b = api.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "联兴招普工，月薪4500元。", "villages": []string{village}})
		if status != http.StatusCreated {
			t.Fatalf("broadcast: %d %s", status, b)
		}
		var got struct {
			ID       int64
			OptedOut int `json:"opted_out"`
			Counts   []struct{ Recipients int }
		}
		json.Unmarshal(b, &got)
		if got.OptedOut != 2 || len(got.Counts) != 1 || got.Counts[0].Recipients != seekers+1 {
			t.Errorf("the broadcast reached %+v, opted out %d; want %d seekers and 张村民, 2 left out", got.Counts, got.OptedOut, seekers)
		}
		var body, firstPoor string
		db.R.QueryRow(`SELECT body FROM notifications WHERE entity = 'broadcasts' AND entity_id = $1 ORDER BY id LIMIT 1`, strconv.FormatInt(got.ID, 10)).Scan(&body)
		if body != "联兴招普工，月薪4500元。 "+fugong.OptOutNotice {
			t.Errorf("the outbox text is %q, want the text and the opt-out notice", body)
		}
		// The first message goes to a poor household.
		db.R.QueryRow(`SELECT CASE WHEN EXISTS (SELECT 1 FROM broadcast_recipients x JOIN job_seekers s ON s.id = x.seeker_id WHERE x.notification_id = n.id AND s.poor)
			OR EXISTS (SELECT 1 FROM broadcast_villagers x JOIN villagers v ON v.id = x.villager_id WHERE x.notification_id = n.id AND v.poor) THEN 'poor' ELSE 'not' END
			FROM notifications n WHERE n.entity = 'broadcasts' AND n.entity_id = $1 ORDER BY n.id LIMIT 1`, strconv.FormatInt(got.ID, 10)).Scan(&firstPoor)
		if firstPoor != "poor" {
			t.Errorf("the first message of the broadcast went to a household that is not poor")
		}

		// No signature set: nothing is sent, and the form says why.
		if err := db.SetSetting(t.Context(), db.W, "430821", fugong.SettingSMSSignature, ""); err != nil {
			t.Fatal(err)
		}
		if status, b = api.JSON("POST", "/api/v1/broadcasts", map[string]any{"text": "招工", "villages": []string{village}}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), "短信签名") {
			t.Errorf("a broadcast without a signature: %d %s, want 422 saying the signature is missing", status, b)
		}
	})
}
