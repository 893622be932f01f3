package load

import (
	"fmt"
	"math/rand/v2"
	"net/http"
)

// The morning's writes and the command's reads: an enterprise raises a demand and sends
// its daily report; the command looks at the statistics.
func init() {
	for _, op := range []Op{
		{Name: "demand_create", Role: "enterprise", Want: http.StatusCreated,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "POST", "/api/v1/demands", map[string]any{
					"enterprise_id": a.EnterpriseID, "category": "supplies", "quantity": 300, "unit": "个",
					"fields":      map[string]string{"item": "口罩"},
					"description": fmt.Sprintf("员工按照70%%到岗率计算，大概需要300个口罩，目前存量能够支持5天左右（%d）", n),
				}
			}},
		// A second report the same day edits the first and answers 200; both count. On duty
		// stays under the smallest payroll of the demo (8): more than the payroll is refused.
		{Name: "daily_report", Role: "enterprise", Want: wantOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "POST", "/api/v1/daily-reports", map[string]any{
					"enterprise_id": a.EnterpriseID, "on_duty": 1 + rnd.IntN(8), "capacity": 50 + rnd.IntN(50),
					"mask_stock": 300 + rnd.IntN(1000), "masks_used": 100 + rnd.IntN(100), "returned_outside": rnd.IntN(10),
				}
			}},
		{Name: "demand_list", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", fmt.Sprintf("/api/v1/demands?limit=50&offset=%d", rnd.IntN(4)*50), nil
			}},
		{Name: "stats_demands", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/demands", nil
			}},
		{Name: "stats_resumption", Role: "command", Want: http.StatusOK,
			Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
				return "GET", "/api/v1/stats/resumption?date=2020-03-09", nil
			}},
	} {
		Ops[op.Name] = op
	}
}

// wantOK as an Op's Want accepts any 2xx answer.
const wantOK = -1

// genAccount names the i-th account of a role in a county made by `fugong gen`.
func genAccount(role, county string, i int) string {
	switch role {
	case "liaison":
		return fmt.Sprintf("liaison-%s-%03d", county, i)
	case "township":
		return fmt.Sprintf("township-%s-%02d", county, (i-1)%10+1)
	}
	return role + "-" + county
}
