package demo

import (
	"fmt"
	"strconv"
	"time"

	"fugong"
	"fugong/store"
)

// Workshop headcounts on 9 March, from the seed: of 33 poverty workshops 14 resumed, with
// nearly 200 people back at work, 49 of them from poor households. The first two are the
// seed's own: 裕能中药材专业合作社 (30-odd households, staggered, 80 yuan a day) and
// 绿之禾 (35 workers in two batches).
var (
	workshopWorkers = []int{35, 32, 12, 10, 11, 9, 13, 10, 8, 12, 11, 9, 14, 10}
	workshopPoor    = []int{9, 8, 3, 3, 3, 2, 4, 3, 2, 3, 3, 2, 2, 2}
	workshopShifts  = []int{2, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1}
	workshopWage    = []int64{9000, 8000, 7000, 8000, 7500, 7000, 8000, 8000, 7000, 7500, 8000, 7000, 8500, 7000} // fen a day
)

// jobTitles are the demo postings: title, skills, wage range (yuan a month).
var jobTitles = []struct {
	title, skills string
	min, max      int
}{
	{"普工", "普工", 4000, 5000}, {"电工", "电工", 4500, 6000}, {"缝纫工", "缝纫", 3500, 5000}, {"叉车司机", "叉车", 4500, 5500},
	{"仓库管理员", "仓管,电脑", 3500, 4500}, {"焊工", "焊工", 5000, 7000}, {"食品包装工", "普工,包装", 3200, 4200}, {"质检员", "质检", 3800, 4800},
}

// seekerSkills and seekerWanted give the demo seekers plausible skills.
var seekerSkills = [][]string{{"普工"}, {"电工"}, {"缝纫"}, {"叉车"}, {"焊工"}, {"包装", "普工"}, {"质检"}, {"种植"}}

func buildEmployment(b *Builder) error {
	if err := buildWorkshopDays(b); err != nil {
		return err
	}
	postings, err := buildPostings(b)
	if err != nil {
		return err
	}
	if b.Opts.Keys == nil {
		return nil // seekers need the data keys to seal their ID numbers and phones
	}
	if err := buildSeekers(b, postings); err != nil {
		return err
	}
	if err := buildBroadcast(b); err != nil {
		return err
	}
	return buildVillagers(b)
}

// DemoVillagers is how many villagers the demo's village cadres keep a phone for.
const DemoVillagers = 12

// buildVillagers: after the 2 March broadcast reached only the registered seekers, the
// cadres of 大兴村, 燕子居委会 and 坪岩村 began contact lists of the villagers at large
// (村民通讯录), four each, poor households among them, so that the next job news reaches
// the whole village. Names and phones are invented.
func buildVillagers(b *Builder) error {
	for i := 0; i < DemoVillagers; i++ {
		v := fugong.Villager{County: County, Village: b.Villages[i%3].Code, Name: b.PersonName(), Phone: fmt.Sprintf("1397441%04d", i+1), Poor: i%3 == 0, Demo: true}
		if err := v.Validate(); err != nil {
			return fmt.Errorf("villager %s: %w", v.Name, err)
		}
		if err := b.DB.CreateVillagerTx(b.Ctx, b.Tx, b.Opts.Keys, &v); err != nil {
			return err
		}
	}
	return nil
}

// DemoSMSSignature is the demo county's SMS signature (setting sms.signature).
const DemoSMSSignature = "【慈利县指挥部】"

