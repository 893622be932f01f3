package demo

import (
	"fmt"
	"time"

	"fugong"
	"fugong/i18n"
	"fugong/store"
)

// buildCrisis writes the rest of the county's crisis work as the seed tells it: the
// natural resources bureau's targets and five working groups, the industrial park
// branch's six hazard points, the checkpoint at 三合镇, the 88 frontline party
// applications and the court's visits of 9 March.
func buildCrisis(b *Builder) error {
	for _, step := range []func(*Builder) error{buildTargets, buildHazards, buildCheckpoints, buildParty, buildJudicial} {
		if err := step(b); err != nil {
			return err
		}
	}
	return nil
}

// workingGroups are the bureau's five working groups, each led by a member of its
// leadership (the seed does not name them: the leaders are invented).
var workingGroups = []string{"建设用地报批及国有土地使用权出让组", "矿业权出让组", "增减挂钩项目施工建设及指标交易组", "征地拆迁组", "保障服务组"}

// buildTargets writes the 2020 targets broken down to parcels and sites, with weekly
// reports from 10 February; one target skipped a week, which the board flags.
func buildTargets(b *Builder) error {
	org := b.OrgUnits["县自然资源局"].ID
	leaders := make([]string, len(workingGroups))
	for i := range leaders {
		leaders[i] = b.PersonName()
	}
	parcels := func(prefix string, n int, total int64) []fugong.TargetParcel {
		out := make([]fugong.TargetParcel, n)
		for i := range out {
			out[i] = fugong.TargetParcel{Name: prefix + string(rune('A'+i)) + "宗地", Planned: total / int64(n)}
		}
		return out
	}
	targets := []fugong.Target{
		{Name: "新增储备土地", Unit: "亩", Planned: 2000, WorkingGroup: workingGroups[0], Leader: leaders[0], Parcels: parcels("零阳", 8, 2000)},
		{Name: "增减挂钩项目盘活城乡建设用地", Unit: "亩", Planned: 2000, WorkingGroup: workingGroups[2], Leader: leaders[2], Parcels: parcels("挂钩", 5, 2000)},
		{Name: "江垭林场森林质量精准提升造林", Unit: "亩", Planned: 2000, WorkingGroup: "江垭林场", Leader: leaders[4],
			Parcels: []fugong.TargetParcel{{Name: "江垭林场一工区", Planned: 1000}, {Name: "江垭林场二工区", Planned: 1000}}},
		{Name: "江垭林场补植造林", Unit: "株", Planned: 40000, WorkingGroup: "江垭林场", Leader: leaders[4],
			Parcels: []fugong.TargetParcel{{Name: "桢楠", Planned: 10000}, {Name: "红椿", Planned: 10000}, {Name: "红豆杉", Planned: 10000}, {Name: "灯台树", Planned: 10000}}},
	}
	monday := time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC)
	for i := range targets {
		t := &targets[i]
		t.County, t.Year, t.StartDay, t.OrgUnitID, t.Demo = County, 2020, monday.Format(time.DateOnly), org, true
		if err := t.Validate(); err != nil {
			return err
		}
		if err := b.DB.CreateTargetTx(b.Ctx, b.Tx, t); err != nil {
			return err
		}
		var done int64
		for w := 0; w < 4; w++ {
			done += t.Planned / int64(10+b.Rand.IntN(10))
			if i == 1 && w == 2 {
				continue // the land swap group missed its report of 24 February
			}
			day := monday.AddDate(0, 0, 7*w)
			r := fugong.TargetReport{TargetID: t.ID, Week: day.Format(time.DateOnly), Done: done, Note: "按周报告进度", Username: "demo",
				At: time.Date(day.Year(), day.Month(), day.Day()+4, 17, 0, 0, 0, b.Loc)}
			if err := b.DB.SaveTargetReportTx(b.Ctx, b.Tx, *t, &r); err != nil {
				return err
			}
		}
	}
	return nil
}

// hazardNames are the industrial park branch's six county-level hazard points; the seed
// names 朱家坡, the others are invented.
var hazardNames = []string{"朱家坡", "杨家湾", "长岭坳", "枫树垭", "双溪口", "红岩坡"}

