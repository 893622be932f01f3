package app

import (
	"context"

	"fugong"
	"fugong/store"
)

// handleReports registers the evening report job (issue 9): it makes and keeps the
// day's report (and the weekly one on its weekday) and schedules the next evening.
func handleReports(a *App) {
	a.Jobs.Handle(store.JobEveningReports, func(ctx context.Context, j fugong.Job) error {
		return a.DB.RunEveningReports(ctx, j.County, j.RunAt)
	})
}

// scheduleReports makes sure every county has its next evening's report waiting.
func (a *App) scheduleReports(ctx context.Context) error {
	return a.DB.ScheduleReports(ctx, a.Config.Clock.Now())
}
