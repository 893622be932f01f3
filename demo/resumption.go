package demo

import (
	"encoding/json"
	"strings"
	"time"

	"fugong"
	"fugong/store"
)

// standards are the checklist the county set for reopening (列清单、定标准): the first for
// every enterprise, then each focus area's own.
var standards = []struct {
	focus string
	items []string
}{
	{"", []string{"制定疫情防控工作方案和应急处置预案", "口罩等防护物资储备可满足5天以上需要", "返岗员工全部完成健康排查并建档", "设置临时隔离观察室",
		"生产生活场所每日消毒并登记", "厂区（场所）入口设体温检测点"}},
	{"园区企业", []string{"车间错峰上岗、食堂分批就餐"}},
	{"重点项目", []string{"项目工地封闭管理，人员实名登记"}},
	{"工矿企业", []string{"井下、车间通风和作业人员间距符合要求"}},
	{"建筑工程", []string{"工地人员实名登记，集中住宿统一管理"}},
	{"景区景点", []string{"游客预约限流，入园测温登记"}},
	{"窗口服务", []string{"设置一米线，窗口每日消毒"}},
}

// reviewDept is the industry department that reviews a focus area's declarations,
// by its index in departments.
var reviewDept = map[string]int{"园区企业": 1, "工矿企业": 1, "重点项目": 5, "建筑工程": 4, "景区景点": 6, "窗口服务": 7}

// buildResumption writes the checklist standards and, for every resumed enterprise, the
// declaration and the two reviews that made it resumed on its resumed_on, its timeline,
// and its daily reports from then until 9 March; the key projects' weekly reports; and a
// few workshops' declarations still open, so that the review queues are not empty.
func buildResumption(b *Builder) error {
	checklist := map[string][]fugong.ChecklistItem{}
	for _, s := range standards {
		for i, text := range s.items {
			it := fugong.ChecklistItem{County: County, FocusArea: s.focus, Position: i + 1, Text: text, Required: true}
			if err := b.DB.SaveChecklistItemTx(b.Ctx, b.Tx, &it); err != nil {
				return err
			}
			checklist[s.focus] = append(checklist[s.focus], it)
		}
	}
	answers := func(focus string) string {
		m := map[int64]bool{}
		for _, it := range append(checklist[""], checklist[focus]...) {
			m[it.ID] = true
		}
		j, _ := json.Marshal(m)
		return string(j)
	}
	at := func(day string, hour int) int64 {
		d, _ := time.ParseInLocation(time.DateOnly, day, b.Loc)
		return store.MS(d.Add(time.Duration(hour) * time.Hour))
	}
	shift := func(day string, n int) string {
		d, _ := time.Parse(time.DateOnly, day)
		return d.AddDate(0, 0, n).Format(time.DateOnly)
	}

	var decls, reviews, events [][]any
	declID := int64(0)
	if err := b.Tx.QueryRowContext(b.Ctx, `SELECT COALESCE(MAX(id), 0) FROM declarations`).Scan(&declID); err != nil {
		return err
	}
	for _, e := range b.Enterprises {
		if e.ResumedOn == "" {
			continue
		}
		declID++
		declarer := b.EnterpriseUser[e.ID]
		if e.ID%2 == 0 {
			declarer = b.LiaisonOf[e.ID]
		}
		town := b.Township[e.Township]
		dept := b.Command
		if i, ok := reviewDept[e.FocusArea]; ok {
			dept = b.Depts[i]
		}
		declared, reviewed := shift(e.ResumedOn, -2), shift(e.ResumedOn, -1)
		decls = append(decls, []any{declID, County, e.ID, e.ResumedOn, answers(e.FocusArea), "", fugong.DeclApproved, declarer.ID, declarer.Username,
			at(declared, 9), 3, at(reviewed, 16)})
		reviews = append(reviews,
			[]any{County, declID, e.ID, fugong.DeclTownship, fugong.DecisionApprove, "防控方案、物资和隔离室现场核查到位，同意。", town.ID, town.Username, at(reviewed, 10)},
			[]any{County, declID, e.ID, fugong.DeclDepartment, fugong.DecisionApprove, "符合复工复产条件，同意自" + e.ResumedOn + "起复工。", dept.ID, dept.Username, at(reviewed, 16)})
		events = append(events,
			[]any{County, e.ID, declared, at(declared, 9), fugong.EventDeclared, e.ResumedOn, declarer.Username},
			[]any{County, e.ID, declared, at(declared, 9), fugong.EventStatus, fugong.StatusDeclaring, declarer.Username},
			[]any{County, e.ID, reviewed, at(reviewed, 10), fugong.EventReviewed, "township:approve:防控方案、物资和隔离室现场核查到位，同意。", town.Username},
			[]any{County, e.ID, reviewed, at(reviewed, 16), fugong.EventReviewed, "department:approve:符合复工复产条件，同意自" + e.ResumedOn + "起复工。", dept.Username},
			[]any{County, e.ID, e.ResumedOn, at(e.ResumedOn, 8), fugong.EventStatus, fugong.StatusResumed, dept.Username})
	}
	// Two workshops still waiting: one declared and at the township, one turned down.
	open := 0
	for i, e := range b.Enterprises {
		if !e.Workshop || e.ResumedOn != "" || open >= 2 {
			continue
		}
		declID++
		u := b.EnterpriseUser[e.ID]
		state, status := fugong.DeclTownship, fugong.StatusDeclaring
		if open == 1 {
			state, status = fugong.DeclRejected, fugong.StatusNotResumed
		}
		decls = append(decls, []any{declID, County, e.ID, "2020-03-12", answers(""), "村集体厂房已消毒，待乡镇核查。", state, u.ID, u.Username, at("2020-03-08", 9), 1, at("2020-03-08", 9)})
		events = append(events, []any{County, e.ID, "2020-03-08", at("2020-03-08", 9), fugong.EventDeclared, "2020-03-12", u.Username},
			[]any{County, e.ID, "2020-03-08", at("2020-03-08", 9), fugong.EventStatus, fugong.StatusDeclaring, u.Username})
		if state == fugong.DeclRejected {
			t := b.Township[e.Township]
			reason := "隔离观察室未设置，口罩储备不足5天，请整改后重新申报。"
			reviews = append(reviews, []any{County, declID, e.ID, fugong.DeclTownship, fugong.DecisionReject, reason, t.ID, t.Username, at("2020-03-08", 15)})
			events = append(events, []any{County, e.ID, "2020-03-08", at("2020-03-08", 15), fugong.EventReviewed, "township:reject:" + reason, t.Username},
				[]any{County, e.ID, "2020-03-08", at("2020-03-08", 15), fugong.EventStatus, fugong.StatusNotResumed, t.Username})
		}
		if err := b.Exec(`UPDATE enterprises SET status = $1, status_date = '2020-03-08' WHERE id = $2`, status, e.ID); err != nil {
			return err
		}
		b.Enterprises[i].Status = status
		open++
	}
	if err := b.Bulk("declarations", "id, region_code, enterprise_id, planned_on, answers, note, state, declared_by, declarer, declared_at, version, updated_at", decls); err != nil {
		return err
	}
	if b.DB.Dialect.Name == "postgres" {
		// Rows written with their ids leave the identity behind; move it past them.
		if err := b.Exec(`SELECT setval(pg_get_serial_sequence('declarations', 'id'), (SELECT MAX(id) FROM declarations))`); err != nil {
			return err
		}
	}
	if err := b.Bulk("declaration_reviews", "region_code, declaration_id, enterprise_id, stage, decision, reason, user_id, username, at", reviews); err != nil {
		return err
	}
	if err := b.Bulk("enterprise_events", "region_code, enterprise_id, day, at, kind, detail, username", events); err != nil {
		return err
	}
	if err := buildProjectReports(b); err != nil {
		return err
	}
	return b.Bulk("daily_reports", "region_code, enterprise_id, day, on_duty, capacity, mask_stock, masks_used, returned_outside, reported_by, reported_at", b.dailyReports(at))
}

