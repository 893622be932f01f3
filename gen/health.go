package gen

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fugong"
)

// Worker statuses in the generated province: most back on duty, some in isolation, a
// few registered at the entry gate and not yet screened, a few gone.
const (
	pctOnDuty    = 90
	pctIsolating = 6
	pctPending   = 3
)

// workerCols are the columns genWorkers writes, in order.
var workerCols = []string{"region_code", "enterprise_id", "township", "name", "id_sealed", "id_hash", "id_masked", "phone_sealed", "phone_masked",
	"home_region", "poor", "status", "gate", "risk", "arrival", "isolation_kind", "isolation_start", "isolation_end", "tcm_doses", "demo", "created_at", "updated_at"}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏飞鑫波宁琳雪梅慧颖晨阳光福贵春秋冬海山林峰燕")
)

// lastDay is the last generated day: checks run up to it, isolation ends after it.
func (g *Generator) lastDay() time.Time { return g.Start.AddDate(0, 0, 27) }

func (g *Generator) day(d time.Time) string { return d.Format(time.DateOnly) }

// idNumber makes a valid, invented ID number: the county's code, a birth date, a
// sequence number and the check character.
func idNumber(county string, birth time.Time, seq int) string {
	body := county[:6] + birth.Format("20060102") + fmt.Sprintf("%03d", seq%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

// enterprisesTotal is the number of enterprises genEnterprises writes (evenly per county).
func (g *Generator) enterprisesTotal() int {
	return g.Opts.Enterprises / max(1, len(g.Counties)) * len(g.Counties)
}

// workersOf is how many workers the enterprise with global index i (0-based, county by
// county) employs: Workers spread evenly, the remainder on the first ones.
func (g *Generator) workersOf(i int) int {
	e := g.enterprisesTotal()
	n := g.Opts.Workers / e
	if i < g.Opts.Workers%e {
		n++
	}
	return n
}

// workerBatch makes the rows of one county's workers with their personal data sealed.
// Each county draws from its own generator, so that counties are built in parallel and
// the rows stay the same whatever the order.
func (g *Generator) workerBatch(ci int) (rows [][]any, checking int) {
	c := g.Counties[ci]
	r := rand.New(rand.NewPCG(g.Opts.Seed, uint64(ci)+1<<32))
	keys := g.Opts.Keys
	now := g.DB.Clock.Now().UnixMilli()
	last := g.lastDay()
	home := "湖南省" + c.Region.Name
	per := int(c.Enterprises)
	spread := 1 + (g.Opts.Workers/max(1, g.enterprisesTotal()))/1000
	for j := 0; j < per; j++ {
		ent := c.FirstEnterprise + int64(j)
		n := g.workersOf(ci*per + j)
		for k := 0; k < n; k++ {
			name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
			if r.IntN(3) > 0 {
				name += string(given[r.IntN(len(given))])
			}
			// The sequence number and a birth date spread by k/1000 keep ID numbers apart
			// within an enterprise however many it employs.
			birth := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(12000)/spread*spread+k/1000)
			id := idNumber(c.Region.Code, birth, k)
			phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
			var status, gate, risk, arrival, isoKind, isoStart, isoEnd string
			doses := 0
			switch p := r.IntN(100); {
			case p < pctOnDuty:
				status, gate, risk, arrival = fugong.WorkerOnDuty, fugong.GateClear, fugong.RiskLow, g.day(g.Start.AddDate(0, 0, r.IntN(14)))
				if r.IntN(10) < 6 {
					doses = 1 + r.IntN(3)
				}
			case p < pctOnDuty+pctIsolating:
				start := last.AddDate(0, 0, -13)
				status, gate, risk, arrival, isoKind = fugong.WorkerIsolating, fugong.GateIsolation, fugong.RiskMedium, g.day(start), fugong.IsolationHome
				if r.IntN(4) == 0 {
					risk, isoKind = fugong.RiskHigh, fugong.IsolationCentral
				}
				isoStart, isoEnd = arrival, fugong.AddDays(arrival, fugong.DefaultIsolationDays)
			case p < pctOnDuty+pctIsolating+pctPending:
				status, gate, arrival = fugong.WorkerPending, fugong.GateEntry, g.day(last.AddDate(0, 0, -r.IntN(3)))
			default:
				status, gate, risk, arrival = fugong.WorkerLeft, fugong.GateLeave, fugong.RiskLow, g.day(g.Start.AddDate(0, 0, r.IntN(14)))
			}
			if status == fugong.WorkerOnDuty || status == fugong.WorkerIsolating {
				checking++
			}
			rows = append(rows, []any{c.Region.Code, ent, c.EnterpriseTownships[j], name, keys.Seal(id), keys.Hash(id), fugong.MaskIDNumber(id),
				keys.Seal(phone), fugong.MaskPhone(phone), home, r.IntN(30) == 0, status, gate, risk, arrival, isoKind, isoStart, isoEnd, doses, false, now, now})
		}
	}
	return rows, checking
}

// genWorkers writes Workers spread evenly over the enterprises, their ID numbers and
// phones sealed and hashed with the data folder's keys as the store does. Sealing runs
// on every core, county by county, ahead of the one writer, which takes the counties in
// order.
func genWorkers(g *Generator) error {
	if g.Opts.Workers == 0 {
		return nil
	}
	type batch struct {
		rows     [][]any
		checking int
	}
	results := make([]chan batch, len(g.Counties))
	for i := range results {
		results[i] = make(chan batch, 1)
	}
	ahead := make(chan struct{}, runtime.NumCPU()+1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for i := range g.Counties {
			select {
			case ahead <- struct{}{}:
			case <-done:
				return
			}
			go func(i int) {
				rows, n := g.workerBatch(i)
				results[i] <- batch{rows, n}
			}(i)
		}
	}()
	// The county's workers take the ids after the last one: one writer, one county at a
	// time.
	var last int64
	if err := g.DB.W.QueryRowContext(g.Ctx, `SELECT COALESCE(MAX(id), 0) FROM workers`).Scan(&last); err != nil {
		return err
	}
	for i, c := range g.Counties {
		b := <-results[i]
		if err := g.writeRows("workers", workerCols, b.rows); err != nil {
			return err
		}
		<-ahead
		g.checking += b.checking
		first := last + 1
		if err := g.DB.W.QueryRowContext(g.Ctx, `SELECT COALESCE(MAX(id), 0) FROM workers`).Scan(&last); err != nil {
			return err
		}
		if last-first+1 != int64(len(b.rows)) {
			return fmt.Errorf("%d workers of %s took ids %d to %d: another writer?", len(b.rows), c.Region.Name, first, last)
		}
		c.FirstWorker, c.LastWorker = first, last
	}
	return nil
}

// writeRows writes trusted rows into table: through COPY on PostgreSQL, through one
// prepared statement in one transaction on SQLite.
func (g *Generator) writeRows(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if g.DB.Dialect.Name == "postgres" {
		err := copyRows(g.Ctx, g.DB.W, table, cols, rows)
		g.bar.add(len(rows))
		return err
	}
	return g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
		b := g.Bulk(tx, table, cols...)
		defer b.Close()
		for _, r := range rows {
			if err := b.Add(r...); err != nil {
				return err
			}
		}
		return b.Flush()
	})
}

