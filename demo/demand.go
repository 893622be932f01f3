package demo

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"fugong"
	"fugong/i18n"
	"fugong/store"
)

// demandTexts are invented demands per category, in the enterprises' own words.
var demandTexts = map[string][]struct {
	text, detail string
	qty          int64
}{
	"supplies":  {{"员工返岗后口罩缺口较大，现有库存只够几天", "口罩", 300}, {"需要消毒液用于车间每日消杀", "消毒液", 50}, {"缺少测温枪，入口体温检测排队时间长", "测温枪", 4}},
	"labour":    {{"招工信息发布覆盖面不广，企业还招不到人", "普工", 30}, {"需要熟练缝纫工，希望对接村里的富余劳动力", "缝纫工", 15}},
	"materials": {{"上游原料厂未复工，原材料断供", "石英砂", 20}, {"包装材料库存不足，影响出货", "纸箱", 5}},
	"utilities": {{"复产后用电负荷增加，需要变压器增容", "电", 0}, {"园区供水压力不足", "水", 0}},
	"logistics": {{"外地原料车辆进县通行证办理", "长沙—慈利", 6}, {"产品外运缺少物流车辆", "慈利—常德", 10}},
	"finance":   {{"流动资金紧张，希望协调复工复产贷款", "500000", 0}, {"申请稳岗补贴需要指导", "", 0}},
	"legal":     {{"因疫情延期交货的合同纠纷需要法律指导", "合同延期", 0}},
	"other":     {{"员工子女无人看护，希望协调", "", 0}},
}

// demandDepartment is the department each category goes to when it is escalated.
var demandDepartment = map[string]string{
	"supplies": "县卫生健康局", "labour": "县人力资源和社会保障局", "materials": "县工业和信息化局", "utilities": "县发展和改革局",
	"logistics": "县交通运输局", "finance": "县财政局", "legal": "县人民法院", "other": "县工业和信息化局",
}

