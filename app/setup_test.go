package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/store/storetest"
)

// emptyCounty starts an install with nothing in it but the first admin, made as the
// README says (`fugong user add --role admin --county 430821 …`).
func emptyCounty(t *testing.T, dialect string) *apptest.Env {
	t.Helper()
	env := apptest.New(t, dialect, apptest.Options{NoDemo: true})
	env.AddUser(t, fugong.User{Username: "it-admin", Role: fugong.RoleAdmin, County: "430821"})
	return env
}

// uscc makes a well-formed credit code from a region code and an eight-character body:
// both check characters (GB 11714 for the organisation code, GB 32100 for the whole).
func uscc(region, body string) string {
	first17 := "91" + region + body + string(fugong.OrgCodeCheckChar(body))
	return first17 + string(fugong.USCCCheckChar(first17))
}

func TestFirstEnterpriseOnAnEmptyInstallIsAFieldErrorNotA500(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := emptyCounty(t, d)
			api := env.APIClient(t, "it-admin")
			status, body := api.JSON("POST", "/api/v1/enterprises", map[string]any{"name": "联兴新材料", "uscc": uscc("430821", "MA4L0000"),
				"township": "430821101000", "focus_area": "工矿企业"})
			var e struct {
				Error struct{ Fields map[string]string }
			}
			json.Unmarshal(body, &e)
			if status != http.StatusUnprocessableEntity || e.Error.Fields["township"] == "" {
				t.Fatalf("API: first enterprise with no regions loaded: %d %s, want 422 naming township", status, body)
			}
			c := env.Login(t, "it-admin")
			status, _, page := c.Form("/enterprises", url.Values{"name": {"联兴新材料"}, "uscc": {uscc("430821", "MA4L0000")},
				"township": {"430821101000"}, "focus_area": {"工矿企业"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, "开通向导") {
				t.Fatalf("page: %d, want 422 pointing to the set-up page; body %.300s", status, page)
			}
		})
	}
}
