package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"
)

type entitlementBody struct {
	ID           int64  `json:"id"`
	PolicyID     int64  `json:"policy_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	AmountFen    int64  `json:"amount_fen"`
	Status       string `json:"status"`
	Version      int64  `json:"version"`
	Payment      *struct {
		AmountFen int64  `json:"amount_fen"`
		Voucher   string `json:"voucher"`
	} `json:"payment"`
}

func getJSON[T any](t *testing.T, c *apptest.Client, path string) T {
	t.Helper()
	status, body := c.JSON("GET", path, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

// policyIDs maps the catalogue's numbers to policy ids.
func policyIDs(t *testing.T, c *apptest.Client) map[int]int64 {
	t.Helper()
	l := getJSON[struct {
		Items []struct {
			ID     int64 `json:"id"`
			Number int   `json:"number"`
		} `json:"items"`
	}](t, c, "/api/v1/policies?limit=100")
	out := map[int]int64{}
	for _, p := range l.Items {
		out[p.Number] = p.ID
	}
	return out
}

func entitlementsOf(t *testing.T, c *apptest.Client, query string) []entitlementBody {
	t.Helper()
	return getJSON[struct {
		Items []entitlementBody `json:"items"`
	}](t, c, "/api/v1/entitlements?limit=1000&"+query).Items
}

func TestRuleThatDoesNotCompileReachesTheUser(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		const bad = "above_scal && park_tenant"
		const compiler = "undeclared reference to &#39;above_scal&#39;"
		web := env.Login(t, "dept02")
		if status, body := web.Page("/policies/new"); status != http.StatusOK || !strings.Contains(body, "monthly_rent") {
			t.Fatalf("editor: %d; the facts are not listed beside it", status)
		}
		status, _, body := web.Form("/policies", url.Values{"title": {"测试"}, "mode": {"automatic"}, "eligibility_rule": {bad}, "amount_rule": {"monthly_rent"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad rule on the page: %d, want 422", status)
		}
		if !strings.Contains(body, "规则无法通过编译") || !strings.Contains(body, compiler) || !strings.Contains(body, "above_scal &amp;&amp; park_tenant") {
			t.Errorf("the page does not show the compiler's message at the field with the rule kept:\n%s", body)
		}
		api := env.APIClient(t, "dept02")
		status, raw := api.JSON("POST", "/api/v1/policies", map[string]any{"title": "测试", "department_id": 1, "mode": "automatic", "eligibility_rule": bad, "amount_rule": "payroll * 1.5"})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad rule on the API: %d %s, want 422", status, raw)
		}
		var e struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		json.Unmarshal(raw, &e)
		if !strings.Contains(e.Error.Fields["eligibility_rule"], "undeclared reference to 'above_scal'") {
			t.Errorf("fields.eligibility_rule = %q", e.Error.Fields["eligibility_rule"])
		}
		if !strings.Contains(e.Error.Fields["amount_rule"], "no matching overload") {
			t.Errorf("a float amount is not refused: fields.amount_rule = %q", e.Error.Fields["amount_rule"])
		}
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM policies WHERE title = '测试'`).Scan(&n)
		if n != 0 {
			t.Errorf("a policy whose rule does not compile was saved")
		}
	})
}

// TestDemoRulesEntitleTheRightEnterprises computes the three seed measures in plain Go from
// the enterprises table and compares with what the rules produced.
func TestDemoRulesEntitleTheRightEnterprises(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		want := map[int]map[int64]int64{1: {}, 2: {}, 3: {}}
		rows, err := env.App.DB.R.Query(`SELECT id, above_scale, park_tenant, monthly_rent, payroll, status, resumed_on FROM enterprises WHERE region_code = $1`, demo.County)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, rent, payroll int64
			var above, park bool
			var status, resumed string
			if err := rows.Scan(&id, &above, &park, &rent, &payroll, &status, &resumed); err != nil {
				t.Fatal(err)
			}
			if above && park {
				want[1][id] = rent
			}
			if above && resumed != "" && resumed <= "2020-02-29" {
				want[2][id] = payroll * demo.SubsidyPerEmployee
			}
			if status == fugong.StatusResumed && payroll > 0 {
				want[3][id] = 0
			}
		}
		rows.Close()
		c := env.APIClient(t, "command")
		ids := policyIDs(t, c)
		if len(ids) != 15 {
			t.Errorf("the catalogue has %d measures, want 15", len(ids))
		}
		paid := 0
		for n := 1; n <= 3; n++ {
			got := map[int64]int64{}
			for _, e := range entitlementsOf(t, c, "policy_id="+strconv.FormatInt(ids[n], 10)) {
				got[e.EnterpriseID] = e.AmountFen
				if e.Status == fugong.EntitlementPaid {
					paid++
				}
			}
			if len(want[n]) == 0 {
				t.Fatalf("measure %d: the demo county has no eligible enterprise", n)
			}
			if fmt.Sprint(got) != fmt.Sprint(want[n]) {
				t.Errorf("measure %d: %d entitlements, want %d\n got %v\nwant %v", n, len(got), len(want[n]), got, want[n])
			}
			// The preview of the same rules gives the same enterprises and total.
			p := getJSON[map[string]any](t, c, "/api/v1/policies/"+strconv.FormatInt(ids[n], 10))
			status, raw := c.JSON("POST", "/api/v1/policies/preview", map[string]any{"title": p["title"], "department_id": p["department_id"], "mode": "automatic",
				"eligibility_rule": p["eligibility_rule"], "amount_rule": p["amount_rule"]})
			var pv struct {
				Total          int   `json:"total"`
				TotalAmountFen int64 `json:"total_amount_fen"`
			}
			json.Unmarshal(raw, &pv)
			var sum int64
			for _, v := range want[n] {
				sum += v
			}
			if status != http.StatusOK || pv.Total != len(want[n]) || pv.TotalAmountFen != sum {
				t.Errorf("measure %d preview: %d %+v, want %d enterprises and %d fen", n, status, pv, len(want[n]), sum)
			}
		}
		if paid == 0 {
			t.Errorf("no demo entitlement is paid")
		}
	})
}

