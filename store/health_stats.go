package store

import (
	"context"
	"fmt"
	"sort"

	"fugong"
)

// SupplySummaries computes the supplies of every enterprise in the caller's scope (or
// of one when enterpriseID is not 0): stock by item, daily need of masks, days of cover,
// whether it is short, whether a request is open, and TCM coverage (workers on duty
// given a dose ÷ workers on duty).
func (db *DB) SupplySummaries(ctx context.Context, sc fugong.Scope, enterpriseID int64) ([]fugong.SupplySummary, error) {
	tallies, err := db.workerTallies(ctx, sc, enterpriseID)
	if err != nil {
		return nil, err
	}
	return db.supplySummaries(ctx, sc, enterpriseID, tallies)
}

// workerTally is what the health figures count of one enterprise's workers: by status,
// and those on duty given a preventive dose.
type workerTally struct {
	byStatus map[string]int
	tcmGiven int
}

// workerTallies counts the workers in the caller's scope (of one enterprise when
// enterpriseID is not 0) by enterprise and status, in one pass over the workers_health
// index that both the supply summaries and the worker counts read.
func (db *DB) workerTallies(ctx context.Context, sc fugong.Scope, enterpriseID int64) (map[int64]*workerTally, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "w.enterprise_id", "w.region_code", &a)}
	if enterpriseID != 0 {
		c = append(c, "w.enterprise_id = "+a.add(enterpriseID))
	}
	rows, err := db.R.QueryContext(ctx, `SELECT w.enterprise_id, w.status, COUNT(*), SUM(CASE WHEN w.tcm_doses > 0 THEN 1 ELSE 0 END) FROM workers w`+where(c)+
		` GROUP BY w.enterprise_id, w.status`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("count workers: %w", err)
	}
	defer rows.Close()
	out := map[int64]*workerTally{}
	for rows.Next() {
		var id int64
		var st string
		var n, given int
		if err := rows.Scan(&id, &st, &n, &given); err != nil {
			return nil, err
		}
		t := out[id]
		if t == nil {
			t = &workerTally{byStatus: map[string]int{}}
			out[id] = t
		}
		t.byStatus[st] = n
		if st == fugong.WorkerOnDuty {
			t.tcmGiven = given
		}
	}
	return out, rows.Err()
}

func (db *DB) supplySummaries(ctx context.Context, sc fugong.Scope, enterpriseID int64, tallies map[int64]*workerTally) ([]fugong.SupplySummary, error) {
	var a args
	c := []string{EnterpriseScope(sc, "e", &a)}
	if enterpriseID != 0 {
		c = append(c, "e.id = "+a.add(enterpriseID))
	}
	defaults, err := db.countySupplySettings(ctx, db.R, sc.County)
	if err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, e.payroll, COALESCE(s.attendance_pct, -1), COALESCE(s.masks_per_person, -1), COALESCE(s.threshold_days, -1)
		FROM enterprises e LEFT JOIN supply_settings s ON s.enterprise_id = e.id`+where(c)+` ORDER BY e.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("supply summaries: %w", err)
	}
	var out []fugong.SupplySummary
	index := map[int64]int{}
	for rows.Next() {
		var s fugong.SupplySummary
		if err := rows.Scan(&s.EnterpriseID, &s.Enterprise, &s.Township, &s.Payroll, &s.Settings.AttendancePct, &s.Settings.MasksPerPerson, &s.Settings.ThresholdDays); err != nil {
			rows.Close()
			return nil, err
		}
		if s.Settings.AttendancePct < 0 {
			s.Settings = defaults
		}
		s.Stock = map[string]int{}
		index[s.EnterpriseID] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	each := func(q string, scan func(i int, dest ...any) []any) error {
		var a args
		extra := ""
		if enterpriseID != 0 {
			extra = " AND x.enterprise_id = " + a.add(enterpriseID)
		}
		scope := EnterpriseIDScope(sc, "x.enterprise_id", "x.region_code", &a)
		rows, err := db.R.QueryContext(ctx, fmt.Sprintf(q, scope+extra), a.vals...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			dest := scan(-1, &id)
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				scan(i)
			}
		}
		return rows.Err()
	}
	var item string
	var n int
	if err := each(`SELECT x.enterprise_id, x.item, SUM(CASE WHEN x.kind = 'received' THEN x.quantity ELSE -x.quantity END) FROM supply_entries x WHERE %s GROUP BY x.enterprise_id, x.item`,
		func(i int, id ...any) []any {
			if i < 0 {
				return append(id, &item, &n)
			}
			out[i].Stock[item] = n
			return nil
		}); err != nil {
		return nil, fmt.Errorf("supply stock: %w", err)
	}
	if err := each(`SELECT x.enterprise_id FROM supply_requests x WHERE %s AND x.state = 'open' AND x.item = 'mask'`,
		func(i int, id ...any) []any {
			if i < 0 {
				return id
			}
			out[i].OpenRequest = true
			return nil
		}); err != nil {
		return nil, fmt.Errorf("supply requests: %w", err)
	}
	for i := range out {
		s := &out[i]
		if t := tallies[s.EnterpriseID]; t != nil {
			s.TCM = fugong.TCMCoverage{Given: t.tcmGiven, OnDuty: t.byStatus[fugong.WorkerOnDuty]}
		}
		s.DailyNeed = fugong.DailyNeed(s.Payroll, s.Settings)
		s.CoverTenths = fugong.DaysOfCover(s.Stock[fugong.SupplyMask], s.DailyNeed)
		s.Short, _ = fugong.SupplyShortage(s.Stock[fugong.SupplyMask], s.DailyNeed, s.Settings, false)
	}
	return out, nil
}

