package fugong

import (
	"testing"
	"time"
)

func TestCheckPayroll(t *testing.T) {
	for _, tt := range []struct {
		onDuty, payroll int
		bad             bool
	}{{0, 0, false}, {430, 430, false}, {300, 430, false}, {431, 430, true}, {9999, 430, true}, {1, 0, true}} {
		d := DailyReport{OnDuty: tt.onDuty}
		err := d.CheckPayroll(tt.payroll)
		if (err != nil) != tt.bad {
			t.Errorf("%d on duty of %d: %v, want refused %v", tt.onDuty, tt.payroll, err, tt.bad)
		}
		if err != nil && AsError(err).Fields["on_duty"].Key != "report.on_duty_over_payroll" {
			t.Errorf("%d of %d: %v does not name on_duty", tt.onDuty, tt.payroll, err)
		}
	}
}

func TestWeeklyReportHistory(t *testing.T) {
	today := time.Date(2020, 3, 9, 0, 0, 0, 0, time.UTC) // a Monday
	series := map[string]int64{"2020-02-17": 10, "2020-02-24": 20, "2020-03-02": 40}
	for _, tt := range []struct {
		name  string
		week  string
		v     int64
		field string
		key   string
	}{
		{"the next week, higher", "2020-03-09", 45, "", ""},
		{"the next week, level", "2020-03-09", 40, "", ""},
		{"the next week, lower", "2020-03-09", 39, "progress", "report.goes_back"},
		{"a correction between its neighbours", "2020-02-24", 30, "", ""},
		{"a correction above a later week", "2020-02-24", 41, "progress", "report.above_later"},
		{"a correction below an earlier week", "2020-02-24", 5, "progress", "report.goes_back"},
		{"next week is not here yet", "2020-03-16", 50, "week", "report.week_future"},
		{"a week before every other", "2020-02-10", 10, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ProjectReport{Week: tt.week, Progress: int(tt.v)}
			err := r.CheckHistory(series, today)
			tr := TargetReport{Week: tt.week, Done: tt.v}
			terr := tr.CheckHistory(series, today)
			if tt.key == "" {
				if err != nil || terr != nil {
					t.Fatalf("refused: %v / %v", err, terr)
				}
				return
			}
			if got := AsError(err).Fields[tt.field].Key; got != tt.key {
				t.Errorf("project: %v, want %s on %s", err, tt.key, tt.field)
			}
			field := tt.field
			if field == "progress" {
				field = "done"
			}
			if got := AsError(terr).Fields[field].Key; got != tt.key {
				t.Errorf("target: %v, want %s on %s", terr, tt.key, field)
			}
		})
	}
}

func TestAssessmentPercent(t *testing.T) {
	for _, tt := range []struct {
		done, planned int64
		want          float64
	}{{0, 2000, 0}, {700, 2000, 35}, {1, 3, 33.3}, {2, 3, 66.7}, {2000, 2000, 100}, {5, 0, 0}} {
		if got := (Assessment{Done: tt.done, Planned: tt.planned}).Percent(); got != tt.want {
			t.Errorf("%d of %d: %v %%, want %v", tt.done, tt.planned, got, tt.want)
		}
	}
}

func TestCheckDay(t *testing.T) {
	const today = "2020-03-09"
	for _, tt := range []struct{ day, key string }{
		{"2020-03-09", ""}, {"2020-03-10", ""}, {"2000-01-01", ""},
		{"2020-03-11", "field.date_future"}, {"9999-12-31", "field.date_future"},
		{"1999-12-31", "field.date_too_early"}, {"0000-01-01", "field.date_too_early"},
		{"2020-02-30", "field.date"}, {"", "field.date"},
	} {
		if got := CheckDay(tt.day, today); got != tt.key {
			t.Errorf("CheckDay(%q) = %q, want %q", tt.day, got, tt.key)
		}
	}
}

func TestPaymentNotInTheFuture(t *testing.T) {
	for _, tt := range []struct {
		paidOn string
		bad    bool
	}{{"2020-03-09", false}, {"2020-03-01", false}, {"2020-03-10", true}} {
		p := Payment{PaidOn: tt.paidOn}
		if err := p.CheckDate("2020-03-09"); (err != nil) != tt.bad {
			t.Errorf("paid on %s: %v", tt.paidOn, err)
		}
	}
}
