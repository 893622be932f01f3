package fugong

import (
	"sync"
	"time"
)

// Clock tells the time. The demo county runs on a clock that starts on 9 March 2020
// and moves forward in real time; tests use a clock they set by hand.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// OffsetClock runs in real time from a chosen start.
type OffsetClock struct {
	offset time.Duration
}

// NewOffsetClock returns a clock that reads start now and runs forward from there.
func NewOffsetClock(start time.Time) *OffsetClock {
	return &OffsetClock{offset: time.Until(start)}
}

// Now returns the shifted time.
func (c *OffsetClock) Now() time.Time { return time.Now().Add(c.offset) }

// ManualClock is set by hand; the zero value reads the zero time.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now returns the set time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Day returns the calendar date of t in loc as YYYY-MM-DD.
func Day(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }
