package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/demo"
)

// The registry refuses what the offices' rules forbid, naming the field: a contact phone that
// is no phone, 已复工 without a date or an approved declaration (by form and by ledger), a
// township officer putting an enterprise in another township. Nothing is written.
func TestRegistryRulesRefuseNamingTheField(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var id, version int64
		var officer, town, townName, uscc, name string
		env.App.DB.R.QueryRow(`SELECT u.username, e.id, e.version, e.township, e.uscc, e.name FROM enterprises e JOIN users u ON u.region = e.township
			WHERE u.role = 'township' AND e.status = '未复工'
			AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.enterprise_id = e.id AND d.state = 'approved') ORDER BY e.id LIMIT 1`).Scan(&officer, &id, &version, &town, &uscc, &name)
		env.App.DB.R.QueryRow(`SELECT name FROM regions WHERE code = $1`, town).Scan(&townName)
		var other string
		env.App.DB.R.QueryRow(`SELECT code FROM regions WHERE level = 'township' AND code <> $1 ORDER BY code LIMIT 1`, town).Scan(&other)
		if id == 0 || other == "" {
			t.Fatal("the demo has no enterprise to try")
		}
		path := fmt.Sprintf("/enterprises/%d", id)
		v := url.Values{"name": {name}, "uscc": {uscc}, "township": {town}, "version": {fmt.Sprint(version)}, "contact_phone": {"12345"}}
		expect := func(c *apptest.Client, v url.Values, wants ...string) {
			t.Helper()
			status, _, body := c.Form(path, url.Values(maps.Clone(v)))
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("%v: %d, want 422", v, status)
			}
			for _, w := range wants {
				if !strings.Contains(body, w) {
					t.Errorf("%v: the page does not say %q", v, w)
				}
			}
		}
		command := env.Login(t, "command")
		expect(command, v, "联系电话应为11位手机号")
		v.Set("contact_phone", "0744-5221234")
		v.Set("status", "已复工")
		expect(command, v, "必须填写复工日期", "须有经乡镇和行业部门审核同意的复工申报")
		v.Set("resumed_on", "2020-03-05")
		expect(command, v, "须有经乡镇和行业部门审核同意的复工申报")

		v.Del("status")
		v.Del("resumed_on")
		v.Set("township", other)
		expect(env.Login(t, officer), v, "不能把企业登记或改到其他乡镇")
		api := env.APIClient(t, officer)
		status, body := api.JSON("POST", "/api/v1/enterprises", map[string]any{"name": "跨镇登记有限公司", "uscc": demo.USCC(demo.County, 9301, false), "township": other})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"township"`) {
			t.Errorf("a township registering in another: %d %s, want 422 naming township", status, body)
		}

		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{"企业名称", "统一社会信用代码", "乡镇", "状态", "复工日期"})
		w.Write([]string{name, uscc, townName, "已复工", ""})
		w.Flush()
		status, page := upload(t, command, "enterprises", "ledger.csv", b.Bytes())
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 2 行 · 复工日期") {
			t.Errorf("a ledger marking 已复工 without a date: %d, want 422 naming 第 2 行 · 复工日期", status)
		}
		b.Reset()
		w.Write([]string{"企业名称", "统一社会信用代码", "乡镇", "状态", "复工日期"})
		w.Write([]string{name, uscc, townName, "已复工", "2020-03-05"})
		w.Flush()
		status, page = upload(t, command, "enterprises", "ledger.csv", b.Bytes())
		m := regexp.MustCompile(`/ledgers/uploads/([0-9a-f]+)/commit`).FindStringSubmatch(page)
		if status != http.StatusOK || m == nil {
			t.Fatalf("a dated ledger row: %d, no commit button", status)
		}
		if status, _, page := command.Form("/ledgers/uploads/"+m[1]+"/commit", nil); status != http.StatusUnprocessableEntity || !strings.Contains(page, "第 2 行 · 状态") {
			t.Errorf("committing 已复工 without an approved declaration: %d, want 422 naming 第 2 行 · 状态", status)
		}

		var st, tw, phone string
		env.App.DB.R.QueryRow(`SELECT status, township, contact_phone FROM enterprises WHERE id = $1`, id).Scan(&st, &tw, &phone)
		if st != "未复工" || tw != town || phone == "12345" || phone == "0744-5221234" {
			t.Errorf("after the refusals: %s in %s, phone %q; nothing should have changed", st, tw, phone)
		}
	})
}

// A poverty workshop's declaration, once the township approves it, reaches the department
// that supervises workshops (人社局, dept03 in the demo), which can open and decide it.
func TestWorkshopDeclarationReachesItsDepartment(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var id, version int64
		var township string
		env.App.DB.R.QueryRow(`SELECT d.id, d.version, u.username FROM declarations d JOIN enterprises e ON e.id = d.enterprise_id
			JOIN users u ON u.region = e.township AND u.role = 'township' WHERE e.workshop AND d.state = 'township' ORDER BY d.id LIMIT 1`).Scan(&id, &version, &township)
		if id == 0 {
			t.Fatal("the demo has no workshop declaration at the township")
		}
		path := fmt.Sprintf("/declarations/%d", id)
		if status, _, _ := env.Login(t, township).Form(path+"/review", url.Values{"version": {fmt.Sprint(version)}, "decision": {"approve"}, "reason": {"车间防控到位"}}); status != http.StatusSeeOther {
			t.Fatalf("township review: %d", status)
		}
		dept := env.Login(t, "dept03")
		if status, page := dept.Page("/declarations?state=department"); status != http.StatusOK || !strings.Contains(page, path) {
			t.Errorf("人社局's list of declarations to review does not hold the workshop's (%d)", status)
		}
		if status, _, _ := dept.Form(path+"/review", url.Values{"version": {fmt.Sprint(version + 1)}, "decision": {"approve"}, "reason": {"符合复工条件"}}); status != http.StatusSeeOther {
			t.Errorf("人社局 deciding the workshop's declaration: %d, want 303", status)
		}
	})
}
