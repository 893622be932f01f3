package store_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fugong"
	"fugong/store"
	"fugong/store/storetest"
)

// benchCounty generates n enterprises over 20 townships of one county into a fresh
// database, with one daily report per resumed enterprise on the benchmark day: the
// generator behind the 100,000-enterprise benchmarks. FUGONG_BENCH_ENTERPRISES sets n.
func benchCounty(b *testing.B) (*store.DB, fugong.Scope) {
	b.Helper()
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("FUGONG_BENCH_ENTERPRISES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := storetest.Open(b, "sqlite", fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
	const county = "439999"
	bulk := func(table, cols string, rows [][]any) {
		width := len(rows[0])
		per := 500 / width
		for start := 0; start < len(rows); start += per {
			chunk := rows[start:min(len(rows), start+per)]
			var sb strings.Builder
			var vals []any
			sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
			for i, r := range chunk {
				if i > 0 {
					sb.WriteString(",")
				}
				sb.WriteString("(")
				for j, v := range r {
					if j > 0 {
						sb.WriteString(",")
					}
					vals = append(vals, v)
					sb.WriteString("$" + strconv.Itoa(len(vals)))
				}
				sb.WriteString(")")
			}
			if _, err := db.W.ExecContext(ctx, sb.String(), vals...); err != nil {
				b.Fatal(err)
			}
		}
	}
	regions := [][]any{{county, county, "基准县", "430000", fugong.LevelCounty}}
	for t := 1; t <= 20; t++ {
		regions = append(regions, []any{fmt.Sprintf("439999%03d000", t), county, fmt.Sprintf("第%d镇", t), county, fugong.LevelTownship})
	}
	bulk("regions", "code, region_code, name, parent_code, level", regions)
	var ents, reports [][]any
	for i := 1; i <= n; i++ {
		resumed := ""
		if i%10 != 0 {
			resumed = fmt.Sprintf("2020-%02d-%02d", 2+i%2, 1+i%28)
		}
		status := fugong.StatusNotResumed
		if resumed != "" {
			status = fugong.StatusResumed
		}
		body := fmt.Sprintf("91%s%09d", county, i)
		ents = append(ents, []any{county, fmt.Sprintf("基准%s企业%d有限公司", []string{"湘", "澧", "慈", "武陵"}[i%4], i), body + string(fugong.USCCCheckChar(body)),
			fmt.Sprintf("439999%03d000", 1+i%20), fugong.FocusAreas[i%6], i%7 == 0, i%50 == 0, 10 + i%300, status, resumed, resumed, int64(0), int64(0)})
	}
	bulk("enterprises", "region_code, name, uscc, township, focus_area, above_scale, workshop, payroll, status, status_date, resumed_on, created_at, updated_at", ents)
	for i := 1; i <= n; i++ {
		if i%10 != 0 && i%3 != 0 {
			reports = append(reports, []any{county, int64(i), "2020-03-09", 5 + i%200, 80, 500, 100, 0, int64(0)})
		}
	}
	bulk("daily_reports", "region_code, enterprise_id, day, on_duty, capacity, mask_stock, masks_used, returned_outside, reported_at", reports)
	if db.Dialect.Name == "sqlite" {
		db.W.ExecContext(ctx, "ANALYZE")
	}
	return db, fugong.Scope{Role: fugong.RoleCommand, County: county}
}

// timed runs op b.N times and reports the 95th percentile of its durations and the CPU
// time this process spent per op (user + system: on a shared machine the figure that
// waiting for a core does not inflate; PostgreSQL's own CPU is not in it).
func timed(b *testing.B, op func() error) {
	b.Helper()
	ds := make([]time.Duration, 0, b.N)
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)*95/100].Nanoseconds()), "p95-ns")
}

// BenchmarkResumptionAt100k: the enterprise list, a name and credit-code search and the
// resumption statistics over 100,000 enterprises on SQLite (the quality bar: p95 ≤ 200 ms).
func BenchmarkResumptionAt100k(b *testing.B) {
	db, sc := benchCounty(b)
	ctx := context.Background()
	town := fugong.Scope{Role: fugong.RoleTownship, County: sc.County, Region: "439999007000"}
	b.Run("list", func(b *testing.B) {
		i := 0
		timed(b, func() error {
			i++
			_, _, err := db.FindEnterprises(ctx, sc, fugong.EnterpriseFilter{Limit: 50, Offset: (i % 100) * 50})
			return err
		})
	})
	b.Run("list-township-filtered", func(b *testing.B) {
		timed(b, func() error {
			_, _, err := db.FindEnterprises(ctx, town, fugong.EnterpriseFilter{FocusArea: "园区企业", Status: fugong.StatusResumed, Limit: 50})
			return err
		})
	})
	b.Run("search", func(b *testing.B) {
		i := 0
		timed(b, func() error {
			i++
			_, _, err := db.FindEnterprises(ctx, sc, fugong.EnterpriseFilter{Query: "企业" + strconv.Itoa(1000+i%9000), Limit: 50})
			return err
		})
	})
	b.Run("stats", func(b *testing.B) {
		timed(b, func() error {
			st, err := db.ResumptionStats(ctx, sc, "2020-03-09")
			if err == nil && st.All.Total == 0 {
				err = fmt.Errorf("no enterprises counted")
			}
			return err
		})
	})
	b.Run("stats-township", func(b *testing.B) {
		timed(b, func() error {
			_, err := db.ResumptionStats(ctx, town, "2020-03-09")
			return err
		})
	})
}
