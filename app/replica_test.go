package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fugong/app"
	"fugong/app/apptest"
	"fugong/store/storetest"
)

// Answers of figures and exports read the read replica when fugong has one (--db-read)
// and say how far behind it is in X-Fugong-Replica-Lag and X-Fugong-Data-As-Of (in the
// OpenAPI document, which every answer here is checked against); other answers, and every
// answer without a replica, carry neither. The test points --db-read at the primary
// itself, which is not in recovery and so lags 0 s; ./ha measures a real replica's lag.
func TestFiguresAndExportsSayTheReplicaLag(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d, apptest.Options{Configure: func(c *app.Config) { c.ReadDB = c.DB }})
			replica := d == "postgres"
			check := func(what string, res *http.Response, want bool) {
				t.Helper()
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: %d", what, res.StatusCode)
					return
				}
				lag, asOf := res.Header.Get("X-Fugong-Replica-Lag"), res.Header.Get("X-Fugong-Data-As-Of")
				if !want {
					if lag != "" || asOf != "" {
						t.Errorf("%s: X-Fugong-Replica-Lag %q, X-Fugong-Data-As-Of %q without a replica read", what, lag, asOf)
					}
					return
				}
				at, err := time.Parse(time.RFC3339, asOf)
				if lag != "0" || err != nil || !at.Equal(env.Clock.Now().Truncate(time.Second)) {
					t.Errorf("%s: X-Fugong-Replica-Lag %q, X-Fugong-Data-As-Of %q; want 0 and %s", what, lag, asOf, env.Clock.Now().UTC().Format(time.RFC3339))
				}
			}
			addProvince(t, env, "hunan", "430000")
			command, hunan := env.APIClient(t, "command"), env.APIClient(t, "hunan")
			n := 0
			for _, op := range env.App.API.Ops {
				if !op.Replica {
					continue
				}
				c := command
				if strings.HasSuffix(op.Path, "/province") {
					c = hunan
				}
				check(op.Path, c.Do("GET", op.Path, "", nil, nil), replica)
				n++
			}
			if n < 10 {
				t.Errorf("only %d operations read the replica", n)
			}
			check("daily report as .xlsx", command.Do("GET", "/api/v1/reports/daily?format=xlsx", "", nil, nil), replica)
			check("enterprises (not figures)", command.Do("GET", "/api/v1/enterprises", "", nil, nil), false)
			page := env.Login(t, "command")
			for _, path := range []string{"/ledgers/enterprises/export", "/ledgers/enterprises/export?format=csv", "/liaison/scorecard.xlsx"} {
				check(path, page.Do("GET", path, "", nil, nil), replica)
			}
		})
	}
}
