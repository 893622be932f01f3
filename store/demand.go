package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fugong"
)

// JobDemandClock is the job kind of a demand's clocks: one job per demand that looks at
// its deadlines when the next one comes and snoozes until the one after.
const JobDemandClock = "demand.clock"

// Demands is the demand workflow under the same-day rule. Each method is one
// transaction: a change, its timeline line, its audit line, its notifications and its
// clock commit together or not at all. The rules themselves live in package fugong.
type Demands struct {
	DB  *DB
	Loc *time.Location
	// Text renders a notification's words from the message catalogue (in Chinese, the
	// county's language).
	Text Text
}

const demandCols = `d.id, d.region_code, d.number, d.enterprise_id, e.name, d.township, d.liaison_id, d.category, d.description, d.quantity, d.unit, d.fields,
	d.urgency, d.channel, d.raised_by, d.raised_by_name, d.state, d.level, d.on_site, d.action_id, d.day, d.received_at, d.response_due, d.same_day_due,
	d.solution_due, d.responded_at, d.owned_at, d.solved_at, d.confirmed_at, d.closed_at, d.waiting_since, d.paused_ms, d.response_late, d.same_day_late,
	d.solution_late, d.warned, d.response_minutes, d.response_over, d.same_day_over, d.solution_minutes, d.solution_over, d.urge_count, d.urged_at,
	d.rating, d.comment, d.demo, d.version, d.updated_at, d.lat, d.lng, d.address, d.media_url, e.address, d.reopens`

const demandFrom = ` FROM demands d JOIN enterprises e ON e.id = d.enterprise_id`

func scanDemand(row interface{ Scan(...any) error }, d *fugong.Demand, extra ...any) error {
	var fields string
	var received, respDue, sameDue, solDue, responded, owned, solved, confirmed, closed, waiting, paused, urged, updated int64
	dest := []any{&d.ID, &d.County, &d.Number, &d.EnterpriseID, &d.EnterpriseName, &d.Township, &d.LiaisonID, &d.Category, &d.Description, &d.Quantity, &d.Unit, &fields,
		&d.Urgency, &d.Channel, &d.RaisedBy, &d.RaisedByName, &d.State, &d.Level, &d.OnSite, &d.ActionID, &d.Day, &received, &respDue, &sameDue,
		&solDue, &responded, &owned, &solved, &confirmed, &closed, &waiting, &paused, &d.ResponseLate, &d.SameDayLate,
		&d.SolutionLate, &d.Warned, &d.ResponseMinutes, &d.ResponseOver, &d.SameDayOver, &d.SolutionMinutes, &d.SolutionOver, &d.UrgeCount, &urged,
		&d.Rating, &d.Comment, &d.Demo, &d.Version, &updated, &d.Lat, &d.Lng, &d.Address, &d.MediaURL, &d.EnterpriseAddress, &d.Reopens}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	d.Fields = map[string]string{}
	json.Unmarshal([]byte(fields), &d.Fields)
	d.ReceivedAt, d.ResponseDue, d.SameDayDue, d.SolutionDue = fromMS(received), fromMS(respDue), fromMS(sameDue), fromMS(solDue)
	d.RespondedAt, d.OwnedAt, d.SolvedAt, d.ConfirmedAt, d.ClosedAt = fromMS(responded), fromMS(owned), fromMS(solved), fromMS(confirmed), fromMS(closed)
	d.WaitingSince, d.Paused, d.UrgedAt, d.UpdatedAt = fromMS(waiting), time.Duration(paused)*time.Millisecond, fromMS(urged), fromMS(updated)
	return nil
}

// Policy reads the county's same-day settings (demand.late_hour "HH:MM",
// demand.response_minutes, demand.warning_minutes), keeping the defaults for any unset.
func (s *Demands) Policy(ctx context.Context, county string) (fugong.ClockPolicy, error) {
	if p, ok := s.DB.policies.get(county); ok {
		return p, nil
	}
	gen := s.DB.policies.generation()
	p, err := s.readPolicy(ctx, county)
	if err == nil {
		s.DB.policies.put(county, p, gen)
	}
	return p, err
}

// SettingSolutionHours prefixes the setting of a category's solution time in hours:
// demand.solution_hours.supplies.
const SettingSolutionHours = "demand.solution_hours."

func (s *Demands) readPolicy(ctx context.Context, county string) (fugong.ClockPolicy, error) {
	p := fugong.DefaultClockPolicy
	rows, err := s.DB.R.QueryContext(ctx, `SELECT name, value FROM settings WHERE region_code = $1 AND name LIKE 'demand.%'`, county)
	if err != nil {
		return p, fmt.Errorf("demand settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, v string
		if err := rows.Scan(&name, &v); err != nil {
			return p, err
		}
		switch name {
		case "demand.late_hour":
			if m, err := fugong.ParseLateHour(v); err == nil {
				p.LateMinute = m
			}
		case "demand.response_minutes":
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				p.Response = time.Duration(n) * time.Minute
			}
		case "demand.warning_minutes":
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				p.Warning = time.Duration(n) * time.Minute
			}
		default:
			if key, ok := strings.CutPrefix(name, SettingSolutionHours); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					if p.Solution == nil {
						p.Solution = map[string]time.Duration{}
					}
					p.Solution[key] = time.Duration(n) * time.Hour
				}
			}
		}
	}
	return p, rows.Err()
}

// Prepare validates a new demand and fills what the caller may not choose: the county,
// the enterprise's township and liaison (the enterprise must be in the caller's scope),
// who raised it, when, and its clocks.
func (s *Demands) Prepare(ctx context.Context, sc fugong.Scope, d *fugong.Demand, p fugong.ClockPolicy) error {
	return s.PrepareTx(ctx, nil, sc, d, p)
}

// PrepareTx is Prepare reading the enterprise through q, the caller's transaction (nil:
// the read pool), so that a demand raised by a rule sees what the transaction wrote.
func (s *Demands) PrepareTx(ctx context.Context, q Querier, sc fugong.Scope, d *fugong.Demand, p fugong.ClockPolicy) error {
	if err := sc.Allow(fugong.PermDemandRaise); err != nil {
		return err
	}
	own, err := fugong.CheckOwnEnterprise(sc, d.EnterpriseID)
	if err != nil {
		return err
	}
	d.EnterpriseID = own
	if err := d.Validate(); err != nil {
		return err
	}
	key := entKeyOf(sc, d.EnterpriseID)
	e, ok := s.DB.enterprises.get(key)
	if q != nil || !ok {
		gen := s.DB.enterprises.generation()
		var a args
		query := `SELECT e.township, e.name, COALESCE((SELECT MIN(l.user_id) FROM liaison_assignments l WHERE l.enterprise_id = e.id AND l.to_date = ''), 0)
		FROM enterprises e WHERE e.id = ` + a.add(d.EnterpriseID) + ` AND ` + EnterpriseScope(sc, "e", &a)
		var row *sql.Row
		if q == nil {
			row = s.DB.queryRow(ctx, query, a.vals...)
		} else {
			row = q.QueryRowContext(ctx, query, a.vals...) // what the caller's transaction wrote, not cached
		}
		if err := row.Scan(&e.township, &e.name, &e.liaison); err != nil {
			if fugong.ErrorCode(mapErr(err)) == fugong.ENOTFOUND {
				return fugong.Invalid(map[string]fugong.Msg{"enterprise_id": fugong.M("demand.enterprise_unknown")})
			}
			return err
		}
		if q == nil {
			s.DB.enterprises.put(key, e, gen)
		}
	}
	d.Township, d.EnterpriseName, d.LiaisonID = e.township, e.name, e.liaison
	d.County = sc.County
	if d.RaisedBy == 0 {
		d.RaisedBy = sc.UserID
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = s.DB.Clock.Now()
	}
	d.State, d.Level = fugong.DemandReceived, fugong.LevelLiaison
	if d.LiaisonID == 0 {
		d.Level = fugong.LevelTownshipO
	}
	d.Deadlines(p, s.Loc)
	return nil
}

