package store

import (
	"context"
	"fmt"

	"fugong"
)

// The panels of the capabilities that came after the dashboard: liaison work (issue 5)
// and workforce health with supplies (issue 6). Each reuses its capability's own figures.

// healthPanel: workers in isolation and on duty, the day's alerts and checks, masks' days of cover
// over the county, enterprises short of supplies, preventive TCM coverage.
func healthPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	totals, err := db.HealthTotals(ctx, sc, d.Day)
	if err != nil {
		return err
	}
	var all fugong.HealthTotal
	for _, t := range totals {
		all.Add(t)
	}
	cover := fugong.DaysOfCover(all.MaskStock, all.DailyNeed)
	href := "/health"
	d.Panels = append(d.Panels, fugong.Panel{Key: "health", Figures: []fugong.Figure{
		count("health.isolating", all.Workers[fugong.WorkerIsolating], href),
		count("health.on_duty", all.Workers[fugong.WorkerOnDuty], href),
		count("health.alerts", all.AlertsToday, href),
		count("health.checks", all.ChecksToday, href),
		{Key: "health.mask_cover", Value: float64(cover) / 10, Unit: fugong.UnitDays, Href: href},
		count("health.short", all.Short, href),
		pctOf("health.tcm", all.TCM.Given, all.TCM.OnDuty, href),
	}})
	return nil
}

// liaisonPanel: the day's visits, the liaisons who checked in and those stationed, the
// enterprises visited.
func liaisonPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	var a args
	var visits, active, visited int
	q := `SELECT COUNT(*), COUNT(DISTINCT v.user_id), COUNT(DISTINCT v.enterprise_id) FROM visits v WHERE ` +
		EnterpriseIDScope(sc, "v.enterprise_id", "v.region_code", &a) + ` AND v.day = ` + a.add(d.Day)
	if err := db.R.QueryRowContext(ctx, q, a.vals...).Scan(&visits, &active, &visited); err != nil {
		return fmt.Errorf("visit figures: %w", err)
	}
	// The liaisons FindLiaisons lists (stationed now in an enterprise in scope), counted
	// from the enterprises in scope outwards rather than from every liaison of the province.
	var b args
	var stationed int
	q = `SELECT COUNT(DISTINCT a.user_id) FROM enterprises e JOIN liaison_assignments a ON a.enterprise_id = e.id AND a.to_date = ''
		JOIN users u ON u.id = a.user_id AND u.role = '` + string(fugong.RoleLiaison) + `' WHERE ` + EnterpriseScope(sc, "e", &b)
	if err := db.R.QueryRowContext(ctx, q, b.vals...).Scan(&stationed); err != nil {
		return fmt.Errorf("stationed liaisons: %w", err)
	}
	d.Panels = append(d.Panels, fugong.Panel{Key: "liaison", Figures: []fugong.Figure{
		count("liaison.visits", visits, "/visits"),
		count("liaison.active", active, "/liaison/week"),
		count("liaison.stationed", stationed, "/liaison/boards"),
		count("liaison.enterprises_visited", visited, "/visits"),
	}})
	return nil
}

// employmentPanel: the poverty workshops as the seed counts them (resumed, workers back,
// poor households among them) and the job seekers registered and placed (issue 8).
func employmentPanel(ctx context.Context, db *DB, sc fugong.Scope, _ string, d *fugong.Dashboard) error {
	ws, err := db.FindWorkshops(ctx, sc, d.Day)
	if err != nil {
		return err
	}
	w := fugong.TallyWorkshops(d.Day, ws)
	st, err := db.EmploymentStats(ctx, sc)
	if err != nil {
		return err
	}
	board := "/workshops?date=" + d.Day
	d.Panels = append(d.Panels, fugong.Panel{Key: "employment", Figures: []fugong.Figure{
		count("employment.workshops", w.Total, board),
		count("employment.workshops_resumed", w.Resumed, board),
		count("employment.workshop_workers", w.Workers, board),
		count("employment.workshop_poor", w.PoorWorkers, board),
		count("employment.registered", st.Registered, "/job-seekers"),
		count("employment.placed", st.Placed, "/referrals"),
		count("employment.placed_poor", st.PlacedPoor, "/referrals"),
	}})
	return nil
}