// buildDemands writes the demands of 11 February to 9 March: most solved on site by the
// liaison, the rest escalated, dispatched and solved by a department, a few late and
// urged; the enterprises rated what was solved. The seed's enterprise short of 300
// masks comes first.
func buildDemands(b *Builder) error {
	ds := store.NewDemands(b.DB, b.Loc, i18n.MustLoad())
	pol := fugong.DefaultClockPolicy
	cats := []string{"supplies", "supplies", "supplies", "labour", "labour", "materials", "utilities", "logistics", "finance", "legal", "other"}
	add := func(e fugong.Enterprise, received time.Time, cat string, k int, outcome int) error {
		t := demandTexts[cat][k%len(demandTexts[cat])]
		c, _ := fugong.FindCategory(cat)
		li := b.LiaisonOf[e.ID]
		d := &fugong.Demand{County: County, EnterpriseID: e.ID, EnterpriseName: e.Name, Township: e.Township, LiaisonID: li.ID, Category: cat,
			Description: t.text, Quantity: t.qty, Unit: c.Unit, Fields: map[string]string{}, Urgency: fugong.UrgencyNormal, Channel: fugong.ChannelOnSite,
			RaisedBy: li.ID, RaisedByName: li.DisplayName, State: fugong.DemandReceived, Level: fugong.LevelLiaison, ReceivedAt: received, Demo: true}
		if len(c.Fields) > 0 {
			d.Fields[c.Fields[0].Name] = t.detail
			if c.Fields[0].Choices != nil && !oneOf(t.detail, c.Fields[0].Choices) {
				d.Fields[c.Fields[0].Name] = c.Fields[0].Choices[len(c.Fields[0].Choices)-1]
			}
		}
		raiser := li
		if b.Rand.IntN(4) == 0 {
			raiser = b.EnterpriseUser[e.ID]
			d.Channel, d.RaisedBy, d.RaisedByName = fugong.ChannelEnterprise, raiser.ID, raiser.DisplayName
		}
		d.Deadlines(pol, b.Loc)
		type step struct {
			at             time.Time
			user           fugong.User
			action, to, nt string
		}
		var steps []step
		var depts []int64
		responded := received.Add(time.Duration(10+b.Rand.IntN(40)) * time.Minute)
		switch {
		case received.After(b.now().Add(-3 * time.Hour)):
			// still open on the morning of 9 March
		case outcome < 65: // solved on site
			d.RecordResponse(responded)
			d.OnSite = true
			d.RecordOwned(responded)
			d.RecordSolved(responded)
			d.State = fugong.DemandSolved
			steps = append(steps, step{responded, li, fugong.ActSolveOnSite, fugong.DemandSolved, "已当场协调解决"})
		default: // escalated, dispatched, solved by a department; some late and urged
			late := outcome >= 93
			d.RecordResponse(responded)
			d.RecordOwned(responded)
			steps = append(steps, step{responded, li, fugong.ActEscalate, fugong.DemandEscalated, "现场解决不了，梳理后上报指挥部"})
			dept := b.OrgUnits[demandDepartment[cat]]
			depts = append(depts, dept.ID)
			dispatched := responded.Add(time.Duration(20+b.Rand.IntN(60)) * time.Minute)
			steps = append(steps, step{dispatched, b.Command, fugong.ActDispatch, fugong.DemandDispatched, "请" + dept.Name + "办理"})
			solved := dispatched.Add(time.Duration(float64(c.Solution) * (0.2 + 0.6*b.Rand.Float64())))
			if late {
				solved = d.SolutionDue.Add(time.Duration(2+b.Rand.IntN(20)) * time.Hour)
				d.SolutionLate, d.UrgeCount, d.UrgedAt = true, 1, d.SolutionDue.Add(30*time.Minute)
				d.Level = fugong.LevelCommand
				steps = append(steps, step{d.SolutionDue, fugong.User{}, "late_solution", fugong.DemandDispatched, ""},
					step{d.UrgedAt, b.Command, "urge", fugong.DemandDispatched, "请加快办理"})
			} else {
				d.Level = fugong.LevelDepartment
			}
			if solved.After(b.now()) {
				d.State = fugong.DemandDispatched
				break
			}
			d.RecordSolved(solved)
			d.State = fugong.DemandSolved
			steps = append(steps, step{solved, b.deptUser(dept.ID), fugong.ActSolve, fugong.DemandSolved, "已协调解决"})
		}
		if d.State == fugong.DemandSolved && d.SolvedAt.Add(24*time.Hour).Before(b.now()) && b.Rand.IntN(10) < 8 {
			d.Rating = []int{5, 5, 5, 4, 4, 3}[b.Rand.IntN(6)]
			d.ConfirmedAt = d.SolvedAt.Add(time.Duration(1+b.Rand.IntN(12)) * time.Hour)
			d.State = fugong.DemandConfirmed
			steps = append(steps, step{d.ConfirmedAt, b.EnterpriseUser[e.ID], fugong.ActConfirm, fugong.DemandConfirmed, strconv.Itoa(d.Rating) + "★"})
		}
		if err := ds.CreateTx(b.Ctx, b.Tx, d, pol); err != nil {
			return err
		}
		if err := b.firstLine(d, raiser, fugong.DemandReceived); err != nil {
			return err
		}
		for _, o := range depts {
			if err := b.Exec(`INSERT INTO demand_assignments (region_code, demand_id, org_unit_id, at) VALUES ($1, $2, $3, $4)`, County, d.ID, o, store.MS(d.OwnedAt)); err != nil {
				return err
			}
		}
		from := fugong.DemandReceived
		for _, s := range steps {
			if err := ds.AddEventTx(b.Ctx, b.Tx, d, fugong.DemandEvent{At: s.at, UserID: s.user.ID, Username: s.user.Username, Action: s.action, From: from, To: s.to, Note: s.nt}); err != nil {
				return err
			}
			from = s.to
		}
		return nil
	}
	// The seed's enterprise: 70 % attendance needs about 300 masks a day; stock for 5 days.
	seed := b.Enterprises[0]
	if err := add(seed, First.Add(24*time.Hour+10*time.Hour), "supplies", 0, 70); err != nil {
		return fmt.Errorf("seed demand: %w", err)
	}
	end := b.now()
	if end.After(Start) {
		end = Start
	}
	for day := 1; !First.AddDate(0, 0, day).After(end); day++ {
		n := 3 + b.Rand.IntN(6)
		times := make([]time.Time, n)
		for i := range times {
			times[i] = First.AddDate(0, 0, day).Add(time.Duration(7*60+b.Rand.IntN(14*60)) * time.Minute)
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		for _, received := range times {
			if received.After(end) {
				continue
			}
			e := Pick(b, b.Enterprises[:len(b.Enterprises)-Workshops])
			cat := Pick(b, cats)
			if err := add(e, received, cat, b.Rand.IntN(3), b.Rand.IntN(100)); err != nil {
				return err
			}
		}
	}
	return nil
}

// now is the demo clock's present: the history ends there.
func (b *Builder) now() time.Time { return b.DB.Clock.Now() }

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// firstLine makes a demand's first timeline line say when it came in, who raised it and
// the state it came in at, not the moment the demo county was built.
func (b *Builder) firstLine(d *fugong.Demand, raiser fugong.User, state string) error {
	return b.Exec(`UPDATE demand_events SET at = $1, user_id = $2, username = $3, to_state = $4 WHERE demand_id = $5 AND action = 'create'`,
		store.MS(d.ReceivedAt), raiser.ID, raiser.Username, state, d.ID)
}
