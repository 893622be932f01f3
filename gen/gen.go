// Package gen writes a province-scale data set — by default 100 counties of Hunan, 100,000
// enterprises, 5 million workers, 50 million health checks, 2 million demands, visits and
// daily reports — deterministically from a seed, for benchmarks and load tests.
package gen

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"fugong"
	"fugong/regions"
	"fugong/secret"
	"fugong/store"
)

// Options size the data set.
type Options struct {
	Counties    int
	Enterprises int // in all, spread evenly over the counties
	Workers     int
	Checks      int
	Demands     int
	Visits      int
	Reports     int
	Seed        uint64
	// Keys seal the workers' ID numbers and phones: the data folder's key file, so that
	// the server that serves the data set opens them.
	Keys *secret.Keys
	// PasswordHash is every generated account's password hash.
	PasswordHash string
	// Progress receives the progress bar; nil for none.
	Progress io.Writer
}

// Defaults are the province: 100 counties, 100,000 enterprises, 5 million
// workers, 50 million health checks, 2 million demands, visits and daily reports.
func Defaults() Options {
	return Options{Counties: 100, Enterprises: 100_000, Workers: 5_000_000, Checks: 50_000_000, Demands: 2_000_000, Visits: 2_000_000, Reports: 2_000_000, Seed: 1}
}

// County is one generated county and its parts, for the steps that follow.
type County struct {
	Region    fugong.Region
	Townships []fugong.Region
	// FirstEnterprise and Enterprises give the county's enterprise id range.
	FirstEnterprise, Enterprises int64
	// EnterpriseTownships is each enterprise's township, by id - FirstEnterprise.
	EnterpriseTownships []string
	Liaisons            []int64
	// FirstWorker and LastWorker give the county's worker id range (no workers: 0, -1).
	FirstWorker, LastWorker int64
}

// Generator carries state between steps.
type Generator struct {
	Ctx      context.Context
	DB       *store.DB
	Opts     Options
	Rand     *rand.Rand
	Counties []*County
	// Start is the first day of the generated weeks (11 February 2020).
	Start time.Time
	bar   *bar
	// checking counts the workers on duty or in isolation, who take daily checks.
	checking int
}

// Step is one table or group of tables; capabilities add theirs.
type Step struct {
	Name string
	// Rows estimates the rows the step writes, for the progress bar.
	Rows func(o Options) int
	Run  func(g *Generator) error
}

var steps = []Step{
	{"regions", func(o Options) int { return o.Counties * 30 }, genRegions},
	{"people", func(o Options) int { return o.Counties * 250 }, genPeople},
	{"enterprises", func(o Options) int { return o.Enterprises * 2 }, genEnterprises},
	{"daily reports", func(o Options) int { return o.Reports }, genReports},
	{"demands", func(o Options) int { return o.Demands + o.Counties*28 }, genDemands},
	{"workers", func(o Options) int { return o.Workers }, genWorkers},
	{"gates", func(o Options) int { return o.Workers * 3 }, genGates},
	{"checks", func(o Options) int { return o.Checks }, genChecks},
	{"visits", func(o Options) int { return o.Visits }, genVisits},
}

// Run generates the data set into db.
func Run(ctx context.Context, db *store.DB, o Options) (err error) {
	g := &Generator{Ctx: ctx, DB: db, Opts: o, Rand: rand.New(rand.NewPCG(o.Seed, 2020)), Start: time.Date(2020, 2, 11, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))}
	total := 0
	for _, s := range steps {
		total += s.Rows(o)
	}
	g.bar = newBar(o.Progress, total)
	if o.Workers > 0 && o.Keys == nil {
		return fmt.Errorf("gen: workers need the keys that seal their personal data")
	}
	if db.Dialect.Name == "sqlite" {
		// A generated data set is rebuilt, not recovered: skip the fsync per commit.
		if _, err := db.W.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
			return err
		}
		defer db.W.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	}
	run := steps
	if db.Dialect.Name == "postgres" {
		var restore func() error
		if restore, err = suspendForeignKeys(ctx, db.W); err != nil {
			return err
		}
		defer func() {
			if restore == nil {
				return
			}
			if e := restore(); err == nil {
				err = e
			}
		}()
		// Then the planner's statistics of the bulk-loaded tables: without them the
		// dashboard's queries took twice as long until autovacuum got round to it.
		run = append(run[:len(run):len(run)], Step{"keys, indexes", func(Options) int { return 0 }, func(*Generator) error {
			r := restore
			restore = nil
			if err := r(); err != nil {
				return err
			}
			_, err := db.W.ExecContext(ctx, `ANALYZE`)
			return err
		}})
	}
	for _, s := range run {
		g.bar.step(s.Name)
		start := time.Now()
		if err := s.Run(g); err != nil {
			return fmt.Errorf("gen %s: %w", s.Name, err)
		}
		g.bar.took(s.Name, time.Since(start))
	}
	g.bar.done()
	return nil
}

