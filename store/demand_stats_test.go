package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"fugong"
	"fugong/demo"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
)

// TestDemandStatsSQLMatchesGo: the figures the database aggregates are the figures the
// previous computation in Go gave, on the demo county, for every dimension, several
// scopes and periods, and at two moments (the same-day clock depends on now).
func TestDemandStatsSQLMatchesGo(t *testing.T) {
	withDemo(t, func(t *testing.T, clock *fugong.ManualClock, db *store.DB) {
		ctx := context.Background()
		var county, township string
		var enterprise, liaison, org int64
		q := func(sql string, dest ...any) {
			t.Helper()
			if err := db.R.QueryRowContext(ctx, sql).Scan(dest...); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		q(`SELECT region_code, township, enterprise_id, liaison_id FROM demands WHERE liaison_id <> 0 ORDER BY id LIMIT 1`, &county, &township, &enterprise, &liaison)
		q(`SELECT org_unit_id FROM demand_assignments GROUP BY org_unit_id ORDER BY COUNT(*) DESC LIMIT 1`, &org)
		scopes := map[string]fugong.Scope{
			"command":    {Role: fugong.RoleCommand, County: county},
			"township":   {Role: fugong.RoleTownship, County: county, Region: township},
			"liaison":    {Role: fugong.RoleLiaison, County: county, UserID: liaison},
			"department": {Role: fugong.RoleDepartment, County: county, OrgUnitID: org},
			"enterprise": {Role: fugong.RoleEnterprise, County: county, EnterpriseID: enterprise},
		}
		s := &store.Demands{DB: db, Loc: time.FixedZone("CST", 8*3600)}
		periods := [][2]string{{"", ""}, {"2020-02-11", "2020-03-09"}, {"2020-03-09", "2020-03-09"}, {"2020-03-01", ""}, {"2030-01-01", ""}}
		compared := 0
		for _, at := range []time.Time{demo.Start, demo.Start.Add(36 * time.Hour)} {
			clock.Set(at)
			for name, sc := range scopes {
				for _, by := range fugong.DemandStatDims {
					for _, p := range periods {
						want, wantAll, err := s.StatsInGo(ctx, sc, by, p[0], p[1])
						if err != nil {
							t.Fatal(err)
						}
						got, gotAll, err := s.Stats(ctx, sc, by, p[0], p[1])
						if err != nil {
							t.Fatalf("%s by %s %v: %v", name, by, p, err)
						}
						if !reflect.DeepEqual(clean(got), clean(want)) || !reflect.DeepEqual(clean1(gotAll), clean1(wantAll)) {
							t.Errorf("%s by %s %v at %s:\n got %+v\n     %+v\nwant %+v\n     %+v", name, by, p, at, gotAll, got, wantAll, want)
						}
						compared += wantAll.Total
					}
				}
			}
		}
		if compared == 0 {
			t.Fatal("the demo county has no demands to compare")
		}
	})
}

// withDemo runs fn on the demo county of every dialect, its clock at the demo's start.
func withDemo(t *testing.T, fn func(t *testing.T, clock *fugong.ManualClock, db *store.DB)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			clock := fugong.NewManualClock(demo.Start)
			db := storetest.Open(t, d, clock)
			keys, err := secret.Load(filepath.Join(t.TempDir(), "keys"), true)
			if err != nil {
				t.Fatal(err)
			}
			if err := demo.Build(context.Background(), db, demo.Options{Keys: keys}); err != nil {
				t.Fatal(err)
			}
			fn(t, clock, db)
		})
	}
}

// clean drops the Go computation's working lists, which the SQL one never fills.
func clean(fs []fugong.DemandFigures) []fugong.DemandFigures {
	out := make([]fugong.DemandFigures, len(fs))
	for i, f := range fs {
		out[i] = clean1(f)
	}
	return out
}

func clean1(f fugong.DemandFigures) fugong.DemandFigures {
	return fugong.DemandFigures{Key: f.Key, Label: f.Label, Total: f.Total, RespondedOnTime: f.RespondedOnTime, SameDayDue: f.SameDayDue, SameDayMet: f.SameDayMet,
		Solved: f.Solved, SolvedOnTime: f.SolvedOnTime, OnSite: f.OnSite, Late: f.Late, Rated: f.Rated, RatingSum: f.RatingSum, Satisfied: f.Satisfied,
		ResponseMedian: f.ResponseMedian, SolutionMedian: f.SolutionMedian}
}

