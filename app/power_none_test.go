package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"fugong/app/apptest"
)

// A day with no power reading has nothing measured: the power indexes say — on the page
// and null in the API, never 0 %, while the declared rate beside them, which has
// enterprises to count, stays a number.
func TestPowerIndexOfNothingMeasuredSaysDash(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		status, body := env.APIClient(t, "command").JSON("GET", "/api/v1/stats/power?date=2020-02-01", nil)
		var p map[string]any
		json.Unmarshal(body, &p)
		if status != http.StatusOK || p["measured"] != float64(0) || p["resumption_index"] != nil || p["production_index"] != nil {
			t.Errorf("power of a day with no reading: %d %s; want null indexes", status, body)
		}
		if _, ok := p["declared_rate"].(float64); !ok {
			t.Errorf("the declared rate of a county with enterprises is not a number: %s", body)
		}
		_, page := env.Login(t, "command").Page("/power?date=2020-02-01")
		for _, id := range []string{"power-resumption", "power-production"} {
			m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(page)
			if m == nil || m[1] != "—" {
				t.Errorf("%s of a day with no reading: %q, want —", id, m)
			}
		}
	})
}
