package fugong

import (
	"strings"
	"time"
)

// Worker statuses (返岗员工状态).
const (
	WorkerPending   = "待返岗" // not yet cleared through the gates
	WorkerIsolating = "隔离中"
	WorkerOnDuty    = "在岗"
	WorkerLeft      = "离职"
)

// WorkerStatuses lists the statuses in board order.
var WorkerStatuses = []string{WorkerPending, WorkerIsolating, WorkerOnDuty, WorkerLeft}

// Worker is a returning worker of one enterprise (谁用工、谁管理、谁负责: the employer
// answers for them). The ID number and phone are personal data: the store keeps them
// sealed, with a keyed hash of the ID number to find a person, and shows them masked.
type Worker struct {
	ID           int64
	County       string
	EnterpriseID int64
	Township     string // the enterprise's township, for county totals
	Name         string
	IDNumber     string // in clear only while being written or when unmasked
	Phone        string
	HomeRegion   string // where the worker's home is, as the ledger writes it (e.g. 湖北省武汉市)
	Poor         bool   // from a registered poor household (建档立卡贫困户)
	Status       string
	Health       HealthState
	TCMDoses     int // preventive TCM doses given
	Demo         bool
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Masked reports whether IDNumber and Phone hold masked values.
	Masked bool
}

// WorkerColumns are the workers ledger's columns, as the offices write them, on import
// and export alike; the first two are required.
var WorkerColumns = []string{"姓名", "身份证号", "手机号", "户籍地", "贫困户", "状态"}

// NormalizeIDNumber trims spaces and upper-cases the check character as a user might type it.
func NormalizeIDNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckPhone returns a catalogue key unless p is an eleven-digit mainland mobile number,
// 13x to 19x (or empty: the phone is optional).
func CheckPhone(p string) string {
	if p == "" {
		return ""
	}
	if len(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9' {
		return "worker.phone"
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return "worker.phone"
		}
	}
	return ""
}

// Validate checks a worker before it is saved.
func (w *Worker) Validate() error {
	f := FieldErrors{}
	w.Name = strings.TrimSpace(w.Name)
	w.IDNumber = NormalizeIDNumber(w.IDNumber)
	w.Phone = strings.TrimSpace(w.Phone)
	w.HomeRegion = strings.TrimSpace(w.HomeRegion)
	if w.Name == "" {
		f.Add("name", "field.required")
	} else if len([]rune(w.Name)) > 50 {
		f.Add("name", "field.too_long")
	}
	if k := CheckIDNumber(w.IDNumber); k != "" {
		f.Add("id_number", k)
	}
	if k := CheckPhone(w.Phone); k != "" {
		f.Add("phone", k)
	}
	if len([]rune(w.HomeRegion)) > 100 {
		f.Add("home_region", "field.too_long")
	}
	if w.Status == "" {
		w.Status = WorkerPending
	}
	if !oneOf(w.Status, WorkerStatuses) {
		f.Add("status", "worker.status")
	}
	if w.EnterpriseID == 0 {
		f.Add("enterprise_id", "field.required")
	}
	return f.Err()
}

// WorkerFilter selects workers; empty fields do not filter.
type WorkerFilter struct {
	EnterpriseID int64
	Township     string
	Status       string
	Query        string // name contains
	IDHash       string // the keyed hash of an exact ID number
	// NoTCM keeps the workers given no preventive TCM dose yet (with Status 在岗: who is
	// on duty without one, 一个不漏).
	NoTCM  bool
	Limit  int
	Offset int
}

// Temperature is a body temperature in tenths of a degree Celsius (365 is 36.5 °C), so
// that it is stored and compared as an integer.
type Temperature int

// FeverThreshold is 37.3 °C: a reading at or above it alerts at once.
const FeverThreshold Temperature = 373

// Fever reports whether the reading is a fever.
func (t Temperature) Fever() bool { return t >= FeverThreshold }

// String formats the reading as "37.3".
func (t Temperature) String() string {
	if t <= 0 {
		return ""
	}
	return itoa(int(t)/10) + "." + itoa(int(t)%10)
}

// ParseTemperature reads "36.8" (or "368") into tenths; it accepts 30.0–45.0 °C.
func ParseTemperature(s string) (Temperature, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "field.required"
	}
	whole, frac, dot := strings.Cut(s, ".")
	v := 0
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, "health.temperature"
		}
		v = v*10 + int(c-'0')
		if v > 1000 {
			return 0, "health.temperature"
		}
	}
	if dot {
		if len(frac) != 1 || frac[0] < '0' || frac[0] > '9' {
			return 0, "health.temperature"
		}
		v = v*10 + int(frac[0]-'0')
	} else if v < 100 {
		v *= 10
	}
	if v < 300 || v > 450 {
		return 0, "health.temperature"
	}
	return Temperature(v), ""
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
