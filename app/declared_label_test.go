package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// textIn is what a person reads of the part of a page from the first `from` to the next
// `to` after it: the tags dropped, the spaces collapsed.
func textIn(t *testing.T, page, from, to string) string {
	t.Helper()
	i := strings.Index(page, from)
	if i < 0 {
		t.Fatalf("the page has no %s", from)
	}
	part := page[i:]
	if j := strings.Index(part, to); j >= 0 {
		part = part[:j]
	}
	part = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(part[strings.Index(part, ">")+1:], " ")
	return strings.Join(strings.Fields(part), " ")
}

type declaredFieldBody struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	Value int64  `json:"value"`
}

type policyLabelsBody struct {
	ID             int64               `json:"id"`
	Version        int64               `json:"version"`
	DeclaredFields []declaredFieldBody `json:"declared_fields"`
	LabelsMissing  []string            `json:"labels_missing"`
}

// measure4 finds the demo's measure 4 (1,000 元 per new hire declared, 人社局), the
// account of its department and an enterprise's account.
func measure4(t *testing.T, env *apptest.Env) (id int64, reviewer, entUser string) {
	t.Helper()
	db := env.App.DB.R
	id = policyIDs(t, env.APIClient(t, "command"))[4]
	var dept int64
	db.QueryRow(`SELECT department_id FROM policies WHERE id = $1`, id).Scan(&dept)
	db.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 ORDER BY id LIMIT 1`, dept).Scan(&reviewer)
	db.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' ORDER BY id LIMIT 1`).Scan(&entUser)
	if reviewer == "" || entUser == "" {
		t.Fatalf("measure 4 has no department account (%q) or no enterprise account (%q)", reviewer, entUser)
	}
	return id, reviewer, entUser
}

// A department writing a measure on application gives each value its rules read a
// Chinese label and a unit, on the form and in the API; without one the measure is refused
// naming the key.
func TestPolicyNeedsALabelForEachDeclaredKey(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		_, reviewer, _ := measure4(t, env)
		web := env.Login(t, reviewer)
		web.Page("/policies/new")
		form := url.Values{"title": {"以工代训补贴（测试）"}, "mode": {"application"},
			"eligibility_rule": {`applied && declared["trainees"] > 0`}, "amount_rule": {`declared["trainees"] * 50000`}}
		status, _, body := web.Form("/policies", form)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("a measure without labels: %d, want 422", status)
		}
		fields := textIn(t, body, `id="declared-fields"`, "</fieldset>")
		for _, want := range []string{`declared["trainees"]`, "申报项 trainees：请填写中文名称", "申报项 trainees 的单位：必填"} {
			if !strings.Contains(fields, want) {
				t.Errorf("the refused form's 申报项 lack %q: %s", want, fields)
			}
		}
		if !strings.Contains(body, `name="declared_label.trainees"`) || !strings.Contains(body, `name="declared_unit.trainees"`) {
			t.Errorf("the refused form offers no box for the label and unit of trainees")
		}
		form.Set("declared_label.trainees", "trainees")
		form.Set("declared_unit.trainees", "人")
		if status, _, body = web.Form("/policies", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "不要照抄键名") {
			t.Errorf("the key as its own label: %d, want 422 saying 不要照抄键名", status)
		}
		form.Set("declared_label.trainees", "以工代训职工人数")
		status, loc, _ := web.Form("/policies", form)
		if status != http.StatusSeeOther {
			t.Fatalf("a measure with its labels: %d, want 303", status)
		}
		_, body = web.Page(loc)
		if got := textIn(t, body, `id="declared-fields"`, "</table>"); !strings.Contains(got, "trainees 以工代训职工人数 人") {
			t.Errorf("the policy page lists the 申报项 as %q", got)
		}
		if strings.Contains(body, `id="labels-missing"`) {
			t.Errorf("a policy with every label says labels are missing")
		}

		api := env.APIClient(t, reviewer)
		in := map[string]any{"title": "以工代训补贴（接口）", "mode": "application", "eligibility_rule": `applied && declared["trainees"] > 0`,
			"amount_rule": `declared["trainees"] * 50000`}
		status, raw := api.JSON("POST", "/api/v1/policies", in)
		refused(t, "a measure without labels in the API", status, raw, "declared_label.trainees", "申报项 trainees：请填写中文名称")
		refused(t, "a measure without units in the API", status, raw, "declared_unit.trainees", "申报项 trainees 的单位")
		in["declared_fields"] = []map[string]string{{"key": "trainees", "label": " 以工代训职工人数 ", "unit": "人"}, {"key": "unread", "label": "没人读的数", "unit": "个"}}
		status, raw = api.JSON("POST", "/api/v1/policies", in)
		var p policyLabelsBody
		json.Unmarshal(raw, &p)
		if status != http.StatusCreated || len(p.DeclaredFields) != 1 || p.DeclaredFields[0] != (declaredFieldBody{Key: "trainees", Label: "以工代训职工人数", Unit: "人"}) || len(p.LabelsMissing) != 0 {
			t.Errorf("a measure with its labels in the API: %d %s; want its one label, trimmed, the unread key's dropped", status, raw)
		}
	})
}

