package fugong

import (
	"strconv"
	"strings"
	"time"
)

// The command centre (指挥部) reads the county on one screen: each capability contributes a
// Panel of headline Figures, each figure linking to the list behind it, and the resumption
// figures carry their trend day by day for the charts.

// Units of a Figure's value.
const (
	UnitCount   = "count"
	UnitPercent = "percent" // one decimal, as fugong.Percent computes it
	UnitFen     = "fen"     // money, integer fen
	UnitDays    = "days"    // days, one decimal
)

// Figure is one number on the dashboard: its key (also its message key under
// "dashboard.fig."), its value, its unit and the list it is counted from.
type Figure struct {
	Key   string
	Value float64
	Unit  string
	Href  string
	// None says a rate has nothing to be taken of (no demand due, no report): it shows
	// as — and is null in the API, never a misleading 0 %.
	None bool
}

// Panel is one capability's figures on the dashboard.
type Panel struct {
	Key     string
	Figures []Figure
}

// TrendDay is the resumption and attendance of one day.
type TrendDay struct {
	Day              string
	Total, Resumed   int
	OnDuty, Payroll  int
	Rate, Attendance float64
}

// Dashboard is every figure of the command's screen for one day and scope.
type Dashboard struct {
	Day string
	// ComputedAt is when the figures were computed: the live screen's are shared for a
	// few seconds, and it says how fresh they are.
	ComputedAt time.Time
	Resumption ResumptionStats
	Trend      []TrendDay
	// DemandsByCategory are the day's demands by category (the report's table).
	DemandsByCategory []DemandFigures
	Panels            []Panel
}

// Figure finds a figure by its key ("demands.in"), false when no panel has it.
func (d *Dashboard) Figure(key string) (Figure, bool) {
	for _, p := range d.Panels {
		for _, f := range p.Figures {
			if f.Key == key {
				return f, true
			}
		}
	}
	return Figure{}, false
}

// Count is a figure's value as an integer, 0 when absent.
func (d *Dashboard) Count(key string) int {
	f, _ := d.Figure(key)
	return int(f.Value)
}

// Report kinds.
const (
	ReportDaily  = "daily"
	ReportWeekly = "weekly"
)

// Report is a daily or weekly report (日报、周报) as generated and kept: the figures of
// its last day, the demands over its whole period.
type Report struct {
	ID          int64
	County      string
	Kind        string
	From, To    string // days, inclusive; equal for a daily report
	GeneratedAt time.Time
	Dashboard   Dashboard
}

// ReportPeriod is the period of a report of kind ending on day: the day itself, or the
// seven days ending on it.
func ReportPeriod(kind, day string) (from, to string, err error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", "", Invalid(map[string]Msg{"date": M("field.date")})
	}
	switch kind {
	case ReportDaily:
		return day, day, nil
	case ReportWeekly:
		return d.AddDate(0, 0, -6).Format(time.DateOnly), day, nil
	}
	return "", "", Invalid(map[string]Msg{"kind": M("creport.kind")})
}

// ChineseDay writes a day as the offices do: "2020-03-09" → "3月9日".
func ChineseDay(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
}

// NextEvening is the first time at hour:00 local after now: when the evening reports are
// made.
func NextEvening(now time.Time, loc *time.Location, hour int) time.Time {
	l := now.In(loc)
	t := time.Date(l.Year(), l.Month(), l.Day(), hour, 0, 0, 0, loc)
	if !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// PowerUse is one enterprise's electricity use on one day, in watt-hours (the grid
// company's sheet gives kWh with up to three decimals).
type PowerUse struct {
	EnterpriseID int64
	Day          string
	Wh           int64
}

// PowerWorking tells whether use on a day shows an enterprise working: more than share
// percent of its baseline daily use (the December 2019 daily average, as Zhejiang's and
// Jiangsu's 电力复工指数 took it).
func PowerWorking(wh, baseline int64, share int) bool {
	return baseline > 0 && wh*100 > baseline*int64(share)
}

// PowerIndex compares the declared resumption with what the meters say on a day, over the
// enterprises that have a baseline and a reading that day.
type PowerIndex struct {
	Day      string
	Share    int // percent of the baseline that counts as working
	Measured int // enterprises with a baseline and a reading
	Working  int
	// Wh and BaselineWh are summed over the measured enterprises.
	Wh, BaselineWh int64
	// Idle lists the enterprises declared resumed whose power says otherwise.
	Idle []PowerIdle
}

// PowerIdle is an enterprise declared resumed that used no more than the share.
type PowerIdle struct {
	EnterpriseID   int64
	Name, Township string
	Wh, BaselineWh int64
}

// ResumptionIndex is the power-based resumption index: working ÷ measured, in percent.
func (p PowerIndex) ResumptionIndex() float64 { return Percent(p.Working, p.Measured) }

// ProductionIndex is the power-based production index: the day's use ÷ the baseline, in
// percent.
func (p PowerIndex) ProductionIndex() float64 {
	if p.BaselineWh <= 0 {
		return 0
	}
	return float64(int64(float64(p.Wh)*1000/float64(p.BaselineWh)+0.5)) / 10
}

// LeaderItem is one project or enterprise a county leader is linked to, with what is late
// or stuck about it.
type LeaderItem struct {
	Kind     string // "enterprise" or "project"
	ID       int64
	Name     string
	Township string
	// Enterprise: its status, open demands and those late on any clock.
	Status      string
	NotResumed  bool
	OpenDemands int
	LateDemands int
	// Project: its stage, progress and latest weekly report.
	Stage      string
	Progress   int
	LastReport string
	Stalled    bool
}

// Flagged tells whether the item needs the leader: late demands, not resumed, stalled.
func (i LeaderItem) Flagged() bool { return i.LateDemands > 0 || i.NotResumed || i.Stalled }

// LeaderView is one county leader's linked projects and enterprises, what is late or
// stuck first.
type LeaderView struct {
	UserID  int64
	Name    string
	Items   []LeaderItem
	Flagged int
}

// ProjectStalled tells whether a project not yet completed is stuck on day: no weekly
// report for the week before day's week, or progress no higher than the week before.
// reports are its weekly progress in week order.
func ProjectStalled(stage, day string, weeks []string, progress []int) bool {
	if stage == ProjectStages[len(ProjectStages)-1] {
		return false
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return false
	}
	if len(weeks) == 0 || weeks[len(weeks)-1] < Monday(d).AddDate(0, 0, -7).Format(time.DateOnly) {
		return true
	}
	n := len(progress)
	return n >= 2 && progress[n-1] <= progress[n-2]
}

// ParseKWh reads a reading in kWh as the grid company's sheet writes it ("1234", "1,234.5",
// "0.125") into watt-hours; false when it is not a non-negative number with at most three
// decimals.
func ParseKWh(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 3 || len(whole) > 12 {
		return 0, false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	var wh int64
	for _, c := range whole {
		wh = wh*10 + int64(c-'0')
	}
	f := frac + strings.Repeat("0", 3-len(frac))
	for _, c := range f {
		wh = wh*10 + int64(c-'0')
	}
	return wh, true
}
