package fugong

import (
	"strings"
	"time"
)

// Protective supplies kept in an enterprise's ledger.
const (
	SupplyMask         = "mask"         // 口罩, pieces
	SupplyDisinfectant = "disinfectant" // 消毒液, litres
	SupplyThermometer  = "thermometer"  // 体温计
	SupplyTCM          = "tcm"          // 预防性中药, doses
)

// SupplyItems lists the items in ledger order.
var SupplyItems = []string{SupplyMask, SupplyDisinfectant, SupplyThermometer, SupplyTCM}

// Ledger movements: stock = received − used − given.
const (
	SupplyReceived = "received"
	SupplyUsed     = "used"
	SupplyGiven    = "given" // handed to a worker (a TCM dose) or to others
)

// SupplyKinds lists the movements.
var SupplyKinds = []string{SupplyReceived, SupplyUsed, SupplyGiven}

// SupplyEntry is one line of an enterprise's supplies ledger.
type SupplyEntry struct {
	ID           int64
	County       string
	EnterpriseID int64
	Item         string
	Kind         string
	Quantity     int
	Day          string
	WorkerID     int64 // the worker a TCM dose was given to
	Note         string
	RecordedBy   int64
	At           time.Time
}

// Validate checks a ledger line.
func (e *SupplyEntry) Validate() error {
	f := FieldErrors{}
	e.Note = strings.TrimSpace(e.Note)
	if !oneOf(e.Item, SupplyItems) {
		f.Add("item", "supply.item")
	}
	if !oneOf(e.Kind, SupplyKinds) {
		f.Add("kind", "supply.kind")
	}
	if e.Quantity <= 0 || e.Quantity > 10_000_000 {
		f.Add("quantity", "supply.quantity")
	}
	if !ValidDay(e.Day) {
		f.Add("day", "field.date")
	}
	if e.WorkerID != 0 && (e.Item != SupplyTCM || e.Kind != SupplyGiven) {
		f.Add("worker_id", "supply.worker_only_tcm")
	}
	if len([]rune(e.Note)) > 200 {
		f.Add("note", "field.too_long")
	}
	return f.Err()
}

// SupplySettings are what daily need and the shortage rule are computed from; the
// county sets defaults and an enterprise may have its own.
type SupplySettings struct {
	AttendancePct  int // expected attendance, percent of payroll (default 70)
	MasksPerPerson int // masks per person per day (default 1)
	ThresholdDays  int // a shortage is raised below this many days of cover (default 7)
}

// DefaultSupplySettings are the seed's figures: 70 % attendance, one mask a day, a week.
var DefaultSupplySettings = SupplySettings{AttendancePct: 70, MasksPerPerson: 1, ThresholdDays: 7}

// Validate checks the settings.
func (s SupplySettings) Validate() error {
	f := FieldErrors{}
	if s.AttendancePct < 0 || s.AttendancePct > 100 {
		f.Add("attendance_pct", "supply.percent")
	}
	if s.MasksPerPerson < 0 || s.MasksPerPerson > 20 {
		f.Add("masks_per_person", "supply.masks_per_person")
	}
	if s.ThresholdDays < 0 || s.ThresholdDays > 90 {
		f.Add("threshold_days", "supply.threshold_days")
	}
	return f.Err()
}

// DailyNeed is the masks an enterprise needs a day: payroll × expected attendance ×
// masks per person per day, rounded up (the offices' own definition).
func DailyNeed(payroll int, s SupplySettings) int {
	n := payroll * s.AttendancePct * s.MasksPerPerson
	return (n + 99) / 100
}

// DaysOfCover is stock ÷ daily need in tenths of a day (a need of 0 covers forever,
// reported as -1).
func DaysOfCover(stock, need int) int {
	if need <= 0 {
		return -1
	}
	if stock <= 0 {
		return 0
	}
	return stock * 10 / need
}

// SupplyShortage is the shortage rule: below ThresholdDays of cover, one supply demand
// is raised for what brings the stock back to the threshold — and not again while one
// is open. It returns whether to raise and the quantity to ask for.
func SupplyShortage(stock, need int, s SupplySettings, open bool) (bool, int) {
	if open || need <= 0 || s.ThresholdDays <= 0 {
		return false, 0
	}
	want := need * s.ThresholdDays
	if stock >= want {
		return false, 0
	}
	return true, want - max(stock, 0)
}

// TCMCoverage is a share as a numerator and a denominator, so that a page can show a
// percentage and a total can be summed exactly.
type TCMCoverage struct {
	Given, OnDuty int
}

// SupplySummary is an enterprise's supplies at a glance.
type SupplySummary struct {
	EnterpriseID int64
	Enterprise   string
	Township     string
	Payroll      int
	Settings     SupplySettings
	Stock        map[string]int // by item
	DailyNeed    int            // masks a day
	CoverTenths  int            // days of cover of masks, in tenths; -1 when no need
	Short        bool           // below the threshold
	OpenRequest  bool
	TCM          TCMCoverage
}

// SupplyRequest is a supply demand raised by the shortage rule.
type SupplyRequest struct {
	ID           int64
	County       string
	EnterpriseID int64
	Item         string
	Quantity     int
	Note         string
	State        string // open, closed
	RaisedAt     time.Time
	ClosedAt     time.Time
}

// HealthTotal sums one township's (or the county's) workers, alerts, supplies and TCM
// coverage for the county page.
type HealthTotal struct {
	Township    string
	Workers     map[string]int // by status
	AlertsToday int
	ChecksToday int // temperature checks recorded on the day
	Enterprises int
	DailyNeed   int // masks a day
	MaskStock   int
	Short       int // enterprises below their threshold
	TCM         TCMCoverage
}

// Add sums another total into t.
func (t *HealthTotal) Add(o HealthTotal) {
	if t.Workers == nil {
		t.Workers = map[string]int{}
	}
	for k, v := range o.Workers {
		t.Workers[k] += v
	}
	t.AlertsToday += o.AlertsToday
	t.ChecksToday += o.ChecksToday
	t.Enterprises += o.Enterprises
	t.DailyNeed += o.DailyNeed
	t.MaskStock += o.MaskStock
	t.Short += o.Short
	t.TCM.Given += o.TCM.Given
	t.TCM.OnDuty += o.TCM.OnDuty
}