// An enterprise applying to a measure on application is asked for 新招用员工数 in 人, not
// new_hires; what it declared shows by label on its entitlement, the office's correction
// form, the correction history, the ledger and the API.
func TestDeclaredValuesShowTheirLabels(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		policy, reviewer, entUser := measure4(t, env)
		ent := env.Login(t, entUser)
		page := fmt.Sprintf("/policies/%d", policy)
		_, body := ent.Page(page)
		form := textIn(t, body, `id="apply-form"`, "</form>")
		if !strings.Contains(form, "新招用员工数 人") || strings.Contains(form, "new_hires") {
			t.Errorf("the application form reads %q; want 新招用员工数 with its unit 人, and no key", form)
		}
		got := getJSON[policyLabelsBody](t, env.APIClient(t, entUser), "/api/v1"+page)
		if len(got.DeclaredFields) != 1 || got.DeclaredFields[0] != (declaredFieldBody{Key: "new_hires", Label: "新招用员工数", Unit: "人"}) {
			t.Errorf("the API's policy asks for %+v", got.DeclaredFields)
		}
		status, _, body := ent.Form(page+"/apply", url.Values{"declared.new_hires": {"三"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(textIn(t, body, `id="apply-form"`, "</form>"), "申报数据 新招用员工数：请填写整数") {
			t.Errorf("a refused application does not name 新招用员工数: %d", status)
		}
		status, loc, _ := ent.Form(page+"/apply", url.Values{"declared.new_hires": {"3"}})
		if status != http.StatusSeeOther {
			t.Fatalf("apply: %d", status)
		}
		_, body = ent.Page(loc)
		if facts := textIn(t, body, `class="facts"`, "</dl>"); !strings.Contains(facts, "新招用员工数 3 人") {
			t.Errorf("the entitlement page shows what was declared as %q", facts)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/entitlements/"), 10, 64)
		entAPI := env.APIClient(t, entUser)
		if status, raw := entAPI.JSON("POST", fmt.Sprintf("/api/v1/entitlements/%d/dispute", id), map[string]any{"dispute": "新招用12人，申报时只填了3人。"}); status != http.StatusOK {
			t.Fatalf("dispute: %d %s", status, raw)
		}

		rv := env.Login(t, reviewer)
		_, body = rv.Page(loc)
		if form := textIn(t, body, `id="declared-form"`, "</form>"); !strings.Contains(form, "新招用员工数 人") || strings.Contains(form, "new_hires") {
			t.Errorf("the correction form reads %q; want 新招用员工数 with 人, and no key", form)
		}
		if status, _, _ = rv.Form(loc+"/declared", url.Values{"declared.new_hires": {"12"}, "correction_reason": {"社保参保名单新增12人"}}); status != http.StatusSeeOther {
			t.Fatalf("correct: %d", status)
		}
		_, body = rv.Page(loc)
		if history := textIn(t, body, `id="corrections"`, "</table>"); !strings.Contains(history, "新招用员工数 3 人 新招用员工数 12 人") {
			t.Errorf("the correction history reads %q", history)
		}

		var e struct {
			DeclaredFields []declaredFieldBody `json:"declared_fields"`
			Corrections    []struct {
				Fields []struct {
					Key, Label, Unit string
					Before, After    *int64
				} `json:"fields"`
			} `json:"corrections"`
		}
		_, raw := entAPI.JSON("GET", fmt.Sprintf("/api/v1/entitlements/%d", id), nil)
		json.Unmarshal(raw, &e)
		if len(e.DeclaredFields) != 1 || e.DeclaredFields[0] != (declaredFieldBody{Key: "new_hires", Label: "新招用员工数", Unit: "人", Value: 12}) {
			t.Errorf("the API's entitlement: %s", raw)
		}
		if len(e.Corrections) != 1 || len(e.Corrections[0].Fields) != 1 {
			t.Fatalf("the API's corrections: %s", raw)
		}
		if c := e.Corrections[0].Fields[0]; c.Key != "new_hires" || c.Label != "新招用员工数" || c.Unit != "人" || c.Before == nil || *c.Before != 3 || c.After == nil || *c.After != 12 {
			t.Errorf("the API's correction: %s", raw)
		}

		res := rv.Do("GET", fmt.Sprintf("/entitlements.xlsx?policy_id=%d", policy), "", nil, nil)
		book, _ := io.ReadAll(res.Body)
		res.Body.Close()
		_, sheets, err := xlsx.ReadTables(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		rows := sheets["政策兑现台账"]
		if len(rows) < 2 || rows[0][len(rows[0])-1] != "申报数据" {
			t.Fatalf("the ledger's columns: %q", rows)
		}
		found := false
		for _, r := range rows[1:] {
			found = found || strings.Contains(strings.Join(r, "|"), "新招用员工数 12 人")
		}
		if !found {
			t.Errorf("the ledger shows no 新招用员工数 12 人: %q", rows)
		}
	})
}

// A policy written before labels existed keeps working: the enterprise is asked for the
// key, the policy's page tells the department which labels are missing, and once the
// department adds them on the edit form every page shows them.
func TestPolicyWrittenBeforeLabelsKeepsWorking(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		policy, reviewer, entUser := measure4(t, env)
		// What migration 00430 gives a policy written before it.
		if _, err := env.App.DB.W.Exec(`UPDATE policies SET declared_labels = '' WHERE id = $1`, policy); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/policies/%d", policy)
		ent := env.Login(t, entUser)
		_, body := ent.Page(page)
		if form := textIn(t, body, `id="apply-form"`, "</form>"); !strings.Contains(form, "new_hires") {
			t.Errorf("the application form of a policy without labels reads %q; want the key", form)
		}
		status, loc, _ := ent.Form(page+"/apply", url.Values{"declared.new_hires": {"3"}})
		if status != http.StatusSeeOther {
			t.Fatalf("applying to a policy without labels: %d, want 303", status)
		}
		rv := env.Login(t, reviewer)
		_, body = rv.Page(page)
		if missing := textIn(t, body, `id="labels-missing"`, "</p>"); !strings.Contains(missing, "还没有中文名称和单位") || !strings.Contains(missing, "new_hires") || !strings.Contains(body, page+"/edit") {
			t.Errorf("the department's page says %q; want the missing label of new_hires and a way to add it", missing)
		}
		api := env.APIClient(t, reviewer)
		p := getJSON[policyLabelsBody](t, api, "/api/v1"+page)
		if len(p.LabelsMissing) != 1 || p.LabelsMissing[0] != "new_hires" || len(p.DeclaredFields) != 1 || p.DeclaredFields[0].Label != "" {
			t.Errorf("the API's policy without labels: %+v", p)
		}

		// The department adds the label on the edit form.
		_, body = rv.Page(page + "/edit")
		if !strings.Contains(body, `name="declared_label.new_hires"`) {
			t.Fatalf("the edit form offers no box for the label of new_hires")
		}
		var full map[string]any
		_, raw := env.APIClient(t, "command").JSON("GET", "/api/v1"+page, nil)
		json.Unmarshal(raw, &full)
		form := url.Values{}
		for _, k := range []string{"number", "title", "department_id", "payer_id", "source", "summary", "period_from", "period_to", "mode", "eligibility_rule", "amount_rule"} {
			form.Set(k, fmt.Sprint(full[k]))
		}
		form.Set("version", fmt.Sprint(p.Version))
		status, _, body = rv.Form(page, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "申报项 new_hires：请填写中文名称") {
			t.Errorf("saving without the label: %d, want 422 naming new_hires", status)
		}
		form.Set("declared_label.new_hires", "新招用员工数")
		form.Set("declared_unit.new_hires", "人")
		if status, _, _ = rv.Form(page, form); status != http.StatusSeeOther {
			t.Fatalf("saving with the label: %d, want 303", status)
		}
		if _, body = rv.Page(page); strings.Contains(body, `id="labels-missing"`) {
			t.Errorf("the page still says labels are missing once added")
		}
		if _, body = ent.Page(loc); !strings.Contains(textIn(t, body, `class="facts"`, "</dl>"), "新招用员工数 3 人") {
			t.Errorf("the entitlement does not show the label added after it was applied for")
		}
	})
}
