package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// LiaisonSettings are the county's liaison rules.
type LiaisonSettings struct {
	VisitBy       time.Duration // since midnight
	VisitByText   string
	StaleDays     int
	InspectionOrg string
}

// FindLiaisonSettings reads the liaison settings, with their defaults.
func (db *DB) FindLiaisonSettings(ctx context.Context, county string) (LiaisonSettings, error) {
	s := LiaisonSettings{VisitByText: fugong.DefaultVisitBy, StaleDays: fugong.DefaultStaleDays, InspectionOrg: fugong.DefaultInspectionOrg}
	s.VisitBy, _ = fugong.ParseClock(s.VisitByText)
	v, err := db.Setting(ctx, county, fugong.SettingVisitBy, "")
	if err != nil {
		return s, err
	}
	if d, ok := fugong.ParseClock(v); ok {
		s.VisitBy, s.VisitByText = d, v
	}
	if v, err = db.Setting(ctx, county, fugong.SettingStaleDays, ""); err != nil {
		return s, err
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		s.StaleDays = n
	}
	if v, err = db.Setting(ctx, county, fugong.SettingInspectionOrg, ""); err != nil {
		return s, err
	}
	if v != "" {
		s.InspectionOrg = v
	}
	return s, nil
}

// FindLiaisons lists the liaisons stationed now at enterprises in the caller's scope, with
// how many enterprises and the day of their last visit.
func (db *DB) FindLiaisons(ctx context.Context, sc fugong.Scope) ([]fugong.Liaison, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT u.id, u.username, u.display_name, u.rank, u.phone, COUNT(DISTINCT a.enterprise_id),
		COALESCE((SELECT MAX(v.day) FROM visits v WHERE v.user_id = u.id), '')
		FROM users u JOIN liaison_assignments a ON a.user_id = u.id AND a.to_date = '' JOIN enterprises e ON e.id = a.enterprise_id
		WHERE u.role = 'liaison' AND `+EnterpriseScope(sc, "e", &a)+`
		GROUP BY u.id, u.username, u.display_name, u.rank, u.phone ORDER BY u.username`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find liaisons: %w", err)
	}
	defer rows.Close()
	var out []fugong.Liaison
	for rows.Next() {
		var l fugong.Liaison
		if err := rows.Scan(&l.UserID, &l.Username, &l.Name, &l.Rank, &l.Phone, &l.Enterprises, &l.LastVisit); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LiaisonsWithoutVisit lists the liaisons in scope who have not checked in anywhere on
// day before the time by.
func (db *DB) LiaisonsWithoutVisit(ctx context.Context, sc fugong.Scope, day string, by time.Time) ([]fugong.Liaison, error) {
	all, err := db.FindLiaisons(ctx, sc)
	if err != nil {
		return nil, err
	}
	seen, err := db.userSet(ctx, `SELECT DISTINCT user_id FROM visits WHERE region_code = $1 AND day = $2 AND checked_in_at < $3`, sc.County, day, ms(by))
	if err != nil {
		return nil, err
	}
	var out []fugong.Liaison
	for _, l := range all {
		if !seen[l.UserID] {
			out = append(out, l)
		}
	}
	return out, nil
}

func (db *DB) userSet(ctx context.Context, q string, vals ...any) (map[int64]bool, error) {
	rows, err := db.R.QueryContext(ctx, q, vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// StaleEnterprises lists the enterprises in scope whose last visit was on cutoff or
// before, or that were never visited, the longest forgotten first.
func (db *DB) StaleEnterprises(ctx context.Context, sc fugong.Scope, cutoff string) ([]fugong.StaleEnterprise, error) {
	var a args
	last := `COALESCE((SELECT MAX(v.day) FROM visits v WHERE v.enterprise_id = e.id), '')`
	rows, err := db.R.QueryContext(ctx, `SELECT e.id, e.name, e.township, `+last+`,
		COALESCE((SELECT MIN(u.display_name) FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE a.enterprise_id = e.id AND a.to_date = ''), '')
		FROM enterprises e WHERE `+EnterpriseScope(sc, "e", &a)+` AND `+last+` <= `+a.add(cutoff)+` ORDER BY 4, e.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("stale enterprises: %w", err)
	}
	defer rows.Close()
	var out []fugong.StaleEnterprise
	for rows.Next() {
		var s fugong.StaleEnterprise
		if err := rows.Scan(&s.ID, &s.Name, &s.Township, &s.LastVisit, &s.Liaison); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// countBy runs a query answering (user_id, n) rows into a map.
func (db *DB) countBy(ctx context.Context, q string, vals ...any) (map[int64]int, error) {
	rows, err := db.R.QueryContext(ctx, q, vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// LiaisonWeeks counts each liaison's visits on each of days (consecutive, oldest first).
func (db *DB) LiaisonWeeks(ctx context.Context, sc fugong.Scope, days []string) ([]fugong.WeekRow, error) {
	all, err := db.FindLiaisons(ctx, sc)
	if err != nil {
		return nil, err
	}
	if sc.Role == fugong.RoleLiaison {
		all = onlyUser(all, sc.UserID)
	}
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT v.user_id, v.day, COUNT(*) FROM visits v WHERE `+visitScope(sc, &a)+
		` AND v.day >= `+a.add(days[0])+` AND v.day <= `+a.add(days[len(days)-1])+` GROUP BY v.user_id, v.day`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("liaison weeks: %w", err)
	}
	defer rows.Close()
	idx := map[string]int{}
	for i, d := range days {
		idx[d] = i
	}
	counts := map[int64][]int{}
	for rows.Next() {
		var id int64
		var day string
		var n int
		if err := rows.Scan(&id, &day, &n); err != nil {
			return nil, err
		}
		if counts[id] == nil {
			counts[id] = make([]int, len(days))
		}
		counts[id][idx[day]] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]fugong.WeekRow, len(all))
	for i, l := range all {
		out[i] = fugong.WeekRow{Liaison: l, Days: counts[l.UserID]}
		if out[i].Days == nil {
			out[i].Days = make([]int, len(days))
		}
		for _, n := range out[i].Days {
			out[i].Total += n
		}
	}
	return out, nil
}

func onlyUser(ls []fugong.Liaison, id int64) []fugong.Liaison {
	for _, l := range ls {
		if l.UserID == id {
			return []fugong.Liaison{l}
		}
	}
	return nil
}

// Scorecard is each liaison's record from day from to day to (inclusive): visits, visits
// checked in by the set hour (byOffset after local midnight; utcOffset is the county's
// offset from UTC), demands raised on visits and solved on site, findings against them.
func (db *DB) Scorecard(ctx context.Context, sc fugong.Scope, from, to string, by, utcOffset time.Duration) ([]fugong.Score, error) {
	all, err := db.FindLiaisons(ctx, sc)
	if err != nil {
		return nil, err
	}
	if sc.Role == fugong.RoleLiaison {
		all = onlyUser(all, sc.UserID)
	}
	// count runs a per-liaison count whose %s is the visits' scope and whose two %d are
	// the placeholders of from and to.
	count := func(q string) (map[int64]int, error) {
		var a args
		scope := visitScope(sc, &a)
		n := len(a.vals)
		return db.countBy(ctx, fmt.Sprintf(q, scope, n+1, n+2), append(a.vals, from, to)...)
	}
	visits, err := count(`SELECT v.user_id, COUNT(*) FROM visits v WHERE %s AND v.day >= $%d AND v.day <= $%d GROUP BY v.user_id`)
	if err != nil {
		return nil, err
	}
	onTime, err := count(`SELECT v.user_id, COUNT(*) FROM visits v WHERE %s AND v.day >= $%d AND v.day <= $%d
		AND (v.checked_in_at + ` + strconv.FormatInt(utcOffset.Milliseconds(), 10) + `) %% 86400000 < ` + strconv.FormatInt(by.Milliseconds(), 10) + ` GROUP BY v.user_id`)
	if err != nil {
		return nil, err
	}
	demands, err := count(`SELECT v.user_id, COUNT(*) FROM visits v JOIN visit_demands d ON d.visit_id = v.id WHERE %s AND v.day >= $%d AND v.day <= $%d GROUP BY v.user_id`)
	if err != nil {
		return nil, err
	}
	onSite, err := count(`SELECT v.user_id, COUNT(*) FROM visits v JOIN visit_demands d ON d.visit_id = v.id WHERE %s AND v.day >= $%d AND v.day <= $%d AND d.on_site = TRUE GROUP BY v.user_id`)
	if err != nil {
		return nil, err
	}
	findings, err := db.countBy(ctx, `SELECT target_user_id, COUNT(*) FROM inspections WHERE region_code = $1 AND target_kind = 'liaison'
		AND inspected_on >= $2 AND inspected_on <= $3 GROUP BY target_user_id`, sc.County, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]fugong.Score, len(all))
	for i, l := range all {
		id := l.UserID
		out[i] = fugong.Score{Liaison: l, Visits: visits[id], OnTime: onTime[id], Demands: demands[id], OnSite: onSite[id], Findings: findings[id]}
	}
	return out, nil
}
