package fugong

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Liaison settings, per county.
const (
	// SettingVisitBy is the time of day ("09:00") by which every liaison should have
	// checked in somewhere; the board lists those who have not.
	SettingVisitBy = "liaison.visit_by"
	// SettingStaleDays is how many days without a visit put an enterprise on the board.
	SettingStaleDays = "liaison.stale_days"
	// SettingInspectionOrg names the department whose officers may inspect (督查).
	SettingInspectionOrg = "liaison.inspection_org"
)

// Defaults of the liaison settings.
const (
	DefaultVisitBy       = "09:00"
	DefaultStaleDays     = 3
	DefaultInspectionOrg = "县委组织部"
)

// ParseClock reads a time of day "HH:MM" as the duration since midnight.
func ParseClock(s string) (time.Duration, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

// Liaison is a stationed cadre as the boards show them.
type Liaison struct {
	UserID      int64
	Username    string
	Name        string
	Rank        string
	Phone       string
	Enterprises int    // enterprises they are stationed at now
	LastVisit   string // day of their last visit, "" when none
}

// StaleEnterprise is an enterprise nobody has visited for a while.
type StaleEnterprise struct {
	ID        int64
	Name      string
	Township  string
	Liaison   string
	LastVisit string // "" when never visited
}

// WeekRow is one liaison's visits on each of seven days.
type WeekRow struct {
	Liaison
	Days  []int
	Total int
}

// Score is one liaison's line on the scorecard over a period.
type Score struct {
	Liaison
	Visits int
	// OnTime counts visits checked in by the county's set hour.
	OnTime        int
	Demands       int // raised on visits
	OnSite        int // of those, solved on site
	Findings      int // inspections' findings against them
	OpenRectified int // rectifications still open
}

// ScoreSorts are the scorecard's sortable columns.
var ScoreSorts = []string{"name", "rank", "enterprises", "visits", "on_time", "demands", "on_site", "findings"}

// SortScores orders a scorecard by one of ScoreSorts (unknown keys sort by name), ties by
// username so that the order is stable.
func SortScores(rows []Score, key string, desc bool) {
	val := func(s Score) int {
		switch key {
		case "enterprises":
			return s.Enterprises
		case "visits":
			return s.Visits
		case "on_time":
			return s.OnTime
		case "demands":
			return s.Demands
		case "on_site":
			return s.OnSite
		case "findings":
			return s.Findings
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		var less, equal bool
		switch key {
		case "rank":
			less, equal = a.Rank < b.Rank, a.Rank == b.Rank
		case "enterprises", "visits", "on_time", "demands", "on_site", "findings":
			less, equal = val(a) < val(b), val(a) == val(b)
		default:
			less, equal = a.Username < b.Username, a.Username == b.Username
		}
		if equal {
			return a.Username < b.Username
		}
		return less != desc
	})
}
