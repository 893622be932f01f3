package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fugong"
)

// Step applies one action of the state machine to a demand in the caller's scope: the
// new state, the timeline line, the audit line, the dispatch rows and the notifications
// commit together.
func (s *Demands) Step(ctx context.Context, sc fugong.Scope, id int64, st fugong.DemandStep) (fugong.Demand, error) {
	if err := st.Validate(); err != nil {
		return fugong.Demand{}, err
	}
	var out fugong.Demand
	err := s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := s.find(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if st.Version != 0 && before.Version != st.Version {
			return fugong.Conflict("error.stale")
		}
		tr, err := fugong.FindTransition(st.Action, before.State, sc.Role)
		if err != nil {
			return err
		}
		if st.Action == fugong.ActConfirm {
			solver, err := s.solver(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := st.CheckConfirmer(sc.Role, sc.UserID, solver); err != nil {
				return err
			}
		}
		d := before
		now := s.DB.Clock.Now()
		d.RecordResponse(now)
		if d.State == fugong.DemandWaiting && tr.To != fugong.DemandWaiting {
			d.StopWaiting(now)
		}
		d.State = tr.To
		type notice struct{ level, key string }
		var notices []notice
		rewatch := false
		switch st.Action {
		case fugong.ActSolveOnSite:
			d.OnSite = true
			d.RecordOwned(now)
			d.RecordSolved(now)
			notices = append(notices, notice{"enterprise", "demand.n.solved"})
		case fugong.ActEscalate:
			d.Level = fugong.LevelCommand
			d.RecordOwned(now)
			notices = append(notices, notice{fugong.LevelCommand, "demand.n.escalated"})
		case fugong.ActDispatch:
			if err := s.assign(ctx, tx, &d, st.Departments); err != nil {
				return err
			}
			d.Level = fugong.LevelDepartment
			d.RecordOwned(now)
			notices = append(notices, notice{fugong.LevelDepartment, "demand.n.dispatched"})
		case fugong.ActWait:
			d.StartWaiting(now)
			notices = append(notices, notice{"enterprise", "demand.n.waiting"})
		case fugong.ActResume:
			rewatch = true
		case fugong.ActSolve:
			d.RecordOwned(now)
			d.RecordSolved(now)
			notices = append(notices, notice{"enterprise", "demand.n.solved"})
		case fugong.ActConfirm:
			d.Rating, d.Comment, d.ConfirmedAt = st.Rating, st.Comment, now
		case fugong.ActReopen:
			d.Reopen()
			rewatch = true
			notices = append(notices, notice{d.Level, "demand.n.reopened"})
		case fugong.ActClose:
			d.ClosedAt = now
		}
		stats := statDelta{}
		if err := s.update(ctx, tx, &before, &d, stats); err != nil {
			return err
		}
		if err := s.event(ctx, tx, &d, st.Action, before.State, d.State, eventNote(st)); err != nil {
			return err
		}
		if err := s.DB.Audit(ctx, tx, d.County, st.Action, "demands", d.ID, before, d); err != nil {
			return err
		}
		if rewatch {
			if err := s.DB.EnqueueJob(ctx, tx, d.County, JobDemandClock, strconv.FormatInt(d.ID, 10), now); err != nil {
				return err
			}
		}
		for _, n := range notices {
			if err := s.notify(ctx, tx, &d, n.level, n.key, st.Note); err != nil {
				return err
			}
		}
		out = d
		// The figures' rows last (statDelta.write), after the job's.
		return stats.write(ctx, s.DB, tx, s.DB.otherShard())
	})
	return out, err
}

// solver is the user who last solved a demand, 0 when none did by hand.
func (s *Demands) solver(ctx context.Context, q Querier, id int64) (int64, error) {
	var uid int64
	err := q.QueryRowContext(ctx, `SELECT user_id FROM demand_events WHERE demand_id = $1 AND action IN ($2, $3) ORDER BY id DESC LIMIT 1`,
		id, fugong.ActSolve, fugong.ActSolveOnSite).Scan(&uid)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return uid, err
}

func eventNote(st fugong.DemandStep) string {
	if st.Action == fugong.ActConfirm {
		return strings.TrimSpace(strings.Repeat("★", st.Rating) + " " + strings.TrimSpace(st.Comment+" "+st.Note))
	}
	return st.Note
}