// Create saves a new demand through the group commit: the answer comes only after the
// shared transaction has committed, so a 201 means the demand, its timeline, its audit
// line and its clock are on disk. Demands arriving together are written together, a few
// multi-row statements per batch (newDemands).
func (s *Demands) Create(ctx context.Context, sc fugong.Scope, d *fugong.Demand) error {
	p, err := s.Policy(ctx, sc.County)
	if err != nil {
		return err
	}
	if err := s.Prepare(ctx, sc, d, p); err != nil {
		return err
	}
	if s.DB.Dialect.Name == "postgres" && d.Number == "" {
		// Numbered outside the shared transaction: a counter row updated inside it would
		// be locked until its commit and serialise the parallel group transactions.
		local := d.ReceivedAt.In(s.Loc)
		// A block reserved twice across a lost connection only leaves a gap in the numbers.
		var n int
		err := s.DB.retry(ctx, func() (err error) {
			n, err = s.DB.numbers.next(ctx, s.DB.W, d.County, local.Format(time.DateOnly))
			return err
		})
		if err != nil {
			return fmt.Errorf("number demand: %w", err)
		}
		d.Number = fugong.DemandNumber(local, n)
	}
	nd := &newDemand{ctx: ctx, s: s, d: d, p: p, numbered: d.Number != ""}
	return s.DB.GroupBatch(ctx, &newDemandBatch, nd, func(tx *sql.Tx) error { return s.writeNew(s.DB.Prepared(tx), []*newDemand{nd}, s.DB.otherShard()) })
}

// CreateTx writes a prepared demand inside the caller's transaction, numbering it from
// the county's counter of the day unless it already has a number.
func (s *Demands) CreateTx(ctx context.Context, tx Querier, d *fugong.Demand, p fugong.ClockPolicy) error {
	return s.writeNew(tx, []*newDemand{{ctx: ctx, s: s, d: d, p: p, numbered: d.Number != ""}}, s.DB.otherShard())
}

// newDemand is one prepared demand waiting to be written, with the context of the
// request that raised it (its actor signs the timeline and audit lines).
type newDemand struct {
	ctx context.Context
	s   *Demands // its notification texts
	d   *fugong.Demand
	p   fugong.ClockPolicy
	// numbered says the demand came with its number; otherwise writeNew numbers it
	// afresh on every run, since a batch that failed rolled its counter back.
	numbered bool
}

var (
	demandRows = newMultiRow("demands", "RETURNING id, region_code, number", "region_code", "number", "enterprise_id", "township", "liaison_id", "category", "description", "quantity", "unit", "fields",
		"urgency", "channel", "raised_by", "raised_by_name", "state", "level", "on_site", "day", "received_at", "response_due", "same_day_due", "solution_due",
		"responded_at", "owned_at", "solved_at", "confirmed_at", "closed_at", "response_minutes", "response_over", "same_day_over", "solution_minutes", "solution_over",
		"rating", "comment", "demo", "updated_at", "response_late", "same_day_late", "solution_late", "warned", "urge_count", "urged_at", "paused_ms", "action_id",
		"lat", "lng", "address", "media_url")
	demandEventRows = newMultiRow("demand_events", "", "region_code", "demand_id", "at", "user_id", "username", "action", "from_state", "to_state", "note")
)

// eventValues are one timeline line's demandEventRows values.
func eventValues(d *fugong.Demand, at int64, a fugong.Actor, action, from, to, note string) []any {
	return []any{d.County, d.ID, at, a.UserID, a.Username, action, from, to, note}
}

