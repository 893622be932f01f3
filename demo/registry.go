package demo

import (
	"fmt"
	"strings"

	"fugong"
)

// Enterprise counts from the seed: 311 enterprises resumed by 9 March (100 %), 91 of them
// above-scale industrial; 64 key projects; 33 poverty workshops, 14 of them resumed.
const (
	Enterprises       = 311
	AboveScale        = 91
	KeyProjects       = 64
	Workshops         = 33
	WorkshopsResumed  = 14
	CountyLeaders     = 43
	LiaisonsStationed = 162
)

var nameHeads = []string{"湘", "澧", "慈", "武陵", "零阳", "江垭", "溇水", "五雷", "天门", "张家界", "龙凤", "金岩", "洞溪", "高峰", "朝阳", "宏远", "兴旺", "富民", "长丰", "华泰"}

type kind struct {
	focus, industry, suffix string
	above, park             bool
}

var kinds = map[string][]kind{
	"above": {
		{"园区企业", "新材料", "科技有限公司", true, true}, {"园区企业", "电子元件", "电子有限公司", true, true}, {"园区企业", "食品加工", "食品有限公司", true, true},
		{"园区企业", "纺织服装", "服饰有限公司", true, true}, {"工矿企业", "建材", "建材有限公司", true, false}, {"工矿企业", "矿产", "矿业有限公司", true, false},
		{"工矿企业", "水泥", "水泥有限公司", true, false}, {"工矿企业", "茶叶加工", "茶业有限公司", true, false},
	},
	"other": {
		{"园区企业", "包装印刷", "包装有限公司", false, true}, {"重点项目", "基础设施", "建设投资有限公司", false, false},
		{"工矿企业", "砂石", "砂石场", false, false}, {"建筑工程", "房屋建筑", "建筑工程有限公司", false, false},
		{"景区景点", "旅游", "旅游开发有限公司", false, false}, {"窗口服务", "商贸", "商贸有限公司", false, false},
	},
}

// otherCounts spreads the 220 enterprises that are not above-scale over the focus areas.
var otherCounts = []int{30, 40, 30, 50, 30, 40}

// USCC returns a valid, invented credit code for the n-th demo enterprise.
func USCC(county string, n int, cooperative bool) string {
	head := "91" // 工商 · 企业
	if cooperative {
		head = "93" // 工商 · 农民专业合作社
	}
	org := fmt.Sprintf("%08d", 20200000+n*37)
	body := head + county + org + string(fugong.OrgCodeCheckChar(org))
	return body + string(fugong.USCCCheckChar(body))
}

