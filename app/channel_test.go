package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fugong/app/apptest"
)

// robotReceiver is a group robot on 127.0.0.1: it keeps each message it is sent and, for
// a signed DingTalk robot, checks the signature as DingTalk does.
type robotReceiver struct {
	mu       sync.Mutex
	texts    []string
	bodies   []map[string]any
	secret   string
	errcode  int
	badSigns int
}

func (rr *robotReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.secret != "" {
		ts, sign := r.URL.Query().Get("timestamp"), r.URL.Query().Get("sign")
		mac := hmac.New(sha256.New, []byte(rr.secret))
		mac.Write([]byte(ts + "\n" + rr.secret))
		if sign != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			rr.badSigns++
			io.WriteString(w, `{"errcode":310000,"errmsg":"sign not match"}`)
			return
		}
	}
	b, _ := io.ReadAll(r.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	rr.bodies = append(rr.bodies, m)
	if t, ok := m["text"].(map[string]any); ok {
		rr.texts = append(rr.texts, t["content"].(string))
	}
	if rr.errcode != 0 {
		io.WriteString(w, `{"errcode":`+strconv.Itoa(rr.errcode)+`,"errmsg":"invalid webhook url"}`)
		return
	}
	io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
}

func (rr *robotReceiver) got() []string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return append([]string(nil), rr.texts...)
}

func TestGroupRobotsPerOrgUnitGetNewDemandsSignedAndTested(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ding := &robotReceiver{secret: "SECtest-secret-0001"}
		dingSrv := httptest.NewServer(ding)
		defer dingSrv.Close()
		broken := &robotReceiver{errcode: 93000}
		brokenSrv := httptest.NewServer(broken)
		defer brokenSrv.Close()
		var command, township int64
		liaisonEnt := enterpriseOf(t, env, "liaison001")
		var town string
		env.App.DB.R.QueryRow(`SELECT township FROM enterprises WHERE id = $1`, liaisonEnt).Scan(&town)
		env.App.DB.R.QueryRow(`SELECT MIN(id) FROM org_units WHERE kind = 'command'`).Scan(&command)
		env.App.DB.R.QueryRow(`SELECT MIN(id) FROM org_units WHERE kind = 'township' AND region = $1`, town).Scan(&township)
		if command == 0 || township == 0 {
			t.Fatalf("the demo county has no command (%d) or township office (%d) for %s", command, township, town)
		}
		c := env.Login(t, "command")
		status, _, body := c.Form("/channels", url.Values{"name": {"指挥部钉钉群"}, "org_unit_id": {strconv.FormatInt(command, 10)}, "kind": {"dingtalk"},
			"webhook": {dingSrv.URL + "/robot/send?access_token=abc"}, "secret": {ding.secret}, "at_mobiles": {"139 0744 0001"}, "events": {"demand.new", "demand.late"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add the DingTalk robot: %d %.400s", status, body)
		}
		status, _, body = c.Form("/channels", url.Values{"name": {"乡镇企业微信群"}, "org_unit_id": {strconv.FormatInt(township, 10)}, "kind": {"wecom"},
			"webhook": {brokenSrv.URL + "/cgi-bin/webhook/send?key=k"}, "events": {"demand.new"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add the WeCom robot: %d %.400s", status, body)
		}
		status, _, body = c.Form("/channels", url.Values{"name": {"x"}, "org_unit_id": {strconv.FormatInt(command, 10)}, "kind": {"wecom"}, "webhook": {"not a url"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Webhook 地址") {
			t.Fatalf("a bad webhook: %d, want 422 naming it", status)
		}
		var dingID, wecomID int64
		env.App.DB.R.QueryRow(`SELECT id FROM notify_channels WHERE kind = 'dingtalk'`).Scan(&dingID)
		env.App.DB.R.QueryRow(`SELECT id FROM notify_channels WHERE kind = 'wecom'`).Scan(&wecomID)
		// The test button: the signed robot answers errcode 0; the other's errcode is a failure with its reason.
		_, _, body = c.Form("/channels/"+strconv.FormatInt(dingID, 10)+"/test", nil)
		if !strings.Contains(body, "测试消息已送达") || !strings.Contains(body, `&#34;errcode&#34;:0`) || ding.badSigns != 0 {
			t.Fatalf("test the signed DingTalk robot: the page does not show its answer as delivered (bad signatures %d): %.600s", ding.badSigns, body)
		}
		_, _, body = c.Form("/channels/"+strconv.FormatInt(wecomID, 10)+"/test", nil)
		if !strings.Contains(body, "测试消息未送达") || !strings.Contains(body, "93000") {
			t.Fatalf("test the robot answering errcode 93000: not shown as a failure with its reason")
		}
		// A new demand reaches the command's group as it arrives, with the @mobile.
		api := env.APIClient(t, "liaison001")
		if status, b := api.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": liaisonEnt, "category": "supplies",
			"description": "急需口罩300个", "quantity": 300, "fields": map[string]string{"item": "口罩"}}); status != http.StatusCreated {
			t.Fatalf("raise: %d %s", status, b)
		}
		env.App.Notify.RunDue(context.Background())
		got := ding.got()
		if len(got) != 2 || !strings.Contains(got[1], "急需口罩300个") {
			t.Fatalf("the command's DingTalk group got %q, want the test and the new demand", got)
		}
		at, _ := ding.bodies[1]["at"].(map[string]any)
		if m, _ := at["atMobiles"].([]any); len(m) != 1 || m[0] != "13907440001" {
			t.Errorf("the demand's message does not @ the mobile: %v", ding.bodies[1]["at"])
		}
		// The township's robot answered errcode 93000: the demand's page says so.
		var demandID int64
		env.App.DB.R.QueryRow(`SELECT MAX(id) FROM demands`).Scan(&demandID)
		var lastErr string
		env.App.DB.R.QueryRow(`SELECT last_error FROM notifications WHERE recipient = $1`, "channel:"+strconv.FormatInt(wecomID, 10)).Scan(&lastErr)
		if !strings.Contains(lastErr, "93000") {
			t.Errorf("the township robot's failure is recorded as %q, want its errcode", lastErr)
		}
		_, page := c.Page("/demands/" + strconv.FormatInt(demandID, 10))
		if !strings.Contains(page, "93000") {
			t.Errorf("the demand's timeline does not show the robot's failure")
		}
	})
}
