package demo

import (
	"fugong"
	"fugong/regions"
)

// namedVillages are the villages and communities the seed names. Villages are not in the
// official list the project ships, so their codes are made up (9xx) and marked demo.
var namedVillages = []struct{ township, name string }{
	{"苗市镇", "大兴村"},
	{"通津铺镇", "燕子居委会"},
	{"象市镇", "坪岩村"},
	{"龙潭河镇", "楠木村"},
	{"三合镇", "凤鹤山村"},
	{"零阳街道", "白沙井社区"},
}

var villageWords = []string{"新华", "长岭", "桃园", "高坪", "双溪", "红岩", "青山", "枫树", "金坪", "杨家"}

func buildRegions(b *Builder) error {
	all, err := regions.Hunan()
	if err != nil {
		return err
	}
	sub := regions.Subtree(all, County)
	byName := map[string]fugong.Region{}
	for _, r := range sub {
		if r.Level == fugong.LevelTownship {
			b.Townships = append(b.Townships, r)
			byName[r.Name] = r
		}
	}
	for _, nv := range namedVillages {
		t := byName[nv.township]
		b.Villages = append(b.Villages, fugong.Region{Code: t.Code[:9] + "901", Name: nv.name, ParentCode: t.Code, Level: fugong.LevelVillage, Demo: true})
	}
	named := map[string]bool{}
	for _, v := range b.Villages {
		named[v.ParentCode] = true
	}
	for i, t := range b.Townships {
		n := 2
		start := 1
		if named[t.Code] {
			start = 2
		}
		for j := start; j <= n; j++ {
			name := villageWords[(i+j)%len(villageWords)] + "村"
			b.Villages = append(b.Villages, fugong.Region{Code: t.Code[:9] + "90" + string(rune('0'+j)), Name: name, ParentCode: t.Code, Level: fugong.LevelVillage, Demo: true})
		}
	}
	for _, r := range append(sub, b.Villages...) {
		var parent any
		if r.ParentCode != "" {
			parent = r.ParentCode
		}
		if err := b.Exec(`INSERT INTO regions (code, region_code, name, parent_code, level, demo) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
			r.Code, fugong.CountyOf(r.Code), r.Name, parent, r.Level, r.Demo); err != nil {
			return err
		}
	}
	return nil
}