// assign dispatches d to departments of its county, refusing anything else.
func (s *Demands) assign(ctx context.Context, tx Querier, d *fugong.Demand, orgIDs []int64) error {
	for _, o := range orgIDs {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM org_units WHERE id = $1 AND region_code = $2`, o, d.County).Scan(&kind)
		if err != nil || kind != fugong.OrgDepartment {
			return fugong.Invalid(map[string]fugong.Msg{"departments": fugong.M("demand.department_unknown")})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO demand_assignments (region_code, demand_id, org_unit_id, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (demand_id, org_unit_id, region_code) DO NOTHING`, d.County, d.ID, o, s.DB.now()); err != nil {
			return fmt.Errorf("dispatch demand %d: %w", d.ID, err)
		}
		if !containsID(d.Departments, o) {
			d.Departments = append(d.Departments, o)
		}
	}
	return nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Urge (督办) marks an open demand as pushed by the command or a leader; its owner and
// their head are notified.
func (s *Demands) Urge(ctx context.Context, sc fugong.Scope, id int64, note string) (fugong.Demand, error) {
	if err := sc.Allow(fugong.PermDemandUrge); err != nil {
		return fugong.Demand{}, err
	}
	var out fugong.Demand
	err := s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := s.find(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if !fugong.DemandOpen(before.State) {
			return fugong.Conflict("demand.urge_closed")
		}
		d := before
		d.UrgeCount++
		d.UrgedAt = s.DB.Clock.Now()
		if err := s.save(ctx, tx, &before, &d); err != nil {
			return err
		}
		if err := s.event(ctx, tx, &d, "urge", d.State, d.State, note); err != nil {
			return err
		}
		if err := s.DB.Audit(ctx, tx, d.County, "urge", "demands", d.ID, before, d); err != nil {
			return err
		}
		for _, level := range []string{d.Level, fugong.Head(d.Level)} {
			if err := s.notify(ctx, tx, &d, level, "demand.n.urged", note); err != nil {
				return err
			}
		}
		out = d
		return s.robot(ctx, tx, &d, "demand.n.urged", note)
	})
	return out, err
}

// RunClock looks at one demand's clocks (the job JobDemandClock): a clock that ran out
// unmet marks the demand late and escalates it one step up the ladder, notifying that
// rung; a deadline near enough warns the owner. A met clock, or a second run at the same
// moment, does nothing. It returns when to look again (zero: nothing left to watch).
func (s *Demands) RunClock(ctx context.Context, j fugong.Job) (time.Time, error) {
	id, err := strconv.ParseInt(j.Payload, 10, 64)
	if err != nil {
		return time.Time{}, nil // not ours to retry
	}
	p, err := s.Policy(ctx, j.County)
	if err != nil {
		return time.Time{}, err
	}
	sys := fugong.Scope{Role: fugong.RoleAdmin, County: j.County}
	var next time.Time
	err = s.DB.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := s.find(ctx, tx, sys, id)
		if err != nil {
			if fugong.ErrorCode(err) == fugong.ENOTFOUND {
				return nil
			}
			return err
		}
		now := s.DB.Clock.Now()
		c := before.CheckClocks(now, p.Warning)
		next = c.Next
		if len(c.Late) == 0 && len(c.Warn) == 0 {
			return nil
		}
		d := before
		for _, w := range c.Warn {
			due := d.SameDayDue
			if w == fugong.ClockSameDay {
				d.Warned |= fugong.WarnSameDay
			} else {
				d.Warned |= fugong.WarnSolution
				due = d.SolutionDue
			}
			s.DB.Count(tx, EventClockWarn, w)
			detail := s.Text("demand.clock."+w) + " " + fugong.FormatDeadline(due, s.Loc, "01-02 15:04")
			if err := s.event(ctx, tx, &d, "warn_"+w, d.State, d.State, detail); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, &d, d.Level, "demand.n.warn", detail); err != nil {
				return err
			}
		}
		for _, l := range c.Late {
			switch l {
			case fugong.ClockResponse:
				d.ResponseLate = true
			case fugong.ClockSameDay:
				d.SameDayLate = true
			case fugong.ClockSolution:
				d.SolutionLate = true
			}
			s.DB.Count(tx, EventClockLate, l)
			detail := s.Text("demand.clock." + l)
			if err := s.event(ctx, tx, &d, "late_"+l, d.State, d.State, detail); err != nil {
				return err
			}
			if up, ok := fugong.LadderUp(d.Level); ok {
				if ids, err := s.usersAt(ctx, tx, &d, up); err == nil && len(ids) > 0 {
					if err := s.event(ctx, tx, &d, "escalate_auto", d.State, d.State, s.Text("demand.level."+d.Level)+" → "+s.Text("demand.level."+up)); err != nil {
						return err
					}
					d.Level = up
				}
			}
			if err := s.notify(ctx, tx, &d, d.Level, "demand.n.late", detail); err != nil {
				return err
			}
			if err := s.robot(ctx, tx, &d, "demand.n.late", detail); err != nil {
				return err
			}
		}
		if err := s.save(ctx, tx, &before, &d); err != nil {
			return err
		}
		if err := s.DB.Audit(ctx, tx, d.County, "clock", "demands", d.ID, before, d); err != nil {
			return err
		}
		next = d.CheckClocks(now, p.Warning).Next
		return nil
	})
	return next, err
}