// writeNew writes new demands — each with its number, its timeline line, its audit line,
// its clock job and the liaison's notification — with a few statements for all of them,
// and adds them to the kept figures of their days with one more (into shard). It fails
// as a whole; Group then writes them one by one to find the failing one.
func (s *Demands) writeNew(q Querier, nds []*newDemand, shard int) error {
	ctx := nds[0].ctx
	if err := s.numberNew(ctx, q, nds); err != nil {
		return err
	}
	now := s.DB.now()
	vals := make([]any, 0, len(nds)*demandRows.ncol)
	byNumber := make(map[string]*fugong.Demand, len(nds))
	for _, nd := range nds {
		d := nd.d
		fields, _ := json.Marshal(d.Fields)
		d.Version, d.UpdatedAt = 1, fromMS(now)
		byNumber[d.County+"/"+d.Number] = d
		vals = append(vals, d.County, d.Number, d.EnterpriseID, d.Township, d.LiaisonID, d.Category, d.Description, d.Quantity, d.Unit, string(fields),
			d.Urgency, d.Channel, d.RaisedBy, d.RaisedByName, d.State, d.Level, d.OnSite, d.Day, ms(d.ReceivedAt), ms(d.ResponseDue), ms(d.SameDayDue), ms(d.SolutionDue),
			ms(d.RespondedAt), ms(d.OwnedAt), ms(d.SolvedAt), ms(d.ConfirmedAt), ms(d.ClosedAt), d.ResponseMinutes, d.ResponseOver, d.SameDayOver, d.SolutionMinutes, d.SolutionOver,
			d.Rating, d.Comment, d.Demo, now, d.ResponseLate, d.SameDayLate, d.SolutionLate, d.Warned, d.UrgeCount, ms(d.UrgedAt), d.Paused.Milliseconds(), d.ActionID,
			d.Lat, d.Lng, d.Address, d.MediaURL)
	}
	err := demandRows.query(ctx, s.DB, q, vals, func(rows *sql.Rows) error {
		var id int64
		var county, number string
		if err := rows.Scan(&id, &county, &number); err != nil {
			return err
		}
		if d := byNumber[county+"/"+number]; d != nil {
			d.ID = id
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create demand: %w", mapErr(err))
	}
	var events, audits, jobs, notes []any
	channels := map[string][]routedChannel{} // by county, read once for the batch
	for _, nd := range nds {
		d, a := nd.d, fugong.ActorFrom(nd.ctx)
		if d.ID == 0 {
			return fmt.Errorf("create demand: no id returned for %s", d.Number)
		}
		events = append(events, eventValues(d, now, a, "create", "", d.State, d.Description)...)
		after, err := json.Marshal(d)
		if err != nil {
			return err
		}
		id := strconv.FormatInt(d.ID, 10)
		audits = append(audits, auditValues(d.County, now, a, "create", "demands", id, "", string(after))...)
		if next := d.CheckClocks(fromMS(now), nd.p.Warning).Next; !next.IsZero() {
			jobs = append(jobs, jobValues(d.County, JobDemandClock, id, ms(next), now)...)
		}
		created := nd.s.Text("demand.n.created", d.Number, d.EnterpriseName, clause(d.Description))
		if d.LiaisonID != 0 && d.RaisedBy != d.LiaisonID && d.Channel != fugong.ChannelImport && !d.Demo {
			n := fugong.Notification{County: d.County, Channel: fugong.ChannelInApp, UserID: d.LiaisonID, Subject: nd.s.Text("demand.n.subject", d.Number),
				Body: created, Entity: "demands", EntityID: id}
			newNotification(&n, now)
			notes = append(notes, notificationValues(&n)...)
		}
		if d.Demo {
			continue
		}
		chs, ok := channels[d.County]
		if !ok {
			if chs, err = countyChannels(ctx, q, d.County); err != nil {
				return err
			}
			channels[d.County] = chs
		}
		msgs := demandMessages(chs, d, fugong.EventDemandNew, nd.s.Text("demand.n.subject", d.Number), created)
		if d.RaisedBy != d.LiaisonID { // the liaison who raised it needs no text about it
			text, err := liaisonText(ctx, q, chs, d, fugong.EventDemandNew, created)
			if err != nil {
				return err
			}
			if text != nil {
				msgs = append(msgs, *text)
			}
		}
		for _, n := range msgs {
			newNotification(&n, now)
			notes = append(notes, notificationValues(&n)...)
		}
	}
	if err := demandEventRows.exec(ctx, s.DB, q, events); err != nil {
		return fmt.Errorf("demand event create: %w", err)
	}
	if err := auditRows.exec(ctx, s.DB, q, audits); err != nil {
		return fmt.Errorf("audit create demands: %w", err)
	}
	if err := jobRows.exec(ctx, s.DB, q, jobs); err != nil {
		return fmt.Errorf("enqueue %s: %w", JobDemandClock, err)
	}
	if err := notificationRows.exec(ctx, s.DB, q, notes); err != nil {
		return fmt.Errorf("enqueue notification: %w", err)
	}
	stats := statDelta{}
	for _, nd := range nds {
		stats.add(nd.d, 1)
	}
	return stats.write(ctx, s.DB, q, shard)
}

// numberNew gives each demand without a number the next numbers of its county's counter
// of the day, one counter update per county and day.
func (s *Demands) numberNew(ctx context.Context, q Querier, nds []*newDemand) error {
	type key struct{ county, day string }
	var order []key
	groups := map[key][]*fugong.Demand{}
	for _, nd := range nds {
		if nd.numbered {
			continue
		}
		k := key{nd.d.County, nd.d.ReceivedAt.In(s.Loc).Format(time.DateOnly)}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], nd.d)
	}
	for _, k := range order {
		ds := groups[k]
		var last int
		if err := q.QueryRowContext(ctx, `INSERT INTO demand_counters (region_code, day, n) VALUES ($1, $2, $3)
		ON CONFLICT (region_code, day) DO UPDATE SET n = demand_counters.n + $3 RETURNING n`, k.county, k.day, len(ds)).Scan(&last); err != nil {
			return fmt.Errorf("number demand: %w", err)
		}
		for i, d := range ds {
			d.Number = fugong.DemandNumber(d.ReceivedAt.In(s.Loc), last-len(ds)+1+i)
		}
	}
	return nil
}

