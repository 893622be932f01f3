package store_test

import (
	"context"
	"testing"
	"time"

	"fugong"
	"fugong/store"
)

// TestProvinceResumptionKeptOnWrite: the province's screen reads each county's
// enterprises, resumed and attendance from rows kept per day (resumption_day_stats, by
// triggers); they equal the county's own trend, counted from its enterprises and daily
// reports, before and after enterprises are added, stopped, moved into the poverty
// workshops, given another payroll, and report or correct their day.
func TestProvinceResumptionKeptOnWrite(t *testing.T) {
	withDemo(t, func(t *testing.T, clock *fugong.ManualClock, db *store.DB) {
		db.DashboardTTL = 0
		ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test"})
		admin := fugong.Scope{Role: fugong.RoleAdmin, County: "430821", Username: "admin"}
		province := fugong.Scope{Role: fugong.RoleProvince, County: "430800", Username: "province"}
		same := func(when string) {
			t.Helper()
			today := db.Today()
			trend, err := db.ResumptionTrend(ctx, admin, today)
			if err != nil {
				t.Fatal(err)
			}
			for _, td := range trend[len(trend)-10:] {
				p, err := db.ProvinceDashboard(ctx, province, td.Day)
				if err != nil {
					t.Fatal(err)
				}
				var got fugong.CountyFigures
				for _, c := range p.Counties {
					if c.Code == admin.County {
						got = c
					}
				}
				if got.Enterprises != td.Total || got.Resumed != td.Resumed || got.OnDuty != td.OnDuty || got.Payroll != td.Payroll {
					t.Errorf("%s, %s: the province reads %d enterprises, %d resumed, %d on duty of %d; the county counts %d, %d, %d of %d",
						when, td.Day, got.Enterprises, got.Resumed, got.OnDuty, got.Payroll, td.Total, td.Resumed, td.OnDuty, td.Payroll)
				}
			}
		}
		same("the demo county")

		// Three enterprises of the demo that report daily.
		rows, err := db.R.QueryContext(ctx, `SELECT e.id FROM enterprises e WHERE e.region_code = $1 AND e.status = $2 AND e.workshop = FALSE
			AND EXISTS (SELECT 1 FROM daily_reports r WHERE r.enterprise_id = e.id) ORDER BY e.id LIMIT 3`, admin.County, fugong.StatusResumed)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) < 3 {
			t.Fatalf("the demo has %d resumed enterprises with reports", len(ids))
		}
		today := db.Today()
		yesterday := clock.Now().AddDate(0, 0, -1).In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		update := func(id int64, fn func(e *fugong.Enterprise)) {
			t.Helper()
			if _, err := db.UpdateEnterprise(ctx, admin, id, 0, func(e *fugong.Enterprise) error { fn(e); return nil }); err != nil {
				t.Fatal(err)
			}
		}
		report := func(id int64, day string, onDuty int) {
			t.Helper()
			own := fugong.Scope{Role: fugong.RoleEnterprise, County: admin.County, EnterpriseID: id, Username: "enterprise"}
			if err := db.SaveDailyReport(ctx, own, &fugong.DailyReport{EnterpriseID: id, Day: day, OnDuty: onDuty}); err != nil {
				t.Fatal(err)
			}
		}
		report(ids[0], today, 3)
		report(ids[0], today, 5) // corrected the same day
		report(ids[1], yesterday, 1)
		update(ids[0], func(e *fugong.Enterprise) { e.Payroll += 40 })
		update(ids[1], func(e *fugong.Enterprise) { e.Status = fugong.StatusStopped })
		update(ids[2], func(e *fugong.Enterprise) { e.Workshop = true })
		var township string
		if err := db.R.QueryRowContext(ctx, `SELECT township FROM enterprises WHERE id = $1`, ids[0]).Scan(&township); err != nil {
			t.Fatal(err)
		}
		org := "MA4L0TXY"
		uscc := "91430821" + org + string(fugong.OrgCodeCheckChar(org))
		e := fugong.Enterprise{Name: "新建测试企业", USCC: uscc + string(fugong.USCCCheckChar(uscc)), Township: township, Industry: "制造业",
			FocusArea: fugong.FocusAreas[0], Payroll: 12, Status: fugong.StatusNotResumed}
		if err := db.CreateEnterprise(ctx, admin, &e); err != nil {
			t.Fatal(err)
		}
		same("after the edits")
		update(ids[2], func(e *fugong.Enterprise) { e.Workshop = false })
		update(ids[1], func(e *fugong.Enterprise) { e.Status = fugong.StatusResumed })
		same("after the edits were undone")
	})
}
