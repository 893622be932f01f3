package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"fugong"
)

// Coordinate (统筹) groups open demands into one action with one owner, a department:
// each demand is dispatched to it and joins the action; the department and each
// enterprise are notified.
func (s *Demands) Coordinate(ctx context.Context, sc fugong.Scope, act *fugong.DemandAction, ids []int64) error {
	if err := sc.Require(fugong.RoleCommand, fugong.RoleAdmin); err != nil {
		return err
	}
	if err := act.Validate(ids); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		var kind, ownerName string
		err := tx.QueryRowContext(ctx, `SELECT kind, name FROM org_units WHERE id = $1 AND region_code = $2`, act.OwnerOrgID, sc.County).Scan(&kind, &ownerName)
		if err != nil || kind != fugong.OrgDepartment {
			return fugong.Invalid(map[string]fugong.Msg{"owner_org_id": fugong.M("demand.department_unknown")})
		}
		now := s.DB.now()
		act.County, act.State, act.CreatedBy, act.CreatedAt, act.OwnerName = sc.County, "open", sc.UserID, fromMS(now), ownerName
		if err := tx.QueryRowContext(ctx, `INSERT INTO demand_actions (region_code, title, note, owner_org_id, state, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, act.County, act.Title, act.Note, act.OwnerOrgID, act.State, act.CreatedBy, now).Scan(&act.ID); err != nil {
			return fmt.Errorf("create action: %w", err)
		}
		if err := s.DB.Audit(ctx, tx, act.County, "create", "demand_actions", act.ID, nil, act); err != nil {
			return err
		}
		// Demands are locked in id order, as SolveAction locks them, and the figures' rows
		// after them all (statDelta.write), so that two actions never wait for each other.
		ids = slices.Sorted(slices.Values(ids))
		stats := statDelta{}
		for _, id := range ids {
			before, err := s.find(ctx, tx, sc, id)
			if err != nil {
				return err
			}
			if _, err := fugong.FindTransition(fugong.ActDispatch, before.State, sc.Role); err != nil || before.ActionID != 0 {
				return fugong.Conflict("demand.coordinate_state", before.Number)
			}
			d := before
			now := s.DB.Clock.Now()
			d.RecordResponse(now)
			d.RecordOwned(now)
			d.StopWaiting(now)
			d.State, d.Level, d.ActionID = fugong.DemandDispatched, fugong.LevelDepartment, act.ID
			if err := s.assign(ctx, tx, &d, []int64{act.OwnerOrgID}); err != nil {
				return err
			}
			if err := s.update(ctx, tx, &before, &d, stats); err != nil {
				return err
			}
			if err := s.event(ctx, tx, &d, "coordinate", before.State, d.State, act.Title+" · "+ownerName); err != nil {
				return err
			}
			if err := s.DB.Audit(ctx, tx, d.County, "coordinate", "demands", d.ID, before, d); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, &d, "enterprise", "demand.n.coordinated", act.Title); err != nil {
				return err
			}
			act.Demands = append(act.Demands, d)
		}
		if err := stats.write(ctx, s.DB, tx, s.DB.otherShard()); err != nil {
			return err
		}
		if len(act.Demands) > 0 {
			return s.notify(ctx, tx, &act.Demands[0], fugong.LevelDepartment, "demand.n.action", act.Title)
		}
		return nil
	})
}

// actionScope limits demand_actions rows: the county for county-wide roles, its own
// actions for a department, nothing for the rest.
func actionScope(sc fugong.Scope, a *args) string {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return "x.region_code = " + a.add(sc.County)
	case fugong.RoleDepartment:
		return "x.owner_org_id = " + a.add(sc.OrgUnitID)
	}
	return "1 = 0"
}

// FindAction returns a coordinated action with its demands.
func (s *Demands) FindAction(ctx context.Context, sc fugong.Scope, id int64) (fugong.DemandAction, error) {
	return s.findAction(ctx, s.DB.R, sc, id)
}

func (s *Demands) findAction(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.DemandAction, error) {
	var a args
	var x fugong.DemandAction
	var created, solved int64
	err := q.QueryRowContext(ctx, `SELECT x.id, x.region_code, x.title, x.note, x.owner_org_id, o.name, x.state, x.created_by, x.created_at, x.solved_at
		FROM demand_actions x JOIN org_units o ON o.id = x.owner_org_id WHERE x.id = `+a.add(id)+` AND `+actionScope(sc, &a), a.vals...).
		Scan(&x.ID, &x.County, &x.Title, &x.Note, &x.OwnerOrgID, &x.OwnerName, &x.State, &x.CreatedBy, &created, &solved)
	if err != nil {
		return x, mapErr(err)
	}
	x.CreatedAt, x.SolvedAt = fromMS(created), fromMS(solved)
	rows, err := q.QueryContext(ctx, `SELECT `+demandCols+demandFrom+` WHERE d.action_id = $1 AND d.action_id <> 0 ORDER BY d.id`, id)
	if err != nil {
		return x, err
	}
	defer rows.Close()
	for rows.Next() {
		var d fugong.Demand
		if err := scanDemand(rows, &d); err != nil {
			return x, err
		}
		x.Demands = append(x.Demands, d)
	}
	if err := rows.Err(); err != nil {
		return x, err
	}
	rows.Close()
	for i := range x.Demands {
		// Where each is dispatched: its share of the kept figures by department moves
		// with it when the action solves it (save).
		if x.Demands[i].Departments, err = departmentsOf(ctx, q, x.Demands[i].ID); err != nil {
			return x, err
		}
	}
	return x, nil
}

// FindActions lists the coordinated actions in scope, open ones first.
func (s *Demands) FindActions(ctx context.Context, sc fugong.Scope) ([]fugong.DemandAction, error) {
	var a args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT x.id, x.title, o.name, x.state, x.created_at, (SELECT COUNT(*) FROM demands d WHERE d.action_id = x.id AND d.action_id <> 0)
		FROM demand_actions x JOIN org_units o ON o.id = x.owner_org_id WHERE `+actionScope(sc, &a)+` ORDER BY x.state, x.id DESC LIMIT 100`, a.vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fugong.DemandAction
	for rows.Next() {
		var x fugong.DemandAction
		var created int64
		var n int
		if err := rows.Scan(&x.ID, &x.Title, &x.OwnerName, &x.State, &created, &n); err != nil {
			return nil, err
		}
		x.CreatedAt = fromMS(created)
		x.Demands = make([]fugong.Demand, n)
		out = append(out, x)
	}
	return out, rows.Err()
}

// SolveAction solves a coordinated action and, with it, every open demand it groups;
// each enterprise is notified.
func (s *Demands) SolveAction(ctx context.Context, sc fugong.Scope, id int64, note string) (fugong.DemandAction, error) {
	if err := sc.Require(fugong.RoleCommand, fugong.RoleAdmin, fugong.RoleDepartment); err != nil {
		return fugong.DemandAction{}, err
	}
	var out fugong.DemandAction
	err := s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		x, err := s.findAction(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if x.State != "open" {
			return fugong.Conflict("demand.action_solved")
		}
		now := s.DB.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE demand_actions SET state = 'solved', solved_at = $1 WHERE id = $2`, ms(now), id); err != nil {
			return err
		}
		if err := s.DB.Audit(ctx, tx, x.County, "solve", "demand_actions", id, x.State, "solved"); err != nil {
			return err
		}
		stats := statDelta{}
		for i, before := range x.Demands {
			if !fugong.DemandOpen(before.State) {
				continue
			}
			d := before
			d.RecordResponse(now)
			d.RecordOwned(now)
			d.StopWaiting(now)
			d.RecordSolved(now)
			d.State = fugong.DemandSolved
			if err := s.update(ctx, tx, &before, &d, stats); err != nil {
				return err
			}
			if err := s.event(ctx, tx, &d, fugong.ActSolve, before.State, d.State, x.Title+"："+note); err != nil {
				return err
			}
			if err := s.DB.Audit(ctx, tx, d.County, fugong.ActSolve, "demands", d.ID, before, d); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, &d, "enterprise", "demand.n.solved", x.Title+"："+note); err != nil {
				return err
			}
			x.Demands[i] = d
		}
		if err := stats.write(ctx, s.DB, tx, s.DB.otherShard()); err != nil {
			return err
		}
		x.State, x.SolvedAt = "solved", now
		out = x
		return nil
	})
	return out, err
}

// CreateMany saves prepared demands in one transaction: an import is all or nothing.
func (s *Demands) CreateMany(ctx context.Context, ds []*fugong.Demand, p fugong.ClockPolicy) error {
	return s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		for _, d := range ds {
			if err := s.CreateTx(ctx, tx, d, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddEventTx writes a timeline line with its own time and actor, for histories built
// outside a request (the demo county).
func (s *Demands) AddEventTx(ctx context.Context, q Querier, d *fugong.Demand, e fugong.DemandEvent) error {
	_, err := q.ExecContext(ctx, `INSERT INTO demand_events (region_code, demand_id, at, user_id, username, action, from_state, to_state, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, d.County, d.ID, ms(e.At), e.UserID, e.Username, e.Action, e.From, e.To, e.Note)
	return err
}