// buildHazards writes the six hazard points with the seed's equipment and cards (6
// warning signs, 12 evacuation-route signs, 6 placement signs, 95 avoidance cards for
// 370 people), the February–October duty roster, four rounds of patrols and the risk
// notices to the dangerous houses at 朱家坡.
func buildHazards(b *Builder) error {
	cards := []int{22, 18, 16, 15, 13, 11}
	people := []int{86, 70, 62, 59, 51, 42}
	var town fugong.Region
	for _, t := range b.Townships {
		if t.Name == "零阳街道" {
			town = t
		}
	}
	var villages []fugong.Region
	for _, v := range b.Villages {
		if v.ParentCode == town.Code {
			villages = append(villages, v)
		}
	}
	points := make([]fugong.HazardPoint, len(hazardNames))
	for i, name := range hazardNames {
		v := villages[i%len(villages)]
		h := &points[i]
		*h = fugong.HazardPoint{County: County, Name: name, Township: town.Code, Village: v.Code, Location: v.Name + name, Households: cards[i], People: people[i],
			WarningSigns: 1, RouteSigns: 2, PlacementSigns: 1, Whistles: 2, Gongs: 1, AvoidanceCards: cards[i], PatrolDays: 7, Demo: true,
			Plan: "发现险情立即鸣锣吹哨报警，按撤离路线牌转移至安置点，村组干部逐户清点人数并上报工业园分局。"}
		if err := h.Validate(); err != nil {
			return err
		}
		if err := b.DB.CreateHazardPointTx(b.Ctx, b.Tx, h); err != nil {
			return err
		}
	}
	leaders := []string{b.PersonName(), b.PersonName(), b.PersonName(), b.PersonName(), b.PersonName()}
	for d := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC); d.Month() <= time.October; d = d.AddDate(0, 0, 1) {
		k := d.YearDay()
		if err := b.DB.SaveDutyDayTx(b.Ctx, b.Tx, County, &fugong.DutyDay{Day: d.Format(time.DateOnly), Leader: leaders[k%len(leaders)], Staff: b.PersonName()}); err != nil {
			return err
		}
	}
	for _, day := range []int{14, 24, 31, 34} { // 14 Feb, 24 Feb, 2 Mar, 5 Mar
		at := time.Date(2020, 2, day, 10, 0, 0, 0, b.Loc)
		for i, h := range points {
			p := fugong.Patrol{At: at.Add(time.Duration(i) * 40 * time.Minute), Username: "demo", Finding: "沟口、切坡无新增裂缝，排水通畅"}
			if h.Name == "朱家坡" && day == 34 {
				p.Finding, p.Danger = "坡体后缘裂缝加宽，坡下危房户需立即避让", true
			}
			if err := b.DB.CreatePatrolTx(b.Ctx, b.Tx, h, &p); err != nil {
				return err
			}
		}
	}
	for i := 0; i < 3; i++ {
		n := fugong.RiskNotice{Household: b.PersonName() + "户", Day: "2020-03-05", Note: "危房户，汛期须撤离至安置点"}
		if err := b.DB.CreateRiskNoticeTx(b.Ctx, b.Tx, points[0], &n); err != nil {
			return err
		}
	}
	return nil
}

