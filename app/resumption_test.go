package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/demo"
)

// The seed: "截至3月9日，该县已有311家企业正式复工复产，复工率达100%". The figures are counted
// here from the rows, then compared with what the API and the page say.
func TestDemoStatisticsOn9MarchAreTheSeeds(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		var total, resumed, workshops, workshopsResumed int
		db.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE`).Scan(&total)
		db.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND resumed_on <> '' AND resumed_on <= '2020-03-09'`).Scan(&resumed)
		db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN resumed_on <> '' THEN 1 ELSE 0 END), 0) FROM enterprises WHERE workshop = TRUE`).Scan(&workshops, &workshopsResumed)
		if total != demo.Enterprises || resumed != demo.Enterprises || workshops != demo.Workshops || workshopsResumed != demo.WorkshopsResumed {
			t.Fatalf("demo rows: %d enterprises, %d resumed, %d workshops (%d resumed); the seed says 311, 311, 33, 14", total, resumed, workshops, workshopsResumed)
		}
		var onDuty, payroll int
		db.QueryRow(`SELECT COALESCE(SUM(r.on_duty), 0), COALESCE(SUM(e.payroll), 0) FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id
			WHERE r.day = '2020-03-09' AND e.workshop = FALSE`).Scan(&onDuty, &payroll)

		c := env.APIClient(t, "command")
		status, body := c.JSON("GET", "/api/v1/stats/resumption?date=2020-03-09", nil)
		if status != http.StatusOK {
			t.Fatalf("stats: %d %s", status, body)
		}
		var st struct {
			Total, Resumed int
			Rate           float64
			AttendanceRate float64                        `json:"attendance_rate"`
			ByTownship     []struct{ Total, Resumed int } `json:"by_township"`
			ByFocusArea    []struct {
				Key   string
				Total int
			} `json:"by_focus_area"`
			Workshops struct{ Total, Resumed int }
		}
		json.Unmarshal(body, &st)
		if st.Total != total || st.Resumed != resumed || st.Rate != fugong.Percent(resumed, total) || st.Rate != 100 {
			t.Errorf("API: %d of %d at %v%%; the rows say %d of %d", st.Resumed, st.Total, st.Rate, resumed, total)
		}
		if st.AttendanceRate != fugong.Percent(onDuty, payroll) {
			t.Errorf("attendance %v%%, rows say %d/%d", st.AttendanceRate, onDuty, payroll)
		}
		if st.Workshops.Total != workshops || st.Workshops.Resumed != workshopsResumed {
			t.Errorf("workshops %+v", st.Workshops)
		}
		sum := 0
		for _, g := range st.ByTownship {
			sum += g.Total
		}
		if sum != total || len(st.ByFocusArea) != len(fugong.FocusAreas) {
			t.Errorf("by township sums to %d, want %d; %d focus areas", sum, total, len(st.ByFocusArea))
		}
		// A day before most resumed, the rate is lower.
		_, body = c.JSON("GET", "/api/v1/stats/resumption?date=2020-02-20", nil)
		var early struct{ Resumed int }
		json.Unmarshal(body, &early)
		var want int
		db.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE workshop = FALSE AND resumed_on <> '' AND resumed_on <= '2020-02-20'`).Scan(&want)
		if early.Resumed != want || want >= resumed {
			t.Errorf("on 20 February: %d resumed, rows say %d", early.Resumed, want)
		}

		page := env.Login(t, "command")
		_, html := page.Page("/stats/resumption?date=2020-03-09")
		sentence := fmt.Sprintf("截至3月9日，该县已有%d家企业正式复工复产，复工率达%s%%", resumed, "100")
		if !strings.Contains(html, sentence) {
			t.Errorf("the statistics page does not say %q", sentence)
		}
	})
}

