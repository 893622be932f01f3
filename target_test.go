package fugong

import (
	"reflect"
	"testing"
	"time"
)

func TestMissedWeeks(t *testing.T) {
	tg := Target{StartDay: "2020-02-12"} // a Wednesday: its week starts on 10 February
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name     string
		reported []string
		today    string
		want     []string
	}{
		{"the first week is not finished", nil, "2020-02-16", nil},
		{"the first week finished without a report", nil, "2020-02-17", []string{"2020-02-10"}},
		{"all reported", []string{"2020-02-10", "2020-02-17"}, "2020-02-24", nil},
		{"a gap", []string{"2020-02-10", "2020-03-02"}, "2020-03-09", []string{"2020-02-17", "2020-02-24"}},
		{"this week's report is not due yet", []string{"2020-02-10", "2020-02-17"}, "2020-02-29", nil},
	}
	for _, tt := range tests {
		got := MissedWeeks(tg, tt.reported, day(tt.today))
		if len(got) != len(tt.want) || len(got) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAssess(t *testing.T) {
	tests := []struct {
		planned, done int64
		rate          int64
		met           bool
	}{
		{2000, 0, 0, false},
		{2000, 1999, 999, false},
		{2000, 2000, 1000, true},
		{40000, 41000, 1025, true},
		{0, 10, 0, false},
	}
	for _, tt := range tests {
		a := Assess(Target{Planned: tt.planned, Done: tt.done}, 2)
		if a.Rate != tt.rate || a.Met != tt.met || a.MissedWeeks != 2 {
			t.Errorf("%d of %d: %+v", tt.done, tt.planned, a)
		}
	}
}

func TestTargetValidate(t *testing.T) {
	ok := Target{Name: "新增储备土地", Unit: "亩", Planned: 2000, Year: 2020, StartDay: "2020-02-10", Leader: "组长",
		Parcels: []TargetParcel{{Name: "A", Planned: 1000}, {Name: "B", Planned: 1000}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	over := ok
	over.Parcels = append([]TargetParcel{{Name: "C", Planned: 1}}, ok.Parcels...)
	if f := AsError(over.Validate()); f == nil || f.Fields["parcels"].Key != "target.parcels_over" {
		t.Errorf("parcels over the plan: %v", f)
	}
	r := TargetReport{Week: "2020-02-05", Done: 1}
	if f := AsError(r.Validate(ok)); f == nil || f.Fields["week"].Key != "target.week_before_start" {
		t.Errorf("week before start: %v", f)
	}
	r = TargetReport{Week: "2020-02-13", Done: 1}
	if err := r.Validate(ok); err != nil || r.Week != "2020-02-10" {
		t.Errorf("a Thursday's report belongs to its Monday: %v %s", err, r.Week)
	}
}
