package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fugong"
)

// panelFunc adds one capability's figures to the dashboard of d.Day (flows such as
// demands counted over from..d.Day).
type panelFunc func(ctx context.Context, db *DB, sc fugong.Scope, from string, d *fugong.Dashboard) error

// dashboardPanels are the capabilities' panels in the order the screen shows them. A
// capability adds its panel with one function and one line here.
var dashboardPanels = []panelFunc{
	resumptionPanel,
	demandPanel,
	policyPanel,
	powerPanel,
	healthPanel,
	liaisonPanel,
	employmentPanel,
}

// Dashboard computes every figure of the command centre for day in the caller's scope;
// flows (demands in, solved, late) are counted over the days from..day (from = day for
// the live screen and the daily report).
//
// The live screen's figures are shared for DashboardTTL by every caller who sees the same
// figures (the county-wide roles of a county, a township's office, …): a command centre
// with forty screens refreshing every thirty seconds, or a thousand leaders opening it at
// 8:00, computes them once per county and TTL, and concurrent callers wait for the one
// computation in progress. The figures are at most DashboardTTL old; reports use
// dashboard, which always computes.
func (db *DB) Dashboard(ctx context.Context, sc fugong.Scope, from, day string) (fugong.Dashboard, error) {
	if db.DashboardTTL <= 0 {
		return db.dashboard(ctx, sc, from, day)
	}
	uid := sc.UserID
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader, fugong.RoleTownship, fugong.RoleDepartment:
		uid = 0 // their figures depend on the scope's region and org unit alone
	}
	key := fmt.Sprintf("%s|%s|%s|%d|%d|%s|%d|%s|%s", sc.Role, sc.County, sc.Region, sc.EnterpriseID, sc.OrgUnitID, strings.Join(sc.FocusAreas, ","), uid, from, day)
	v, err := db.shared(ctx, key, func(ctx context.Context) (any, error) { return db.dashboard(ctx, sc, from, day) })
	return v.(fugong.Dashboard), err
}

// shared answers compute's value for key as computed at most DashboardTTL ago, computing
// it when there is none, once for all the callers waiting (a live screen's figures).
func (db *DB) shared(ctx context.Context, key string, compute func(ctx context.Context) (any, error)) (any, error) {
	db.dashMu.Lock()
	e, ok := db.dashCache[key]
	db.dashMu.Unlock()
	if ok && time.Since(e.at) < db.DashboardTTL {
		return e.v, nil
	}
	v, err, _ := db.dashFlight.Do(key, func() (any, error) {
		v, err := compute(context.WithoutCancel(ctx))
		if err != nil {
			return v, err
		}
		db.dashMu.Lock()
		if len(db.dashCache) > 10_000 {
			clear(db.dashCache)
		}
		if db.dashCache == nil {
			db.dashCache = map[string]dashEntry{}
		}
		db.dashCache[key] = dashEntry{at: time.Now(), v: v}
		db.dashMu.Unlock()
		return v, nil
	})
	return v, err
}

// sharedStale is shared for figures that may lag a little more (a county's medians): a
// value older than DashboardTTL but younger than staleFor TTLs is answered at once
// while one computation of a new one runs behind it, so that no caller waits for the
// recomputation that every TTL brings (at 16 readers, the requests that did were the
// p95). Older than that, or none, it is computed while the callers wait, as shared does.
func (db *DB) sharedStale(ctx context.Context, key string, compute func(ctx context.Context) (any, error)) (any, error) {
	db.dashMu.Lock()
	e, ok := db.dashCache[key]
	db.dashMu.Unlock()
	if age := time.Since(e.at); ok && age >= db.DashboardTTL && age < staleFor*db.DashboardTTL {
		go db.shared(context.WithoutCancel(ctx), key, compute) //nolint:errcheck // the next caller computes again on error
		return e.v, nil
	}
	return db.shared(ctx, key, compute)
}

// staleFor is how many DashboardTTLs old a value sharedStale answers at most.
const staleFor = 4

// dashEntry is a computed screen and when it was computed.
type dashEntry struct {
	at time.Time
	v  any
}

