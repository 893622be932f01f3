package store

import (
	"context"
	"fmt"
	"sort"

	"fugong"
)

// LeaderViews lists each county leader's linked projects and enterprises on day, flagged
// items first: a leader sees their own; the command and admin every leader, or one
// (userID ≠ 0).
func (db *DB) LeaderViews(ctx context.Context, sc fugong.Scope, day string, userID int64) ([]fugong.LeaderView, error) {
	switch sc.Role {
	case fugong.RoleLeader:
		userID = sc.UserID
	case fugong.RoleAdmin, fugong.RoleCommand:
	default:
		return nil, fugong.NotFound()
	}
	var a args
	c := []string{"l.region_code = " + a.add(sc.County), "l.from_date <= " + a.add(day), "(l.to_date = '' OR l.to_date >= " + a.add(day) + ")"}
	if userID != 0 {
		c = append(c, "l.user_id = "+a.add(userID))
	}
	linked := `FROM leader_links l` + where(c)
	views := map[int64]*fugong.LeaderView{}
	var order []int64
	entOf, projOf := map[int64][]int64{}, map[int64][]int64{}
	rows, err := db.R.QueryContext(ctx, `SELECT l.user_id, u.display_name, COALESCE(l.enterprise_id, 0), COALESCE(l.project_id, 0) FROM leader_links l JOIN users u ON u.id = l.user_id`+where(c)+` ORDER BY u.username`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("leader links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid, ent, proj int64
		var name string
		if err := rows.Scan(&uid, &name, &ent, &proj); err != nil {
			return nil, err
		}
		if views[uid] == nil {
			views[uid] = &fugong.LeaderView{UserID: uid, Name: name}
			order = append(order, uid)
		}
		if ent != 0 {
			entOf[ent] = append(entOf[ent], uid)
		}
		if proj != 0 {
			projOf[proj] = append(projOf[proj], uid)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := db.leaderEnterprises(ctx, a.vals, linked, day, func(it fugong.LeaderItem) {
		for _, uid := range entOf[it.ID] {
			views[uid].Items = append(views[uid].Items, it)
		}
	}); err != nil {
		return nil, err
	}
	if err := db.leaderProjects(ctx, a.vals, linked, day, func(it fugong.LeaderItem) {
		for _, uid := range projOf[it.ID] {
			views[uid].Items = append(views[uid].Items, it)
		}
	}); err != nil {
		return nil, err
	}
	out := make([]fugong.LeaderView, 0, len(order))
	for _, uid := range order {
		v := views[uid]
		sort.SliceStable(v.Items, func(i, j int) bool {
			fi, fj := v.Items[i].Flagged(), v.Items[j].Flagged()
			if fi != fj {
				return fi
			}
			if v.Items[i].LateDemands != v.Items[j].LateDemands {
				return v.Items[i].LateDemands > v.Items[j].LateDemands
			}
			return v.Items[i].Name < v.Items[j].Name
		})
		for _, it := range v.Items {
			if it.Flagged() {
				v.Flagged++
			}
		}
		out = append(out, *v)
	}
	// The leaders with most to see to come first.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Flagged > out[j].Flagged })
	return out, nil
}

// leaderEnterprises reads the linked enterprises with their open and late demands.
func (db *DB) leaderEnterprises(ctx context.Context, vals []any, linked, day string, fn func(fugong.LeaderItem)) error {
	d := fmt.Sprintf("$%d", len(vals)+1)
	open := `d.state NOT IN ('` + fugong.DemandSolved + `', '` + fugong.DemandConfirmed + `', '` + fugong.DemandClosed + `')`
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, e.status,
		CASE WHEN e.resumed_on <> '' AND e.resumed_on <= `+d+` AND NOT (e.status = '`+fugong.StatusStopped+`' AND e.status_date <= `+d+`) THEN 0 ELSE 1 END,
		(SELECT COUNT(*) FROM demands d WHERE d.enterprise_id = e.id AND `+open+`),
		(SELECT COUNT(*) FROM demands d WHERE d.enterprise_id = e.id AND `+open+` AND (d.response_late OR d.same_day_late OR d.solution_late))
		FROM enterprises e WHERE e.id IN (SELECT l.enterprise_id `+linked+`)`, append(append([]any{}, vals...), day)...)
	if err != nil {
		return fmt.Errorf("leader enterprises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it := fugong.LeaderItem{Kind: "enterprise"}
		var not int
		if err := rows.Scan(&it.ID, &it.Name, &it.Township, &it.Status, &not, &it.OpenDemands, &it.LateDemands); err != nil {
			return err
		}
		it.NotResumed = not == 1
		fn(it)
	}
	return rows.Err()
}

// leaderProjects reads the linked key projects with their weekly reports.
func (db *DB) leaderProjects(ctx context.Context, vals []any, linked, day string, fn func(fugong.LeaderItem)) error {
	rows, err := db.R.QueryContext(ctx, `SELECT p.id, p.name, p.township, p.stage, p.progress, COALESCE(r.week, ''), COALESCE(r.progress, 0)
		FROM key_projects p LEFT JOIN project_reports r ON r.project_id = p.id
		WHERE p.id IN (SELECT l.project_id `+linked+`) ORDER BY p.id, r.week`, vals...)
	if err != nil {
		return fmt.Errorf("leader projects: %w", err)
	}
	defer rows.Close()
	var cur *fugong.LeaderItem
	var weeks []string
	var prog []int
	flush := func() {
		if cur != nil {
			cur.Stalled = fugong.ProjectStalled(cur.Stage, day, weeks, prog)
			if len(weeks) > 0 {
				cur.LastReport = weeks[len(weeks)-1]
			}
			fn(*cur)
		}
	}
	for rows.Next() {
		var it fugong.LeaderItem
		var week string
		var p int
		if err := rows.Scan(&it.ID, &it.Name, &it.Township, &it.Stage, &it.Progress, &week, &p); err != nil {
			return err
		}
		if cur == nil || cur.ID != it.ID {
			flush()
			it.Kind = "project"
			cur, weeks, prog = &it, nil, nil
		}
		if week != "" && week <= day {
			weeks, prog = append(weeks, week), append(prog, p)
		}
	}
	flush()
	return rows.Err()
}
