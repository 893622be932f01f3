package store_test

import (
	"context"
	"path/filepath"
	"reflect"
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