func TestNoDoublePaymentUnderConcurrentRequests(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		var target entitlementBody
		for _, e := range entitlementsOf(t, c, "status=approved") {
			if e.AmountFen > 0 {
				target = e
				break
			}
		}
		if target.ID == 0 {
			t.Fatal("no approved entitlement awaiting payment in the demo")
		}
		finance := env.APIClient(t, "dept10") // 县财政局, the payer
		const n = 8
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i], _ = finance.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", target.ID),
					map[string]any{"amount_fen": target.AmountFen, "paid_on": "2020-03-09", "voucher": fmt.Sprintf("测试〔2020〕%d号", i)})
			}()
		}
		close(start)
		wg.Wait()
		created, conflicts := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
				conflicts++
			}
		}
		if created != 1 || conflicts != n-1 {
			t.Errorf("concurrent payments answered %v: want one 201 and %d 409", statuses, n-1)
		}
		var rows int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM payments WHERE entitlement_id = $1`, target.ID).Scan(&rows)
		if rows != 1 {
			t.Errorf("%d payments recorded for one entitlement", rows)
		}
		status, _ := finance.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/payment", target.ID), map[string]any{"amount_fen": target.AmountFen, "paid_on": "2020-03-09", "voucher": "later"})
		if status != http.StatusConflict {
			t.Errorf("a later second payment: %d, want 409", status)
		}
	})
}

func TestEnterpriseSeesOnlyItsOwnEntitlements(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var own int64
		env.App.DB.R.QueryRow(`SELECT enterprise_id FROM users WHERE username = 'enterprise001'`).Scan(&own)
		api := env.APIClient(t, "enterprise001")
		mine := entitlementsOf(t, api, "")
		if len(mine) == 0 {
			t.Fatal("enterprise001 (an above-scale park tenant) has no entitlement")
		}
		for _, e := range mine {
			if e.EnterpriseID != own {
				t.Fatalf("enterprise001 sees entitlement %d of enterprise %d", e.ID, e.EnterpriseID)
			}
		}
		if got := entitlementsOf(t, api, "enterprise_id=2"); len(got) != 0 {
			t.Errorf("a filter for another enterprise returned %d rows", len(got))
		}
		var other int64
		env.App.DB.R.QueryRow(`SELECT MIN(id) FROM entitlements WHERE enterprise_id <> $1`, own).Scan(&other)
		if status, _ := api.JSON("GET", fmt.Sprintf("/api/v1/entitlements/%d", other), nil); status != http.StatusNotFound {
			t.Errorf("API: another's entitlement answered %d, want 404", status)
		}
		web := env.Login(t, "enterprise001")
		if status, _ := web.Page(fmt.Sprintf("/entitlements/%d", other)); status != http.StatusNotFound {
			t.Errorf("page: another's entitlement answered %d, want 404", status)
		}
		if status, _, _ := web.Form(fmt.Sprintf("/entitlements/%d/dispute", other), url.Values{"dispute": {"x"}}); status != http.StatusNotFound {
			t.Errorf("disputing another's entitlement answered %d, want 404", status)
		}
		status, body := web.Page("/entitlements")
		if status != http.StatusOK || !strings.Contains(body, "2月厂房租金全免") || strings.Contains(body, "慈利宏发油脂") {
			t.Errorf("the enterprise's page does not show its own entitlements only (%d)", status)
		}
		var notes int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'enterprise001' AND n.entity = 'entitlements' AND n.channel = 'inapp'`).Scan(&notes)
		if notes == 0 {
			t.Errorf("enterprise001 was not notified of its entitlements")
		}
	})
}