// dashboard computes the dashboard.
func (db *DB) dashboard(ctx context.Context, sc fugong.Scope, from, day string) (fugong.Dashboard, error) {
	d := fugong.Dashboard{Day: day, ComputedAt: db.Clock.Now()}
	if from == "" {
		from = day
	}
	for _, p := range dashboardPanels {
		if err := p(ctx, db, sc, from, &d); err != nil {
			return d, fmt.Errorf("dashboard %s: %w", day, err)
		}
	}
	return d, nil
}

func count(key string, v int, href string) fugong.Figure {
	return fugong.Figure{Key: key, Value: float64(v), Unit: fugong.UnitCount, Href: href}
}

func pct(key string, v float64, href string) fugong.Figure {
	return fugong.Figure{Key: key, Value: v, Unit: fugong.UnitPercent, Href: href}
}

// pctOf is num ÷ den as a percentage figure, shown as — when den is 0.
func pctOf(key string, num, den int, href string) fugong.Figure {
	f := pct(key, fugong.Percent(num, den), href)
	f.None = den <= 0
	return f
}

// TrendDays is how many days the trend shows, ending on the day asked.
const TrendDays = 28

func resumptionPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	st, err := db.ResumptionStats(ctx, sc, d.Day)
	if err != nil {
		return err
	}
	d.Resumption = st
	if d.Trend, err = db.ResumptionTrend(ctx, sc, d.Day); err != nil {
		return err
	}
	stats := "/stats/resumption?date=" + d.Day
	above := fugong.ResumptionCount{}
	for _, c := range st.ByAboveScale {
		if c.Key == "true" {
			above = c
		}
	}
	d.Panels = append(d.Panels, fugong.Panel{Key: "resumption", Figures: []fugong.Figure{
		count("resumption.total", st.All.Total, "/enterprises"),
		count("resumption.resumed", st.All.Resumed, "/enterprises?status="+url.QueryEscape(fugong.StatusResumed)),
		pctOf("resumption.rate", st.All.Resumed, st.All.Total, stats),
		pctOf("resumption.attendance", st.All.OnDuty, st.All.Payroll, stats),
		count("resumption.on_duty", st.All.OnDuty, "/reports/missing?day="+d.Day),
		count("resumption.above_total", above.Total, stats),
		count("resumption.above_resumed", above.Resumed, stats),
	}})
	return nil
}

