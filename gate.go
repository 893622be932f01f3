package fugong

import (
	"strings"
	"time"
)

// The four gates every returning worker passes (入口关、排查关、隔离关、防控关), as the
// steps recorded against them. Isolation has a start and a release; the control gate
// begins when a worker is cleared for duty and goes on as daily checks.
const (
	GateEntry     = "entry"     // 入口关: return registration
	GateScreening = "screening" // 排查关: screening against the risk regions
	GateIsolation = "isolation" // 隔离关: isolation starts
	GateRelease   = "release"   // 隔离关: isolation ends
	GateClear     = "clear"     // 防控关: cleared for duty
	GateLeave     = "leave"     // the worker left the enterprise
)

// Gates lists the steps in order.
var Gates = []string{GateEntry, GateScreening, GateIsolation, GateRelease, GateClear, GateLeave}

// Risk levels given by screening.
const (
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

// Isolation kinds.
const (
	IsolationCentral = "central" // 集中隔离
	IsolationHome    = "home"    // 居家隔离
)

// DefaultIsolationDays is the isolation period when command has set none.
const DefaultIsolationDays = 14

// HealthState is where a worker stands in the gates: the last step passed and what the
// steps decided.
type HealthState struct {
	Gate           string // "" before the entry gate
	Risk           string
	Arrival        string // YYYY-MM-DD
	IsolationKind  string
	IsolationStart string
	IsolationEnd   string // the planned end
}

// GateEvent is one dated step of one worker, with who recorded it.
type GateEvent struct {
	ID           int64
	County       string
	EnterpriseID int64
	WorkerID     int64
	Gate         string
	Day          string // YYYY-MM-DD the step happened
	// Entry gate.
	FromRegion  string
	Route       string
	Arrival     string
	Temperature Temperature
	// Screening gate (Symptoms and Temperature also at the entry).
	Contact  bool
	Symptoms string
	Risk     string
	// Isolation gate.
	IsolationKind string
	PlannedEnd    string
	Note          string
	RecordedBy    int64
	RecorderName  string
	At            time.Time
}

// RiskRegion is a region on command's list (e.g. 湖北) from a date to a date ("" while
// it is still on the list).
type RiskRegion struct {
	Name, From, To string
}

// Active reports whether someone arriving on day from the region counts as at risk.
func (r RiskRegion) Active(day string) bool {
	return (r.From == "" || day >= r.From) && (r.To == "" || day <= r.To)
}

// ParseRiskRegions reads command's list, one region a line: "湖北 2020-01-23" or
// "湖北 2020-01-23 2020-03-31". Bad lines are reported by line number.
func ParseRiskRegions(s string) ([]RiskRegion, FieldErrors) {
	var out []RiskRegion
	f := FieldErrors{}
	for i, line := range strings.Split(s, "\n") {
		parts := strings.Fields(strings.ReplaceAll(line, "|", " "))
		if len(parts) == 0 {
			continue
		}
		r := RiskRegion{Name: parts[0]}
		if len(parts) > 1 {
			r.From = parts[1]
		}
		if len(parts) > 2 {
			r.To = parts[2]
		}
		if len(parts) > 3 || (r.From != "" && !ValidDay(r.From)) || (r.To != "" && !ValidDay(r.To)) {
			f.Add("line "+itoa(i+1), "health.risk_region_line")
			continue
		}
		out = append(out, r)
	}
	return out, f
}

// FormatRiskRegions writes the list back in the form ParseRiskRegions reads.
func FormatRiskRegions(rs []RiskRegion) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(strings.TrimSpace(r.Name + " " + r.From + " " + r.To))
		b.WriteByte('\n')
	}
	return b.String()
}

// ValidDay reports whether s is a calendar date written YYYY-MM-DD.
func ValidDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// AddDays returns the date n days after day (YYYY-MM-DD).
func AddDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// Screen gives the risk level of the screening gate: high for a symptom, a fever, a
// contact with a case, or an arrival from a region on command's list while it is listed;
// medium for a route through such a region; low otherwise.
func Screen(from, route, arrival string, regions []RiskRegion, contact bool, symptoms string, t Temperature) string {
	if strings.TrimSpace(symptoms) != "" || t.Fever() || contact {
		return RiskHigh
	}
	risk := RiskLow
	for _, r := range regions {
		if r.Name == "" || !r.Active(arrival) {
			continue
		}
		if strings.Contains(from, r.Name) {
			return RiskHigh
		}
		if strings.Contains(route, r.Name) {
			risk = RiskMedium
		}
	}
	return risk
}

