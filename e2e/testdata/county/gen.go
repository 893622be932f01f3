//go:build ignore

// gen writes the sheets a county office brings on its set-up evening, as CSV in UTF-8:
// villages, staff, the enterprise registry and the links. make.sh turns them into what
// the office's own programs write (.xlsx by LibreOffice, a GBK CSV). The county is 嘉禾县
// (431024), ten townships in the shipped GB/T 2260 list; the people and enterprises are
// made up.
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fugong"
)

var towns = []string{"珠泉镇", "塘村镇", "袁家镇", "行廊镇", "龙潭镇", "石桥镇", "坦坪镇", "广发镇", "晋屏镇", "普满乡"}

var townCodes = []string{"431024100000", "431024102000", "431024103000", "431024104000", "431024106000", "431024107000", "431024108000",
	"431024110000", "431024111000", "431024201000"}

const liaisons = 126

var surnames = []rune("李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩邓彭曹曾肖")
var given = []rune("建国华明伟芳军勇杰涛斌超秀英丽强磊洋艳敏静燕玲桂兰平刚辉鹏飞")

// name is the i-th person's name, made up and unique over the 180.
func name(i int) string {
	return string(surnames[i%len(surnames)]) + string(given[(i/len(surnames)+3*i)%len(given)]) + string(given[(i*7+1)%len(given)])
}

func phone(i int) string { return fmt.Sprintf("1390746%04d", i) }

func uscc(i int) string {
	body := fmt.Sprintf("MA4L%04d", i)
	first17 := "91431024" + body + string(fugong.OrgCodeCheckChar(body))
	return first17 + string(fugong.USCCCheckChar(first17))
}

func write(dir, file string, rows [][]string) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		panic(err)
	}
	f.Close()
}

func main() {
	dir := os.Args[1]
	// The nine org units are an Excel sheet: xlsx/testdata/excel/make.go (orgUnitRows).
	// Three villages in each township, as the office writes them: the headers of the regions
	// import's template (区划代码 名称 上级区划代码 级别), the level in words.
	vwords := []string{"新华", "长岭", "桃园", "高坪", "双溪", "红岩", "青山", "枫树", "金坪", "杨家"}
	villages := [][]string{{"区划代码", "名称", "上级区划代码", "级别"}}
	for i := range towns {
		for j := range 3 {
			villages = append(villages, []string{townCodes[i][:9] + fmt.Sprint(201+j), vwords[(i+j)%len(vwords)] + "村", townCodes[i], "村"})
		}
	}
	write(dir, "villages.csv", villages)

	// 180 people: 4 at the command, 2 in each department, one officer per township, 20
	// county leaders, 126 liaisons, 10 village cadres. 序号 and 手机 as the office writes
	// them.
	depts := []string{"县卫生健康局", "县工业和信息化局", "县人力资源和社会保障局", "县住房和城乡建设局", "县商务局"}
	people := [][]string{{"序号", "姓名", "手机", "单位", "职务", "角色", "乡镇/村"}}
	n := 0
	add := func(unit, rank, role, town string) {
		n++
		nm := name(n)
		if role == "驻企联络员" && n == 45 {
			nm = "陈小斌"
		}
		people = append(people, []string{fmt.Sprint(n), nm, phone(n), unit, rank, role, town})
	}
	for range 4 {
		add("县疫情防控指挥部", "科员", "县指挥部", "")
	}
	for _, d := range depts {
		add(d, "股长", "职能部门", "")
		add(d, "副局长", "职能部门", "")
	}
	for i, t := range towns {
		unit := ""
		if i < 3 {
			unit = t + "人民政府"
		}
		add(unit, "副镇长", "乡镇", t)
	}
	leaders := []string{"县委书记", "县长", "县委副书记", "常务副县长", "县委常委", "副县长"}
	firstLeader := n + 1
	for i := range 20 {
		add("", leaders[min(i, len(leaders)-1)], "县级领导", "")
	}
	firstLiaison := n + 1
	for i := range liaisons {
		add(depts[i%len(depts)], []string{"副科级", "正科级"}[i%2], "驻企联络员", "")
	}
	for i, t := range towns {
		add("", "村支书", "村干部", t+"/"+vwords[i]+"村")
	}
	write(dir, "people.csv", people)

	// 311 enterprises across the ten townships and the six focus areas.
	words := []string{"恒通", "金源", "华兴", "盛达", "宏发", "鑫隆", "永安", "瑞丰", "天成", "富民", "兴旺", "祥和"}
	trades := []struct{ industry, area string }{{"铸造", "工矿企业"}, {"农机", "园区企业"}, {"建材", "工矿企业"}, {"食品", "园区企业"},
		{"建筑工程", "建筑工程"}, {"置业", "重点项目"}, {"旅游开发", "景区景点"}, {"商贸", "窗口服务"}, {"物流", "窗口服务"}, {"矿业", "工矿企业"}}
	ents := [][]string{{"企业名称", "统一社会信用代码", "乡镇", "地址", "行业", "重点领域", "规上企业", "在册员工", "联系人", "联系电话"}}
	links := [][]string{{"类型", "用户名", "姓名", "统一社会信用代码", "企业名称", "起始日期"}}
	for i := 1; i <= 311; i++ {
		t := towns[i%len(towns)]
		tr := trades[(i/len(towns))%len(trades)]
		short := strings.TrimSuffix(strings.TrimSuffix(t, "镇"), "乡")
		nm := fmt.Sprintf("嘉禾县%s%s%s有限公司", short, words[(i/len(towns)/len(trades)+i)%len(words)], tr.industry)
		if i > 120 {
			nm = fmt.Sprintf("嘉禾县%s%s%s%d号有限公司", short, words[i%len(words)], tr.industry, i)
		}
		above := "否"
		if i%3 == 0 {
			above = "是"
		}
		ents = append(ents, []string{nm, uscc(i), t, t + "工业路" + fmt.Sprint(i) + "号", tr.industry, tr.area, above, fmt.Sprint(20 + i%180),
			name(500 + i), fmt.Sprintf("1380746%04d", i)})
		l := firstLiaison + (i-1)%liaisons
		links = append(links, []string{"驻企联络员", phone(l), people[l][1], uscc(i), nm, "2020-02-10"})
		if i <= 60 {
			ld := firstLeader + (i-1)%20
			links = append(links, []string{"县级领导联系", phone(ld), people[ld][1], uscc(i), nm, "2020-02-10"})
		}
	}
	write(dir, "enterprises.csv", ents)
	write(dir, "links.csv", links)
}