// ResumptionTrend is the resumption and attendance day by day over the TrendDays ending on
// day, counted as ResumptionStats counts them (poverty workshops apart).
func (db *DB) ResumptionTrend(ctx context.Context, sc fugong.Scope, day string) ([]fugong.TrendDay, error) {
	end, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil, fugong.Invalid(map[string]fugong.Msg{"date": fugong.M("field.date")})
	}
	from := end.AddDate(0, 0, 1-TrendDays).Format(time.DateOnly)
	out := make([]fugong.TrendDay, TrendDays)
	idx := map[string]int{}
	for i := range out {
		out[i].Day = end.AddDate(0, 0, i+1-TrendDays).Format(time.DateOnly)
		idx[out[i].Day] = i
	}
	// Enterprises grouped by when they resumed and when they stopped again: a few rows
	// however many enterprises there are.
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT e.resumed_on, CASE WHEN e.status = '`+fugong.StatusStopped+`' THEN e.status_date ELSE '' END, COUNT(*)
		FROM enterprises e WHERE `+EnterpriseScope(sc, "e", &a)+` AND e.workshop = FALSE GROUP BY 1, 2`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("resumption trend: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var resumed, stopped string
		var n int
		if err := rows.Scan(&resumed, &stopped, &n); err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Total += n
			if resumed != "" && resumed <= out[i].Day && (stopped == "" || stopped > out[i].Day) {
				out[i].Resumed += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var b args
	att, err := db.R.QueryContext(ctx, `SELECT r.day, COALESCE(SUM(r.on_duty), 0), COALESCE(SUM(e.payroll), 0)
		FROM daily_reports r JOIN enterprises e ON e.id = r.enterprise_id
		WHERE `+EnterpriseScope(sc, "e", &b)+` AND e.workshop = FALSE AND r.day >= `+b.add(from)+` AND r.day <= `+b.add(day)+` GROUP BY r.day`, b.vals...)
	if err != nil {
		return nil, fmt.Errorf("attendance trend: %w", err)
	}
	defer att.Close()
	for att.Next() {
		var k string
		var on, pay int
		if err := att.Scan(&k, &on, &pay); err != nil {
			return nil, err
		}
		if i, ok := idx[k]; ok {
			out[i].OnDuty, out[i].Payroll = on, pay
		}
	}
	for i := range out {
		out[i].Rate = fugong.Percent(out[i].Resumed, out[i].Total)
		out[i].Attendance = fugong.Percent(out[i].OnDuty, out[i].Payroll)
	}
	return out, att.Err()
}

// demandPanel counts the demands that came in over the period: solved on site, escalated
// (handed up to the command, a department or a leader), late on any clock, and the
// same-day rate (fugong.DemandFigures).
func demandPanel(ctx context.Context, db *DB, sc fugong.Scope, from string, d *fugong.Dashboard) error {
	dm := &Demands{DB: db}
	// The screen shows no medians: whole counties read the kept figures alone.
	figures := dm.statsFromRows
	if keptScope(sc) {
		figures = db.keptStats
	}
	groups, all, err := figures(ctx, sc, "category", from, d.Day)
	if err != nil {
		return err
	}
	sortFigures(groups, "category")
	d.DemandsByCategory = groups
	escalated := all.Escalated
	list := "/demands?day=" + d.Day
	stats := "/demands/stats?by=day&from=" + from + "&to=" + d.Day
	if from != d.Day {
		list = stats
	}
	d.Panels = append(d.Panels, fugong.Panel{Key: "demands", Figures: []fugong.Figure{
		count("demands.in", all.Total, list),
		count("demands.on_site", all.OnSite, list+"&state="+fugong.DemandSolved),
		count("demands.escalated", escalated, list+"&state="+fugong.DemandEscalated),
		count("demands.late", all.Late, list+"&late=1"),
		count("demands.solved", all.Solved, list+"&state="+fugong.DemandSolved),
		pctOf("demands.same_day_rate", all.SameDayMet, all.SameDayDue, stats),
	}})
	return nil
}

// policyPanel counts the entitlements standing on the day (pending, approved, paid in
// part or whole, disputed) and the payments made by then: the entitlements they paid
// (in part or whole) and their sum.
func policyPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	var a args
	var entitled, paid int
	var amount, paidAmount int64
	q := `SELECT COUNT(*), COALESCE(SUM(t.amount), 0) FROM entitlements t WHERE ` + EnterpriseIDScope(sc, "t.enterprise_id", "t.region_code", &a) +
		` AND t.status IN ('` + fugong.EntitlementPending + `', '` + fugong.EntitlementApproved + `', '` + fugong.EntitlementPartial + `', '` + fugong.EntitlementPaid + `', '` + fugong.EntitlementDisputed + `')`
	if err := db.R.QueryRowContext(ctx, q, a.vals...).Scan(&entitled, &amount); err != nil {
		return fmt.Errorf("entitlement figures: %w", err)
	}
	var b args
	// Net of reversals (红字冲销, dated the day they were booked): an entitlement whose
	// every payment was reversed by the day no longer counts as paid.
	reversal := b.add(fugong.PaymentReversal)
	q = `SELECT COALESCE(SUM(CASE WHEN x.standing > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(x.paid), 0) FROM (
		SELECT p.entitlement_id, SUM(p.amount) AS paid, SUM(CASE WHEN p.kind = ` + reversal + ` THEN -1 ELSE 1 END) AS standing
		FROM payments p JOIN entitlements t ON t.id = p.entitlement_id WHERE ` +
		EnterpriseIDScope(sc, "t.enterprise_id", "t.region_code", &b) + ` AND p.paid_on <= ` + b.add(d.Day) + ` GROUP BY p.entitlement_id) x`
	if err := db.R.QueryRowContext(ctx, q, b.vals...).Scan(&paid, &paidAmount); err != nil {
		return fmt.Errorf("payment figures: %w", err)
	}
	d.Panels = append(d.Panels, fugong.Panel{Key: "policies", Figures: []fugong.Figure{
		count("policies.entitled", entitled, "/entitlements"),
		{Key: "policies.amount", Value: float64(amount), Unit: fugong.UnitFen, Href: "/entitlements"},
		count("policies.paid", paid, "/entitlements?status="+fugong.EntitlementPaid),
		{Key: "policies.paid_amount", Value: float64(paidAmount), Unit: fugong.UnitFen, Href: "/entitlements?status=" + fugong.EntitlementPaid},
	}})
	return nil
}