func buildEnterprises(b *Builder) error {
	n := 0
	add := func(e fugong.Enterprise) error {
		n++
		e.County = County
		e.Demo = true
		if e.USCC == "" {
			e.USCC = USCC(County, n, e.FocusArea == "" && e.Workshop)
		}
		if e.ContactName == "" {
			e.ContactName = b.PersonName()
		}
		e.ContactPhone = fmt.Sprintf("1580744%04d", n)
		if e.Address == "" {
			e.Address = "慈利县" + b.townshipName(e.Township)
		}
		if err := e.Validate(); err != nil {
			return fmt.Errorf("enterprise %s: %w", e.Name, err)
		}
		if err := b.DB.CreateEnterpriseTx(b.Ctx, b.Tx, &e); err != nil {
			return err
		}
		b.Enterprises = append(b.Enterprises, e)
		return nil
	}
	// The park (工业集中区) lies in 零阳街道 and 金慈街道.
	park := []fugong.Region{b.Townships[0], b.Townships[1]}
	resumedOn := func(i int, above bool) string {
		// Above-scale enterprises mostly resumed by 29 February (the subsidy's cut-off);
		// the rest over the weeks up to 9 March, the last on the day itself.
		if above {
			if i%10 == 9 {
				return b.Day(19 + i%8) // 1–8 March
			}
			return b.Day(i % 19) // 11–29 February
		}
		return b.Day(min(27, 2+i%26))
	}
	named := []fugong.Enterprise{
		{Name: "慈利联兴新材料科技有限公司", FocusArea: "园区企业", Industry: "新材料", AboveScale: true, ParkTenant: true, MonthlyRent: 1_860_000, Payroll: 430},
		{Name: "慈利宏发油脂有限公司", FocusArea: "工矿企业", Industry: "食用油加工", AboveScale: true, Payroll: 204},
	}
	for i := 0; i < AboveScale; i++ {
		var e fugong.Enterprise
		if i < len(named) {
			e = named[i]
			e.Township = park[i%2].Code
		} else {
			k := kinds["above"][i%len(kinds["above"])]
			e = fugong.Enterprise{Name: b.uniqueName("", i, k.suffix), FocusArea: k.focus,
				Industry: k.industry, AboveScale: true, ParkTenant: k.park && i%3 != 0, Payroll: 80 + b.Rand.IntN(500)}
			if k.park {
				e.Township = park[i%2].Code
			} else {
				e.Township = b.Townships[2+b.Rand.IntN(len(b.Townships)-2)].Code
			}
			if e.ParkTenant {
				e.MonthlyRent = int64(300_000 + b.Rand.IntN(30)*100_000) // fen
			}
		}
		e.Status, e.ResumedOn = fugong.StatusResumed, resumedOn(i, true)
		e.StatusDate = e.ResumedOn
		if err := add(e); err != nil {
			return err
		}
	}
	j := 0
	for ki, count := range otherCounts {
		k := kinds["other"][ki]
		for c := 0; c < count; c++ {
			j++
			t := b.Townships[b.Rand.IntN(len(b.Townships))]
			if k.park {
				t = park[c%2]
			}
			e := fugong.Enterprise{Name: b.uniqueName(shortName(t.Name), j, k.suffix), FocusArea: k.focus, Industry: k.industry,
				Township: t.Code, ParkTenant: k.park, Payroll: 8 + b.Rand.IntN(120)}
			if k.park {
				e.MonthlyRent = int64(50_000 + b.Rand.IntN(20)*10_000)
			}
			e.Status, e.ResumedOn = fugong.StatusResumed, resumedOn(j, false)
			e.StatusDate = e.ResumedOn
			if err := add(e); err != nil {
				return err
			}
		}
	}
	// Poverty workshops (扶贫车间): in the registry beside the 311, counted on their own.
	workshops := []struct{ name, village string }{
		{"慈利绿之禾生态农业科技有限公司", "燕子居委会"}, {"慈利县裕能中药材专业合作社", "坪岩村"},
	}
	for i := 0; i < Workshops; i++ {
		v := b.Villages[(i*5)%len(b.Villages)]
		name := fmt.Sprintf("慈利县%s扶贫车间", v.Name)
		if i < len(workshops) {
			name = workshops[i].name
			for _, x := range b.Villages {
				if x.Name == workshops[i].village {
					v = x
				}
			}
		} else if i >= len(workshops) {
			name = fmt.Sprintf("慈利县%s%s专业合作社", v.Name, []string{"种养", "茶叶", "竹编", "服装加工", "柑橘"}[i%5])
		}
		e := fugong.Enterprise{Name: name, Township: v.ParentCode, Village: v.Code, Industry: "扶贫车间", Workshop: true, Payroll: 10 + b.Rand.IntN(20), Status: fugong.StatusNotResumed}
		if i < WorkshopsResumed {
			e.Status, e.ResumedOn = fugong.StatusResumed, b.Day(5+i)
			e.StatusDate = e.ResumedOn
		}
		if err := add(e); err != nil {
			return err
		}
	}
	for i := 0; i < KeyProjects; i++ {
		t := b.Townships[b.Rand.IntN(len(b.Townships))]
		p := fugong.KeyProject{County: County, Name: fmt.Sprintf("慈利县%s%s项目", t.Name, []string{"道路提质改造", "安置小区建设", "污水处理厂", "农产品加工园", "旅游基础设施", "学校建设", "水利设施", "标准厂房"}[i%8]),
			Township: t.Code, Investment: int64(5000 + b.Rand.IntN(200)*500), Stage: []string{"在建", "新开工", "前期"}[i%3], Progress: b.Rand.IntN(90), Demo: true}
		if err := b.DB.CreateKeyProjectTx(b.Ctx, b.Tx, &p); err != nil {
			return err
		}
		b.Projects = append(b.Projects, p)
	}
	return nil
}

// shortName drops a township's 街道, 镇 or 乡 for use in an enterprise name.
func shortName(t string) string {
	for _, suf := range []string{"土家族乡", "街道", "镇", "乡"} {
		if strings.HasSuffix(t, suf) {
			return strings.TrimSuffix(t, suf)
		}
	}
	return t
}

// uniqueName makes an enterprise name not used before in this demo.
func (b *Builder) uniqueName(place string, i int, suffix string) string {
	if b.names == nil {
		b.names = map[string]bool{}
	}
	for k := 0; ; k++ {
		n := "慈利" + place + nameHeads[(i+k)%len(nameHeads)] + suffix
		if k >= len(nameHeads) {
			n = fmt.Sprintf("慈利%s%s%s（%d）", place, nameHeads[i%len(nameHeads)], suffix, k)
		}
		if !b.names[n] {
			b.names[n] = true
			return n
		}
	}
}

func (b *Builder) townshipName(code string) string {
	for _, t := range b.Townships {
		if t.Code == code {
			return t.Name
		}
	}
	return ""
}

// buildLinks links the 43 county leaders to the 64 key projects and the 91 above-scale
// enterprises, and stations the 162 liaisons, each at about two enterprises.
func buildLinks(b *Builder) error {
	from := b.Day(0)
	for i, p := range b.Projects {
		if err := b.DB.LinkLeaderTx(b.Ctx, b.Tx, County, b.Leaders[i%len(b.Leaders)].ID, 0, p.ID, from); err != nil {
			return err
		}
	}
	for i, e := range b.Enterprises {
		if e.AboveScale {
			l := b.Leaders[i%len(b.Leaders)]
			if err := b.DB.LinkLeaderTx(b.Ctx, b.Tx, County, l.ID, e.ID, 0, from); err != nil {
				return err
			}
			b.LeaderOf[e.ID] = l
		}
		li := b.Liaisons[i%len(b.Liaisons)]
		if err := b.DB.AssignLiaisonTx(b.Ctx, b.Tx, County, e.ID, li.ID, from); err != nil {
			return err
		}
		b.LiaisonOf[e.ID] = li
	}
	return nil
}
