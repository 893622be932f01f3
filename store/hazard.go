package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"fugong"
)

// JobFloodWatch is the job kind of a county's flood-season watch: once a day it looks for
// an empty duty day and missed patrols and alerts the command.
const JobFloodWatch = "flood.watch"

// Who keeps hazard points and the roster, and who patrols.
var (
	hazardEditors = fugong.RolesFor(fugong.PermHazardEdit)
	patrollers    = fugong.RolesFor(fugong.PermHazardPatrol)
)

const hazardCols = `h.id, h.region_code, h.name, h.township, h.village, h.location, h.households, h.people, h.warning_signs, h.route_signs, h.placement_signs,
	h.whistles, h.gongs, h.avoidance_cards, h.plan, h.patrol_days, h.demo, h.version, COALESCE((SELECT MAX(p.day) FROM patrols p WHERE p.hazard_point_id = h.id), '')`

func scanHazard(row interface{ Scan(...any) error }, h *fugong.HazardPoint, extra ...any) error {
	return row.Scan(append([]any{&h.ID, &h.County, &h.Name, &h.Township, &h.Village, &h.Location, &h.Households, &h.People, &h.WarningSigns, &h.RouteSigns,
		&h.PlacementSigns, &h.Whistles, &h.Gongs, &h.AvoidanceCards, &h.Plan, &h.PatrolDays, &h.Demo, &h.Version, &h.LastPatrol}, extra...)...)
}

// hazardScope limits hazard points to the county, or a township's or village's own.
func hazardScope(sc fugong.Scope, a *args) string {
	if sc.Role == fugong.RoleVillage {
		return "h.village = " + a.add(sc.Region)
	}
	return RegionScope(sc, "h.township", "h.region_code", a)
}

// FindHazardPoints lists the hazard points in the caller's scope with their last patrol.
func (db *DB) FindHazardPoints(ctx context.Context, sc fugong.Scope, f fugong.HazardFilter) ([]fugong.HazardPoint, int, error) {
	return db.findHazardPoints(ctx, db.R, sc, f)
}

func (db *DB) findHazardPoints(ctx context.Context, q Querier, sc fugong.Scope, f fugong.HazardFilter) ([]fugong.HazardPoint, int, error) {
	var a args
	c := []string{hazardScope(sc, &a)}
	if f.Township != "" {
		c = append(c, "h.township = "+a.add(f.Township))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := q.QueryContext(ctx, `SELECT `+hazardCols+`, COUNT(*) OVER() FROM hazard_points h`+where(c)+` ORDER BY h.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find hazard points: %w", err)
	}
	defer rows.Close()
	var out []fugong.HazardPoint
	total := 0
	for rows.Next() {
		var h fugong.HazardPoint
		if err := scanHazard(rows, &h, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, h)
	}
	return out, total, rows.Err()
}

// FindHazardPoint returns one hazard point in the caller's scope.
func (db *DB) FindHazardPoint(ctx context.Context, sc fugong.Scope, id int64) (fugong.HazardPoint, error) {
	return db.findHazardPoint(ctx, db.R, sc, id)
}

func (db *DB) findHazardPoint(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.HazardPoint, error) {
	var a args
	var h fugong.HazardPoint
	err := scanHazard(q.QueryRowContext(ctx, `SELECT `+hazardCols+` FROM hazard_points h WHERE h.id = `+a.add(id)+` AND `+hazardScope(sc, &a), a.vals...), &h)
	return h, mapErr(err)
}

// CreateHazardPoint validates and saves a hazard point; a township officer's lies in their township.
func (db *DB) CreateHazardPoint(ctx context.Context, sc fugong.Scope, h *fugong.HazardPoint) error {
	if err := sc.Require(hazardEditors...); err != nil {
		return err
	}
	h.County = sc.County
	if sc.Role == fugong.RoleTownship {
		h.Township = sc.Region
	}
	if err := h.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateHazardPointTx(ctx, tx, h) })
}

// CreateHazardPointTx writes a validated hazard point and makes sure its county's
// flood-season watch is on the job queue.
func (db *DB) CreateHazardPointTx(ctx context.Context, q Querier, h *fugong.HazardPoint) error {
	h.Version = 1
	err := q.QueryRowContext(ctx, `INSERT INTO hazard_points (region_code, name, township, village, location, households, people, warning_signs, route_signs,
		placement_signs, whistles, gongs, avoidance_cards, plan, patrol_days, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		h.County, h.Name, h.Township, h.Village, h.Location, h.Households, h.People, h.WarningSigns, h.RouteSigns, h.PlacementSigns, h.Whistles, h.Gongs,
		h.AvoidanceCards, h.Plan, h.PatrolDays, h.Demo).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("create hazard point: %w", mapErr(err))
	}
	if err := db.Audit(ctx, q, h.County, "create", "hazard_points", h.ID, nil, h); err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = $1 AND region_code = $2 AND state IN ('ready', 'running')`, JobFloodWatch, h.County).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return db.EnqueueJob(ctx, q, h.County, JobFloodWatch, h.County, db.Clock.Now())
}

// SaveDutyDay sets the leader and staff on duty for a day of the flood season.
func (db *DB) SaveDutyDay(ctx context.Context, sc fugong.Scope, d *fugong.DutyDay) error {
	if err := sc.Require(hazardEditors...); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.SaveDutyDayTx(ctx, tx, sc.County, d) })
}

// SaveDutyDayTx writes a validated roster day inside the caller's transaction.
func (db *DB) SaveDutyDayTx(ctx context.Context, q Querier, county string, d *fugong.DutyDay) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO duty_days (region_code, day, leader, staff) VALUES ($1, $2, $3, $4)
		ON CONFLICT (region_code, day) DO UPDATE SET leader = excluded.leader, staff = excluded.staff`, county, d.Day, d.Leader, d.Staff); err != nil {
		return fmt.Errorf("save duty day: %w", err)
	}
	return db.Audit(ctx, q, county, "update", "duty_days", d.Day, nil, d)
}

