package fugong

import (
	"testing"
	"time"
)

func TestFloodAlerts(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	on := &DutyDay{Day: "2020-03-09", Leader: "带班领导"}
	pts := func(last string) []HazardPoint {
		return []HazardPoint{{ID: 1, Name: "朱家坡", PatrolDays: 7, LastPatrol: last}}
	}
	tests := []struct {
		name  string
		day   string
		duty  *DutyDay
		last  string
		kinds []string
	}{
		{"January is outside the season", "2020-01-31", nil, "", nil},
		{"November is outside the season", "2020-11-01", nil, "", nil},
		{"1 February, no roster, never patrolled", "2020-02-01", nil, "", []string{AlertDutyEmpty, AlertPatrolMissed}},
		{"a leader on duty, patrolled today", "2020-03-09", on, "2020-03-09", nil},
		{"patrolled exactly 7 days ago", "2020-03-09", on, "2020-03-02", nil},
		{"patrolled 8 days ago", "2020-03-09", on, "2020-03-01", []string{AlertPatrolMissed}},
		{"a roster day without a leader", "2020-10-31", &DutyDay{Day: "2020-10-31", Staff: "值班员"}, "2020-10-30", []string{AlertDutyEmpty}},
		{"leap day", "2020-02-29", on, "2020-02-22", nil},
	}
	for _, tt := range tests {
		got := FloodAlerts(day(tt.day), tt.duty, pts(tt.last))
		if len(got) != len(tt.kinds) {
			t.Errorf("%s: %+v, want %v", tt.name, got, tt.kinds)
			continue
		}
		for i, k := range tt.kinds {
			if got[i].Kind != k {
				t.Errorf("%s: %d is %s, want %s", tt.name, i, got[i].Kind, k)
			}
		}
	}
}

func TestDutyDayValidate(t *testing.T) {
	for _, tt := range []struct {
		d  DutyDay
		ok bool
	}{
		{DutyDay{Day: "2020-02-01", Leader: "甲"}, true},
		{DutyDay{Day: "2020-10-31", Leader: "甲"}, true},
		{DutyDay{Day: "2020-11-01", Leader: "甲"}, false},
		{DutyDay{Day: "2020-03-09"}, false},
		{DutyDay{Day: "3月9日", Leader: "甲"}, false},
	} {
		if err := tt.d.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.d, err)
		}
	}
}