// buildCheckpoints writes the checkpoint the command set up at 三合镇 on the county road
// on New Year's Eve (24 January 2020), 秦明树 of 凤鹤山村 on its first shift, the
// vehicles and people registered since, and the village cadres' screenings.
func buildCheckpoints(b *Builder) error {
	var town, fenghe, nanmu fugong.Region
	for _, t := range b.Townships {
		if t.Name == "三合镇" {
			town = t
		}
	}
	for _, v := range b.Villages {
		switch v.Name {
		case "凤鹤山村":
			fenghe = v
		case "楠木村":
			nanmu = v
		}
	}
	c := fugong.Checkpoint{County: County, Name: "三合镇县际健康服务点", Township: town.Code, Location: "三合镇县际交通要道", OpenedOn: "2020-01-24", Demo: true}
	if err := b.DB.CreateCheckpointTx(b.Ctx, b.Tx, &c); err != nil {
		return err
	}
	first := time.Date(2020, 1, 24, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 46; d++ {
		day := first.AddDate(0, 0, d).Format(time.DateOnly)
		for k, shift := range []string{"白班", "夜班"} {
			staff := b.PersonName()
			if d == 0 && k == 0 {
				staff = "秦明树"
			}
			if err := b.DB.CreateShiftTx(b.Ctx, b.Tx, County, &fugong.CheckpointShift{CheckpointID: c.ID, Day: day, Shift: shift, Staff: staff, Village: fenghe.Code}); err != nil {
				return err
			}
		}
	}
	origins := []string{"石门县", "桑植县", "常德市", "张家界市", "湖北省武汉市", "长沙市"}
	for i := 0; i < 60; i++ {
		e := fugong.CheckpointEntry{At: time.Date(2020, 1, 24, 8, 0, 0, 0, b.Loc).Add(time.Duration(i) * 17 * time.Hour), Plate: fmt.Sprintf("湘G%05d", 10000+b.Rand.IntN(89999)),
			Name: b.PersonName(), Origin: Pick(b, origins), Temperature: 360 + b.Rand.IntN(12), Username: "demo", Demo: true}
		if i == 7 {
			e.Temperature = 375
		}
		e.Fever = fugong.Fever(e.Temperature)
		if err := b.DB.CreateCheckpointEntryTx(b.Ctx, b.Tx, b.Opts.Keys, c, &e); err != nil {
			return err
		}
	}
	for i, v := range []fugong.Region{fenghe, fenghe, fenghe, nanmu, nanmu} {
		s := fugong.Screening{County: County, Village: v.Code, Name: b.PersonName(), FromRegion: "湖北省", ReturnedOn: fmt.Sprintf("2020-02-%02d", 20+i),
			Needs: "蔬菜、米面，代购常用药", Temperature: 363, ScreenedBy: "demo", Day: fmt.Sprintf("2020-02-%02d", 21+i), Demo: true}
		if err := s.Validate(); err != nil {
			return err
		}
		if err := b.DB.CreateScreeningTx(b.Ctx, b.Tx, b.Opts.Keys, &s); err != nil {
			return err
		}
	}
	return nil
}

// The seed's counts of frontline party applications: 88 received, 4 frontline medical
// staff chosen as activists, 6 activists to be developed.
const (
	PartyApplications = 88
	PartyActivists    = 4
	PartyCandidates   = 6
)

// buildParty writes the 88 applications: 聂勇 of 县人民医院 and three other medical staff
// made activists, 秦明树 of 凤鹤山村 and five others, activists since early 2019 (a year
// of training before development, fugong.PartyYear), to be developed, 傅从珍 of 楠木村 and the rest applicants. The others are invented.
func buildParty(b *Builder) error {
	named := []fugong.PartyApplication{
		{Name: "聂勇", Unit: "县人民医院", Post: "感染隔离区内科支援医生", Contribution: "第一批主动请战进驻隔离病房参与救治", Risk: "高：隔离病房",
			AppliedOn: "2020-02-01", Stage: fugong.StageActivist, ActivistOn: "2020-03-02"},
		{Name: "傅从珍", Unit: "龙潭河镇楠木村", Post: "村后备干部", Contribution: "张贴标语、挨家挨户排查、为湖北返乡人员测体温、为居家隔离人员提供后勤帮助", Risk: "中：入户排查",
			AppliedOn: "2020-02-05", Stage: fugong.StageApplicant},
		{Name: "秦明树", Unit: "三合镇凤鹤山村", Post: "辅警", Contribution: "大年三十赶赴三合镇健康服务点搭建并值守，协助入户宣传和走访摸排", Risk: "中：县际交通要道值守",
			AppliedOn: "2018-09-10", ActivistOn: "2019-03-01", Stage: fugong.StageCandidate, CandidateOn: "2020-03-06"},
	}
	medical := []string{"县人民医院", "县中医医院", "县疾病预防控制中心"}
	units := []string{"县人民医院", "县中医医院", "县疾病预防控制中心", "县公安局", "零阳街道白沙井社区", "苗市镇大兴村", "通津铺镇燕子居委会", "象市镇坪岩村", "三合镇凤鹤山村", "龙潭河镇楠木村"}
	apps := named
	for len(apps) < PartyApplications {
		i := len(apps)
		p := fugong.PartyApplication{Name: b.PersonName(), Unit: units[i%len(units)], Post: "防疫一线工作人员", Contribution: "坚守防疫一线", Risk: "中",
			AppliedOn: b.Day(b.Rand.IntN(26)), Stage: fugong.StageApplicant}
		switch {
		case i < 3+PartyActivists-1: // three more frontline medical staff made activists
			p.Unit, p.Post, p.Risk = medical[i%len(medical)], "一线医务人员", "高：发热门诊"
			p.Stage, p.ActivistOn = fugong.StageActivist, "2020-03-02"
		case i < 3+PartyActivists-1+PartyCandidates-1: // five more activists since 2019 to be developed
			p.AppliedOn, p.ActivistOn = "2018-09-15", "2019-02-20"
			p.Stage, p.CandidateOn = fugong.StageCandidate, "2020-03-06"
		}
		apps = append(apps, p)
	}
	for i := range apps {
		p := &apps[i]
		p.County, p.Demo = County, true
		if err := p.Validate(); err != nil {
			return err
		}
		if err := b.DB.CreatePartyApplicationTx(b.Ctx, b.Tx, p); err != nil {
			return err
		}
	}
	return nil
}

// buildJudicial writes the court's visits of 9 March to 慈利联兴新材料科技有限公司 and
// 慈利宏发油脂有限公司, each taking in a judicial need that became a demand of the
// category 司法 dispatched to the court (the needs themselves are invented).
func buildJudicial(b *Builder) error {
	court := b.OrgUnits["县人民法院"]
	var judge fugong.User
	for _, u := range b.Depts {
		if u.OrgUnitID == court.ID {
			judge = u
		}
	}
	ds := store.NewDemands(b.DB, b.Loc, i18n.MustLoad())
	pol := fugong.DefaultClockPolicy
	needs := map[string][2]string{
		"慈利联兴新材料科技有限公司": {"疫情导致原料合同延期履行，希望法院就不可抗力条款给予指导", "合同延期"},
		"慈利宏发油脂有限公司":    {"应收货款被拖欠，咨询诉前调解和财产保全", "货款纠纷"},
	}
	at := time.Date(2020, 3, 9, 7, 40, 0, 0, b.Loc)
	for _, e := range b.Enterprises {
		need, ok := needs[e.Name]
		if !ok {
			continue
		}
		d := &fugong.Demand{County: County, EnterpriseID: e.ID, EnterpriseName: e.Name, Township: e.Township, LiaisonID: b.LiaisonOf[e.ID].ID, Category: fugong.JudicialCategory,
			Description: need[0], Fields: map[string]string{"matter": need[1]}, Urgency: fugong.UrgencyNormal, Channel: fugong.ChannelOnSite, RaisedBy: judge.ID,
			RaisedByName: court.Name + "·" + judge.DisplayName, State: fugong.DemandDispatched, Level: fugong.LevelDepartment, ReceivedAt: at, Demo: true}
		d.Deadlines(pol, b.Loc)
		d.RecordResponse(at)
		d.RecordOwned(at)
		if err := ds.CreateTx(b.Ctx, b.Tx, d, pol); err != nil {
			return err
		}
		if err := b.firstLine(d, judge, d.State); err != nil {
			return err
		}
		if err := b.Exec(`INSERT INTO demand_assignments (region_code, demand_id, org_unit_id, at) VALUES ($1, $2, $3, $4)`, County, d.ID, court.ID, store.MS(at)); err != nil {
			return err
		}
		v := fugong.JudicialVisit{County: County, OrgUnitID: court.ID, EnterpriseID: e.ID, Day: "2020-03-09", Visitor: "县人民法院党组书记一行",
			Note: "上门摸排企业困难，对接司法需求，送去防疫物资", DemandID: d.ID, Demo: true}
		if err := b.DB.CreateJudicialVisitTx(b.Ctx, b.Tx, &v); err != nil {
			return err
		}
		at = at.Add(10 * time.Minute)
	}
	return nil
}