// FindDutyDays returns the roster days from..to (inclusive) of the caller's county.
func (db *DB) FindDutyDays(ctx context.Context, sc fugong.Scope, from, to string) (map[string]fugong.DutyDay, error) {
	return db.findDutyDays(ctx, db.R, sc.County, from, to)
}

func (db *DB) findDutyDays(ctx context.Context, q Querier, county, from, to string) (map[string]fugong.DutyDay, error) {
	rows, err := q.QueryContext(ctx, `SELECT day, leader, staff FROM duty_days WHERE region_code = $1 AND day >= $2 AND day <= $3`, county, from, to)
	if err != nil {
		return nil, fmt.Errorf("find duty days: %w", err)
	}
	defer rows.Close()
	out := map[string]fugong.DutyDay{}
	for rows.Next() {
		var d fugong.DutyDay
		if err := rows.Scan(&d.Day, &d.Leader, &d.Staff); err != nil {
			return nil, err
		}
		out[d.Day] = d
	}
	return out, rows.Err()
}

// CreatePatrol records a patrol of a hazard point in the caller's scope; a finding of
// danger alerts the command at once.
func (db *DB) CreatePatrol(ctx context.Context, sc fugong.Scope, p *fugong.Patrol, text Text) error {
	if err := sc.Require(patrollers...); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		h, err := db.findHazardPoint(ctx, tx, sc, p.HazardPointID)
		if err != nil {
			return err
		}
		if err := db.CreatePatrolTx(ctx, tx, h, p); err != nil {
			return err
		}
		if !p.Danger {
			return nil
		}
		return db.alertCommand(ctx, tx, h.County, "hazard_points", "danger:"+strconv.FormatInt(p.ID, 10),
			text("hazard.n.subject", h.Name), text("hazard.n.danger", h.Name, p.Finding))
	})
}

