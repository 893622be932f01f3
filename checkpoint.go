package fugong

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// FeverTenths is the temperature, in tenths of a degree Celsius, from which a reading
// counts as fever and alerts: 37.3 °C.
const FeverTenths = 373

// IsolationDays is how long a person back from a risk region stays in home isolation.
const IsolationDays = 14

// Fever reports whether a temperature in tenths of a degree is a fever.
func Fever(tenths int) bool { return tenths >= FeverTenths }

var errTemperature = errors.New("temperature")

// ParseBodyTemperature reads a body temperature as written on a form ("36.5", "37") into
// tenths of a degree; no float decides who has a fever. It accepts 34.0–42.9 °C.
func ParseBodyTemperature(s string) (int, error) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if len(whole) != 2 || dot && len(frac) != 1 {
		return 0, errTemperature
	}
	if !dot {
		frac = "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || whole[0] == '+' || frac[0] < '0' || frac[0] > '9' {
		return 0, errTemperature
	}
	v := w*10 + f
	if v < 340 || v > 429 {
		return 0, errTemperature
	}
	return v, nil
}

// FormatTemperature writes tenths of a degree as "37.3".
func FormatTemperature(tenths int) string {
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

// Checkpoint is a road health station at the county border (健康服务点).
type Checkpoint struct {
	ID       int64
	County   string
	Name     string
	Township string
	Location string
	OpenedOn string
	Demo     bool
	// Entries and Fevers count its registrations and its readings of fever.
	Entries, Fevers int
}

// CheckpointShift is one shift at a checkpoint: who stood it, from which village.
type CheckpointShift struct {
	ID           int64
	CheckpointID int64
	Day          string
	Shift        string
	Staff        string
	Village      string
}

// CheckpointEntry is a vehicle or a person registered at a checkpoint with a temperature.
// IDNumber and Phone are in clear only between the form and the store, which seals them.
type CheckpointEntry struct {
	ID           int64
	County       string
	CheckpointID int64
	At           time.Time
	Plate        string
	Name         string
	IDNumber     string
	Phone        string
	Origin       string
	Temperature  int // tenths of a degree
	Fever        bool
	Username     string
	Demo         bool
}

// Validate checks a registration and marks a fever.
func (e *CheckpointEntry) Validate() error {
	f := FieldErrors{}
	e.Name, e.Plate, e.Origin = strings.TrimSpace(e.Name), strings.ToUpper(strings.TrimSpace(e.Plate)), strings.TrimSpace(e.Origin)
	e.IDNumber, e.Phone = strings.ToUpper(strings.TrimSpace(e.IDNumber)), strings.TrimSpace(e.Phone)
	if e.Name == "" {
		f.Add("name", "field.required")
	}
	if e.IDNumber != "" {
		if k := CheckIDNumber(e.IDNumber); k != "" {
			f.Add("id_number", k)
		}
	}
	if e.Phone != "" && !validPhone(e.Phone) {
		f.Add("phone", "checkpoint.phone")
	}
	if e.Temperature < 340 || e.Temperature > 429 {
		f.Add("temperature", "checkpoint.temperature")
	}
	e.Fever = Fever(e.Temperature)
	return f.Err()
}

// CheckAt checks the time a registration says the person passed, as of now: when it is
// written up after the fact (from the paper sheet of a busy hour) it carries that time,
// which may not lie ahead of now nor before EarliestDay. A zero time is now.
func (e *CheckpointEntry) CheckAt(now time.Time) error {
	switch {
	case e.At.IsZero():
		e.At = now
	case e.At.After(now):
		return Invalid(map[string]Msg{"at": M("checkpoint.at_future")})
	case e.At.Format(time.DateOnly) < EarliestDay:
		return Invalid(map[string]Msg{"at": M("field.date_too_early")})
	}
	return nil
}

func validPhone(p string) bool {
	if len(p) != 11 || p[0] != '1' {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Screening is a village cadre's door-to-door record of a person back from a risk
// region (入户摸排): their home isolation and what they need delivered.
type Screening struct {
	ID             int64
	County         string
	Village        string
	Name           string
	IDNumber       string
	Phone          string
	FromRegion     string
	ReturnedOn     string
	IsolationUntil string
	Needs          string
	Temperature    int
	ScreenedBy     string
	Day            string
	Demo           bool
	// Today is the day's reading in home isolation (ScreeningCheck), nil while none.
	Today *ScreeningCheck
}

// Validate checks a screening and sets the end of home isolation, 14 days after return.
func (s *Screening) Validate() error {
	f := FieldErrors{}
	s.Name, s.FromRegion, s.Needs = strings.TrimSpace(s.Name), strings.TrimSpace(s.FromRegion), strings.TrimSpace(s.Needs)
	s.IDNumber, s.Phone = strings.ToUpper(strings.TrimSpace(s.IDNumber)), strings.TrimSpace(s.Phone)
	if s.Name == "" {
		f.Add("name", "field.required")
	}
	if s.IDNumber != "" {
		if k := CheckIDNumber(s.IDNumber); k != "" {
			f.Add("id_number", k)
		}
	}
	if s.Phone != "" && !validPhone(s.Phone) {
		f.Add("phone", "checkpoint.phone")
	}
	if s.FromRegion == "" {
		f.Add("from_region", "field.required")
	}
	if d, err := time.Parse(time.DateOnly, s.ReturnedOn); err != nil {
		f.Add("returned_on", "field.date")
	} else {
		s.IsolationUntil = d.AddDate(0, 0, IsolationDays).Format(time.DateOnly)
	}
	if s.Temperature != 0 && (s.Temperature < 340 || s.Temperature > 429) {
		f.Add("temperature", "checkpoint.temperature")
	}
	return f.Err()
}

// Isolated reports whether the person is still in home isolation on day.
func (s Screening) Isolated(day string) bool { return s.IsolationUntil != "" && day < s.IsolationUntil }

// CheckpointFilter selects checkpoints.
type CheckpointFilter struct {
	Township      string
	Limit, Offset int
}
