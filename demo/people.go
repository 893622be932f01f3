package demo

import (
	"fmt"
	"strings"

	"fugong"
)

// departments are the county's bodies that own work; the seed names 卫健、工信、人社、
// 自然资源、组织部, the court and the procuratorate. FocusAreas is what each supervises.
var departments = []struct{ name, focus string }{
	{"县卫生健康局", strings.Join(fugong.FocusAreas, ",")},
	{"县工业和信息化局", "园区企业,工矿企业"},
	{"县人力资源和社会保障局", strings.Join(fugong.FocusAreas, ",") + "," + fugong.WorkshopArea},
	{"县自然资源局", "工矿企业,重点项目"},
	{"县住房和城乡建设局", "建筑工程,重点项目"},
	{"县发展和改革局", "重点项目"},
	{"县文化旅游广电体育局", "景区景点"},
	{"县商务局", "窗口服务"},
	{"县交通运输局", ""},
	{"县财政局", strings.Join(fugong.FocusAreas, ",")},
	{"县委组织部", strings.Join(fugong.FocusAreas, ",")},
	{"县人民法院", ""},
	{"县人民检察院", ""},
}

const commandName = "县疫情防控指挥部"

func buildOrgUnits(b *Builder) error {
	add := func(o fugong.OrgUnit) error {
		o.County = County
		if err := b.DB.CreateOrgUnit(b.Ctx, b.Tx, &o); err != nil {
			return err
		}
		b.OrgUnits[o.Name] = o
		return nil
	}
	if err := add(fugong.OrgUnit{Kind: fugong.OrgCommand, Name: commandName}); err != nil {
		return err
	}
	for _, d := range departments {
		if err := add(fugong.OrgUnit{Kind: fugong.OrgDepartment, Name: d.name, FocusAreas: d.focus}); err != nil {
			return err
		}
	}
	for _, t := range b.Townships {
		if err := add(fugong.OrgUnit{Kind: fugong.OrgTownship, Name: t.Name + "人民政府", Region: t.Code}); err != nil {
			return err
		}
	}
	return nil
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万覃武")
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林云飞鹏俊峰波宇浩凯琳欣晨志海燕东亮斌成龙兵")

// PersonName returns a plausible invented Chinese name.
func (b *Builder) PersonName() string {
	n := string(surnames[b.Rand.IntN(len(surnames))]) + string(givenChars[b.Rand.IntN(len(givenChars))])
	if b.Rand.IntN(3) > 0 {
		n += string(givenChars[b.Rand.IntN(len(givenChars))])
	}
	return n
}

var leaderTitles = []string{"县委书记", "县长", "县委副书记", "常务副县长", "县委常委", "副县长", "县人大常委会副主任", "县政协副主席"}
var liaisonRanks = []string{"副科级", "正科级", "副处级"}

func (b *Builder) user(u fugong.User) (fugong.User, error) {
	u.County = County
	err := b.DB.CreateUserTx(b.Ctx, b.Tx, &u, b.Opts.PasswordHash)
	return u, err
}

// buildPeople makes one account per role, named as DESIGN.md says: admin, command,
// leader01…43, liaison001…162, township01…, dept01…, enterprise001…, village001….
func buildPeople(b *Builder) error {
	var err error
	if b.Admin, err = b.user(fugong.User{Username: "admin", DisplayName: "系统管理员", Role: fugong.RoleAdmin}); err != nil {
		return err
	}
	if b.Command, err = b.user(fugong.User{Username: "command", DisplayName: "指挥部值班员", Role: fugong.RoleCommand, OrgUnitID: b.OrgUnits[commandName].ID, Phone: "13807440001"}); err != nil {
		return err
	}
	for i := 1; i <= 43; i++ {
		name := b.PersonName()
		if i == 5 {
			name = "欧兵波" // 县委常委、组织部长, named in the seed
		}
		u, err := b.user(fugong.User{Username: fmt.Sprintf("leader%02d", i), DisplayName: name, Role: fugong.RoleLeader, Rank: leaderTitles[min(i-1, len(leaderTitles)-1)],
			Phone: fmt.Sprintf("138074410%02d", i)})
		if err != nil {
			return err
		}
		b.Leaders = append(b.Leaders, u)
	}
	for i := 1; i <= 162; i++ {
		name := b.PersonName()
		if i == 1 {
			name = "陈小斌" // 县政府教育督学室主任督学, the seed's liaison
		}
		u, err := b.user(fugong.User{Username: fmt.Sprintf("liaison%03d", i), DisplayName: name, Role: fugong.RoleLiaison, Rank: liaisonRanks[b.Rand.IntN(2)],
			Phone: fmt.Sprintf("1390744%04d", i)})
		if err != nil {
			return err
		}
		b.Liaisons = append(b.Liaisons, u)
	}
	for i, t := range b.Townships {
		u, err := b.user(fugong.User{Username: fmt.Sprintf("township%02d", i+1), DisplayName: t.Name + "·" + b.PersonName(), Role: fugong.RoleTownship,
			Region: t.Code, OrgUnitID: b.OrgUnits[t.Name+"人民政府"].ID, Phone: fmt.Sprintf("137074420%02d", i+1)})
		if err != nil {
			return err
		}
		b.Township[t.Code] = u
	}
	for i, d := range departments {
		u, err := b.user(fugong.User{Username: fmt.Sprintf("dept%02d", i+1), DisplayName: d.name + "·" + b.PersonName(), Role: fugong.RoleDepartment,
			OrgUnitID: b.OrgUnits[d.name].ID, Phone: fmt.Sprintf("136074430%02d", i+1)})
		if err != nil {
			return err
		}
		b.Depts = append(b.Depts, u)
	}
	for i, e := range b.Enterprises {
		u, err := b.user(fugong.User{Username: fmt.Sprintf("enterprise%03d", i+1), DisplayName: e.Name, Role: fugong.RoleEnterprise, EnterpriseID: e.ID, Phone: e.ContactPhone})
		if err != nil {
			return err
		}
		b.EnterpriseUser[e.ID] = u
	}
	for i, v := range b.Villages {
		u, err := b.user(fugong.User{Username: fmt.Sprintf("village%03d", i+1), DisplayName: v.Name + "·" + b.PersonName(), Role: fugong.RoleVillage, Region: v.Code,
			Phone: fmt.Sprintf("135074440%02d", i+1)})
		if err != nil {
			return err
		}
		b.VillageU[v.Code] = u
	}
	return nil
}
