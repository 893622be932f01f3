package demo

import (
	"fmt"

	"fugong"
	"fugong/i18n"
	"fugong/rules"
	"fugong/store"
)

// SubsidyPerEmployee is the demo's per-employee subsidy for above-scale industrial
// enterprises that resumed by 29 February: 500 yuan (50,000 fen). The seed names the
// measure but not the figure; 500 yuan is invented, plausible demo data.
const SubsidyPerEmployee = 50_000

// FifteenMeasuresSource is the catalogue's source document as the demo names it.
const FifteenMeasuresSource = "慈利县支持企业渡过难关“十五条”政策措施（卫健、工信、人社等部门联合出台）"

// measure is one of the fifteen. The first three are the seed's and carry working rules;
// the other twelve are invented demo measures, published for application or as drafts.
type measure struct {
	title, dept, source, summary, elig, amount, mode, status string
	auto                                                     bool
}

var measures = []measure{
	{"工业集中区规上企业2月厂房租金全免", "县工业和信息化局", FifteenMeasuresSource,
		"对承租慈利工业集中区厂房的规模以上企业，今年2月的租金予以全免。",
		"above_scale && park_tenant", "monthly_rent", fugong.ModeAutomatic, fugong.PolicyPublished, true},
	{"2月29日前复工复产规上工业企业员工补贴", "县工业和信息化局", "《关于应对疫情支持企业复工复产促进经济高质量发展的若干措施》",
		"凡是在2月29日(含当日)前复工复产的规模以上工业企业，员工按标准给予补贴（演示标准：每人500元）。",
		`above_scale && resumed_on != "" && resumed_on <= "2020-02-29"`, fmt.Sprintf("payroll * %d", SubsidyPerEmployee), fugong.ModeAutomatic, fugong.PolicyPublished, false},
	{"企业员工预防性中药免费供应", "县卫生健康局", FifteenMeasuresSource,
		"做好企业员工预防性中药供应工作，实行免费供应，做到员工随时返岗，随时供应，确保一个不漏。",
		"resumed && payroll > 0", "0", fugong.ModeAutomatic, fugong.PolicyPublished, true},
	{"新招用员工一次性吸纳就业补贴", "县人力资源和社会保障局", FifteenMeasuresSource, "演示数据：新招用员工每人1000元。",
		`applied && declared["new_hires"] > 0`, `declared["new_hires"] * 100000`, fugong.ModeApplication, fugong.PolicyPublished, false},
	{"吸纳贫困劳动力就业补贴", "县人力资源和社会保障局", FifteenMeasuresSource, "演示数据：每吸纳一名建档立卡贫困劳动力补贴1000元。",
		`applied && declared["poor_workers"] > 0`, `declared["poor_workers"] * 100000`, fugong.ModeApplication, fugong.PolicyPublished, false},
	{"扶贫车间复工生产补助", "县人力资源和社会保障局", FifteenMeasuresSource, "演示数据：已复工扶贫车间每家补助5000元。",
		"workshop && resumed", "500000", fugong.ModeAutomatic, fugong.PolicyDraft, false},
	{"企业防疫物资采购补助", "县工业和信息化局", FifteenMeasuresSource, "演示数据：按申报采购额的30%补助，最高2万元。",
		`applied && declared["supplies_yuan"] > 0`, `math.least(declared["supplies_yuan"] * 30, 2000000)`, fugong.ModeApplication, fugong.PolicyPublished, false},
	{"阶段性减免企业社会保险费", "县人力资源和社会保障局", FifteenMeasuresSource, "按国家和省规定执行（演示数据）。", "resumed", "0", fugong.ModeAutomatic, fugong.PolicyDraft, false},
	{"稳岗返还", "县人力资源和社会保障局", FifteenMeasuresSource, "演示数据：不裁员或少裁员企业返还上年度失业保险费的50%。",
		`applied && declared["unemployment_premium_yuan"] > 0`, `declared["unemployment_premium_yuan"] * 50`, fugong.ModeApplication, fugong.PolicyPublished, false},
	{"中小微企业贷款贴息", "县财政局", FifteenMeasuresSource, "演示数据：新增流动资金贷款按实付利息的50%贴息。",
		`applied && declared["interest_yuan"] > 0`, `declared["interest_yuan"] * 50`, fugong.ModeApplication, fugong.PolicyPublished, false},
	{"缓缴住房公积金", "县财政局", FifteenMeasuresSource, "受疫情影响的企业可申请缓缴（演示数据）。", "applied", "0", fugong.ModeApplication, fugong.PolicyDraft, false},
	{"重点项目复工奖励", "县发展和改革局", FifteenMeasuresSource, "演示数据：3月15日前复工的重点项目奖励2万元。",
		`focus_area == "重点项目" && resumed_on != "" && resumed_on <= "2020-03-15"`, "2000000", fugong.ModeAutomatic, fugong.PolicyDraft, false},
	{"景区景点恢复开放宣传补助", "县文化旅游广电体育局", FifteenMeasuresSource, "演示数据。", `industry == "旅游" && resumed`, "0", fugong.ModeAutomatic, fugong.PolicyDraft, false},
	{"商贸窗口服务企业水电气费缓缴", "县商务局", FifteenMeasuresSource, "演示数据：疫情期间欠费不停供。", `focus_area == "窗口服务" && resumed`, "0", fugong.ModeAutomatic, fugong.PolicyDraft, false},
	{"企业用工专车免费接送返岗员工", "县交通运输局", FifteenMeasuresSource, "演示数据：按申报人数安排专车。",
		`applied && declared["workers_to_fetch"] > 0`, "0", fugong.ModeApplication, fugong.PolicyPublished, false},
}

