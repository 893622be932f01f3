package demo

import (
	"fmt"
	"strings"
	"time"

	"fugong"
	"fugong/store"
)

// Liaison work in the demo: from 11 February to the morning of 9 March most of the 162
// liaisons are at their enterprises before 9 o'clock on most days — 陈小斌 before 7, every
// day — a dozen are slack, and a few enterprises go unvisited for the last five days.
// Some visits raise a demand. The organisation department's findings follow.

// SlackLiaisons is how many liaisons (the last ones) visit seldom and late.
const SlackLiaisons = 12

var demoFindings = []string{"员工进厂体温检测记录完整", "口罩存量约可支撑5天", "食堂未实行错峰就餐，已提醒整改", "返岗员工登记表未及时更新",
	"消毒记录不全，已现场指导", "部分员工未按规定佩戴口罩", "原材料库存紧张", "物流车辆进出登记规范"}

var demoDemands = map[string][]string{
	"supplies":  {"按70%到岗率计算每天需要口罩约300个，目前存量只能支撑5天左右", "缺少额温枪2把", "消毒液库存不足"},
	"labour":    {"招工信息发布覆盖面不广，还缺一线工人20名", "返岗员工不足，急需熟练工"},
	"materials": {"原材料短缺，供应商尚未复工", "包装材料断供"},
	"utilities": {"用电负荷不足，需增容", "天然气供应不稳定"},
	"logistics": {"物流不畅，成品无法外运", "货车通行证办理困难"},
	"finance":   {"流动资金紧张，申请贷款贴息", "希望落实租金减免"},
	"other":     {"希望协调员工子女看护"},
}

// visitRow is one demo visit before it is written.
type visitRow struct {
	uuid                  string
	enterprise, user      int64
	day                   string
	in, out               time.Time
	tasks, findings       string
	demandCat, demandDesc string
	onSite                bool
}

func buildVisits(b *Builder) error {
	// Each liaison's enterprises, in id order.
	mine := map[int64][]int64{}
	for _, e := range b.Enterprises {
		if l, ok := b.LiaisonOf[e.ID]; ok {
			mine[l.ID] = append(mine[l.ID], e.ID)
		}
	}
	// A few enterprises are left alone for the last five days: the board's gaps.
	neglected := map[int64]bool{}
	for i, e := range b.Enterprises {
		if i%45 == 44 {
			neglected[e.ID] = true
		}
	}
	now := Start
	days := int(Start.Sub(First).Hours()/24) + 1
	var rows []visitRow
	n := 0
	for li, l := range b.Liaisons {
		slack := li >= len(b.Liaisons)-SlackLiaisons
		for d := 0; d < days; d++ {
			p := 88
			if slack {
				p = 45
			}
			if li != 0 && b.Rand.IntN(100) >= p {
				continue
			}
			date := First.AddDate(0, 0, d)
			for _, eid := range mine[l.ID] {
				if neglected[eid] && d >= days-5 {
					continue
				}
				if li != 0 && len(mine[l.ID]) > 1 && b.Rand.IntN(100) < 20 {
					continue
				}
				// Most check in between 06:30 and 09:00; 陈小斌 before 7; the slack ones late.
				minute := 390 + b.Rand.IntN(150)
				switch {
				case li == 0:
					minute = 380 + b.Rand.IntN(35)
				case slack:
					minute = 570 + b.Rand.IntN(300)
				case b.Rand.IntN(100) < 12:
					minute = 540 + b.Rand.IntN(120)
				}
				in := date.Add(time.Duration(minute) * time.Minute)
				out := in.Add(time.Duration(40+b.Rand.IntN(140)) * time.Minute)
				if out.After(now) {
					if in.After(now.Add(-10 * time.Minute)) {
						continue
					}
					out = now.Add(-time.Duration(1+b.Rand.IntN(5)) * time.Minute)
				}
				n++
				r := visitRow{uuid: fmt.Sprintf("00000000-0000-4000-8000-%012x", n), enterprise: eid, user: l.ID, day: date.Format(time.DateOnly), in: in, out: out,
					tasks: strings.Join(b.tasks(li == 0), "\n")}
				if b.Rand.IntN(4) == 0 {
					r.findings = Pick(b, demoFindings)
				}
				if b.Rand.IntN(100) < 7 {
					r.demandCat = fugong.VisitDemandCategories[b.Rand.IntN(len(fugong.VisitDemandCategories)-2)]
					if r.demandCat == "legal" {
						r.demandCat = "other"
					}
					r.demandDesc = Pick(b, demoDemands[r.demandCat])
					r.onSite = b.Rand.IntN(2) == 0
				}
				rows = append(rows, r)
			}
		}
	}
	return b.insertVisits(rows)
}