// days is a table of the 28 generated days for the statements that follow: its index n,
// the day, and the day's midnight in milliseconds (China time).
func (g *Generator) days() string {
	var b strings.Builder
	b.WriteString("d(n, day, at) AS (VALUES ")
	for i := 0; i < 28; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		d := g.Start.AddDate(0, 0, i)
		fmt.Fprintf(&b, "(%d, '%s', %d)", i, g.day(d), d.UnixMilli())
	}
	b.WriteString(")")
	return b.String()
}

// gateSteps lists the steps through the gates each status has passed, in order.
const gateSteps = `steps(status, n, gate) AS (VALUES ('在岗', 1, 'entry'), ('在岗', 2, 'screening'), ('在岗', 3, 'clear'),
	('隔离中', 1, 'entry'), ('隔离中', 2, 'screening'), ('隔离中', 3, 'isolation'), ('待返岗', 1, 'entry'),
	('离职', 1, 'entry'), ('离职', 2, 'screening'), ('离职', 3, 'clear'), ('离职', 4, 'leave'))`

// genGates writes each worker's steps through the gates as its status says it went: on
// duty through entry, screening and clearance; in isolation through entry, screening and
// isolation; pending at the entry; gone after leaving. Each step is dated on the worker's
// arrival, at 8 o'clock plus an hour a step.
func genGates(g *Generator) error {
	q := `INSERT INTO worker_gates (region_code, enterprise_id, worker_id, gate, day, from_region, arrival, temperature, risk, isolation_kind, planned_end, recorded_by, recorder_name, at)
		WITH ` + gateSteps + `, ` + g.days() + `
		SELECT w.region_code, w.enterprise_id, w.id, s.gate, w.arrival, CASE WHEN s.n = 1 THEN w.home_region ELSE '' END, CASE WHEN s.n = 1 THEN w.arrival ELSE '' END,
			CASE WHEN s.n <= 2 THEN 360 + w.id % 9 ELSE 0 END, CASE WHEN s.n = 2 THEN w.risk ELSE '' END,
			CASE WHEN s.gate = 'isolation' THEN w.isolation_kind ELSE '' END, CASE WHEN s.gate = 'isolation' THEN w.isolation_end ELSE '' END, 0, '',
			d.at + (7 + s.n) * 3600000
		FROM workers w CROSS JOIN d CROSS JOIN steps s
		WHERE d.day = w.arrival AND s.status = w.status AND w.id BETWEEN $1 AND $2 ORDER BY w.id, s.n`
	for _, c := range g.Counties {
		if err := g.execCounted([]string{q}, c.FirstWorker, c.LastWorker); err != nil {
			return err
		}
	}
	return nil
}