// usersAt lists the people at a rung of d's ladder: its liaison, its township's officers,
// the command, its linked county leader, the departments it is dispatched to, or the
// enterprise's own accounts.
func (s *Demands) usersAt(ctx context.Context, q Querier, d *fugong.Demand, level string) ([]int64, error) {
	switch level {
	case fugong.LevelLiaison:
		if d.LiaisonID == 0 {
			return nil, nil
		}
		return []int64{d.LiaisonID}, nil
	case fugong.LevelTownshipO:
		return recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = 'township' AND region = $2 AND NOT disabled ORDER BY id`, d.County, d.Township))
	case fugong.LevelCommand:
		return recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = 'command' AND NOT disabled ORDER BY id`, d.County))
	case fugong.LevelLeader:
		return recipientIDs(q.QueryContext(ctx, `SELECT user_id FROM leader_links WHERE enterprise_id = $1 AND to_date = '' ORDER BY id`, d.EnterpriseID))
	case fugong.LevelDepartment:
		return recipientIDs(q.QueryContext(ctx, `SELECT u.id FROM users u JOIN demand_assignments a ON a.org_unit_id = u.org_unit_id
			WHERE a.demand_id = $1 AND u.role = 'department' AND NOT u.disabled ORDER BY u.id`, d.ID))
	case "enterprise":
		return recipientIDs(q.QueryContext(ctx, `SELECT id FROM users WHERE role = 'enterprise' AND enterprise_id = $1 AND NOT disabled ORDER BY id`, d.EnterpriseID))
	}
	return nil, nil
}

// notify writes an in-app notification to everyone at a rung of d's ladder.
func (s *Demands) notify(ctx context.Context, q Querier, d *fugong.Demand, level, key, detail string) error {
	ids, err := s.usersAt(ctx, q, d, level)
	if err != nil {
		return err
	}
	return s.notifyUsers(ctx, q, d, ids, key, d.Number, d.EnterpriseName, detail)
}

func (s *Demands) notifyUsers(ctx context.Context, q Querier, d *fugong.Demand, ids []int64, key string, args ...any) error {
	return s.DB.notifyInApp(ctx, q, d.County, ids, s.Text("demand.n.subject", d.Number), s.Text(key, args...), "demands", d.ID)
}

// robot posts to the county's group robots (settings notify.wecom_webhook and
// notify.dingtalk_webhook), when set, and to the channels of the command and the demand's
// township that subscribe to the event: what is late and what is urged is seen by the group;
// an SMS channel subscribing to it texts the enterprise's liaison (liaisonText).
func (s *Demands) robot(ctx context.Context, q Querier, d *fugong.Demand, key, detail string) error {
	for ch, name := range map[string]string{fugong.ChannelWeCom: "notify.wecom_webhook", fugong.ChannelDingTalk: "notify.dingtalk_webhook"} {
		var url string
		err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE region_code = $1 AND name = $2`, d.County, name).Scan(&url)
		if err == sql.ErrNoRows || url == "" {
			continue
		}
		if err != nil {
			return err
		}
		n := fugong.Notification{County: d.County, Channel: ch, Recipient: url, Subject: s.Text("demand.n.subject", d.Number),
			Body: s.Text(key, d.Number, d.EnterpriseName, detail), Entity: "demands", EntityID: strconv.FormatInt(d.ID, 10)}
		if err := s.DB.EnqueueNotification(ctx, q, &n); err != nil {
			return err
		}
	}
	event := fugong.EventDemandLate
	if key == "demand.n.urged" {
		event = fugong.EventDemandUrged
	}
	chs, err := countyChannels(ctx, q, d.County)
	if err != nil {
		return err
	}
	msgs := demandMessages(chs, d, event, s.Text("demand.n.subject", d.Number), s.Text(key, d.Number, d.EnterpriseName, detail))
	text, err := liaisonText(ctx, q, chs, d, event, s.Text(key, d.Number, d.EnterpriseName, detail))
	if err != nil {
		return err
	}
	if text != nil {
		msgs = append(msgs, *text)
	}
	for _, n := range msgs {
		if err := s.DB.EnqueueNotification(ctx, q, &n); err != nil {
			return err
		}
	}
	return nil
}