// Bulk starts a bulk insert that moves the progress bar.
func (g *Generator) Bulk(q store.Querier, table string, cols ...string) *counted {
	return &counted{Bulk: g.DB.NewBulk(g.Ctx, q, table, cols...), bar: g.bar}
}

type counted struct {
	*store.Bulk
	bar *bar
}

// Add queues a row and moves the bar.
func (c *counted) Add(vals ...any) error {
	c.bar.add(1)
	return c.Bulk.Add(vals...)
}

// Chunk runs fn over [0, n) in transactions of size rows each, so that no transaction
// grows without bound.
func (g *Generator) Chunk(n, size int, fn func(tx *sql.Tx, from, to int) error) error {
	for from := 0; from < n; from += size {
		to := min(n, from+size)
		if err := g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error { return fn(tx, from, to) }); err != nil {
			return err
		}
	}
	return nil
}

func genRegions(g *Generator) error {
	all, err := regions.Hunan()
	if err != nil {
		return err
	}
	var counties []fugong.Region
	for _, r := range all {
		if r.Level == fugong.LevelCounty {
			counties = append(counties, r)
		}
	}
	if g.Opts.Counties > len(counties) {
		return fmt.Errorf("only %d counties in the shipped list", len(counties))
	}
	return g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
		b := g.Bulk(tx, "regions", "code", "region_code", "name", "parent_code", "level", "demo")
		for _, r := range all {
			if r.Level == fugong.LevelProvince || r.Level == fugong.LevelCity {
				var parent any
				if r.ParentCode != "" {
					parent = r.ParentCode
				}
				if err := b.Add(r.Code, r.Code, r.Name, parent, r.Level, false); err != nil {
					return err
				}
			}
		}
		for _, c := range counties[:g.Opts.Counties] {
			gc := &County{Region: c}
			if err := b.Add(c.Code, c.Code, c.Name, c.ParentCode, c.Level, false); err != nil {
				return err
			}
			for _, t := range all {
				if t.Level == fugong.LevelTownship && t.ParentCode == c.Code {
					gc.Townships = append(gc.Townships, t)
					if err := b.Add(t.Code, c.Code, t.Name, c.Code, t.Level, false); err != nil {
						return err
					}
				}
			}
			g.Counties = append(g.Counties, gc)
		}
		return b.Flush()
	})
}