// WorkerCounts counts the workers in the caller's scope by enterprise and status (of one
// enterprise when enterpriseID is not 0).
func (db *DB) WorkerCounts(ctx context.Context, sc fugong.Scope, enterpriseID int64) (map[int64]map[string]int, error) {
	tallies, err := db.workerTallies(ctx, sc, enterpriseID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]map[string]int, len(tallies))
	for id, t := range tallies {
		out[id] = t.byStatus
	}
	return out, nil
}

// checksOfDay counts the day's temperature checks in the caller's scope by township,
// from the per-enterprise counts kept as checks are recorded (check_days).
func (db *DB) checksOfDay(ctx context.Context, sc fugong.Scope, day string) (map[string]int, error) {
	var a args
	c := []string{EnterpriseIDScope(sc, "k.enterprise_id", "k.region_code", &a), "k.day = " + a.add(day)}
	rows, err := db.R.QueryContext(ctx, `SELECT k.township, SUM(k.checks) FROM check_days k`+where(c)+` GROUP BY k.township`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("checks of the day: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

// HealthTotals sums workers, the day's alerts and checks, supplies and TCM coverage by township
// over the caller's scope, townships in code order.
func (db *DB) HealthTotals(ctx context.Context, sc fugong.Scope, day string) ([]fugong.HealthTotal, error) {
	tallies, err := db.workerTallies(ctx, sc, 0)
	if err != nil {
		return nil, err
	}
	sums, err := db.supplySummaries(ctx, sc, 0, tallies)
	if err != nil {
		return nil, err
	}
	alerts, err := db.findAlerts(ctx, sc, nil, alertFilter{day: day}, 1000)
	if err != nil {
		return nil, err
	}
	by := map[string]*fugong.HealthTotal{}
	get := func(t string) *fugong.HealthTotal {
		if by[t] == nil {
			by[t] = &fugong.HealthTotal{Township: t, Workers: map[string]int{}}
		}
		return by[t]
	}
	for _, s := range sums {
		t := get(s.Township)
		var counts map[string]int
		if t := tallies[s.EnterpriseID]; t != nil {
			counts = t.byStatus
		}
		one := fugong.HealthTotal{Workers: counts, Enterprises: 1, DailyNeed: s.DailyNeed, MaskStock: s.Stock[fugong.SupplyMask], TCM: s.TCM}
		if s.Short {
			one.Short = 1
		}
		t.Add(one)
	}
	for _, x := range alerts {
		get(x.Township).AlertsToday++
	}
	checks, err := db.checksOfDay(ctx, sc, day)
	if err != nil {
		return nil, err
	}
	for t, n := range checks {
		get(t).ChecksToday += n
	}
	out := make([]fugong.HealthTotal, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Township < out[j].Township })
	return out, nil
}