// CreatePatrolTx writes a validated patrol of h inside the caller's transaction.
func (db *DB) CreatePatrolTx(ctx context.Context, q Querier, h fugong.HazardPoint, p *fugong.Patrol) error {
	p.County = h.County
	if p.At.IsZero() {
		p.At = db.Clock.Now()
	}
	if p.Username == "" {
		p.Username = fugong.ActorFrom(ctx).Username
	}
	p.Day = fugong.Day(p.At, db.loc())
	if err := q.QueryRowContext(ctx, `INSERT INTO patrols (region_code, hazard_point_id, day, at, username, finding, danger) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.County, h.ID, p.Day, ms(p.At), p.Username, p.Finding, p.Danger).Scan(&p.ID); err != nil {
		return fmt.Errorf("create patrol: %w", err)
	}
	return db.Audit(ctx, q, h.County, "patrol", "hazard_points", h.ID, nil, p)
}

// FindPatrols lists a hazard point's patrols, newest first.
func (db *DB) FindPatrols(ctx context.Context, sc fugong.Scope, pointID int64) ([]fugong.Patrol, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT p.id, p.region_code, p.hazard_point_id, p.day, p.at, p.username, p.finding, p.danger
		FROM patrols p JOIN hazard_points h ON h.id = p.hazard_point_id WHERE p.hazard_point_id = `+a.add(pointID)+` AND `+hazardScope(sc, &a)+` ORDER BY p.at DESC, p.id DESC`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find patrols: %w", err)
	}
	defer rows.Close()
	var out []fugong.Patrol
	for rows.Next() {
		var p fugong.Patrol
		var at int64
		if err := rows.Scan(&p.ID, &p.County, &p.HazardPointID, &p.Day, &at, &p.Username, &p.Finding, &p.Danger); err != nil {
			return nil, err
		}
		p.At = fromMS(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateRiskNotice records a risk notice handed to a household of a hazard point.
func (db *DB) CreateRiskNotice(ctx context.Context, sc fugong.Scope, n *fugong.RiskNotice) error {
	if err := sc.Require(patrollers...); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		h, err := db.findHazardPoint(ctx, tx, sc, n.HazardPointID)
		if err != nil {
			return err
		}
		return db.CreateRiskNoticeTx(ctx, tx, h, n)
	})
}

// CreateRiskNoticeTx writes a validated risk notice inside the caller's transaction.
func (db *DB) CreateRiskNoticeTx(ctx context.Context, q Querier, h fugong.HazardPoint, n *fugong.RiskNotice) error {
	if err := q.QueryRowContext(ctx, `INSERT INTO risk_notices (region_code, hazard_point_id, household, day, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		h.County, h.ID, n.Household, n.Day, n.Note).Scan(&n.ID); err != nil {
		return fmt.Errorf("create risk notice: %w", err)
	}
	return db.Audit(ctx, q, h.County, "notice", "hazard_points", h.ID, nil, n)
}

// FindRiskNotices lists a hazard point's risk notices.
func (db *DB) FindRiskNotices(ctx context.Context, sc fugong.Scope, pointID int64) ([]fugong.RiskNotice, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, `SELECT n.id, n.hazard_point_id, n.household, n.day, n.note FROM risk_notices n JOIN hazard_points h ON h.id = n.hazard_point_id
		WHERE n.hazard_point_id = `+a.add(pointID)+` AND `+hazardScope(sc, &a)+` ORDER BY n.day DESC, n.id`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find risk notices: %w", err)
	}
	defer rows.Close()
	var out []fugong.RiskNotice
	for rows.Next() {
		var n fugong.RiskNotice
		if err := rows.Scan(&n.ID, &n.HazardPointID, &n.Household, &n.Day, &n.Note); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// WatchFlood raises the day's flood-season alerts of a county — an empty duty day, a
// point not patrolled within its interval — each once, to the command through the
// outbox. It returns how many alerts it raised and when it should look again.
func (db *DB) WatchFlood(ctx context.Context, county string, text Text) (int, time.Time, error) {
	now := db.Clock.Now().In(db.loc())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	raised := 0
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		sc := fugong.Scope{Role: fugong.RoleCommand, County: county}
		points, _, err := db.findHazardPoints(ctx, tx, sc, fugong.HazardFilter{Limit: 1000})
		if err != nil {
			return err
		}
		d := day.Format(time.DateOnly)
		duty, err := db.findDutyDays(ctx, tx, county, d, d)
		if err != nil {
			return err
		}
		var today *fugong.DutyDay
		if x, ok := duty[d]; ok {
			today = &x
		}
		for _, a := range fugong.FloodAlerts(day, today, points) {
			key := a.Kind + ":" + strconv.FormatInt(a.PointID, 10) + ":" + a.Day
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE entity = 'hazard_points' AND entity_id = $1 AND region_code = $2`, key, county).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			body := text("hazard.n.duty_empty", a.Day)
			if a.Kind == fugong.AlertPatrolMissed {
				body = text("hazard.n.patrol_missed", a.Point, a.Day)
			}
			if err := db.alertCommand(ctx, tx, county, "hazard_points", key, text("hazard.n.watch_subject", a.Day), body); err != nil {
				return err
			}
			raised++
		}
		return nil
	})
	next := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, db.loc())
	return raised, next, err
}

// alertCommand tells the county's command of something that needs acting on: an in-app
// notification to each command officer, and the county's group robots when set.
func (db *DB) alertCommand(ctx context.Context, q Querier, county, entity, entityID, subject, body string) error {
	ids, err := recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = 'command' AND NOT disabled ORDER BY id`, county))
	if err != nil {
		return err
	}
	var ns []fugong.Notification
	for _, id := range ids {
		ns = append(ns, fugong.Notification{Channel: fugong.ChannelInApp, UserID: id})
	}
	for _, ch := range []struct{ channel, setting string }{{fugong.ChannelWeCom, "notify.wecom_webhook"}, {fugong.ChannelDingTalk, "notify.dingtalk_webhook"}} {
		var url string
		err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE region_code = $1 AND name = $2`, county, ch.setting).Scan(&url)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if url != "" {
			ns = append(ns, fugong.Notification{Channel: ch.channel, Recipient: url})
		}
	}
	for _, n := range ns {
		n.County, n.Subject, n.Body, n.Entity, n.EntityID = county, subject, body, entity, entityID
		if err := db.EnqueueNotification(ctx, q, &n); err != nil {
			return err
		}
	}
	return nil
}

// loc is the county's time zone.
func (db *DB) loc() *time.Location {
	if db.Loc == nil {
		return shanghai
	}
	return db.Loc
}