// event writes one line of a demand's timeline as the context's actor.
func (s *Demands) event(ctx context.Context, q Querier, d *fugong.Demand, action, from, to, note string) error {
	err := demandEventRows.exec(ctx, s.DB, q, eventValues(d, s.DB.now(), fugong.ActorFrom(ctx), action, from, to, note))
	if err != nil {
		return fmt.Errorf("demand event %s: %w", action, err)
	}
	return nil
}

// Find returns one demand in the caller's scope, with the departments it is dispatched to.
func (s *Demands) Find(ctx context.Context, sc fugong.Scope, id int64) (fugong.Demand, error) {
	return s.find(ctx, s.DB.R, sc, id)
}

func (s *Demands) find(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Demand, error) {
	var a args
	var d fugong.Demand
	err := scanDemand(q.QueryRowContext(ctx, `SELECT `+demandCols+demandFrom+` WHERE d.id = `+a.add(id)+` AND `+DemandScope(sc, "d", &a), a.vals...), &d)
	if err != nil {
		return d, mapErr(err)
	}
	d.Departments, err = departmentsOf(ctx, q, id)
	return d, err
}

// departmentsOf lists the departments a demand is dispatched to, first dispatch first.
func departmentsOf(ctx context.Context, q Querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT org_unit_id FROM demand_assignments WHERE demand_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindByNumber returns one demand by its readable number, in the caller's scope.
func (s *Demands) FindByNumber(ctx context.Context, sc fugong.Scope, number string) (fugong.Demand, error) {
	var a args
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT d.id FROM demands d WHERE d.region_code = `+a.add(sc.County)+` AND d.number = `+a.add(number)+
		` AND `+DemandScope(sc, "d", &a), a.vals...).Scan(&id)
	if err != nil {
		return fugong.Demand{}, mapErr(err)
	}
	return s.Find(ctx, sc, id)
}

// List returns the demands in the caller's scope that match f, newest first, with the total.
func (s *Demands) List(ctx context.Context, sc fugong.Scope, f fugong.DemandFilter) ([]fugong.Demand, int, error) {
	var a args
	c := []string{DemandScope(sc, "d", &a)}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := a.add(like(q))
		c = append(c, "(lower(d.number) LIKE "+p+` ESCAPE '\' OR lower(d.description) LIKE `+p+` ESCAPE '\' OR lower(e.name) LIKE `+p+` ESCAPE '\')`)
	}
	if f.State != "" {
		c = append(c, "d.state = "+a.add(f.State))
	}
	if f.Open {
		c = append(c, "d.state NOT IN ('solved', 'confirmed', 'closed')")
	}
	if f.Done {
		c = append(c, "d.state IN ('solved', 'confirmed', 'closed')")
	}
	if f.Late {
		c = append(c, "(d.response_late OR d.same_day_late OR d.solution_late)")
	}
	if f.Category != "" {
		c = append(c, "d.category = "+a.add(f.Category))
	}
	if f.Township != "" {
		c = append(c, "d.township = "+a.add(f.Township))
	}
	if f.EnterpriseID != 0 {
		c = append(c, "d.enterprise_id = "+a.add(f.EnterpriseID))
	}
	if f.Department != 0 {
		c = append(c, "d.id IN (SELECT demand_id FROM demand_assignments WHERE org_unit_id = "+a.add(f.Department)+")")
	}
	if f.Day != "" {
		c = append(c, "d.day = "+a.add(f.Day))
	}
	if f.From != "" {
		c = append(c, "d.day >= "+a.add(f.From))
	}
	if f.To != "" {
		c = append(c, "d.day <= "+a.add(f.To))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+demandCols+`, COUNT(*) OVER()`+demandFrom+where(c)+
		` ORDER BY d.received_at DESC, d.id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find demands: %w", err)
	}
	defer rows.Close()
	var out []fugong.Demand
	total := 0
	for rows.Next() {
		var d fugong.Demand
		if err := scanDemand(rows, &d, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+demandFrom+where(c), a.vals[:len(a.vals)-2]...).Scan(&total)
	}
	return out, total, err
}

// Similar lists open demands like d — the same category and the same township or the
// same need (a category field of equal value) — so that a duplicate is caught before it
// is saved. The caller's scope applies.
func (s *Demands) Similar(ctx context.Context, sc fugong.Scope, d fugong.Demand) ([]fugong.Demand, error) {
	cat, ok := fugong.FindCategory(d.Category)
	if !ok || d.EnterpriseID == 0 {
		return nil, nil
	}
	var a args
	var township string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT township FROM enterprises WHERE id = $1`, d.EnterpriseID).Scan(&township); err != nil {
		return nil, mapErr(err)
	}
	same := []string{"d.township = " + a.add(township), "d.enterprise_id = " + a.add(d.EnterpriseID)}
	for _, f := range cat.Fields {
		if v := strings.TrimSpace(d.Fields[f.Name]); v != "" && v != "其他" {
			b, _ := json.Marshal(map[string]string{f.Name: v})
			same = append(same, "d.fields LIKE "+a.add(like(strings.Trim(string(b), "{}")))+` ESCAPE '\'`)
		}
	}
	c := []string{DemandScope(sc, "d", &a), "d.category = " + a.add(cat.Key), "d.state NOT IN ('solved', 'confirmed', 'closed')",
		"(" + strings.Join(same, " OR ") + ")"}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+demandCols+demandFrom+where(c)+` ORDER BY d.received_at DESC LIMIT 10`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("similar demands: %w", err)
	}
	defer rows.Close()
	var out []fugong.Demand
	for rows.Next() {
		var x fugong.Demand
		if err := scanDemand(rows, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Events returns a demand's timeline, oldest first, with each actor's display name. The
// caller has already found the demand in scope.
func (s *Demands) Events(ctx context.Context, demandID int64) ([]fugong.DemandEvent, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT v.id, v.demand_id, v.at, v.user_id, v.username, COALESCE(u.display_name, ''), v.action, v.from_state, v.to_state, v.note
		FROM demand_events v LEFT JOIN users u ON u.id = v.user_id WHERE v.demand_id = $1 ORDER BY v.id`, demandID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fugong.DemandEvent
	for rows.Next() {
		var e fugong.DemandEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.DemandID, &at, &e.UserID, &e.Username, &e.Name, &e.Action, &e.From, &e.To, &e.Note); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// save writes a demand's changed fields if its version is still before's, and its change
// to the kept figures of the day.
func (s *Demands) save(ctx context.Context, tx Querier, before, d *fugong.Demand) error {
	stats := statDelta{}
	if err := s.update(ctx, tx, before, d, stats); err != nil {
		return err
	}
	return stats.write(ctx, s.DB, tx, s.DB.otherShard())
}

// update writes a demand's changed fields if its version is still before's, and adds its
// change to the kept figures to stats. A transaction that changes several demands writes
// stats once after the last (see statDelta.write: the figures' rows are locked last, in
// key order).
func (s *Demands) update(ctx context.Context, tx Querier, before, d *fugong.Demand, stats statDelta) error {
	now := s.DB.now()
	res, err := tx.ExecContext(ctx, `UPDATE demands SET state = $1, level = $2, on_site = $3, action_id = $4, responded_at = $5, owned_at = $6, solved_at = $7,
		confirmed_at = $8, closed_at = $9, waiting_since = $10, paused_ms = $11, solution_due = $12, response_late = $13, same_day_late = $14, solution_late = $15,
		warned = $16, response_minutes = $17, response_over = $18, same_day_over = $19, solution_minutes = $20, solution_over = $21, urge_count = $22,
		urged_at = $23, rating = $24, comment = $25, reopens = $26, version = version + 1, updated_at = $27 WHERE id = $28 AND version = $29`,
		d.State, d.Level, d.OnSite, d.ActionID, ms(d.RespondedAt), ms(d.OwnedAt), ms(d.SolvedAt),
		ms(d.ConfirmedAt), ms(d.ClosedAt), ms(d.WaitingSince), d.Paused.Milliseconds(), ms(d.SolutionDue), d.ResponseLate, d.SameDayLate, d.SolutionLate,
		d.Warned, d.ResponseMinutes, d.ResponseOver, d.SameDayOver, d.SolutionMinutes, d.SolutionOver, d.UrgeCount,
		ms(d.UrgedAt), d.Rating, d.Comment, d.Reopens, now, d.ID, before.Version)
	if err != nil {
		return fmt.Errorf("save demand %d: %w", d.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.Conflict("error.stale")
	}
	d.Version, d.UpdatedAt = before.Version+1, fromMS(now)
	// The kept figures of the day: the demand's share before leaves, its share now comes
	// (a department it was just dispatched to gains all of it).
	stats.add(before, -1)
	stats.add(d, 1)
	return nil
}

// NewDemands returns the demand workflow whose notifications speak Chinese, the county's language.
func NewDemands(db *DB, loc *time.Location, cat Texts) *Demands {
	return &Demands{DB: db, Loc: loc, Text: Chinese(cat)}
}

// newDemandBatch gathers the new demands of one group transaction, whichever Demands
// raised them (handlers make one per request).
var newDemandBatch = Batch{Write: func(ctx context.Context, tx *sql.Tx, items []any) error {
	nds := make([]*newDemand, len(items))
	for i, it := range items {
		nds[i] = it.(*newDemand)
	}
	s := nds[0].s
	return s.writeNew(s.DB.Prepared(tx), nds, writerShard(ctx))
}}

// clause is a demand's description without its closing full stop, for a message that
// quotes it and ends the sentence itself (「…自动提出物资诉求。请马上办理」, not 「。。」).
func clause(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "。.；;，,")
}
