package gen

import (
	"database/sql"
	"fmt"
	"time"

	"fugong"
)

// genReports writes the daily enterprise reports: Reports spread evenly over the
// enterprises, each enterprise reporting on the last days up to 9 March.
func genReports(g *Generator) error {
	for _, c := range g.Counties {
		perEnt := max(1, g.Opts.Reports/max(1, g.Opts.Enterprises))
		perEnt = min(perEnt, 28)
		err := g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
			b := g.Bulk(tx, "daily_reports", "region_code", "enterprise_id", "day", "on_duty", "capacity", "mask_stock", "masks_used", "returned_outside", "reported_at")
			for e := c.FirstEnterprise; e < c.FirstEnterprise+c.Enterprises; e++ {
				for d := 28 - perEnt; d < 28; d++ {
					day := g.Start.AddDate(0, 0, d)
					at := day.Add(time.Duration(8*60+g.Rand.IntN(180)) * time.Minute)
					onDuty := 5 + g.Rand.IntN(200)
					if err := b.Add(c.Region.Code, e, day.Format(time.DateOnly), onDuty, 40+g.Rand.IntN(61), 100+g.Rand.IntN(2000), onDuty*2,
						g.Rand.IntN(10), at.UnixMilli()); err != nil {
						return err
					}
				}
			}
			return b.Flush()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// genDemands writes Demands spread over the counties and the 28 days from 11 February,
// numbered per county and day as intake numbers them, with their clocks computed by the
// same rules; most are solved, some still open or late. demand_counters ends at each
// day's last number, so intake continues the numbering.
func genDemands(g *Generator) error {
	per := g.Opts.Demands / max(1, len(g.Counties))
	cats := fugong.DemandCategories
	loc := time.FixedZone("CST", 8*3600)
	for _, c := range g.Counties {
		cc := c.Region.Code
		err := g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
			b := g.Bulk(tx, "demands", "region_code", "number", "enterprise_id", "township", "liaison_id", "category", "description", "quantity", "unit", "fields",
				"urgency", "channel", "raised_by", "state", "level", "day", "received_at", "response_due", "same_day_due", "solution_due",
				"responded_at", "solved_at", "closed_at", "response_minutes", "response_late", "same_day_late", "solution_minutes", "solution_late", "rating", "updated_at")
			counters := map[string]int{}
			for i := 0; i < per; i++ {
				day := g.Start.AddDate(0, 0, i*28/per)
				cat := cats[g.Rand.IntN(len(cats))]
				e := c.FirstEnterprise + g.Rand.Int64N(max(1, c.Enterprises))
				d := fugong.Demand{Category: cat.Key, ReceivedAt: day.Add(time.Duration(7*60+g.Rand.IntN(12*60)) * time.Minute), Urgency: fugong.Urgencies[g.Rand.IntN(3)]}
				d.Deadlines(fugong.DefaultClockPolicy, loc)
				counters[d.Day]++
				n := counters[d.Day]
				state, level := fugong.DemandClosed, fugong.LevelLiaison
				var responded, solved, closed time.Time
				respMin, solMin, rating := -1, -1, 0
				switch r := g.Rand.IntN(100); {
				case r < 85 || day.Before(g.Start.AddDate(0, 0, 21)):
					responded = d.ReceivedAt.Add(time.Duration(5+g.Rand.IntN(90)) * time.Minute)
					solved = responded.Add(time.Duration(30+g.Rand.IntN(36*60)) * time.Minute)
					closed, rating = solved.Add(2*time.Hour), 3+g.Rand.IntN(3)
					respMin, solMin = fugong.Minutes(responded.Sub(d.ReceivedAt)), fugong.Minutes(solved.Sub(d.ReceivedAt))
				case r < 95:
					state = fugong.DemandInProgress
					responded = d.ReceivedAt.Add(time.Duration(5+g.Rand.IntN(90)) * time.Minute)
					respMin = fugong.Minutes(responded.Sub(d.ReceivedAt))
				default:
					state, level = fugong.DemandEscalated, fugong.LevelTownshipO
				}
				liaison := c.Liaisons[int(e-c.FirstEnterprise)%len(c.Liaisons)]
				if err := b.Add(cc, fugong.DemandNumber(d.ReceivedAt.In(loc), n), e, c.Townships[int(e)%len(c.Townships)].Code, liaison, cat.Key,
					fmt.Sprintf("%s：生成的诉求 %d", cat.Key, i+1), int64(g.Rand.IntN(1000)), "", "{}",
					d.Urgency, fugong.DemandChannels[g.Rand.IntN(4)], liaison, state, level, d.Day, ms(d.ReceivedAt), ms(d.ResponseDue), ms(d.SameDayDue), ms(d.SolutionDue),
					ms(responded), ms(solved), ms(closed), respMin, !responded.IsZero() && responded.After(d.ResponseDue), state == fugong.DemandEscalated,
					solMin, !solved.IsZero() && solved.After(d.SolutionDue), rating, ms(d.ReceivedAt)); err != nil {
					return err
				}
			}
			if err := b.Flush(); err != nil {
				return err
			}
			k := g.Bulk(tx, "demand_counters", "region_code", "day", "n")
			for day, n := range counters {
				if err := k.Add(cc, day, n); err != nil {
					return err
				}
			}
			if err := k.Flush(); err != nil {
				return err
			}
			// The county's figures of each day, as intake keeps them.
			return g.DB.RebuildDemandStats(g.Ctx, tx, cc)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
