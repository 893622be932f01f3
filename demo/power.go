package demo

import (
	"time"

	"fugong"
	"fugong/store"
)

// buildPower writes the grid company's readings (demo data): each enterprise's baseline
// daily use (as the sheet's baseline column gives it) and its readings over the two weeks
// to 9 March. Most agree with the declarations; a few declared resumed stay nearly idle,
// for the power check to find.
func buildPower(b *Builder) error {
	var base, uses [][]any
	idle := 0
	for _, e := range b.Enterprises {
		if e.Workshop {
			continue
		}
		wh := int64(200+b.Rand.IntN(20000)) * 1000
		base = append(base, []any{e.ID, County, wh})
		quiet := e.ResumedOn != "" && idle < 7 && b.Rand.IntN(30) == 0
		if quiet {
			idle++
		}
		for d := Start.AddDate(0, 0, -13); !d.After(Start); d = d.AddDate(0, 0, 1) {
			day := d.Format(time.DateOnly)
			share := 2 + b.Rand.IntN(14) // closed: standby load
			switch {
			case quiet:
				share = 5 + b.Rand.IntN(20)
			case e.ResumedOn != "" && e.ResumedOn <= day:
				share = 45 + b.Rand.IntN(70)
			}
			uses = append(uses, []any{County, e.ID, day, wh * int64(share) / 100})
		}
	}
	if err := b.Bulk("power_baselines", "enterprise_id, region_code, wh", base); err != nil {
		return err
	}
	if err := b.Bulk("power_uses", "region_code, enterprise_id, day, wh", uses); err != nil {
		return err
	}
	// The first evening's reports are made at 20:00 on the demo's first day.
	return b.DB.EnqueueJob(b.Ctx, b.Tx, County, store.JobEveningReports, "", fugong.NextEvening(Start, b.Loc, 20))
}