// execCounted runs statements with the same arguments in a transaction of their own and
// moves the bar by the rows the first one wrote. On PostgreSQL the transaction may sort
// in memory (work_mem), as the statements order a county's rows.
func (g *Generator) execCounted(qs []string, args ...any) error {
	return g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
		if g.DB.Dialect.Name == "postgres" {
			if _, err := tx.ExecContext(g.Ctx, `SET LOCAL work_mem = '256MB'`); err != nil {
				return err
			}
		}
		for i, q := range qs {
			res, err := tx.ExecContext(g.Ctx, q, args...)
			if err != nil {
				return err
			}
			if i == 0 {
				n, _ := res.RowsAffected()
				g.bar.add(int(n))
			}
		}
		return nil
	})
}

// quota spreads total rows over n owners in id order: each gets base, and those with ids
// up to through one more; most is the most any gets. ranked selects the owners' ids in
// order.
func (g *Generator) quota(total, n int, ranked string) (base int, through int64, most int, err error) {
	if n == 0 {
		return 0, 0, 0, nil
	}
	base, most = total/n, total/n
	if rem := total % n; rem > 0 {
		most++
		err = g.DB.W.QueryRowContext(g.Ctx, ranked+` LIMIT 1 OFFSET $1`, rem-1).Scan(&through)
	}
	return base, through, most, err
}

// checkSlots is the table of the slots a worker's k-th check (from the last day back)
// takes: twice a day on duty (afternoon, then morning), once a day in isolation.
func (g *Generator) checkSlots(most int) string {
	var b strings.Builder
	b.WriteString("s(status, k, day, slot, at) AS (VALUES ")
	last := g.lastDay()
	for k := 0; k < most; k++ {
		d := last.AddDate(0, 0, -k/2)
		slot, hour := fugong.SlotAfternoon, 14
		if k%2 == 1 {
			slot, hour = fugong.SlotMorning, 8
		}
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "('%s', %d, '%s', '%s', %d), ", fugong.WorkerOnDuty, k, g.day(d), slot, d.Add(time.Duration(hour)*time.Hour).UnixMilli())
		d = last.AddDate(0, 0, -k)
		fmt.Fprintf(&b, "('%s', %d, '%s', '%s', %d)", fugong.WorkerIsolating, k, g.day(d), fugong.SlotIsolation, d.Add(9*time.Hour).UnixMilli())
	}
	b.WriteString(")")
	return b.String()
}