// A liaison declares for a new enterprise, the township reviews it, then the industry
// department approves it: the enterprise is resumed from the planned date, and its page
// tells the story.
func TestDeclarationTownshipThenDepartmentOverHTTP(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var town string
		env.App.DB.R.QueryRow(`SELECT region FROM users WHERE username = 'township01'`).Scan(&town)
		cmd := env.Login(t, "command")
		uscc := demo.USCC(demo.County, 9001, false)
		status, loc, _ := cmd.Form("/enterprises", url.Values{"name": {"慈利测试新材料有限公司"}, "uscc": {uscc}, "township": {town},
			"focus_area": {"园区企业"}, "payroll": {"120"}, "industry": {"新材料"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create enterprise: %d", status)
		}
		id := strings.TrimPrefix(loc, "/enterprises/")
		if status, _, body := cmd.Form("/links", url.Values{"kind": {"liaison"}, "username": {"liaison001"}, "uscc": {uscc}, "from_date": {"2020-03-09"}}); status != http.StatusSeeOther {
			t.Fatalf("station liaison: %d %s", status, body)
		}

		liaison := env.Login(t, "liaison001")
		_, form := liaison.Page("/enterprises/" + id + "/declare")
		v := url.Values{"planned_on": {"2020-03-10"}}
		// Leave the first standard unmet: the form names it.
		items := itemFields(form)
		if len(items) < 7 {
			t.Fatalf("the declaration form shows %d standards, want the general six and the park's own", len(items))
		}
		for _, f := range items[1:] {
			v.Set(f, "1")
		}
		status, _, body := liaison.Form("/enterprises/"+id+"/declarations", v)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "必备条件") {
			t.Fatalf("a declaration with an unmet standard: %d, want 422 naming it", status)
		}
		v.Set(items[0], "1")
		status, loc, _ = liaison.Form("/enterprises/"+id+"/declarations", v)
		if status != http.StatusSeeOther {
			t.Fatalf("declare: %d", status)
		}
		decl := strings.TrimPrefix(loc, "/declarations/")

		// The department cannot decide before the township.
		dept := env.Login(t, "dept02") // 县工业和信息化局: 园区企业, 工矿企业
		dept.Page("/declarations/" + decl)
		if status, _, _ := dept.Form("/declarations/"+decl+"/review", url.Values{"decision": {"approve"}, "reason": {"同意"}}); status != http.StatusForbidden {
			t.Errorf("department before township: %d, want 403", status)
		}
		tw := env.Login(t, "township01")
		_, page := tw.Page("/declarations")
		if !strings.Contains(page, "慈利测试新材料有限公司") {
			t.Errorf("the township's queue does not show the declaration")
		}
		tw.Page("/declarations/" + decl)
		if status, _, body := tw.Form("/declarations/"+decl+"/review", url.Values{"decision": {"approve"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "理由") {
			t.Errorf("a decision without a reason: %d, want 422", status)
		}
		if status, _, _ := tw.Form("/declarations/"+decl+"/review", url.Values{"decision": {"approve"}, "reason": {"现场核查防控措施到位"}}); status != http.StatusSeeOther {
			t.Fatalf("township review: %d", status)
		}
		dept.Page("/declarations/" + decl)
		if status, _, _ := dept.Form("/declarations/"+decl+"/review", url.Values{"decision": {"approve"}, "reason": {"符合复工条件"}}); status != http.StatusSeeOther {
			t.Fatalf("department review: %d", status)
		}
		var st, resumedOn string
		env.App.DB.R.QueryRow(`SELECT status, resumed_on FROM enterprises WHERE id = $1`, id).Scan(&st, &resumedOn)
		if st != fugong.StatusResumed || resumedOn != "2020-03-10" {
			t.Errorf("after approval: %s from %q, want 已复工 from 2020-03-10", st, resumedOn)
		}
		_, page = liaison.Page("/enterprises/" + id)
		for _, want := range []string{"提交复工申报", "乡镇审核：同意。理由：现场核查防控措施到位", "行业部门审核：同意。理由：符合复工条件", "状态变为「已复工」"} {
			if !strings.Contains(page, want) {
				t.Errorf("the enterprise's timeline lacks %q", want)
			}
		}
		// Reviewed is closed: a second decision is a conflict.
		if status, _, _ := dept.Form("/declarations/"+decl+"/review", url.Values{"decision": {"reject"}, "reason": {"再议"}}); status != http.StatusConflict {
			t.Errorf("deciding a closed declaration: %d, want 409", status)
		}
	})
}

func itemFields(html string) []string {
	var out []string
	for _, part := range strings.Split(html, `name="item_`)[1:] {
		out = append(out, "item_"+part[:strings.IndexByte(part, '"')])
	}
	return out
}

// The enterprise form names the field that is wrong, and an edit of a stale version is refused.
func TestEnterpriseFormFieldErrorsAndStaleEdit(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.Login(t, "command")
		var town string
		env.App.DB.R.QueryRow(`SELECT code FROM regions WHERE level = 'township' ORDER BY code LIMIT 1`).Scan(&town)
		bad := demo.USCC(demo.County, 9002, false)
		bad = bad[:17] + map[bool]string{true: "1", false: "0"}[bad[17] == '0']
		status, _, body := c.Form("/enterprises", url.Values{"name": {""}, "uscc": {bad}, "township": {town}, "payroll": {"很多"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad form: %d", status)
		}
		for _, want := range []string{"必填", "校验位不正确", "请填写整数"} {
			if !strings.Contains(body, want) {
				t.Errorf("the form does not say %q", want)
			}
		}
		var id, version int64
		var uscc string
		env.App.DB.R.QueryRow(`SELECT id, version, uscc FROM enterprises ORDER BY id LIMIT 1`).Scan(&id, &version, &uscc)
		var other string
		env.App.DB.R.QueryRow(`SELECT uscc FROM enterprises WHERE id <> $1 ORDER BY id LIMIT 1`, id).Scan(&other)
		_, form := c.Page(fmt.Sprintf("/enterprises/%d/edit", id))
		if !strings.Contains(form, uscc) {
			t.Fatalf("the edit form does not show the credit code")
		}
		v := url.Values{"name": {"改名后的企业"}, "uscc": {other}, "township": {town}, "version": {fmt.Sprint(version)}, "status": {fugong.StatusResumed}}
		if status, _, body := c.Form(fmt.Sprintf("/enterprises/%d", id), v); status != http.StatusUnprocessableEntity || !strings.Contains(body, "已登记") {
			t.Errorf("a duplicate credit code: %d, want 422 saying it is registered", status)
		}
		v.Set("uscc", uscc)
		if status, _, _ := c.Form(fmt.Sprintf("/enterprises/%d", id), v); status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}
		if status, _, body := c.Form(fmt.Sprintf("/enterprises/%d", id), v); status != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Errorf("stale edit: %d, want 409", status)
		}
	})
}

