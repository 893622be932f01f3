package load

import (
	"math/rand/v2"
	"net/http"
)

// The command's health figures: the county's totals by township (workers, the day's
// alerts and checks, supplies, TCM) and the whole dashboard, whose health panel reads
// the same totals.
func init() {
	for _, op := range []Op{
		{Name: "health_totals", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/health/townships", nil
			}},
		{Name: "dashboard", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/dashboard?date=2020-03-09", nil
			}},
	} {
		if _, taken := Ops[op.Name]; !taken {
			Ops[op.Name] = op
		}
	}
}