// genChecks writes Checks daily temperature checks spread evenly over the workers on
// duty and in isolation, on the last days up to 9 March, with a few fevers (about 3 in
// 10,000, some with a cough) and an alert for each, as RecordCheck makes them, and the
// per-enterprise counts of each day (check_days) that RecordCheck keeps. Readings
// come from a hash of the worker and the slot, so the same seed gives the same ones.
func genChecks(g *Generator) error {
	if g.Opts.Checks == 0 {
		return nil
	}
	if g.checking == 0 {
		return fmt.Errorf("%d checks but no worker on duty or in isolation to take them", g.Opts.Checks)
	}
	base, through, most, err := g.quota(g.Opts.Checks, g.checking, `SELECT id FROM workers WHERE status IN ('在岗', '隔离中') ORDER BY id`)
	if err != nil {
		return err
	}
	if most > 28 {
		return fmt.Errorf("%d checks for %d workers: at most 28 a worker (one a day in isolation over the 28 days)", g.Opts.Checks, g.checking)
	}
	mix := strconv.FormatUint(g.Opts.Seed*7919%100000, 10)
	// r is the reading's hash: below 30 a fever (37.3–38.4), below 8 with a cough.
	from := `FROM (SELECT w.region_code, w.enterprise_id, w.township, w.id, s.k, s.day, s.slot, s.at, (w.id * 2654435761 + s.k * 40503 + ` + mix + `) % 100000 AS r
		FROM workers w CROSS JOIN s WHERE s.status = w.status AND s.k < $3 + CASE WHEN w.id <= $4 THEN 1 ELSE 0 END AND w.id BETWEEN $1 AND $2) x`
	temp := `CASE WHEN x.r < 30 THEN 373 + x.r % 12 ELSE 360 + (x.r / 10) % 9 END`
	cough := `CASE WHEN x.r < 8 THEN '咳嗽' ELSE '' END`
	checks := `INSERT INTO worker_checks (region_code, enterprise_id, township, worker_id, day, slot, temperature, symptoms, recorded_by, at)
		WITH ` + g.checkSlots(most) + ` SELECT x.region_code, x.enterprise_id, x.township, x.id, x.day, x.slot, ` + temp + `, ` + cough + `, 0, x.at + (x.r % 90) * 60000 ` +
		from + ` ORDER BY x.id, x.k`
	alerts := `INSERT INTO health_alerts (region_code, enterprise_id, township, worker_id, day, temperature, symptoms, source, at)
		WITH ` + g.checkSlots(most) + ` SELECT x.region_code, x.enterprise_id, x.township, x.id, x.day, ` + temp + `, ` + cough + `, x.slot, x.at + (x.r % 90) * 60000 ` +
		from + ` WHERE x.r < 30 ORDER BY x.id, x.k`
	counts := `INSERT INTO check_days (enterprise_id, day, region_code, township, checks, alarming)
		WITH ` + g.checkSlots(most) + ` SELECT x.enterprise_id, x.day, MIN(x.region_code), MIN(x.township), COUNT(*), SUM(CASE WHEN x.r < 30 THEN 1 ELSE 0 END) ` +
		from + ` GROUP BY x.enterprise_id, x.day`
	for _, c := range g.Counties {
		if err := g.execCounted([]string{checks, alerts, counts}, c.FirstWorker, c.LastWorker, base, through); err != nil {
			return err
		}
	}
	return nil
}

// genVisits writes Visits spread evenly over the enterprises, each by the enterprise's
// liaison on a different day of the 28 (as long as there are no more than 28 a
// enterprise), checked in between 9 and 14 o'clock for one to two and a half hours, with
// the county's default tasks done.
func genVisits(g *Generator) error {
	if g.Opts.Visits == 0 {
		return nil
	}
	base, through, most, err := g.quota(g.Opts.Visits, g.enterprisesTotal(), `SELECT id FROM enterprises ORDER BY id`)
	if err != nil {
		return err
	}
	if most > 999 {
		return fmt.Errorf("%d visits for %d enterprises: at most 999 an enterprise", g.Opts.Visits, g.enterprisesTotal())
	}
	var ks strings.Builder
	ks.WriteString("s(k) AS (VALUES ")
	for k := 0; k < most; k++ {
		if k > 0 {
			ks.WriteString(", ")
		}
		fmt.Fprintf(&ks, "(%d)", k)
	}
	ks.WriteString(")")
	uuid := `printf('00000000-0000-4000-8000-%012x', e.id * 1000 + s.k)`
	if g.DB.Dialect.Name == "postgres" {
		uuid = `'00000000-0000-4000-8000-' || lpad(to_hex(e.id * 1000 + s.k), 12, '0')`
	}
	in := `d.at + 9 * 3600000 + ((e.id * 37 + s.k * 11) % 300) * 60000`
	q := `INSERT INTO visits (region_code, client_uuid, enterprise_id, user_id, day, checked_in_at, checked_out_at, located, latitude_e6, longitude_e6, accuracy_m, tasks, findings, demo, created_at)
		WITH ` + ks.String() + `, ` + g.days() + `
		SELECT e.region_code, ` + uuid + `, e.id, a.user_id, d.day, ` + in + `, ` + in + ` + (60 + (e.id + s.k) % 90) * 60000, TRUE,
			27000000 + (e.id * 7919) % 3000000, 110000000 + (e.id * 104729) % 4000000, 10 + e.id % 40, $4,
			CASE WHEN (e.id + s.k) % 7 = 0 THEN '口罩库存偏紧，已登记诉求' ELSE '' END, FALSE, ` + in + ` + (60 + (e.id + s.k) % 90) * 60000
		FROM enterprises e CROSS JOIN liaison_assignments a CROSS JOIN s CROSS JOIN d
		WHERE a.enterprise_id = e.id AND a.to_date = '' AND s.k < $3 + CASE WHEN e.id <= $5 THEN 1 ELSE 0 END AND d.n = (e.id + s.k) % 28
			AND e.id BETWEEN $1 AND $2 ORDER BY e.id, s.k`
	tasks := strings.Join(fugong.DefaultVisitTasks[:4], "\n")
	for _, c := range g.Counties {
		if err := g.execCounted([]string{q}, c.FirstEnterprise, c.FirstEnterprise+c.Enterprises-1, base, tasks, through); err != nil {
			return err
		}
	}
	return nil
}
