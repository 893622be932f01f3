package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

func TestSettingsAreCheckedAuditedAndTakeEffectWithoutARestart(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"code":1,"msg":"余额不足"}`) // HTTP 200 with an error code
		}))
		defer gw.Close()
		c := env.Login(t, "command")
		status, _, body := c.Form("/settings", url.Values{"demand.late_hour": {"25:99"}, isolationDays: {"21"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "22:00 的格式") {
			t.Fatalf("a bad late hour: %d, want 422 naming it", status)
		}
		if v, _ := env.App.DB.Setting(context.Background(), "430821", isolationDays, ""); v == "21" {
			t.Fatalf("a refused form saved isolation days %q", v)
		}
		status, _, body = c.Form("/settings", url.Values{isolationDays: {"21"}, "demand.solution_hours.supplies": {"12"},
			"sms.url": {gw.URL}, "sms.success": {"code=0"}, "sms.signature": {"【慈利县指挥部】"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save settings: %d %.500s", status, body)
		}
		var audited int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'settings' AND username = 'command' AND entity_id IN ('health.isolation_days', 'demand.solution_hours.supplies')`).Scan(&audited)
		if audited != 2 {
			t.Errorf("%d audit lines for the two settings changed", audited)
		}
		// The solution clock of the next supplies demand is 12 h, not the default 24 h.
		api := env.APIClient(t, "command")
		if status, b := api.JSON("POST", "/api/v1/demands", map[string]any{"enterprise_id": enterpriseOf(t, env, "liaison001"), "category": "supplies",
			"description": "口罩", "quantity": 10, "fields": map[string]string{"item": "口罩"}}); status != http.StatusCreated {
			t.Fatalf("raise: %d %s", status, b)
		}
		var received, due int64
		env.App.DB.R.QueryRow(`SELECT received_at, solution_due FROM demands WHERE id = (SELECT MAX(id) FROM demands)`).Scan(&received, &due)
		if due-received != 12*3600*1000 {
			t.Errorf("solution clock %d h after the setting, want 12", (due-received)/3600000)
		}
		// The gateway configured on the page answers 200 with code 1: a failure, with its reason.
		n := fugong.Notification{County: "430821", Channel: fugong.ChannelSMS, Recipient: "13907440001", Body: "测试"}
		if err := env.App.DB.EnqueueNotification(context.Background(), env.App.DB.W, &n); err != nil {
			t.Fatal(err)
		}
		env.App.Notify.RunDue(context.Background())
		var state, lastErr string
		env.App.DB.R.QueryRow(`SELECT state, last_error FROM notifications WHERE id = $1`, n.ID).Scan(&state, &lastErr)
		if state == "sent" || !strings.Contains(lastErr, "余额不足") {
			t.Errorf("an SMS the gateway refused with code 1 is %s (%q)", state, lastErr)
		}
	})
}

const isolationDays = "health.isolation_days"
