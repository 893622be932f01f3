package gen

import (
	"cmp"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"fugong"
	"fugong/store"
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
	"home_region", "poor", "status", "gate", "risk", "arrival", "health_sealed", "tcm_doses", "demo", "created_at", "updated_at"}

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

// workerBatch makes the rows of one county's workers with their personal data and
// isolation sealed. Each county draws from its own generator, so that counties are
// built in parallel and the rows stay the same whatever the order.
func (g *Generator) workerBatch(ci int) (rows [][]any, checking int, err error) {
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
			iso, err := store.SealIsolation(keys, fugong.HealthState{IsolationKind: isoKind, IsolationStart: isoStart, IsolationEnd: isoEnd})
			if err != nil {
				return nil, 0, err
			}
			rows = append(rows, []any{c.Region.Code, ent, c.EnterpriseTownships[j], name, keys.Seal(id), keys.Hash(id), fugong.MaskIDNumber(id),
				keys.Seal(phone), fugong.MaskPhone(phone), home, r.IntN(30) == 0, status, gate, risk, arrival, iso, doses, false, now, now})
		}
	}
	return rows, checking, nil
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
		err      error
	}
	// The county's workers take the ids after the last one: one writer, one county at a
	// time.
	var last int64
	if err := g.DB.W.QueryRowContext(g.Ctx, `SELECT COALESCE(MAX(id), 0) FROM workers`).Scan(&last); err != nil {
		return err
	}
	return inOrder(len(g.Counties), func(i int) batch {
		rows, n, err := g.workerBatch(i)
		return batch{rows, n, err}
	}, func(i int, b batch) error {
		c := g.Counties[i]
		if b.err != nil {
			return b.err
		}
		if err := g.writeRows("workers", workerCols, b.rows); err != nil {
			return err
		}
		g.checking += b.checking
		first := last + 1
		if err := g.DB.W.QueryRowContext(g.Ctx, `SELECT COALESCE(MAX(id), 0) FROM workers`).Scan(&last); err != nil {
			return err
		}
		if last-first+1 != int64(len(b.rows)) {
			return fmt.Errorf("%d workers of %s took ids %d to %d: another writer?", len(b.rows), c.Region.Name, first, last)
		}
		c.FirstWorker, c.LastWorker = first, last
		return nil
	})
}