// RequiredIsolation is the isolation a risk level requires: central for high, home for
// medium, none for low.
func RequiredIsolation(risk string) string {
	switch risk {
	case RiskHigh:
		return IsolationCentral
	case RiskMedium:
		return IsolationHome
	}
	return ""
}

// Validate checks the fields the event's gate needs.
func (e *GateEvent) Validate() error {
	f := FieldErrors{}
	e.FromRegion, e.Route, e.Symptoms, e.Note = strings.TrimSpace(e.FromRegion), strings.TrimSpace(e.Route), strings.TrimSpace(e.Symptoms), strings.TrimSpace(e.Note)
	if !oneOf(e.Gate, Gates) {
		f.Add("gate", "health.gate")
	}
	if !ValidDay(e.Day) {
		f.Add("day", "field.date")
	}
	switch e.Gate {
	case GateEntry:
		if e.FromRegion == "" {
			f.Add("from_region", "field.required")
		}
		if !ValidDay(e.Arrival) {
			f.Add("arrival", "field.date")
		}
		if e.Temperature == 0 {
			f.Add("temperature", "field.required")
		}
	case GateIsolation:
		if e.IsolationKind != IsolationCentral && e.IsolationKind != IsolationHome {
			f.Add("isolation_kind", "health.isolation_kind")
		}
	}
	if e.Temperature != 0 && (e.Temperature < 300 || e.Temperature > 450) {
		f.Add("temperature", "health.temperature")
	}
	for _, s := range []string{e.FromRegion, e.Route, e.Symptoms, e.Note} {
		if len([]rune(s)) > 200 {
			f.Add("note", "field.too_long")
		}
	}
	return f.Err()
}

// Advance is the gates' state machine: it applies one step to a worker's status and
// state, or refuses it with the reason. A worker is cleared for duty only through the
// gates the screening requires: never before screening, never while isolation the risk
// requires has not been served, never before the planned end of an isolation.
// isolationDays is command's isolation period; the planned end is the start plus it.
func Advance(status string, st HealthState, e GateEvent, isolationDays int) (string, HealthState, error) {
	if isolationDays <= 0 {
		isolationDays = DefaultIsolationDays
	}
	refuse := func(key string) (string, HealthState, error) {
		return status, st, Errorf(EINVALID, key)
	}
	if status == WorkerLeft && e.Gate != GateEntry {
		return refuse("health.worker_left")
	}
	switch e.Gate {
	case GateEntry:
		if status != WorkerPending && status != WorkerLeft || (st.Gate != "" && st.Gate != GateLeave) {
			return refuse("health.already_entered")
		}
		return WorkerPending, HealthState{Gate: GateEntry, Arrival: e.Arrival}, nil
	case GateScreening:
		if st.Gate != GateEntry {
			return refuse("health.entry_required")
		}
		if e.Risk != RiskLow && e.Risk != RiskMedium && e.Risk != RiskHigh {
			return refuse("health.risk")
		}
		st.Gate, st.Risk = GateScreening, e.Risk
		return WorkerPending, st, nil
	case GateIsolation:
		// After screening, or from duty when a check finds a fever.
		if st.Gate != GateScreening && st.Gate != GateClear {
			return refuse("health.screening_required")
		}
		if RequiredIsolation(st.Risk) == IsolationCentral && e.IsolationKind != IsolationCentral && st.Gate == GateScreening {
			return refuse("health.central_required")
		}
		st.Gate, st.IsolationKind, st.IsolationStart = GateIsolation, e.IsolationKind, e.Day
		st.IsolationEnd = AddDays(e.Day, isolationDays)
		return WorkerIsolating, st, nil
	case GateRelease:
		if st.Gate != GateIsolation {
			return refuse("health.not_isolating")
		}
		if e.Day < st.IsolationEnd {
			return refuse("health.release_early")
		}
		st.Gate = GateRelease
		return WorkerPending, st, nil
	case GateClear:
		switch st.Gate {
		case GateRelease:
		case GateScreening:
			if RequiredIsolation(st.Risk) != "" {
				return refuse("health.isolation_required")
			}
		case GateIsolation:
			return refuse("health.isolation_running")
		case GateClear:
			return refuse("health.already_cleared")
		default:
			return refuse("health.screening_required")
		}
		st.Gate = GateClear
		return WorkerOnDuty, st, nil
	case GateLeave:
		st.Gate = GateLeave
		return WorkerLeft, st, nil
	}
	return refuse("health.gate")
}

