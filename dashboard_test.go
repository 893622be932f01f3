package fugong

import (
	"testing"
	"time"
)

func TestParseKWh(t *testing.T) {
	for _, c := range []struct {
		in string
		wh int64
		ok bool
	}{
		{"1234", 1234000, true}, {"1,234.5", 1234500, true}, {"0.125", 125, true}, {" 7 ", 7000, true}, {".5", 500, true},
		{"", 0, false}, {".", 0, false}, {"-1", 0, false}, {"1.2345", 0, false}, {"abc", 0, false}, {"1e3", 0, false}, {"1.2.3", 0, false},
	} {
		wh, ok := ParseKWh(c.in)
		if wh != c.wh || ok != c.ok {
			t.Errorf("ParseKWh(%q) = %d, %v; want %d, %v", c.in, wh, ok, c.wh, c.ok)
		}
	}
}

func FuzzParseKWh(f *testing.F) {
	for _, s := range []string{"1234", "1,234.5", "0.125", "", "-1", "9999999999999.999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		wh, ok := ParseKWh(s)
		if ok && wh < 0 {
			t.Errorf("ParseKWh(%q) = %d", s, wh)
		}
	})
}

func TestNextEvening(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return v }
	for _, c := range []struct{ now, want string }{
		{"2020-03-09 08:00", "2020-03-09 20:00"},
		{"2020-03-09 19:59", "2020-03-09 20:00"},
		{"2020-03-09 20:00", "2020-03-10 20:00"},
		{"2020-02-29 23:00", "2020-03-01 20:00"},
	} {
		if got := NextEvening(at(c.now), loc, 20); !got.Equal(at(c.want)) {
			t.Errorf("NextEvening(%s) = %v, want %s", c.now, got, c.want)
		}
	}
}

func TestReportPeriodAndChineseDay(t *testing.T) {
	if from, to, err := ReportPeriod(ReportWeekly, "2020-03-01"); err != nil || from != "2020-02-24" || to != "2020-03-01" {
		t.Errorf("weekly to 1 March: %s..%s %v", from, to, err)
	}
	if _, _, err := ReportPeriod("monthly", "2020-03-01"); ErrorCode(err) != EINVALID {
		t.Errorf("a monthly report: %v", err)
	}
	if got := ChineseDay("2020-03-09"); got != "3月9日" {
		t.Errorf("ChineseDay = %q", got)
	}
}

func TestPowerWorkingAndIndices(t *testing.T) {
	if PowerWorking(300, 1000, 30) || !PowerWorking(301, 1000, 30) || PowerWorking(5, 0, 30) {
		t.Errorf("working is strictly more than the share of a positive baseline")
	}
	p := PowerIndex{Measured: 3, Working: 2, Wh: 1500, BaselineWh: 2000}
	if p.ResumptionIndex() != 66.7 || p.ProductionIndex() != 75 {
		t.Errorf("indices %v %v", p.ResumptionIndex(), p.ProductionIndex())
	}
}

func TestProjectStalled(t *testing.T) {
	for _, c := range []struct {
		name, stage string
		weeks       []string
		progress    []int
		want        bool
	}{
		{"reported last week and moving", "在建", []string{"2020-02-24", "2020-03-02"}, []int{40, 50}, false},
		{"no report last week", "在建", []string{"2020-02-17", "2020-02-24"}, []int{40, 50}, true},
		{"no progress", "在建", []string{"2020-02-24", "2020-03-02"}, []int{50, 50}, true},
		{"never reported", "前期", nil, nil, true},
		{"completed", "竣工", nil, nil, false},
	} {
		if got := ProjectStalled(c.stage, "2020-03-09", c.weeks, c.progress); got != c.want {
			t.Errorf("%s: stalled %v", c.name, got)
		}
	}
}
