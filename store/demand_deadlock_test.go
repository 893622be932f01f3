package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/store"
)

// TestCoordinatedActionsNeverDeadlock: the command solves coordinated actions while
// staff solve some of the same demands one by one and the clocks run, all at once. Each
// of those transactions changes demands and the kept figures of their day; on PostgreSQL
// a transaction that held the figures' rows while waiting for a demand could deadlock
// with one that held the demand and waited for the figures, and the user's action failed
// with an internal error. Whatever the interleaving, each action either takes effect or
// is refused as stale (409, try again), and the kept figures still equal the demands'.
func TestCoordinatedActionsNeverDeadlock(t *testing.T) {
	withDemo(t, func(t *testing.T, clock *fugong.ManualClock, db *store.DB) {
		ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test"})
		var county string
		var enterprise, org int64
		if err := db.R.QueryRowContext(ctx, `SELECT e.region_code, e.id FROM enterprises e JOIN liaison_assignments l ON l.enterprise_id = e.id AND l.to_date = '' ORDER BY e.id LIMIT 1`).Scan(&county, &enterprise); err != nil {
			t.Fatal(err)
		}
		if err := db.R.QueryRowContext(ctx, `SELECT id FROM org_units WHERE kind = 'department' ORDER BY id LIMIT 1`).Scan(&org); err != nil {
			t.Fatal(err)
		}
		command := fugong.Scope{Role: fugong.RoleCommand, County: county, Username: "command"}
		admin := fugong.Scope{Role: fugong.RoleAdmin, County: county, Username: "admin"}
		s := &store.Demands{DB: db, Loc: time.FixedZone("CST", 8*3600), Text: func(key string, args ...any) string { return key }}
		// Every demand of a round shares its county, day, category and liaison: the same
		// rows of the kept figures.
		const rounds, perAction, actions = 30, 6, 3
		for round := 0; round < rounds; round++ {
			ids := make([]int64, perAction*actions)
			for i := range ids {
				d := fugong.Demand{EnterpriseID: enterprise, Category: "other", Channel: fugong.ChannelAPI, Description: fmt.Sprintf("第 %d 轮 %d", round, i), Urgency: fugong.Urgencies[i%3]}
				if err := s.Create(ctx, command, &d); err != nil {
					t.Fatal(err)
				}
				ids[i] = d.ID
			}
			acts := make([]int64, actions)
			for a := range acts {
				act := fugong.DemandAction{Title: fmt.Sprintf("统筹 %d-%d", round, a), OwnerOrgID: org}
				// Listed backwards: the action locks its demands in id order all the same.
				group := []int64{}
				for i := perAction - 1; i >= 0; i-- {
					group = append(group, ids[a*perAction+i])
				}
				if err := s.Coordinate(ctx, command, &act, group); err != nil {
					t.Fatal(err)
				}
				acts[a] = act.ID
			}
			var wg sync.WaitGroup
			fail := func(what string, err error) {
				if err != nil && fugong.ErrorCode(err) != fugong.ECONFLICT {
					t.Errorf("round %d, %s: %v", round, what, err)
				}
			}
			for _, id := range acts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := s.SolveAction(ctx, command, id, "统一解决")
					fail(fmt.Sprintf("solve action %d", id), err)
				}()
			}
			for i, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := s.Step(ctx, admin, id, fugong.DemandStep{Action: fugong.ActSolve, Note: "单独解决"})
					fail(fmt.Sprintf("solve demand %d", id), err)
					if i%3 == 0 {
						_, err := s.RunClock(ctx, fugong.Job{County: county, Kind: store.JobDemandClock, Payload: fmt.Sprint(id)})
						fail(fmt.Sprintf("clock of demand %d", id), err)
					}
				}()
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			clock.Advance(20 * time.Minute)
		}
		for _, by := range fugong.DemandStatDims {
			want, wantAll, err := s.StatsInGo(ctx, command, by, "", "")
			if err != nil {
				t.Fatal(err)
			}
			got, gotAll, err := s.Stats(ctx, command, by, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(clean(got)) != fmt.Sprint(clean(want)) || fmt.Sprint(clean1(gotAll)) != fmt.Sprint(clean1(wantAll)) {
				t.Errorf("by %s:\n got %+v\n     %+v\nwant %+v\n     %+v", by, gotAll, got, wantAll, want)
			}
		}
	})
}