// tasks picks what was done on a visit; 陈小斌 hands out the preventive medicine and checks
// workers before their shift every day.
func (b *Builder) tasks(seed bool) []string {
	all := fugong.DefaultVisitTasks
	if seed {
		return []string{"排查监测", "发放口罩或预防中药", "岗前排查", "卫生制度检查"}
	}
	var out []string
	for _, t := range all {
		if b.Rand.IntN(100) < 40 {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		out = append(out, all[b.Rand.IntN(len(all))])
	}
	return out
}

// insertVisits writes the demo visits and their demands quickly enough to keep `fugong
// demo` ready within its 3 seconds.
func (b *Builder) insertVisits(rows []visitRow) error {
	created := store.MS(Start)
	vals := make([][]any, len(rows))
	for i, r := range rows {
		vals[i] = []any{County, r.uuid, r.enterprise, r.user, r.day, store.MS(r.in), store.MS(r.out), r.tasks, r.findings, true, created}
	}
	if err := b.Bulk("visits", "region_code, client_uuid, enterprise_id, user_id, day, checked_in_at, checked_out_at, tasks, findings, demo, created_at", vals); err != nil {
		return err
	}
	ids := map[string]int64{}
	res, err := b.Tx.QueryContext(b.Ctx, `SELECT id, client_uuid FROM visits WHERE demo = TRUE`)
	if err != nil {
		return err
	}
	for res.Next() {
		var id int64
		var u string
		if err := res.Scan(&id, &u); err != nil {
			res.Close()
			return err
		}
		ids[u] = id
	}
	res.Close()
	var sb strings.Builder
	var args []any
	for _, r := range rows {
		if r.demandDesc == "" {
			continue
		}
		if len(args) > 0 {
			sb.WriteString(", ")
		}
		k := len(args)
		fmt.Fprintf(&sb, "('%s', $%d, $%d, $%d, $%d, $%d, $%d, $%d, %d)", County, k+1, k+2, k+3, k+4, k+5, k+6, k+7, created)
		args = append(args, ids[r.uuid], r.enterprise, r.user, r.day, r.demandCat, r.demandDesc, r.onSite)
	}
	if len(args) == 0 {
		return nil
	}
	return b.Exec(`INSERT INTO visit_demands (region_code, visit_id, enterprise_id, user_id, day, category, description, on_site, created_at) VALUES `+sb.String(), args...)
}

func buildLiaisonWork(b *Builder) error {
	if err := buildVisits(b); err != nil {
		return err
	}
	if err := buildInspections(b); err != nil {
		return err
	}
	// Poverty workshops are supervised by the department whose focus areas include
	// 扶贫车间 (fugong.WorkshopArea: 人社局 in the demo); the responsibilities view names
	// it for every workshop without an override.
	return nil
}

// demoInspection is one of the organisation department's findings in the demo.
type demoInspection struct {
	liaison    int // index into b.Liaisons, or -1 for a finding against an enterprise
	enterprise int // index into b.Enterprises, for a finding against an enterprise
	on         string
	finding    string
	criticism  string
	deadline   string // "" for no rectification
	state      string
	report     string
	note       string
	returns    int
}

// buildInspections records a handful of findings, as the seed tells: liaisons who did not
// know their enterprises well enough were criticised and given a deadline. One is overdue.
func buildInspections(b *Builder) error {
	n := len(b.Liaisons)
	list := []demoInspection{
		{liaison: n - 1, on: "2020-02-18", finding: "蹲点时间不足", criticism: "当面提醒，要求每天早上到岗"},
		{liaison: n - 2, on: "2020-02-20", finding: "对企业复工复产情况掌握不够全面", criticism: "通报批评，限期整改", deadline: "2020-02-25",
			state: fugong.RectificationClosed, report: "已逐一核实企业员工返岗和防疫物资情况，建立台账", note: "台账完整，同意销号"},
		{liaison: n - 3, on: "2020-02-27", finding: "工作措施不够到位", criticism: "通报批评，限期整改", deadline: "2020-03-05", state: fugong.RectificationOpen},
		{liaison: n - 4, on: "2020-03-04", finding: "诉求未及时上报", criticism: "提醒落实“马上办、不隔夜”", deadline: "2020-03-11",
			state: fugong.RectificationReported, report: "已将企业用工诉求上报县人社局"},
		{liaison: -1, enterprise: 7, on: "2020-03-02", finding: "防控制度落实不到位", criticism: "员工进出未测温登记", deadline: "2020-03-10",
			state: fugong.RectificationOpen, report: "已安排专人测温", note: "登记表仍不完整", returns: 1},
		{liaison: -1, enterprise: 19, on: "2020-03-06", finding: "返岗员工登记表未及时更新", criticism: "限期补齐", deadline: "2020-03-12", state: fugong.RectificationOpen},
	}
	inspector := b.Command.ID
	for _, d := range b.Depts {
		if strings.HasPrefix(d.DisplayName, fugong.DefaultInspectionOrg) {
			inspector = d.ID
		}
	}
	created := store.MS(Start)
	for _, d := range list {
		kind, target, enterprise := fugong.TargetLiaison, any(nil), any(nil)
		if d.liaison >= 0 {
			target = b.Liaisons[d.liaison].ID
		} else {
			kind, enterprise = fugong.TargetEnterprise, b.Enterprises[d.enterprise].ID
		}
		var id int64
		if err := b.Tx.QueryRowContext(b.Ctx, `INSERT INTO inspections (region_code, inspector_id, target_kind, target_user_id, enterprise_id, inspected_on, finding, criticism, demo, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) RETURNING id`, County, inspector, kind, target, enterprise, d.on, d.finding, d.criticism, created).Scan(&id); err != nil {
			return fmt.Errorf("demo inspection: %w", err)
		}
		if d.deadline == "" {
			continue
		}
		var reported, closed int64
		if d.report != "" {
			reported = created
		}
		if d.state == fugong.RectificationClosed {
			closed = created
		}
		var rid int64
		if err := b.Tx.QueryRowContext(b.Ctx, `INSERT INTO rectifications (region_code, inspection_id, deadline, state, report, reported_at, note, closed_at, returns, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`, County, id, d.deadline, d.state, d.report, reported, d.note, closed, d.returns, created).Scan(&rid); err != nil {
			return fmt.Errorf("demo rectification: %w", err)
		}
		if d.state == fugong.RectificationOpen {
			p := fmt.Sprintf(`{"rectification_id":%d,"deadline":%q}`, rid, d.deadline)
			due, _ := time.ParseInLocation(time.DateOnly, d.deadline, b.Loc)
			if err := b.DB.EnqueueJob(b.Ctx, b.Tx, County, store.JobRectificationOverdue, p, due.AddDate(0, 0, 1)); err != nil {
				return err
			}
		}
	}
	return nil
}
