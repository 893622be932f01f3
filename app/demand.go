package app

import (
	"context"

	"fugong"
	"fugong/i18n"
	"fugong/jobs"
	"fugong/store"
)

// handleDemandClocks runs the same-day clocks on the job queue: each demand's job looks at
// its deadlines and snoozes until the next one, so that a restart loses no timer.
func handleDemandClocks(a *App, cat *i18n.Catalog) {
	d := store.NewDemands(a.DB, a.Loc, cat)
	a.Jobs.Handle(store.JobDemandClock, func(ctx context.Context, j fugong.Job) error {
		next, err := d.RunClock(ctx, j)
		if err != nil {
			return err
		}
		if !next.IsZero() {
			return jobs.Snooze(next)
		}
		return nil
	})
}