// buildBroadcast: on 2 March the organisation department texted the job list to the
// villages the seed names, and the gateway took every message.
func buildBroadcast(b *Builder) error {
	var org fugong.User
	for _, d := range b.Depts {
		if d.OrgUnitID == b.OrgUnits["县委组织部"].ID {
			org = d
		}
	}
	// The county's SMS signature, which the SMS driver puts before every text (invented
	// for the demo: the seed does not print one).
	if err := b.DB.SetSetting(b.Ctx, b.Tx, County, fugong.SettingSMSSignature, DemoSMSSignature); err != nil {
		return err
	}
	bc := fugong.Broadcast{County: County, SenderID: org.ID,
		Text: "县工业集中区企业招工：普工月薪4000-5000元，离家近，包吃住。有意者请联系村干部登记，或查看《慈利县企业招聘信息》。"}
	for _, v := range b.Villages[:len(namedVillages)] {
		bc.Villages = append(bc.Villages, v.Code)
	}
	if err := bc.Validate(DemoSMSSignature); err != nil {
		return err
	}
	if err := b.DB.CreateBroadcastTx(b.Ctx, b.Tx, &bc); err != nil {
		return err
	}
	sent := store.MS(time.Date(2020, 3, 2, 9, 0, 0, 0, b.Loc))
	if err := b.Exec(`UPDATE broadcasts SET created_at = $1 WHERE id = $2`, sent, bc.ID); err != nil {
		return err
	}
	return b.Exec(`UPDATE notifications SET state = 'sent', attempts = 1, sent_at = $1, created_at = $1, next_at = $1 WHERE entity = 'broadcasts' AND entity_id = $2`,
		sent, strconv.FormatInt(bc.ID, 10))
}

func buildWorkshopDays(b *Builder) error {
	i := 0
	for _, e := range b.Enterprises {
		if !e.Workshop || e.Status != fugong.StatusResumed {
			continue
		}
		if i >= len(workshopWorkers) {
			break
		}
		// The first batch on the day it resumed, everyone by 8 March.
		days := []fugong.WorkshopDay{
			{EnterpriseID: e.ID, Day: e.ResumedOn, Workers: workshopWorkers[i] / 2, PoorWorkers: workshopPoor[i] / 2, Shifts: workshopShifts[i], DailyWage: workshopWage[i]},
			{EnterpriseID: e.ID, Day: b.Day(26), Workers: workshopWorkers[i], PoorWorkers: workshopPoor[i], Shifts: workshopShifts[i], DailyWage: workshopWage[i]},
		}
		for _, d := range days {
			d.County = County
			if err := b.DB.SaveWorkshopDayTx(b.Ctx, b.Tx, &d); err != nil {
				return err
			}
		}
		i++
	}
	return nil
}

