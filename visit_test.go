package fugong

import (
	"testing"
	"time"
)

func TestVisitValidate(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2020, 3, 9, 8, 0, 0, 0, loc)
	good := func() Visit {
		return Visit{ClientUUID: "6F1C2D3E-4B5A-4C7D-8E9F-0A1B2C3D4E5F", EnterpriseID: 1, CheckedInAt: now.Add(-time.Hour), CheckedOutAt: now.Add(-5 * time.Minute),
			Tasks: []string{"宣传政策", "宣传政策", " 岗前排查 "}}
	}
	cases := []struct {
		name  string
		edit  func(v *Visit)
		field string
	}{
		{"good", func(v *Visit) {}, ""},
		{"no check-out means now", func(v *Visit) { v.CheckedOutAt = time.Time{} }, ""},
		{"findings only", func(v *Visit) { v.Tasks = nil; v.Findings = "口罩存量约可支撑5天" }, ""},
		{"bad uuid", func(v *Visit) { v.ClientUUID = "6f1c2d3e4b5a4c7d8e9f0a1b2c3d4e5f" }, "client_uuid"},
		{"no enterprise", func(v *Visit) { v.EnterpriseID = 0 }, "enterprise_id"},
		{"no check-in", func(v *Visit) { v.CheckedInAt = time.Time{} }, "checked_in_at"},
		{"out before in", func(v *Visit) { v.CheckedOutAt = v.CheckedInAt.Add(-time.Minute) }, "checked_out_at"},
		{"in the future", func(v *Visit) { v.CheckedInAt = now.Add(20 * time.Minute); v.CheckedOutAt = now.Add(30 * time.Minute) }, "checked_out_at"},
		{"a phone a little fast", func(v *Visit) { v.CheckedOutAt = now.Add(5 * time.Minute) }, ""},
		{"eight days old", func(v *Visit) {
			v.CheckedInAt = now.Add(-8 * 24 * time.Hour)
			v.CheckedOutAt = v.CheckedInAt.Add(time.Hour)
		}, "checked_in_at"},
		{"longer than a day", func(v *Visit) { v.CheckedInAt = now.Add(-26 * time.Hour) }, "checked_out_at"},
		{"unknown task", func(v *Visit) { v.Tasks = []string{"打扫卫生"} }, "tasks"},
		{"nothing done", func(v *Visit) { v.Tasks = nil }, "tasks"},
		{"bad location", func(v *Visit) { v.Located, v.Latitude = true, 91 }, "location"},
		{"empty demand", func(v *Visit) { v.Demand = &VisitDemand{Category: "supplies", Description: "  "} }, "demand_description"},
		{"unknown category", func(v *Visit) { v.Demand = &VisitDemand{Category: "rent", Description: "租金"} }, "demand_category"},
	}
	for _, c := range cases {
		v := good()
		c.edit(&v)
		err := v.Validate(DefaultVisitTasks, now, loc)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if _, ok := AsError(err).Fields[c.field]; err == nil || !ok {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	v := good()
	v.Validate(DefaultVisitTasks, now, loc)
	if len(v.Tasks) != 2 || v.Day != "2020-03-09" || v.ClientUUID != "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f" {
		t.Errorf("normalised visit: %+v", v)
	}
	// A check-in at 23:30 UTC on 8 March is 07:30 on 9 March in the county.
	v = good()
	v.CheckedInAt, v.CheckedOutAt = time.Date(2020, 3, 8, 23, 30, 0, 0, time.UTC), time.Date(2020, 3, 8, 23, 50, 0, 0, time.UTC)
	if v.Validate(DefaultVisitTasks, now, loc); v.Day != "2020-03-09" {
		t.Errorf("day of a 07:30 check-in: %s", v.Day)
	}
}

func TestParseTasksFallsBackToTheSeedsList(t *testing.T) {
	if got := ParseTasks(" \n"); len(got) != len(DefaultVisitTasks) {
		t.Errorf("empty setting: %v", got)
	}
	if got := ParseTasks("巡查工地\n\n 防汛值守 \n"); len(got) != 2 || got[1] != "防汛值守" {
		t.Errorf("county's own list: %v", got)
	}
}

func TestResolveResponsibilities(t *testing.T) {
	covers := [][]string{FocusAreas, {"园区企业", "工矿企业"}, {"工矿企业"}, {"景区景点"}}
	cases := map[string]int{"工矿企业": 2, "园区企业": 1, "窗口服务": 0, "": -1, "景区景点": 3, "农业": -1}
	for focus, want := range cases {
		if got := SupervisingDepartment(focus, covers); got != want {
			t.Errorf("department for %q: %d, want %d", focus, got, want)
		}
	}
	named := Resolve(map[string]Person{DutyEnterprise: {Name: "王兵"}, DutyLiaison: {Name: "陈小斌"}, DutyTownship: {Name: ""}},
		map[string]Person{DutyLiaison: {Name: "李明"}, DutyDepartment: {Name: ""}})
	r := Responsibilities{Named: named}
	if named[DutyLiaison].Name != "李明" || !named[DutyLiaison].Overridden || named[DutyEnterprise].Overridden {
		t.Errorf("override: %+v", named)
	}
	if g := r.Gaps(); len(g) != 2 || g[0] != DutyTownship || g[1] != DutyDepartment {
		t.Errorf("gaps: %v", g)
	}
}

func TestSortScores(t *testing.T) {
	rows := []Score{{Liaison: Liaison{Username: "b", Rank: "正科级"}, Visits: 3}, {Liaison: Liaison{Username: "a", Rank: "副科级"}, Visits: 3}, {Liaison: Liaison{Username: "c"}, Visits: 9}}
	SortScores(rows, "visits", true)
	if rows[0].Username != "c" || rows[1].Username != "a" || rows[2].Username != "b" {
		t.Errorf("by visits, descending, ties by account: %v %v %v", rows[0].Username, rows[1].Username, rows[2].Username)
	}
	SortScores(rows, "drop table", false)
	if rows[0].Username != "a" {
		t.Errorf("an unknown key sorts by account")
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "7:05", "24:00", "09:60", ":", "", "-1:00", " 08:30 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseClock(s)
		if ok && (d < 0 || d >= 24*time.Hour) {
			t.Errorf("%q parsed to %v", s, d)
		}
	})
}

func FuzzDispatchRowCheck(f *testing.F) {
	f.Add("陈小斌", "副科级", "13907440001", "91430821MA4L12345X", "liaison001")
	f.Add("", "科员", "123", "", "a b")
	f.Fuzz(func(t *testing.T, name, rank, phone, uscc, user string) {
		r := DispatchRow{Line: 2, Name: name, Rank: rank, Phone: phone, USCC: uscc, Username: user}
		fe := FieldErrors{}
		r.Check(fe)
		for k := range fe {
			if line, col := SplitCellKey(k); line != 2 || col == "" {
				t.Errorf("error key %q does not name row 2 and a column", k)
			}
		}
	})
}