// A second daily report on the same day edits the first; the missing list names who has
// not reported.
func TestDailyReportOnePerDay(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		var id int64
		env.App.DB.R.QueryRow(`SELECT e.id FROM enterprises e JOIN users u ON u.enterprise_id = e.id WHERE u.username = 'enterprise002'`).Scan(&id)
		c := env.APIClient(t, "enterprise002")
		body := map[string]any{"enterprise_id": id, "day": "2020-03-09", "on_duty": 100, "capacity": 80, "mask_stock": 600, "masks_used": 100, "returned_outside": 2}
		first, _ := c.JSON("POST", "/api/v1/daily-reports", body)
		body["on_duty"] = 120
		second, b := c.JSON("POST", "/api/v1/daily-reports", body)
		if first != http.StatusCreated || second != http.StatusOK {
			t.Fatalf("first %d, second %d %s; want 201 then 200", first, second, b)
		}
		var n, onDuty int
		env.App.DB.R.QueryRow(`SELECT COUNT(*), MAX(on_duty) FROM daily_reports WHERE enterprise_id = $1 AND day = '2020-03-09'`, id).Scan(&n, &onDuty)
		if n != 1 || onDuty != 120 {
			t.Errorf("%d reports for the day, on duty %d; want one, edited to 120", n, onDuty)
		}
		body["capacity"] = 140
		if status, b := c.JSON("POST", "/api/v1/daily-reports", body); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"capacity"`) {
			t.Errorf("capacity 140%%: %d %s", status, b)
		}
		var missing int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM enterprises e WHERE e.status = '已复工' AND e.resumed_on <= '2020-03-09'
			AND NOT EXISTS (SELECT 1 FROM daily_reports r WHERE r.enterprise_id = e.id AND r.day = '2020-03-09')`).Scan(&missing)
		_, page := env.Login(t, "command").Page("/reports/missing?day=2020-03-09")
		if missing == 0 || strings.Count(page, `<li><a href="/enterprises/`) != missing {
			t.Errorf("the missing list shows %d enterprises; %d have not reported", strings.Count(page, `<li><a href="/enterprises/`), missing)
		}
	})
}
