// Package jobs runs fugong's durable background work — the same-day clocks, deliveries,
// rule runs, reports — from the jobs table in the same database, so that it survives a
// restart and needs no other server.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fugong"
	"fugong/store"
)

// Handler does one kind of job. It must be idempotent. Returning an error retries the
// job with backoff; returning Snooze(t) runs it again at t without counting a failure.
type Handler func(ctx context.Context, j fugong.Job) error

// SnoozeError asks for the job to run again later.
type SnoozeError struct{ Until time.Time }

func (s SnoozeError) Error() string { return "snoozed until " + s.Until.Format(time.RFC3339) }

// Snooze returns an error that reschedules the job at t.
func Snooze(t time.Time) error { return SnoozeError{Until: t} }

// Runner claims due jobs and runs their handlers.
type Runner struct {
	DB       *store.DB
	Log      *slog.Logger
	Interval time.Duration
	// MaxAttempts before a job is marked failed.
	MaxAttempts int

	mu       sync.RWMutex
	handlers map[string]Handler
	wake     chan struct{}
}

// New returns a runner polling every second.
func New(db *store.DB, log *slog.Logger) *Runner {
	return &Runner{DB: db, Log: log, Interval: time.Second, MaxAttempts: 10, handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// Handle registers the handler of a kind.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	r.handlers[kind] = h
	r.mu.Unlock()
}

// Wake asks the runner to look for due jobs now rather than at its next tick.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run puts back jobs interrupted by a crash, then runs due jobs until ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	if n, err := r.DB.RequeueRunningJobs(ctx); err != nil {
		return fmt.Errorf("requeue jobs: %w", err)
	} else if n > 0 {
		r.Log.Info("jobs requeued after restart", "count", n)
	}
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("run jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-r.wake:
		}
	}
}

// RunDue runs every job due by the database clock, in batches, and reports how many ran.
// Tests call it directly after moving a manual clock.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	ran := 0
	for {
		batch, err := r.DB.ClaimJobs(ctx, r.DB.Clock.Now(), 100)
		if err != nil {
			return ran, err
		}
		if len(batch) == 0 {
			return ran, nil
		}
		for _, j := range batch {
			r.runOne(ctx, j)
			ran++
		}
	}
}

func (r *Runner) runOne(ctx context.Context, j fugong.Job) {
	r.mu.RLock()
	h := r.handlers[j.Kind]
	r.mu.RUnlock()
	var err error
	if h == nil {
		err = fmt.Errorf("no handler for job kind %q", j.Kind)
	} else {
		err = safeRun(ctx, h, j)
	}
	var retry time.Time
	if s, ok := err.(SnoozeError); ok {
		retry, err = s.Until, fmt.Errorf("snoozed")
		if e := r.DB.FinishJob(ctx, j.ID, err, retry); e != nil {
			r.Log.Error("snooze job", "id", j.ID, "err", e)
		}
		return
	}
	if err != nil {
		if j.Attempts < r.MaxAttempts {
			retry = r.DB.Clock.Now().Add(Backoff(j.Attempts))
		}
		r.Log.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", err)
	}
	if e := r.DB.FinishJob(ctx, j.ID, err, retry); e != nil {
		r.Log.Error("finish job", "id", j.ID, "err", e)
	}
}

func safeRun(ctx context.Context, h Handler, j fugong.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return h(ctx, j)
}

// Backoff is the wait before retry n: 10 s doubling, at most an hour.
func Backoff(attempt int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
