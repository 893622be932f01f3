package fugong

import (
	"strings"
	"time"
)

// SourceMissed is the alert source of a day's check that nobody recorded (漏测): a
// worker in isolation, or a person screened at home, whose reading of the day is missing
// by the county's missed-check hour.
const SourceMissed = "missed"

// DefaultMissedCheckHour is the local hour the day's missing checks are looked for when
// the county has set none: 20:00, late enough for a village cadre's evening round and
// early enough for someone to go and see that evening.
const DefaultMissedCheckHour = 20

// OwesIsolationCheck reports whether a worker owes the day's isolation reading on day:
// in isolation (central or home) that began on that day or before.
func OwesIsolationCheck(w Worker, day string) bool {
	return w.Status == WorkerIsolating && w.Health.IsolationStart != "" && w.Health.IsolationStart <= day
}

// OwesCheck reports whether a person screened at home owes a reading on day: from the day
// after the screening (the door visit took that day's) while still in home isolation.
func (s Screening) OwesCheck(day string) bool {
	until := s.IsolationUntil
	if until == "" {
		until = AddDays(s.ReturnedOn, IsolationDays)
	}
	return s.Day < day && until != "" && day < until
}

// ScreeningCheck is the day's temperature of a person in home isolation after a village
// screening, taken by the village cadre (by phone or at the door).
type ScreeningCheck struct {
	ID          int64
	County      string
	ScreeningID int64
	Village     string
	Day         string
	Temperature int // tenths of a degree
	Symptoms    string
	Fever       bool
	RecordedBy  string
	At          time.Time
}

// Validate checks a reading as of today (CheckDay) and marks a fever.
func (c *ScreeningCheck) Validate(today string) error {
	f := FieldErrors{}
	c.Symptoms = strings.TrimSpace(c.Symptoms)
	if k := CheckDay(c.Day, today); k != "" {
		f.Add("day", k)
	} else if c.Day > today {
		f.Add("day", "screening.check_future") // a reading is taken, never planned
	}
	if c.Temperature < 340 || c.Temperature > 429 {
		f.Add("temperature", "checkpoint.temperature")
	}
	if len([]rune(c.Symptoms)) > 200 {
		f.Add("symptoms", "field.too_long")
	}
	c.Fever = Fever(c.Temperature) || c.Symptoms != ""
	return f.Err()
}

// CheckReadingDay refuses a home-isolation reading for a day the person owes none
// (OwesCheck): the screening's own day (the door visit took it), or a day after home
// isolation ended. The refusal names day with the first and last day owed.
func (s Screening) CheckReadingDay(day string) error {
	if s.OwesCheck(day) {
		return nil
	}
	until := s.IsolationUntil
	if until == "" {
		until = AddDays(s.ReturnedOn, IsolationDays)
	}
	return Invalid(map[string]Msg{"day": M("screening.check_outside", AddDays(s.Day, 1), AddDays(until, -1))})
}