// inOrder runs build(i) for i in [0, n) on every core, a few ahead of use, and hands
// the results to use in order: sealing runs in parallel ahead of the one writer.
func inOrder[T any](n int, build func(i int) T, use func(i int, v T) error) error {
	results := make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	ahead := make(chan struct{}, runtime.NumCPU()+1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for i := range results {
			select {
			case ahead <- struct{}{}:
			case <-done:
				return
			}
			go func(i int) { results[i] <- build(i) }(i)
		}
	}()
	for i := range results {
		v := <-results[i]
		<-ahead
		if err := use(i, v); err != nil {
			return err
		}
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
var gateSteps = map[string][]string{
	fugong.WorkerOnDuty:    {fugong.GateEntry, fugong.GateScreening, fugong.GateClear},
	fugong.WorkerIsolating: {fugong.GateEntry, fugong.GateScreening, fugong.GateIsolation},
	fugong.WorkerPending:   {fugong.GateEntry},
	fugong.WorkerLeft:      {fugong.GateEntry, fugong.GateScreening, fugong.GateClear, fugong.GateLeave},
}

// gateCols are the columns genGates writes, in order.
var gateCols = []string{"region_code", "enterprise_id", "worker_id", "gate", "day", "arrival", "risk", "recorded_by", "recorder_name", "at", "health_sealed"}

// genWorker is what the gates and checks of a worker are made from.
type genWorker struct {
	id, ent                                 int64
	county, township, status, arrival, home string
	risk                                    string
}

// countyWorkers reads a county's workers (of the given statuses, all when none) in id order.
func (g *Generator) countyWorkers(c *County, statuses ...string) ([]genWorker, error) {
	q := `SELECT id, enterprise_id, region_code, township, status, arrival, home_region, risk FROM workers WHERE id BETWEEN $1 AND $2`
	args := []any{c.FirstWorker, c.LastWorker}
	for i, st := range statuses {
		if i == 0 {
			q += ` AND status IN (`
		} else {
			q += `, `
		}
		args = append(args, st)
		q += fmt.Sprintf("$%d", len(args))
	}
	if len(statuses) > 0 {
		q += `)`
	}
	rows, err := g.DB.R.QueryContext(g.Ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []genWorker
	for rows.Next() {
		var w genWorker
		if err := rows.Scan(&w.id, &w.ent, &w.county, &w.township, &w.status, &w.arrival, &w.home, &w.risk); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// workerChunk is how many workers one sealing goroutine takes at a time.
const workerChunk = 2000

// chunks cuts n workers into workerChunk-sized pieces: the i-th is [from(i), to(i)).
func chunks(n int) (count int, bounds func(i int) (int, int)) {
	return (n + workerChunk - 1) / workerChunk, func(i int) (int, int) { return i * workerChunk, min(n, (i+1)*workerChunk) }
}

// genGates writes each worker's steps through the gates as its status says it went: on
// duty through entry, screening and clearance; in isolation through entry, screening and
// isolation; pending at the entry; gone after leaving. Each step is dated on the worker's
// arrival, at 8 o'clock plus an hour a step. What a step says of health (origin,
// temperature, isolation) is sealed here, in Go, as the store seals it.
func genGates(g *Generator) error {
	midnight := map[string]int64{}
	for i := 0; i < 28; i++ {
		d := g.Start.AddDate(0, 0, i)
		midnight[g.day(d)] = d.UnixMilli()
	}
	keys := g.Opts.Keys
	for _, c := range g.Counties {
		ws, err := g.countyWorkers(c)
		if err != nil {
			return err
		}
		type batch struct {
			rows [][]any
			err  error
		}
		n, bounds := chunks(len(ws))
		err = inOrder(n, func(i int) (b batch) {
			from, to := bounds(i)
			for _, w := range ws[from:to] {
				at, ok := midnight[w.arrival]
				if !ok {
					continue
				}
				temp := fugong.Temperature(360 + w.id%9)
				for k, gate := range gateSteps[w.status] {
					var e fugong.GateEvent
					var arrival, risk string
					switch k {
					case 0:
						e.FromRegion, e.Temperature, arrival = w.home, temp, w.arrival
					case 1:
						e.Temperature, risk = temp, w.risk
					}
					if gate == fugong.GateIsolation {
						// As genWorkers isolated them: a high risk centrally, for the period.
						e.IsolationKind, e.PlannedEnd = fugong.IsolationHome, fugong.AddDays(w.arrival, fugong.DefaultIsolationDays)
						if w.risk == fugong.RiskHigh {
							e.IsolationKind = fugong.IsolationCentral
						}
					}
					health := ""
					if e != (fugong.GateEvent{}) {
						if health, b.err = store.SealGateHealth(keys, e); b.err != nil {
							return b
						}
					}
					b.rows = append(b.rows, []any{w.county, w.ent, w.id, gate, w.arrival, arrival, risk, 0, "", at + int64(8+k)*3600000, health})
				}
			}
			return b
		}, func(_ int, b batch) error {
			if b.err != nil {
				return b.err
			}
			return g.writeRows("worker_gates", gateCols, b.rows)
		})
		if err != nil {
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

// checkSlot is the day, slot and time of a worker's k-th check (from the last day back).
type checkSlot struct {
	day, slot string
	at        int64
}

// checkSlots gives the slots a worker's k-th check takes, by status: twice a day on duty
// (afternoon, then morning), once a day in isolation.
func (g *Generator) checkSlots(most int) map[string][]checkSlot {
	out := map[string][]checkSlot{}
	last := g.lastDay()
	for k := 0; k < most; k++ {
		d := last.AddDate(0, 0, -k/2)
		slot, hour := fugong.SlotAfternoon, 14
		if k%2 == 1 {
			slot, hour = fugong.SlotMorning, 8
		}
		out[fugong.WorkerOnDuty] = append(out[fugong.WorkerOnDuty], checkSlot{g.day(d), slot, d.Add(time.Duration(hour) * time.Hour).UnixMilli()})
		d = last.AddDate(0, 0, -k)
		out[fugong.WorkerIsolating] = append(out[fugong.WorkerIsolating], checkSlot{g.day(d), fugong.SlotIsolation, d.Add(9 * time.Hour).UnixMilli()})
	}
	return out
}

// The columns genChecks writes, in order.
var (
	checkCols    = []string{"region_code", "enterprise_id", "township", "worker_id", "day", "slot", "temperature", "recorded_by", "at", "health_sealed"}
	alertCols    = []string{"region_code", "enterprise_id", "township", "worker_id", "day", "temperature", "source", "at", "health_sealed"}
	checkDayCols = []string{"enterprise_id", "day", "region_code", "township", "checks", "alarming"}
)

// genChecks writes Checks daily temperature checks spread evenly over the workers on
// duty and in isolation, on the last days up to 9 March, with a few fevers (about 3 in
// 10,000, some with a cough) and an alert for each, as RecordCheck makes them, and the
// per-enterprise counts of each day (check_days) that RecordCheck keeps. Readings
// come from a hash of the worker and the slot, so the same seed gives the same ones; each
// check's and alert's reading is sealed here, in Go, as the store seals it.
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
	slots := g.checkSlots(most)
	mix := int64(g.Opts.Seed * 7919 % 100000)
	keys := g.Opts.Keys
	type dayKey struct {
		ent int64
		day string
	}
	type batch struct {
		checks, alerts [][]any
		counts         map[dayKey][2]int
		err            error
	}
	for _, c := range g.Counties {
		ws, err := g.countyWorkers(c, fugong.WorkerOnDuty, fugong.WorkerIsolating)
		if err != nil {
			return err
		}
		var alerts [][]any
		counts := map[dayKey][2]int{}
		places := map[int64][2]string{} // an enterprise's county and township
		n, bounds := chunks(len(ws))
		err = inOrder(n, func(i int) (b batch) {
			b.counts = map[dayKey][2]int{}
			from, to := bounds(i)
			for _, w := range ws[from:to] {
				takes := base
				if w.id <= through {
					takes++
				}
				for k, s := range slots[w.status][:takes] {
					// r is the reading's hash: below 30 a fever (37.3–38.4), below 8 with a cough.
					r := (w.id*2654435761 + int64(k)*40503 + mix) % 100000
					check := fugong.Check{Temperature: fugong.Temperature(360 + (r/10)%9)}
					if r < 30 {
						check.Temperature = fugong.Temperature(373 + r%12)
					}
					if r < 8 {
						check.Symptoms = "咳嗽"
					}
					at := s.at + (r%90)*60000
					health, err := store.SealCheckHealth(keys, check.Temperature, check.Symptoms)
					if err != nil {
						b.err = err
						return b
					}
					b.checks = append(b.checks, []any{w.county, w.ent, w.township, w.id, s.day, s.slot, 0, 0, at, health})
					cnt := b.counts[dayKey{w.ent, s.day}]
					cnt[0]++
					// An alert as RecordCheck raises one (Check.Alarming), with the check's
					// reading: the same sealed value, not sealed a second time.
					if check.Alarming() {
						cnt[1]++
						b.alerts = append(b.alerts, []any{w.county, w.ent, w.township, w.id, s.day, 0, s.slot, at, health})
					}
					b.counts[dayKey{w.ent, s.day}] = cnt
				}
			}
			return b
		}, func(i int, b batch) error {
			if b.err != nil {
				return b.err
			}
			from, to := bounds(i)
			for _, w := range ws[from:to] {
				places[w.ent] = [2]string{w.county, w.township}
			}
			alerts = append(alerts, b.alerts...)
			for k, n := range b.counts {
				m := counts[k]
				counts[k] = [2]int{m[0] + n[0], m[1] + n[1]}
			}
			return g.writeRows("worker_checks", checkCols, b.checks)
		})
		if err != nil {
			return err
		}
		if err := g.writeRows("health_alerts", alertCols, alerts); err != nil {
			return err
		}
		order := slices.SortedFunc(maps.Keys(counts), func(a, b dayKey) int { return cmp.Or(cmp.Compare(a.ent, b.ent), strings.Compare(a.day, b.day)) })
		days := make([][]any, 0, len(order))
		for _, k := range order {
			p, n := places[k.ent], counts[k]
			days = append(days, []any{k.ent, k.day, p[0], p[1], n[0], n[1]})
		}
		if err := g.writeRows("check_days", checkDayCols, days); err != nil {
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
