package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// Dates that cannot be: a worker's check on 0000-01-01 or 9999-12-31, a payment dated
// after today. Each is refused naming the field; nothing is written.
func TestImpossibleDatesAreRefused(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var worker int64
		db.QueryRow(`SELECT id FROM workers WHERE status = '在岗' ORDER BY id LIMIT 1`).Scan(&worker)
		c := env.APIClient(t, "command")
		for _, day := range []string{"0000-01-01", "9999-12-31"} {
			status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", worker), map[string]any{"day": day, "slot": "am", "temperature_tenths": 365})
			if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"day"`) {
				t.Errorf("a check on %s: %d %s, want 422 naming day", day, status, b)
			}
		}
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM worker_checks WHERE day IN ('0000-01-01', '9999-12-31')`).Scan(&n)
		if n != 0 {
			t.Errorf("%d impossible checks were written", n)
		}

		var target entitlementBody
		for _, e := range entitlementsOf(t, c, "status=approved") {
			if e.AmountFen > 0 {
				target = e
				break
			}
		}
		status, b := env.APIClient(t, "dept10").JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", target.ID),
			map[string]any{"amount_fen": target.AmountFen, "paid_on": "2020-03-10", "voucher": "慈财付〔2020〕999号"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"paid_on"`) {
			t.Errorf("a payment dated tomorrow: %d %s, want 422 naming paid_on", status, b)
		}
	})
}
