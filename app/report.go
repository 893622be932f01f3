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

// handleMissedChecks registers the evening job that alerts for the day's missing checks
// of people in isolation (issue 18) and schedules the next evening.
func handleMissedChecks(a *App, h *store.Health) {
	a.Jobs.Handle(store.JobMissedChecks, func(ctx context.Context, j fugong.Job) error {
		_, err := h.RunMissedChecks(ctx, j.County, j.RunAt)
		return err
	})
}

// scheduleReports makes sure every county has its next evening's report and its next
// missed-check run waiting.
func (a *App) scheduleReports(ctx context.Context) error {
	now := a.Config.Clock.Now()
	if err := a.DB.ScheduleReports(ctx, now); err != nil {
		return err
	}
	return a.DB.ScheduleMissedChecks(ctx, now)
}