// TestDemandStatsKeptOnWrite: the figures kept per day (demand_day_stats) follow every
// write — demands raised together through the group commit, then responded to,
// escalated, dispatched, solved, rated, reopened, urged and their clocks run — and stay
// equal to the figures counted from the demands, and to the kept rows rebuilt from them.
func TestDemandStatsKeptOnWrite(t *testing.T) {
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
		ids := make([]int64, 24)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := fugong.Demand{EnterpriseID: enterprise, Category: "other", Channel: fugong.ChannelAPI, Description: fmt.Sprintf("求助 %d", i), Urgency: fugong.Urgencies[i%3]}
				if i%2 == 0 {
					d.Category, d.Fields = "supplies", map[string]string{"item": "口罩"}
				}
				if err := s.Create(ctx, command, &d); err != nil {
					t.Error(err)
				}
				ids[i] = d.ID
			}()
		}
		wg.Wait()
		step := func(id int64, sc fugong.Scope, st fugong.DemandStep) {
			t.Helper()
			if st.Note == "" {
				st.Note = "处理"
			}
			if _, err := s.Step(ctx, sc, id, st); err != nil {
				t.Fatalf("%s %d: %v", st.Action, id, err)
			}
		}
		clock.Advance(30 * time.Minute)
		for i, id := range ids {
			switch i % 6 {
			case 0:
				step(id, admin, fugong.DemandStep{Action: fugong.ActSolveOnSite})
				step(id, command, fugong.DemandStep{Action: fugong.ActConfirm, Rating: 1 + i%5}) // on the enterprise's behalf, with the note
			case 1:
				step(id, admin, fugong.DemandStep{Action: fugong.ActEscalate})
				step(id, command, fugong.DemandStep{Action: fugong.ActDispatch, Departments: []int64{org}})
			case 2:
				step(id, command, fugong.DemandStep{Action: fugong.ActDispatch, Departments: []int64{org}})
				step(id, admin, fugong.DemandStep{Action: fugong.ActSolve})
				step(id, admin, fugong.DemandStep{Action: fugong.ActReopen})
				if i%12 == 2 {
					step(id, admin, fugong.DemandStep{Action: fugong.ActSolve}) // solved, but not on time
				}
			case 3:
				if _, err := s.Urge(ctx, command, id, "快"); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A day and a half later every clock has run out: the late ones escalate.
		clock.Advance(36 * time.Hour)
		for _, id := range ids {
			if _, err := s.RunClock(ctx, fugong.Job{County: county, Kind: store.JobDemandClock, Payload: fmt.Sprint(id)}); err != nil {
				t.Fatal(err)
			}
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
			if !reflect.DeepEqual(clean(got), clean(want)) || !reflect.DeepEqual(clean1(gotAll), clean1(wantAll)) {
				t.Errorf("by %s:\n got %+v\n     %+v\nwant %+v\n     %+v", by, gotAll, got, wantAll, want)
			}
		}
		kept, minutes := keptRows(t, db), keptMinutes(t, db)
		if err := db.WithTx(ctx, func(tx *sql.Tx) error { return db.RebuildDemandStats(ctx, tx, county) }); err != nil {
			t.Fatal(err)
		}
		if rebuilt := keptRows(t, db); !reflect.DeepEqual(kept, rebuilt) {
			for k, v := range rebuilt {
				if kept[k] != v {
					t.Errorf("%s: kept %s, from the demands %s", k, kept[k], v)
				}
			}
			for k, v := range kept {
				if _, ok := rebuilt[k]; !ok && !strings.HasPrefix(v, "0 ") {
					t.Errorf("%s: kept %s, no demands", k, v)
				}
			}
		}
		// The kept minutes too: what every write left equals a rebuild from the demands.
		if rebuilt := keptMinutes(t, db); !reflect.DeepEqual(minutes, rebuilt) {
			t.Errorf("kept minutes:\n got %v\nfrom the demands %v", minutes, rebuilt)
		}
		// A province over the county reads its medians from them, each within its
		// bucket's width of the county's exact one (the demo has one county).
		province := fugong.Scope{Role: fugong.RoleProvince, County: county[:2] + "0000", Username: "province"}
		for _, by := range []struct{ province, county string }{{"county", "category"}, {"category", "category"}, {"day", "day"}} {
			got, gotAll, err := s.Stats(ctx, province, by.province, "", "")
			if err != nil {
				t.Fatal(err)
			}
			want, wantAll, err := s.StatsInGo(ctx, command, by.county, "", "")
			if err != nil {
				t.Fatal(err)
			}
			exact := map[string]fugong.DemandFigures{county: wantAll}
			for _, f := range want {
				exact[f.Key] = f
			}
			near := func(what string, got, want int) {
				if want < 0 && got != -1 || want >= 0 && (got < 0 || abs(got-want) > store.MinuteBucketWidth(want)) {
					t.Errorf("province by %s, %s: median %d, the exact one %d", by.province, what, got, want)
				}
			}
			near("whole response", gotAll.ResponseMedian, wantAll.ResponseMedian)
			near("whole solution", gotAll.SolutionMedian, wantAll.SolutionMedian)
			for _, g := range got {
				w, ok := exact[g.Key]
				if !ok {
					t.Fatalf("province by %s: group %q has no exact figures", by.province, g.Key)
				}
				near(g.Key+" response", g.ResponseMedian, w.ResponseMedian)
				near(g.Key+" solution", g.SolutionMedian, w.SolutionMedian)
			}
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// keptMinutes reads the kept minutes, the shards added up, leaving out emptied buckets.
func keptMinutes(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	rows, err := db.R.Query(`SELECT region_code || '/' || dim || '/' || day || '/' || grp || '/' || kind || '/' || CAST(bucket AS TEXT), SUM(n)
		FROM demand_day_minutes GROUP BY region_code, dim, day, grp, kind, bucket`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			out[k] = n
		}
	}
	return out
}

// keptRows reads the kept figures, the shards added up, by county, dimension, day and group.
func keptRows(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	rows, err := db.R.Query(`SELECT region_code || '/' || dim || '/' || day || '/' || grp, SUM(total), SUM(responded), SUM(responded_on_time), SUM(same_day_met),
		SUM(solved), SUM(solved_on_time), SUM(on_site), SUM(late), SUM(escalated), SUM(rated), SUM(rating_sum), SUM(satisfied)
		FROM demand_day_stats GROUP BY region_code, dim, day, grp`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k string
		var v [12]int64
		if err := rows.Scan(&k, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]); err != nil {
			t.Fatal(err)
		}
		out[k] = fmt.Sprint(v[:])
	}
	return out
}