// Check is one temperature reading: a daily check at work (防控关, twice a day) or the
// day's reading during isolation (隔离关).
type Check struct {
	ID           int64
	County       string
	EnterpriseID int64
	WorkerID     int64
	Township     string
	Day          string
	Slot         string // am, pm, or day (isolation)
	Temperature  Temperature
	Symptoms     string
	RecordedBy   int64
	At           time.Time
}

// EarliestDay is the first day a dated record of the platform may carry: nothing it
// keeps happened before 2000, and a date before it is a typing slip (0000-01-01).
const EarliestDay = "2000-01-01"

// CheckDay checks a day a person says something happened: a real date, not before
// EarliestDay and not after tomorrow (a check recorded just after midnight elsewhere, or
// entered the evening before). It returns a message key, empty when the day is sane.
func CheckDay(day, today string) string {
	switch {
	case !ValidDay(day):
		return "field.date"
	case day < EarliestDay:
		return "field.date_too_early"
	case day > AddDays(today, 1):
		return "field.date_future"
	}
	return ""
}

// Validate checks a temperature check as of today: its day (CheckDay), a temperature a
// thermometer can read, a short note of symptoms.
func (c *Check) Validate(today string) error {
	f := FieldErrors{}
	if k := CheckDay(c.Day, today); k != "" {
		f.Add("day", k)
	}
	if c.Temperature < 300 || c.Temperature > 450 {
		f.Add("temperature", "health.temperature")
	}
	if len([]rune(c.Symptoms)) > 200 {
		f.Add("symptoms", "field.too_long")
	}
	return f.Err()
}

// Check slots.
const (
	SlotMorning   = "am"
	SlotAfternoon = "pm"
	SlotIsolation = "day"
)

// Alarming reports whether the check must alert at once: a fever or any symptom.
func (c Check) Alarming() bool { return c.Temperature.Fever() || strings.TrimSpace(c.Symptoms) != "" }

// CheckSlotFor is the slot a check takes for a worker's status: the day's reading in
// isolation, morning or afternoon at work. It returns a catalogue key when a check
// cannot be recorded now.
func CheckSlotFor(status, slot string) (string, string) {
	switch status {
	case WorkerIsolating:
		return SlotIsolation, ""
	case WorkerOnDuty:
		if slot != SlotMorning && slot != SlotAfternoon {
			return "", "health.slot"
		}
		return slot, ""
	}
	return "", "health.check_not_now"
}

// Alert is a fever or symptom found at a gate or a check; it goes at once to the
// enterprise, its liaison, the township and command.
type Alert struct {
	ID           int64
	County       string
	EnterpriseID int64
	Enterprise   string
	Township     string
	WorkerID     int64
	WorkerName   string
	Day          string
	Temperature  Temperature
	Symptoms     string
	Source       string // the gate or check slot it came from
	At           time.Time
}

// DayRange is a filter of dated records from From to To, both days included; an empty end
// is open. A worker's history filters its steps through the gates and its checks alike.
type DayRange struct{ From, To string }

// Validate checks that each end given is a date and that the range does not run backwards.
func (r DayRange) Validate() error {
	f := FieldErrors{}
	if r.From != "" && !ValidDay(r.From) {
		f.Add("from", "field.date")
	}
	if r.To != "" && !ValidDay(r.To) {
		f.Add("to", "field.date")
	}
	if len(f) == 0 && r.From != "" && r.To != "" && r.To < r.From {
		f.Add("to", "field.range_order")
	}
	return f.Err()
}