// TestReviewDisputeApplyAndRecompute walks the rest of the workflow: a rejection needs a
// reason, a dispute goes to the issuing department, an application becomes an entitlement,
// and a change of an enterprise's facts recomputes through the job queue.
func TestReviewDisputeApplyAndRecompute(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		cmd := env.APIClient(t, "command")
		ids := policyIDs(t, cmd)
		dept := env.APIClient(t, "dept02") // 工信局 issues measures 1 and 2
		pending := entitlementsOf(t, cmd, "status=pending&policy_id="+strconv.FormatInt(ids[2], 10))
		if len(pending) == 0 {
			t.Fatal("no pending subsidy in the demo")
		}
		e := pending[0]
		status, raw := dept.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/review", e.ID), map[string]any{"decision": "reject", "version": e.Version})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `"reason"`) {
			t.Errorf("a rejection without a reason: %d %s", status, raw)
		}
		if status, _ := env.APIClient(t, "dept01").JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/review", e.ID), map[string]any{"decision": "approve", "version": e.Version}); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("another department reviewed the subsidy: %d", status)
		}
		status, raw = dept.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/review", e.ID), map[string]any{"decision": "reject", "reason": "员工人数待核实", "version": e.Version})
		if status != http.StatusOK || !strings.Contains(string(raw), `"status":"rejected"`) {
			t.Fatalf("reject: %d %s", status, raw)
		}
		var user string
		env.App.DB.R.QueryRow(`SELECT username FROM users WHERE enterprise_id = $1`, e.EnterpriseID).Scan(&user)
		ent := env.APIClient(t, user)
		status, raw = ent.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/dispute", e.ID), map[string]any{"dispute": "在册员工人数以社保名单为准"})
		if status != http.StatusOK || !strings.Contains(string(raw), `"status":"disputed"`) {
			t.Fatalf("dispute: %d %s", status, raw)
		}
		var toDept int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'dept02' AND n.entity_id = $1`, strconv.FormatInt(e.ID, 10)).Scan(&toDept)
		if toDept == 0 {
			t.Errorf("the dispute did not reach the department")
		}

		// Application: measure 4 pays 1,000 yuan per new hire declared.
		status, raw = ent.JSON("POST", fmt.Sprintf("/api/v1/policies/%d/apply", ids[4]), map[string]any{"declared": map[string]int64{}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "declared.new_hires") {
			t.Errorf("an application without the declared value: %d %s", status, raw)
		}
		status, raw = ent.JSON("POST", fmt.Sprintf("/api/v1/policies/%d/apply", ids[4]), map[string]any{"declared": map[string]int64{"new_hires": 3}})
		var applied entitlementBody
		json.Unmarshal(raw, &applied)
		if status != http.StatusCreated || applied.AmountFen != 300000 || applied.Status != fugong.EntitlementPending {
			t.Errorf("apply: %d %s", status, raw)
		}

		// Recompute: an auto-approved rent waiver becomes void when the lease ends.
		var target entitlementBody
		for _, x := range entitlementsOf(t, cmd, "status=approved&policy_id="+strconv.FormatInt(ids[1], 10)) {
			target = x
			break
		}
		if target.ID == 0 {
			t.Fatal("no unpaid rent waiver in the demo")
		}
		sc := fugong.Scope{Role: fugong.RoleCommand, County: demo.County}
		if _, err := env.App.DB.UpdateEnterprise(ctx, sc, target.EnterpriseID, 0, func(e *fugong.Enterprise) error { e.ParkTenant = false; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		got := getJSON[entitlementBody](t, cmd, fmt.Sprintf("/api/v1/entitlements/%d", target.ID))
		if got.Status != fugong.EntitlementVoid {
			t.Errorf("after the lease ended the waiver is %q, want void", got.Status)
		}
	})
}

func TestPolicyPagesAndLedger(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "dept10")
		for _, p := range []string{"/policies", "/policies/1", "/policies/2", "/entitlements", "/entitlements?status=paid"} {
			if status, _ := c.Page(p); status != http.StatusOK {
				t.Errorf("%s: %d", p, status)
			}
		}
		res := c.Do("GET", "/entitlements.xlsx", "", nil, nil)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("ledger export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		// Publish from the page: a new draft computes its entitlements.
		d := env.Login(t, "dept02")
		d.Page("/policies/new")
		status, loc, _ := d.Form("/policies", url.Values{"title": {"测试：园区企业补贴"}, "mode": {"automatic"}, "eligibility_rule": {`focus_area == "园区企业"`}, "amount_rule": {"100000"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d", status)
		}
		_, body := d.Page(loc)
		if !strings.Contains(body, "草稿") {
			t.Errorf("a new policy is not a draft")
		}
		status, _, body = d.Form("/policies/preview", url.Values{"title": {"x"}, "mode": {"automatic"}, "eligibility_rule": {`focus_area == "园区企业"`}, "amount_rule": {"100000"}})
		if status != http.StatusOK || !strings.Contains(body, `id="preview"`) {
			t.Errorf("preview: %d", status)
		}
		id := strings.TrimPrefix(loc, "/policies/")
		status, _, _ = d.Form(loc+"/publish", url.Values{"version": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("publish: %d", status)
		}
		var n, want int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM entitlements WHERE policy_id = $1`, id).Scan(&n)
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE focus_area = '园区企业'`).Scan(&want)
		if n != want || n == 0 {
			t.Errorf("publishing made %d entitlements, want %d", n, want)
		}
	})
}