// dailyReports invents each resumed enterprise's reports from its first day back to
// 9 March, attendance and capacity climbing over the weeks (the seed: about 70 % on duty,
// masks for about 5 days). On 9 March, at the demo's 08:00, a third have reported.
func (b *Builder) dailyReports(at func(day string, hour int) int64) [][]any {
	last := Start.Format(time.DateOnly)
	var rows [][]any
	for i, e := range b.Enterprises {
		if e.ResumedOn == "" {
			continue
		}
		u := b.EnterpriseUser[e.ID]
		first, _ := time.Parse(time.DateOnly, max(e.ResumedOn, First.Format(time.DateOnly)))
		for d, n := first, 0; d.Format(time.DateOnly) <= last; d, n = d.AddDate(0, 0, 1), n+1 {
			day := d.Format(time.DateOnly)
			if day == last && i%3 != 0 {
				continue
			}
			pct := min(97, 45+n*3+b.Rand.IntN(10))
			onDuty := e.Payroll * pct / 100
			used := onDuty
			rows = append(rows, []any{County, e.ID, day, onDuty, min(100, pct-5+b.Rand.IntN(8)), used * (4 + b.Rand.IntN(4)), used,
				max(0, 6-n/3) * b.Rand.IntN(3), u.ID, at(day, 7)})
		}
	}
	return rows
}

// Bulk inserts rows into table through store.BulkTx.Copy: COPY on PostgreSQL, one
// statement prepared once on SQLite (parsing long statements was a third of the demo's
// build time there); the demo must be ready in well under three seconds.
func (b *Builder) Bulk(table, cols string, rows [][]any) error {
	return b.BulkTx.Copy(b.Ctx, table, strings.Split(strings.ReplaceAll(cols, " ", ""), ","), rows)
}

// buildProjectReports writes each key project's weekly reports, its progress climbing
// to where it stands on 9 March.
func buildProjectReports(b *Builder) error {
	weeks := []string{"2020-02-10", "2020-02-17", "2020-02-24", "2020-03-02"}
	notes := []string{"复工人员完成健康排查，工地封闭管理。", "主要材料陆续进场，机械设备到位。", "施工人员基本到岗，按计划推进。", "各工作面全面施工。"}
	var rows [][]any
	for i, p := range b.Projects {
		u := b.Leaders[i%len(b.Leaders)]
		for w, week := range weeks {
			rows = append(rows, []any{County, p.ID, week, p.Progress * (w + 1) / len(weeks), notes[w], u.Username, store.MS(Start.AddDate(0, 0, -7*(len(weeks)-w)))})
		}
	}
	return b.Bulk("project_reports", "region_code, project_id, week, progress, note, username, at", rows)
}
