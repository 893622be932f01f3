package app_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fugong"
	"fugong/app/apptest"
	"fugong/xlsx"
)

// templateCase is one import's template: who downloads it and where, the rows an office
// types into it (by header), how its preview is confirmed, and what counts the rows.
type templateCase struct {
	name, user, template, upload string
	rows                         []map[string]any
	// commit finds the confirmation of a clean preview: its address and form.
	commit func(page string) (string, url.Values)
	count  string // SQL counting the rows the import writes
	want   int
}

// actionCommit is the confirmation of a preview whose form posts to a token's address.
func actionCommit(pattern string) func(string) (string, url.Values) {
	re := regexp.MustCompile(`action="(` + pattern + `)"`)
	return func(page string) (string, url.Values) {
		if m := re.FindStringSubmatch(page); m != nil {
			return html.UnescapeString(m[1]), url.Values{}
		}
		return "", nil
	}
}

// tokenCommit is the confirmation of a preview that posts its token as a field.
func tokenCommit(path string) func(string) (string, url.Values) {
	return func(page string) (string, url.Values) {
		if m := regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`).FindStringSubmatch(page); m != nil {
			return path, url.Values{"token": {m[1]}}
		}
		return "", nil
	}
}

// testUSCC makes a valid credit code of Cili county from eight characters.
func testUSCC(org8 string) string {
	body := "91430821" + org8 + string(fugong.OrgCodeCheckChar(org8))
	return body + string(fugong.USCCCheckChar(body))
}

// testID makes a valid ID number of Cili county born on birth (yyyymmdd).
func testID(birth, seq string) string {
	body := "430821" + birth + seq
	return body + string(fugong.IDNumberCheckChar(body))
}

func templateCases(t *testing.T, env *apptest.Env) []templateCase {
	db := env.App.DB.R
	var entID int64
	var town, workerEnt, liaisonEnt, powerEnt, powerUSCC, dispatchEnt string
	db.QueryRow(`SELECT name FROM regions WHERE level = 'township' ORDER BY code LIMIT 1`).Scan(&town)
	db.QueryRow(`SELECT e.id, e.uscc FROM enterprises e JOIN users u ON u.enterprise_id = e.id WHERE u.username = 'enterprise001'`).Scan(&entID, &workerEnt)
	db.QueryRow(`SELECT e.uscc FROM enterprises e JOIN liaison_assignments a ON a.enterprise_id = e.id JOIN users u ON u.id = a.user_id
		WHERE u.username = 'liaison001' AND a.to_date = '' ORDER BY e.id LIMIT 1`).Scan(&liaisonEnt)
	db.QueryRow(`SELECT id, uscc FROM enterprises WHERE workshop = FALSE ORDER BY id LIMIT 1`).Scan(&powerEnt, &powerUSCC)
	db.QueryRow(`SELECT uscc FROM enterprises ORDER BY id LIMIT 1 OFFSET 7`).Scan(&dispatchEnt)
	var unit string
	db.QueryRow(`SELECT name FROM org_units WHERE kind = 'department' AND NOT retired ORDER BY id LIMIT 1`).Scan(&unit)
	if town == "" || workerEnt == "" || liaisonEnt == "" || powerUSCC == "" || dispatchEnt == "" || unit == "" {
		t.Fatalf("the demo lacks what the templates are filled with: %q %q %q %q %q %q", town, workerEnt, liaisonEnt, powerUSCC, dispatchEnt, unit)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	newUSCC := testUSCC("MA4TPL01")
	return []templateCase{
		{name: "enterprises", user: "command", template: "/ledgers/enterprises/template.xlsx", upload: "/ledgers/enterprises/upload",
			rows: []map[string]any{{"企业名称": "模板测试制衣有限公司", "统一社会信用代码": newUSCC, "乡镇": town, "规上企业": "是", "园区承租厂房": "是",
				"月租金（元）": 12000.5, "在册员工": 120, "联系人": "张三", "联系电话": "13807441234", "扶贫车间": "否", "状态": "未复工"}},
			commit: actionCommit(`/ledgers/uploads/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM enterprises WHERE uscc = '` + newUSCC + `' AND monthly_rent = 1200050 AND payroll = 120`, want: 1},
		{name: "projects", user: "command", template: "/ledgers/projects/template.xlsx", upload: "/ledgers/projects/upload",
			rows:   []map[string]any{{"项目名称": "模板测试公路改扩建工程", "乡镇": town, "总投资（万元）": 5000, "建设阶段": "在建", "形象进度（%）": 35}},
			commit: actionCommit(`/ledgers/uploads/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM key_projects WHERE name = '模板测试公路改扩建工程' AND progress = 35`, want: 1},
		{name: "links", user: "command", template: "/ledgers/links/template.xlsx", upload: "/ledgers/links/upload",
			rows:   []map[string]any{{"类型": "县级领导联系", "用户名": "leader05", "统一社会信用代码": dispatchEnt, "起始日期": day("2020-02-10")}},
			commit: actionCommit(`/ledgers/uploads/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM leader_links l JOIN users u ON u.id = l.user_id WHERE u.username = 'leader05' AND l.from_date = '2020-02-10'`, want: 1},
		{name: "workers", user: "enterprise001", template: "/workers/template.xlsx", upload: fmt.Sprintf("/health/enterprises/%d/import", entID),
			rows: []map[string]any{
				{"姓名": "模板甲", "身份证号": testID("19900101", "123"), "手机号": "13807441234", "户籍地": "慈利县零阳镇", "贫困户": "是", "状态": "待返岗"},
				{"姓名": "模板乙", "身份证号": testID("19851231", "004"), "手机号": "13907441234", "户籍地": "慈利县通津铺镇", "贫困户": "否"},
			},
			commit: tokenCommit(fmt.Sprintf("/health/enterprises/%d/import", entID)), count: `SELECT COUNT(*) FROM workers WHERE name IN ('模板甲', '模板乙')`, want: 2},
		{name: "demands", user: "liaison001", template: "/demands/import/template.xlsx", upload: "/demands/import",
			rows:   []map[string]any{{"统一社会信用代码": liaisonEnt, "诉求类别": "防疫物资", "诉求内容": "模板测试：口罩不足", "数量": 300, "明细": "口罩", "紧急程度": "紧急"}},
			commit: actionCommit(`/demands/import/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM demands WHERE description = '模板测试：口罩不足' AND quantity = 300`, want: 1},
		{name: "job-seekers", user: "village001", template: "/job-seekers/import/template.xlsx", upload: "/job-seekers/import",
			rows: []map[string]any{{"姓名": "模板丙", "身份证号": testID("19920315", "002"), "手机号": "13707441234", "年龄": 32, "性别": "女", "技能": "缝纫、普工",
				"求职意向": "制衣厂普工", "期望月薪": 3500, "建档立卡贫困户": "是", "可上岗日期": day("2020-03-09")}},
			commit: tokenCommit("/job-seekers/import"), count: `SELECT COUNT(*) FROM job_seekers WHERE name = '模板丙' AND available = '2020-03-09' AND poor`, want: 1},
		{name: "villagers", user: "village001", template: "/villagers/import/template.xlsx", upload: "/villagers/import",
			rows:   []map[string]any{{"姓名": "模板戊", "手机号": "13500000009", "建档立卡贫困户": "是"}},
			commit: tokenCommit("/villagers/import"), count: `SELECT COUNT(*) FROM villagers WHERE name = '模板戊' AND poor`, want: 1},
		{name: "power", user: "command", template: "/power/template.xlsx", upload: "/power/upload?date=2020-03-09",
			rows:   []map[string]any{{"统一社会信用代码": powerUSCC, "日期": day("2020-03-08"), "用电量(千瓦时)": 1520.5}},
			commit: actionCommit(`/power/uploads/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM power_uses WHERE enterprise_id = ` + powerEnt + ` AND day = '2020-03-08' AND wh = 1520500`, want: 1},
		{name: "dispatch", user: "command", template: "/liaison/dispatch/template.xlsx", upload: "/liaison/dispatch/preview",
			rows:   []map[string]any{{"姓名": "模板丁", "职级": "副科级", "手机号": "13600000009", "统一社会信用代码": dispatchEnt, "工作单位": "县教育局"}},
			commit: actionCommit(`/liaison/dispatch/[0-9a-f]{32}/commit`), count: `SELECT COUNT(*) FROM users WHERE display_name = '模板丁' AND role = 'liaison'`, want: 1},
		// Setting a county up: its org units, then its people, from the set-up's templates.
		{name: "org-units", user: "admin", template: "/setup/import/org-units/template.xlsx", upload: "/setup/import/org-units",
			rows:   []map[string]any{{"单位名称": "模板测试局", "类别": "职能部门", "监管的重点领域": "工矿企业"}},
			commit: actionCommit(`/setup/import/org-units/[0-9a-f]{32}`), count: `SELECT COUNT(*) FROM org_units WHERE name = '模板测试局' AND kind = 'department'`, want: 1},
		{name: "people", user: "admin", template: "/setup/import/people/template.xlsx", upload: "/setup/import/people",
			rows:   []map[string]any{{"姓名": "模板庚", "手机号": "13600000029", "单位": unit, "职务": "科员", "角色": "驻企联络员"}},
			commit: actionCommit(`/setup/import/people/[0-9a-f]{32}`), count: `SELECT COUNT(*) FROM users WHERE display_name = '模板庚' AND role = 'liaison' AND org_unit_id IS NOT NULL`, want: 1},
	}
}

// fillTemplate types rows into a template's first sheet below its header, as an office
// does: into cells the template formatted — text for codes, dates for dates — not styled
// one by one.
func fillTemplate(t *testing.T, tmpl []byte, rows []map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	head, _ := f.GetRows(sheet)
	used := map[string]bool{}
	for i, row := range rows {
		for j, h := range head[0] {
			v, ok := row[h]
			if !ok {
				continue
			}
			used[h] = true
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			// A date is typed into the date column (a serial number), a code into the text
			// column: each cell takes its column's format.
			f.SetCellValue(sheet, cell, v)
			style, _ := f.GetColStyle(sheet, strings.TrimRight(cell, "0123456789"))
			f.SetCellStyle(sheet, cell, cell, style)
		}
	}
	for _, row := range rows {
		for h := range row {
			if !used[h] {
				t.Fatalf("the template has no column %q (it has %v)", h, head[0])
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every import that takes an office's sheet offers a template from its page: the header
// typed — code columns formatted as text, date columns as dates — with a sheet of notes
// and an example. Filled in below the header it previews cleanly; the same template filled
// and saved by LibreOffice (xlsx/testdata/templates, made by make.sh) imports. Set
// FUGONG_TEMPLATE_FIXTURES to a folder to write the filled templates there for make.sh.
func TestImportTemplatesFilledInImport(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		for _, tc := range templateCases(t, env) {
			c := env.Login(t, tc.user)
			// The import's page links its template.
			page := tc.upload
			if strings.HasPrefix(page, "/ledgers/") {
				page = "/ledgers"
			} else if strings.HasPrefix(page, "/health/") {
				page = strings.TrimSuffix(page, "/import")
			} else if strings.HasPrefix(page, "/power") {
				page = "/power?date=2020-03-09"
			} else if strings.HasPrefix(page, "/villagers/") || strings.HasPrefix(page, "/demands/") || strings.HasPrefix(page, "/job-seekers/") || strings.HasPrefix(page, "/setup/import/") {
				// the import's own page
			} else if strings.HasPrefix(page, "/liaison/dispatch") {
				page = "/liaison/dispatch"
			}
			if status, body := c.Page(page); status != http.StatusOK || !strings.Contains(body, `href="`+tc.template+`"`) {
				t.Errorf("%s: the page %s (%d) does not link %s", tc.name, page, status, tc.template)
			}
			res := c.Do("GET", tc.template, "", nil, nil)
			var tmpl bytes.Buffer
			tmpl.ReadFrom(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsx.ContentType {
				t.Fatalf("%s: template %d %s", tc.name, res.StatusCode, res.Header.Get("Content-Type"))
			}
			checkTemplateFormats(t, tc.name, tmpl.Bytes())
			filled := fillTemplate(t, tmpl.Bytes(), tc.rows)
			if dir := os.Getenv("FUGONG_TEMPLATE_FIXTURES"); dir != "" && env.Dialect == "sqlite" {
				os.WriteFile(filepath.Join(dir, tc.name+".xlsx"), filled, 0o644)
			}
			status, body := uploadTo(t, c, tc.upload, "模板.xlsx", filled)
			if path, _ := tc.commit(body); status != http.StatusOK || path == "" {
				t.Errorf("%s: the filled template's preview: %d %q", tc.name, status, regexp.MustCompile(`第 \d+ 行[^<]*|<p class="alert[^<]*`).FindAllString(html.UnescapeString(body), -1))
				continue
			}
			if os.Getenv("FUGONG_TEMPLATE_FIXTURES") != "" {
				continue // making the fixtures: LibreOffice has not saved them yet
			}
			// The same template, filled and saved by LibreOffice, imports.
			status, body = uploadTo(t, c, tc.upload, tc.name+".xlsx", officeFile(t, "templates/"+tc.name+".xlsx"))
			path, form := tc.commit(body)
			if status != http.StatusOK || path == "" {
				t.Errorf("%s: LibreOffice's filled template: %d %q", tc.name, status, regexp.MustCompile(`第 \d+ 行[^<]*`).FindAllString(html.UnescapeString(body), -1))
				continue
			}
			if status, _, _ := c.Form(path, form); status != http.StatusSeeOther {
				t.Errorf("%s: commit %s: %d", tc.name, path, status)
			}
			var n int
			if err := env.App.DB.R.QueryRow(tc.count).Scan(&n); err != nil || n != tc.want {
				t.Errorf("%s: %d rows written as typed, want %d (%v)", tc.name, n, tc.want, err)
			}
		}
	})
}

