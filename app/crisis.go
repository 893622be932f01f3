package app

import (
	"context"

	"fugong"
	"fugong/i18n"
	"fugong/jobs"
	"fugong/store"
)

// handleFloodWatch runs each county's flood-season watch on the job queue once a day:
// an empty duty day or a missed patrol alerts the command, and the job snoozes until
// the next morning, so that a restart loses no day.
func handleFloodWatch(a *App, cat *i18n.Catalog) {
	a.Jobs.Handle(store.JobFloodWatch, func(ctx context.Context, j fugong.Job) error {
		_, next, err := a.DB.WatchFlood(ctx, j.County, store.Chinese(cat))
		if err != nil {
			return err
		}
		return jobs.Snooze(next)
	})
}