// declaredFields label the values the measures on application ask for; each measure keeps
// those its rules read (store.CheckPolicy). Amounts of money are declared in whole yuan, as
// a bookkeeper's books hold them; the rules turn them into the fen amounts are kept in.
var declaredFields = []fugong.DeclaredField{
	{Key: "new_hires", Label: "新招用员工数", Unit: "人"},
	{Key: "poor_workers", Label: "吸纳建档立卡贫困劳动力人数", Unit: "人"},
	{Key: "supplies_yuan", Label: "防疫物资采购额", Unit: "元"},
	{Key: "unemployment_premium_yuan", Label: "上年度实缴失业保险费", Unit: "元"},
	{Key: "interest_yuan", Label: "新增流动资金贷款实付利息", Unit: "元"},
	{Key: "workers_to_fetch", Label: "需专车接送返岗员工数", Unit: "人"},
}

// buildPolicies writes the catalogue of fifteen measures, computes the three working
// measures' entitlements as of 9 March, and has the departments approve and finance pay
// some of them.
func buildPolicies(b *Builder) error {
	eng, err := rules.New()
	if err != nil {
		return err
	}
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	env := store.PolicyEnv{Rules: eng, Loc: b.Loc, Text: func(k string, a ...any) string { return cat.T(i18n.Chinese, k, a...) }}
	finance := b.OrgUnits["县财政局"].ID
	var published []fugong.Policy
	for i, m := range measures {
		p := fugong.Policy{County: County, Number: i + 1, Title: m.title, DepartmentID: b.OrgUnits[m.dept].ID, PayerID: finance, Source: m.source, Summary: m.summary,
			PeriodFrom: "2020-02-01", PeriodTo: "2020-06-30", Mode: m.mode, AutoApprove: m.auto, EligibilityRule: m.elig, AmountRule: m.amount, Status: m.status, Demo: true,
			DeclaredFields: declaredFields}
		if i == 0 {
			p.PeriodTo = "2020-02-29"
		}
		if m.status == fugong.PolicyPublished {
			p.PublishedAt = First.AddDate(0, 0, 8) // 19 February
		}
		if err := store.CheckPolicy(env, &p); err != nil {
			return fmt.Errorf("measure %d: %w", i+1, err)
		}
		if err := b.DB.CreatePolicyTx(b.Ctx, b.Tx, &p); err != nil {
			return err
		}
		if m.status == fugong.PolicyPublished && m.mode == fugong.ModeAutomatic {
			if _, err := b.DB.ComputePolicyTx(b.Ctx, b.Tx, env, &p, 0); err != nil {
				return fmt.Errorf("measure %d: %w", i+1, err)
			}
			published = append(published, p)
		}
	}
	return b.reviewAndPay(env, published)
}

// reviewAndPay approves about two thirds of the subsidy entitlements and pays about half of
// everything approved that carries money, with vouchers numbered as the finance bureau would.
func (b *Builder) reviewAndPay(env store.PolicyEnv, published []fugong.Policy) error {
	sc := fugong.Scope{Role: fugong.RoleCommand, County: County}
	voucher := 0
	for _, p := range published {
		ts, _, _, err := b.DB.FindEntitlementsTx(b.Ctx, b.Tx, sc, fugong.EntitlementFilter{PolicyID: p.ID, Limit: 1000})
		if err != nil {
			return err
		}
		reviewer := b.deptUser(p.DepartmentID)
		payer := b.deptUser(p.PayerID)
		for i, t := range ts {
			if t.Status == fugong.EntitlementPending {
				if i%3 == 2 {
					continue // still awaiting review on 9 March
				}
				ctx := fugong.WithActor(b.Ctx, fugong.Actor{UserID: reviewer.ID, Username: reviewer.Username})
				if t, err = b.DB.ReviewEntitlementTx(ctx, b.Tx, sc, env, t.ID, t.Version, true, "材料齐全，同意。"); err != nil {
					return err
				}
			}
			if t.Status != fugong.EntitlementApproved || t.Amount == 0 || i%2 == 1 {
				continue
			}
			voucher++
			ctx := fugong.WithActor(b.Ctx, fugong.Actor{UserID: payer.ID, Username: payer.Username})
			pay := fugong.Payment{Amount: t.Amount, PaidOn: b.Day(20 + voucher%7), Voucher: fmt.Sprintf("慈财付〔2020〕%03d号", voucher)}
			if _, err := b.DB.PayEntitlementTx(ctx, b.Tx, sc, env, t.ID, &pay); err != nil {
				return err
			}
		}
	}
	return nil
}

// deptUser returns the demo account of an org unit.
func (b *Builder) deptUser(orgUnitID int64) fugong.User {
	for _, u := range b.Depts {
		if u.OrgUnitID == orgUnitID {
			return u
		}
	}
	return b.Command
}