func buildPostings(b *Builder) ([]fugong.JobPosting, error) {
	var out []fugong.JobPosting
	n := 0
	for _, e := range b.Enterprises {
		if n >= 24 {
			break
		}
		if !e.AboveScale && !e.Workshop {
			continue
		}
		j := jobTitles[n%len(jobTitles)]
		if n == 0 {
			j = jobTitles[0] // 联兴新材料: the seed's "四五千, 离家近"
		}
		p := fugong.JobPosting{County: County, EnterpriseID: e.ID, Enterprise: e.Name, Title: j.title, Openings: 5 + b.Rand.IntN(30), WageMin: j.min, WageMax: j.max,
			Township: e.Township, Village: e.Village, Address: e.Address, Requirements: "18–55岁，身体健康，能适应倒班。", Skills: fugong.SplitWords(j.skills),
			NearHome: true, Meals: n%2 == 0, Lodging: n%3 == 0, PostedOn: b.Day(4 + n%20), ValidUntil: "2020-04-30", Demo: true}
		if e.Workshop {
			p.Title, p.WageMin, p.WageMax, p.Skills = "扶贫车间务工", 2000, 2800, []string{"种植"}
			p.Requirements = "家门口就业，贫困户优先，分批错峰上岗。"
		}
		if err := p.Validate(b.Day(26)); err != nil {
			return nil, fmt.Errorf("posting %s: %w", p.Title, err)
		}
		if err := b.DB.CreateJobPostingTx(b.Ctx, b.Tx, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
		n++
	}
	return out, nil
}

// demoIDNumber makes a valid, invented ID number of the county for a birth date.
func demoIDNumber(birth string, seq int) string {
	body := County + birth + fmt.Sprintf("%03d", seq%1000)
	return body + string(fugong.IDNumberCheckChar(body))
}

func buildSeekers(b *Builder, postings []fugong.JobPosting) error {
	today := b.Day(27) // 9 March
	var seekers []fugong.JobSeeker
	add := func(s fugong.JobSeeker) error {
		s.County, s.Demo = County, true
		if err := s.Validate(today); err != nil {
			return fmt.Errorf("seeker %s: %w", s.Name, err)
		}
		cadre := b.VillageU[s.Village]
		if err := b.DB.CreateJobSeekerTx(b.Ctx, b.Tx, b.Opts.Keys, &s, cadre.ID); err != nil {
			return err
		}
		seekers = append(seekers, s)
		return nil
	}
	// 王兵 of 苗市镇大兴村, a poor household, read the bulletin and registered with his cadre.
	if err := add(fugong.JobSeeker{Name: "王兵", IDNumber: demoIDNumber("19880612", 31), Phone: "13574410001", Village: b.Villages[0].Code,
		Skills: []string{"普工"}, Wanted: "工业园区普工", WageExpect: 4000, Poor: true, Available: b.Day(9)}); err != nil {
		return err
	}
	k := 1
	for vi, v := range b.Villages {
		per := 1
		if vi < 6 {
			per = 6
		}
		for j := 0; j < per; j++ {
			k++
			year := 1965 + b.Rand.IntN(38)
			birth := fmt.Sprintf("%04d%02d%02d", year, 1+b.Rand.IntN(12), 1+b.Rand.IntN(28))
			s := fugong.JobSeeker{Name: b.PersonName(), IDNumber: demoIDNumber(birth, 10+k), Phone: fmt.Sprintf("1357441%04d", k), Village: v.Code,
				Skills: seekerSkills[k%len(seekerSkills)], WageExpect: 3000 + 500*b.Rand.IntN(5), Poor: k%3 == 0, Available: b.Day(b.Rand.IntN(27))}
			if k%4 == 0 {
				s.Wanted = "离家近的工作"
			}
			if err := add(s); err != nil {
				return err
			}
		}
	}
	// Referrals: 王兵 placed at 联兴新材料 as a 普工; others at every step of the way.
	steps := []struct {
		seeker, posting int
		state           string
	}{{0, 0, fugong.ReferralOnDuty}}
	states := []string{fugong.ReferralOnDuty, fugong.ReferralOnDuty, fugong.ReferralHired, fugong.ReferralInterviewed, fugong.ReferralReferred, fugong.ReferralDeclined}
	for i := 1; i < len(seekers) && i < 31; i += 2 {
		steps = append(steps, struct {
			seeker, posting int
			state           string
		}{i, (i * 3) % len(postings), states[i%len(states)]})
	}
	for i, st := range steps {
		s, p := seekers[st.seeker], postings[st.posting]
		start := 9 + i%10 // 20 February onwards
		if p.PostedOn > b.Day(start) {
			start = 27 - 4
			if p.PostedOn > b.Day(start) {
				continue
			}
		}
		r := fugong.Referral{County: County, SeekerID: s.ID, PostingID: p.ID, EnterpriseID: p.EnterpriseID, Village: s.Village, Township: p.Township,
			State: fugong.ReferralReferred, ReferredOn: b.Day(start)}
		for _, to := range []string{fugong.ReferralInterviewed, fugong.ReferralHired, fugong.ReferralOnDuty} {
			if r.State == st.state {
				break
			}
			if st.state == fugong.ReferralDeclined && to == fugong.ReferralHired {
				to = fugong.ReferralDeclined
			}
			if err := r.Advance(to, b.Day(start+1), today); err != nil {
				return err
			}
			start++
		}
		if err := b.DB.CreateReferralTx(b.Ctx, b.Tx, &r); err != nil {
			return err
		}
	}
	return nil
}
