package web

import (
	"net/http"
	"strings"

	"fugong"
	"fugong/i18n"
	"fugong/xlsx"
)

// importTemplates are the templates (模板) of the imports that take an office's sheet, by
// name: each column typed for what its import reads (xlsx.Template). The org units' and
// staff's are the set-up's own (/setup/import/{kind}/template.xlsx), the regions' the regions page's
// (/regions/template.xlsx, and /regions/template.csv in the project's own English headers).
func (s *Server) importTemplates() map[string]func() (string, []xlsx.Column) {
	yesNo := []string{"是", "否"}
	col := func(field string) string { return s.col(field) }
	var categories []string
	for _, c := range fugong.DemandCategories {
		categories = append(categories, c.Name)
	}
	return map[string]func() (string, []xlsx.Column){
		"enterprises": func() (string, []xlsx.Column) {
			return "企业台账", []xlsx.Column{
				{Header: col("name"), Required: true, Example: "慈利县某某制衣有限公司", Note: "企业的全称"},
				{Header: col("uscc"), Kind: xlsx.KindCode, Required: true, Example: "91430821MA4L12345X", Note: "18 位统一社会信用代码；已有的企业按它更新"},
				{Header: col("township"), Required: true, Example: "零阳镇", Note: "本县的乡镇名称（或区划代码）"},
				{Header: col("village"), Example: "", Note: "村（社区）名称，可空"},
				{Header: col("address"), Example: "零阳镇工业园 3 栋"},
				{Header: col("industry"), Example: "纺织服装"},
				{Header: col("focus_area"), Choices: fugong.FocusAreas, Example: fugong.FocusAreas[0]},
				{Header: col("above_scale"), Choices: yesNo, Example: "是"},
				{Header: col("park_tenant"), Choices: yesNo, Example: "是", Note: "租用园区厂房的，填是"},
				{Header: col("monthly_rent"), Kind: xlsx.KindMoney, Example: 12000.5, Note: "园区厂房的月租金，元"},
				{Header: col("payroll"), Kind: xlsx.KindNumber, Example: 120, Note: "在册员工人数"},
				{Header: col("contact_name"), Example: "张三"},
				{Header: col("contact_phone"), Kind: xlsx.KindCode, Example: "13807441234", Note: "11 位手机号"},
				{Header: col("workshop"), Choices: yesNo, Example: "否", Note: "扶贫车间填是"},
				{Header: col("status"), Choices: fugong.EnterpriseStatuses, Example: fugong.StatusNotResumed, Note: "可空（未复工）；填已复工须同时填复工日期"},
				{Header: col("resumed_on"), Kind: xlsx.KindDate, Example: "2020-03-09", Note: "已复工的填复工日期"},
			}
		},
		"projects": func() (string, []xlsx.Column) {
			return "重点项目", []xlsx.Column{
				{Header: col("project_name"), Required: true, Example: "慈利县某某公路改扩建工程"},
				{Header: col("township"), Required: true, Example: "零阳镇", Note: "本县的乡镇名称（或区划代码）"},
				{Header: col("investment"), Kind: xlsx.KindNumber, Example: 5000, Note: "万元，整数"},
				{Header: col("stage"), Choices: fugong.ProjectStages, Example: "在建"},
				{Header: col("progress"), Kind: xlsx.KindNumber, Example: 35, Note: "0 到 100 的整数"},
			}
		},
		"links": func() (string, []xlsx.Column) {
			kinds := []string{s.Cat.T(i18n.Chinese, "link.kind.liaison"), s.Cat.T(i18n.Chinese, "link.kind.leader")}
			return "联系关系", []xlsx.Column{
				{Header: col("kind"), Required: true, Choices: kinds, Example: kinds[0]},
				{Header: col("username"), Required: true, Example: "liaison001", Note: "平台账号的用户名"},
				{Header: col("display_name"), Example: "张三", Note: "仅供核对，不导入"},
				{Header: col("uscc"), Kind: xlsx.KindCode, Example: "91430821MA4L12345X", Note: "联系企业的，填企业的统一社会信用代码"},
				{Header: col("enterprise_name"), Example: "慈利县某某制衣有限公司", Note: "仅供核对，不导入"},
				{Header: col("project_name"), Example: "", Note: "联系重点项目的，填项目名称（与企业二选一）"},
				{Header: col("from_date"), Kind: xlsx.KindDate, Required: true, Example: "2020-02-10"},
				{Header: col("to_date"), Kind: xlsx.KindDate, Example: "", Note: "仍在联系的，空着"},
			}
		},
		"workers": func() (string, []xlsx.Column) {
			c := fugong.WorkerColumns // 姓名, 身份证号, 手机号, 户籍地, 贫困户, 状态
			return "员工", []xlsx.Column{
				{Header: c[0], Required: true, Example: "张三"},
				{Header: c[1], Kind: xlsx.KindCode, Required: true, Example: "430821199001011234", Note: "18 位身份证号；已在册的按它更新"},
				{Header: c[2], Kind: xlsx.KindCode, Example: "13807441234", Note: "11 位手机号"},
				{Header: c[3], Example: "慈利县零阳镇", Note: "户籍所在地"},
				{Header: c[4], Choices: yesNo, Example: "否", Note: "建档立卡贫困户填是"},
				{Header: c[5], Choices: fugong.WorkerStatuses, Example: fugong.WorkerPending, Note: "可空（待返岗）"},
			}
		},
		"demands": func() (string, []xlsx.Column) {
			return "诉求", []xlsx.Column{
				{Header: colUSCC, Kind: xlsx.KindCode, Example: "91430821MA4L12345X", Note: "统一社会信用代码或企业名称，至少填一个"},
				{Header: colEnterprise, Example: "慈利县某某制衣有限公司"},
				{Header: colCategory, Required: true, Choices: categories, Example: categories[0]},
				{Header: colDescription, Required: true, Example: "口罩不足，需要 300 只"},
				{Header: colQuantity, Kind: xlsx.KindNumber, Example: 300, Note: "整数"},
				{Header: colDetail, Example: "口罩", Note: "防疫物资填物资名称（口罩、消毒液…），用工填岗位，原材料填材料，水电气填水、电或气"},
				{Header: colUrgency, Choices: []string{"一般", "紧急", "特急"}, Example: "一般", Note: "可空（一般）"},
			}
		},
		"job-seekers": func() (string, []xlsx.Column) {
			c := seekerColumns // 姓名 身份证号 手机号 村 年龄 性别 技能 求职意向 期望月薪 建档立卡贫困户 可上岗日期
			return "求职登记", []xlsx.Column{
				{Header: c[0], Required: true, Example: "李四"},
				{Header: c[1], Kind: xlsx.KindCode, Required: true, Example: "430821199203150027", Note: "18 位身份证号"},
				{Header: c[2], Kind: xlsx.KindCode, Example: "13907441234", Note: "11 位手机号"},
				{Header: c[3], Example: "", Note: "村（社区）名称；村干部导入本村的，可空"},
				{Header: c[4], Kind: xlsx.KindNumber, Example: 32},
				{Header: c[5], Choices: []string{"男", "女"}, Example: "女"},
				{Header: c[6], Example: "缝纫、普工", Note: "多项用顿号或逗号分开"},
				{Header: c[7], Example: "制衣厂普工"},
				{Header: c[8], Kind: xlsx.KindNumber, Example: 3500, Note: "元，整数"},
				{Header: c[9], Choices: yesNo, Example: "否"},
				{Header: c[10], Kind: xlsx.KindDate, Example: "2020-03-09"},
			}
		},
		"villagers": func() (string, []xlsx.Column) {
			c := fugong.VillagerColumns // 姓名 手机号 村 建档立卡贫困户
			return "村民通讯录", []xlsx.Column{
				{Header: c[0], Required: true, Example: "王五"},
				{Header: c[1], Kind: xlsx.KindCode, Required: true, Example: "13507441234", Note: "11 位手机号"},
				{Header: c[2], Example: "", Note: "村（社区）名称；村干部导入本村的，可空"},
				{Header: c[3], Choices: yesNo, Example: "否"},
			}
		},
		"power": func() (string, []xlsx.Column) {
			p := func(f string) string { return s.col("power." + f) }
			return "用电量", []xlsx.Column{
				{Header: p("uscc"), Kind: xlsx.KindCode, Required: true, Example: "91430821MA4L12345X"},
				{Header: p("day"), Kind: xlsx.KindDate, Required: true, Example: "2020-03-09"},
				{Header: p("kwh"), Kind: xlsx.KindNumber, Required: true, Example: 1520.5, Note: "当日用电量，千瓦时，可带小数"},
				{Header: p("baseline"), Kind: xlsx.KindNumber, Example: 2000, Note: "节前正常生产时的日均用电量，可空"},
			}
		},
		"dispatch": func() (string, []xlsx.Column) {
			return "驻企联络员", []xlsx.Column{
				{Header: fugong.ColUsername, Example: "", Note: "已有账号的填用户名；空着则按手机号找已有的联络员，找不到就新开账号"},
				{Header: fugong.ColName, Required: true, Example: "张三"},
				{Header: fugong.ColRank, Required: true, Choices: fugong.LiaisonRanks, Example: fugong.LiaisonRanks[0]},
				{Header: fugong.ColPhone, Kind: xlsx.KindCode, Required: true, Example: "13807441234", Note: "11 位手机号"},
				{Header: fugong.ColUSCC, Kind: xlsx.KindCode, Required: true, Example: "91430821MA4L12345X", Note: "派驻企业的统一社会信用代码"},
				{Header: fugong.ColUnit, Example: "县教育局", Note: "派出单位"},
			}
		},
	}
}

// importTemplate answers the template of the import name, an .xlsx; with name "", of the
// ledger named in the path.
func (s *Server) importTemplate(name string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		name := name
		if name == "" { // a ledger's: /ledgers/{kind}/template.xlsx
			name = r.PathValue("kind")
			if _, ok := ledgerColumns[name]; !ok {
				return fugong.NotFound()
			}
		}
		build, ok := s.importTemplates()[name]
		if !ok {
			return fugong.NotFound()
		}
		sheet, cols := build()
		return sendTemplate(w, strings.ReplaceAll(name, "/", "")+"-template.xlsx", sheet, cols)
	}
}

// sendTemplate answers an import's template (xlsx.Template) as the file filename.
func sendTemplate(w http.ResponseWriter, filename, sheet string, cols []xlsx.Column) error {
	b, err := xlsx.Template(sheet, cols)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, err = w.Write(b)
	return err
}
