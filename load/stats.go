package load

import (
	"fmt"
	"math/rand/v2"
	"net/http"
)

// The command's reading pages at province scale (issue 10): the dashboard of the day, the
// first page of the county's enterprise list with its total, and the demand figures by
// another dimension than category.
func init() {
	for _, op := range []Op{
		{Name: "dashboard", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/dashboard?date=2020-03-09", nil
			}},
		{Name: "enterprise_first", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/enterprises?limit=50", nil
			}},
		// A province's command (an account named province): its counties on the day, and
		// the demand figures over them by county.
		{Name: "province", Role: "province", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/province?date=2020-03-09", nil
			}},
		{Name: "province_demands", Role: "province", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/demands?by=" + []string{"county", "category", "day"}[rnd.IntN(3)], nil
			}},
		{Name: "stats_demands_by", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				by := []string{"township", "liaison", "department", "day"}[rnd.IntN(4)]
				return "GET", fmt.Sprintf("/api/v1/stats/demands?by=%s", by), nil
			}},
	} {
		Ops[op.Name] = op
	}
}