// checkTemplateFormats checks a template: a header alone on its first sheet, each code
// column formatted as text (@, numFmt 49) and each date column as a date, before anything
// is typed; and the notes sheet.
func checkTemplateFormats(t *testing.T, name string, b []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	if len(rows) != 1 || f.GetSheetName(1) != xlsx.NotesSheet {
		t.Errorf("%s: %d rows on the first sheet, sheets %v; want the header alone and %s", name, len(rows), f.GetSheetList(), xlsx.NotesSheet)
	}
	codes := map[string]bool{"统一社会信用代码": true, "身份证号": true, "手机号": true, "联系电话": true, "区划代码": true, "上级区划代码": true}
	dates := map[string]bool{"复工日期": true, "起始日期": true, "结束日期": true, "可上岗日期": true, "日期": true}
	for i, h := range rows[0] {
		colName, _ := excelize.ColumnNumberToName(i + 1)
		style, _ := f.GetColStyle(sheet, colName)
		st, _ := f.GetStyle(style)
		switch {
		case codes[h] && (st == nil || st.NumFmt != 49):
			t.Errorf("%s: the code column %s is not formatted as text", name, h)
		case dates[h] && (st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd"):
			t.Errorf("%s: the date column %s is not formatted as a date", name, h)
		}
	}
	notes, _ := f.GetRows(xlsx.NotesSheet)
	if len(notes) != len(rows[0])+1 {
		t.Errorf("%s: the notes list %d columns, the sheet has %d", name, len(notes)-1, len(rows[0]))
	}
}