// genPeople makes each county's command, departments, township offices and accounts:
// command, 40 leaders, 150 liaisons, one officer per township. Usernames carry the county
// code: command-430821, liaison-430821-001 ….
func genPeople(g *Generator) error {
	return g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
		ou := g.Bulk(tx, "org_units", "region_code", "kind", "name", "region", "focus_areas")
		for _, c := range g.Counties {
			ou.Add(c.Region.Code, fugong.OrgCommand, "疫情防控指挥部", "", "")
			ou.Add(c.Region.Code, fugong.OrgDepartment, "工业和信息化局", "", "园区企业,工矿企业")
			ou.Add(c.Region.Code, fugong.OrgDepartment, "住房和城乡建设局", "", "建筑工程,重点项目")
			for _, t := range c.Townships {
				ou.Add(c.Region.Code, fugong.OrgTownship, t.Name+"人民政府", t.Code, "")
			}
		}
		if err := ou.Flush(); err != nil {
			return err
		}
		now := g.DB.Clock.Now().UnixMilli()
		u := g.Bulk(tx, "users", "region_code", "username", "display_name", "role", "region", "password_hash", "created_at")
		for _, c := range g.Counties {
			cc := c.Region.Code
			u.Add(cc, "command-"+cc, c.Region.Name+"指挥部", string(fugong.RoleCommand), "", g.Opts.PasswordHash, now)
			for i := 1; i <= 40; i++ {
				u.Add(cc, fmt.Sprintf("leader-%s-%02d", cc, i), fmt.Sprintf("%s县级领导%02d", c.Region.Name, i), string(fugong.RoleLeader), "", g.Opts.PasswordHash, now)
			}
			for i := 1; i <= 150; i++ {
				u.Add(cc, fmt.Sprintf("liaison-%s-%03d", cc, i), fmt.Sprintf("%s联络员%03d", c.Region.Name, i), string(fugong.RoleLiaison), "", g.Opts.PasswordHash, now)
			}
			for i, t := range c.Townships {
				u.Add(cc, fmt.Sprintf("township-%s-%02d", cc, i+1), t.Name, string(fugong.RoleTownship), t.Code, g.Opts.PasswordHash, now)
			}
		}
		if err := u.Flush(); err != nil {
			return err
		}
		for _, c := range g.Counties {
			rows, err := tx.QueryContext(g.Ctx, `SELECT id FROM users WHERE region_code = $1 AND role = 'liaison' ORDER BY id`, c.Region.Code)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				c.Liaisons = append(c.Liaisons, id)
			}
			rows.Close()
		}
		return nil
	})
}

var industries = []struct{ focus, industry string }{
	{"园区企业", "电子"}, {"园区企业", "食品"}, {"工矿企业", "建材"}, {"建筑工程", "房屋建筑"}, {"景区景点", "旅游"}, {"窗口服务", "商贸"}, {"重点项目", "基础设施"},
}

func genEnterprises(g *Generator) error {
	per := g.Opts.Enterprises / len(g.Counties)
	n := 0
	for _, c := range g.Counties {
		cc := c.Region.Code
		err := g.DB.WithTx(g.Ctx, func(tx *sql.Tx) error {
			var first int64
			b := g.Bulk(tx, "enterprises", "region_code", "name", "uscc", "township", "industry", "focus_area", "above_scale", "payroll", "status", "status_date", "resumed_on", "created_at", "updated_at")
			now := g.DB.Clock.Now().UnixMilli()
			for i := 0; i < per; i++ {
				n++
				t := c.Townships[g.Rand.IntN(len(c.Townships))]
				k := industries[g.Rand.IntN(len(industries))]
				status, on := fugong.StatusResumed, g.Start.AddDate(0, 0, g.Rand.IntN(28)).Format(time.DateOnly)
				if g.Rand.IntN(10) == 0 {
					status, on = fugong.StatusNotResumed, ""
				}
				org := fmt.Sprintf("%08d", n)
				body := "91" + cc + org + string(fugong.OrgCodeCheckChar(org))
				code := body + string(fugong.USCCCheckChar(body))
				name := fmt.Sprintf("%s%s%s有限公司%d", strings.TrimSuffix(c.Region.Name, "县"), t.Name, k.industry, i+1)
				c.EnterpriseTownships = append(c.EnterpriseTownships, t.Code)
				if err := b.Add(cc, name, code, t.Code, k.industry, k.focus, g.Rand.IntN(4) == 0, 10+g.Rand.IntN(400), status, on, on, now, now); err != nil {
					return err
				}
			}
			if err := b.Flush(); err != nil {
				return err
			}
			if err := tx.QueryRowContext(g.Ctx, `SELECT MIN(id) FROM enterprises WHERE region_code = $1`, cc).Scan(&first); err != nil {
				return err
			}
			c.FirstEnterprise, c.Enterprises = first, int64(per)
			a := g.Bulk(tx, "liaison_assignments", "region_code", "enterprise_id", "user_id", "from_date")
			for i := int64(0); i < int64(per); i++ {
				if err := a.Add(cc, first+i, c.Liaisons[int(i)%len(c.Liaisons)], "2020-02-11"); err != nil {
					return err
				}
			}
			return a.Flush()
		})
		if err != nil {
			return err
		}
	}
	return nil
}
