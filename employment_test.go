package fugong

import (
	"strings"
	"testing"
)

const (
	daxing   = "430821107901" // 苗市镇大兴村 (demo code)
	miaoshi  = "430821107000"
	yanzi    = "430821104901"
	tongjinp = "430821104000"
)

func seeker(id int64, village string, poor bool, skills ...string) JobSeeker {
	return JobSeeker{ID: id, County: "430821", Village: village, Township: village[:9] + "000", Poor: poor, Skills: skills}
}

func posting(id int64, township, village string, skills ...string) JobPosting {
	return JobPosting{ID: id, County: "430821", Title: "普工", Township: township, Village: village, Skills: skills, WageMin: 4000, WageMax: 5000, ValidUntil: "2020-04-30"}
}

func TestRankSeekersPutsPoorHouseholdsFirstOnEqualFit(t *testing.T) {
	p := posting(1, miaoshi, daxing, "缝纫")
	ss := []JobSeeker{
		seeker(1, daxing, false, "缝纫"),
		seeker(2, daxing, true, "缝纫"),
		seeker(3, daxing, false, "缝纫"),
		seeker(4, daxing, true, "缝纫"),
	}
	got := RankSeekers(p, ss)
	var order []int64
	for _, m := range got {
		order = append(order, m.Seeker.ID)
	}
	want := []int64{2, 4, 1, 3}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v (poor households first, then by registration)", order, want)
		}
	}
	if got[0].Score != got[3].Score {
		t.Fatalf("the fits differ (%d vs %d); the test wants them equal", got[0].Score, got[3].Score)
	}
	if !hasReason(got[0].Reasons, "match.poor") {
		t.Errorf("the poor household's reasons do not say so: %v", got[0].Reasons)
	}
}

func TestRankSeekersPutsBetterFitBeforePoorHousehold(t *testing.T) {
	p := posting(1, miaoshi, daxing, "缝纫")
	tests := []struct {
		name         string
		better, poor JobSeeker
		reason       string
	}{
		{"skill", seeker(1, daxing, false, "缝纫"), seeker(2, daxing, true, "电工"), "match.skill"},
		{"same village", seeker(1, daxing, false, "缝纫"), seeker(2, yanzi, true, "缝纫"), "match.same_village"},
		{"same township over same county", seeker(1, miaoshi[:9]+"902", false, "缝纫"), seeker(2, yanzi, true, "缝纫"), "match.same_township"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RankSeekers(p, []JobSeeker{tt.poor, tt.better})
			if got[0].Seeker.ID != tt.better.ID || got[0].Score <= got[1].Score {
				t.Fatalf("the better fit (%d) is not first: %+v", tt.better.ID, got)
			}
			if !hasReason(got[0].Reasons, tt.reason) {
				t.Errorf("reasons %v lack %s", got[0].Reasons, tt.reason)
			}
		})
	}
}

func TestRankPostingsForASeeker(t *testing.T) {
	s := seeker(1, daxing, true, "电工")
	s.WageExpect = 4500
	near := posting(1, miaoshi, daxing, "电工")
	township := posting(2, miaoshi, "", "电工")
	county := posting(3, tongjinp, "", "电工")
	lowWage := posting(4, miaoshi, daxing, "电工")
	lowWage.WageMin, lowWage.WageMax = 2000, 3000
	otherSkill := posting(5, miaoshi, daxing, "焊工")
	got := RankPostings(s, []JobPosting{otherSkill, county, lowWage, township, near})
	var order []int64
	for _, m := range got {
		order = append(order, m.Posting.ID)
	}
	pos := map[int64]int{}
	for i, id := range order {
		pos[id] = i
	}
	if order[0] != 1 || order[1] != 2 || pos[2] > pos[3] || order[4] != 5 {
		t.Errorf("order %v: want the same village (1), then the same township (2) before the county (3), the other skill (5) last", order)
	}
	if pos[4] < pos[1] {
		t.Errorf("order %v: a wage below the hope (4) must not beat the same job at the hoped wage (1)", order)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Score > got[i-1].Score {
			t.Errorf("scores not descending: %v", got)
		}
	}
}

func TestFitByCoordinatesWhenKnown(t *testing.T) {
	s := seeker(1, daxing, false, "电工")
	s.Lat, s.Lng = 29.43, 111.12
	p := posting(1, tongjinp, "", "电工") // another township, but 3 km away
	p.Lat, p.Lng = 29.45, 111.14
	_, why := Fit(s, p)
	if !hasReason(why, "match.distance_km") {
		t.Fatalf("reasons %v: coordinates known on both sides should give a distance", why)
	}
	if km := Kilometres(29.43, 111.12, 29.45, 111.14); km < 2 || km > 4 {
		t.Errorf("distance %.1f km, want about 3", km)
	}
}

func hasReason(ms []Msg, key string) bool {
	for _, m := range ms {
		if m.Key == key {
			return true
		}
	}
	return false
}

func TestReferralStateMachine(t *testing.T) {
	const today = "2020-03-09"
	type step struct{ to, day, err string }
	tests := []struct {
		name  string
		steps []step
		final string
	}{
		{"the whole way", []step{{ReferralInterviewed, "2020-03-02", ""}, {ReferralHired, "2020-03-03", ""}, {ReferralOnDuty, "2020-03-05", ""}}, ReferralOnDuty},
		{"same day steps", []step{{ReferralInterviewed, "2020-03-01", ""}, {ReferralHired, "2020-03-01", ""}, {ReferralOnDuty, "2020-03-01", ""}}, ReferralOnDuty},
		{"no skipping the interview", []step{{ReferralHired, "2020-03-02", "referral.step"}}, ReferralReferred},
		{"no going back", []step{{ReferralInterviewed, "2020-03-02", ""}, {ReferralReferred, "2020-03-03", "referral.step"}}, ReferralInterviewed},
		{"on duty is the end", []step{{ReferralInterviewed, "2020-03-02", ""}, {ReferralHired, "2020-03-03", ""}, {ReferralOnDuty, "2020-03-04", ""}, {ReferralDeclined, "2020-03-05", "referral.step"}}, ReferralOnDuty},
		{"declined after interview", []step{{ReferralInterviewed, "2020-03-02", ""}, {ReferralDeclined, "2020-03-03", ""}, {ReferralHired, "2020-03-04", "referral.step"}}, ReferralDeclined},
		{"a day before the last step", []step{{ReferralInterviewed, "2020-02-28", "referral.day_before"}}, ReferralReferred},
		{"a day in the future", []step{{ReferralInterviewed, "2020-03-10", "referral.day_future"}}, ReferralReferred},
		{"not a date", []step{{ReferralInterviewed, "3月2日", "field.date"}}, ReferralReferred},
		{"unknown state", []step{{"placed", "2020-03-02", "referral.step"}}, ReferralReferred},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Referral{State: ReferralReferred, ReferredOn: "2020-03-01"}
			for _, s := range tt.steps {
				err := r.Advance(s.to, s.day, today)
				got := ""
				if err != nil {
					for _, m := range AsError(err).Fields {
						got = m.Key
					}
				}
				if got != s.err {
					t.Fatalf("advance to %s on %s: error %q, want %q", s.to, s.day, got, s.err)
				}
			}
			if r.State != tt.final {
				t.Errorf("state %s, want %s", r.State, tt.final)
			}
		})
	}
	r := Referral{State: ReferralReferred, ReferredOn: "2020-03-01"}
	r.Advance(ReferralInterviewed, "2020-03-02", today)
	r.Advance(ReferralHired, "2020-03-04", today)
	r.Advance(ReferralOnDuty, "2020-03-06", today)
	if r.InterviewedOn != "2020-03-02" || r.HiredOn != "2020-03-04" || r.OnDutyOn != "2020-03-06" {
		t.Errorf("each step must keep its day: %+v", r)
	}
}

func TestSplitSMS(t *testing.T) {
	han := func(n int) string { return strings.Repeat("招", n) }
	tests := []struct {
		name     string
		text     string
		encoding string
		units    int
		parts    int
		perPart  int
	}{
		{"empty", "", EncodingGSM7, 0, 0, 160},
		{"one Chinese character", "招", EncodingUCS2, 1, 1, 70},
		{"70 Chinese characters fit one", han(70), EncodingUCS2, 70, 1, 70},
		{"71 make two parts of 67", han(71), EncodingUCS2, 71, 2, 67},
		{"134 fill two parts", han(134), EncodingUCS2, 134, 2, 67},
		{"135 need three", han(135), EncodingUCS2, 135, 3, 67},
		{"one Chinese character makes ASCII UCS-2", strings.Repeat("a", 69) + "招", EncodingUCS2, 70, 1, 70},
		{"Chinese punctuation is not GSM", strings.Repeat("a", 10) + "，", EncodingUCS2, 11, 1, 70},
		{"160 ASCII fit one", strings.Repeat("a", 160), EncodingGSM7, 160, 1, 160},
		{"161 ASCII make two of 153", strings.Repeat("a", 161), EncodingGSM7, 161, 2, 153},
		{"307 ASCII make three", strings.Repeat("a", 307), EncodingGSM7, 307, 3, 153},
		{"extension characters count twice", strings.Repeat("a", 158) + "{", EncodingGSM7, 160, 1, 160},
		{"an emoji takes two UCS-2 units", han(69) + "😀", EncodingUCS2, 71, 2, 67},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSMS(tt.text)
			if got.Encoding != tt.encoding || got.Units != tt.units || got.Parts != tt.parts || got.PerPart != tt.perPart {
				t.Fatalf("SplitSMS = %s %d units, %d parts of %d; want %s %d, %d of %d", got.Encoding, got.Units, got.Parts, got.PerPart, tt.encoding, tt.units, tt.parts, tt.perPart)
			}
			if strings.Join(got.Texts, "") != tt.text {
				t.Errorf("the parts do not join back to the text")
			}
			for i, p := range got.Texts {
				if n := SplitSMS(p).Units; n > got.PerPart {
					t.Errorf("part %d holds %d units, more than %d", i, n, got.PerPart)
				}
			}
		})
	}
	// The seed's own news as a village would text it: Chinese, so 67 per part.
	news := "【慈利县委组织部】县工业集中区企业招工：普工月薪4000-5000元，离家近，包吃住。有意者请联系村干部登记，或查看《慈利县企业招聘信息》。"
	info := SplitSMS(news)
	n := len([]rune(news))
	want := 1
	if n > 70 {
		want = (n + 66) / 67
	}
	if info.Encoding != EncodingUCS2 || info.Parts != want {
		t.Errorf("the job news of %d characters: %s in %d parts, want UCS-2 in %d", n, info.Encoding, info.Parts, want)
	}
}

func TestJobSeekerValidateDerivesAgeAndGender(t *testing.T) {
	s := JobSeeker{Name: " 王兵 ", IDNumber: "430821199001011235", Phone: "+86 135-0744-0001", Village: daxing}
	if err := s.Validate("2020-03-09"); err != nil {
		t.Fatal(err)
	}
	if s.Age != 30 || s.Gender != GenderMale || s.Phone != "13507440001" || s.Township != miaoshi || s.Name != "王兵" {
		t.Errorf("got %+v", s)
	}
	bad := JobSeeker{Name: "", IDNumber: "430821199001011238", Phone: "12345", Village: "4308"}
	err := AsError(bad.Validate("2020-03-09"))
	for _, f := range []string{"name", "id_number", "phone", "village"} {
		if _, ok := err.Fields[f]; !ok {
			t.Errorf("no message for %s: %v", f, err.Fields)
		}
	}
	if MaskIDNumber("430821199001011235") != "430821********1235" || MaskPhone("13507440001") != "135****0001" {
		t.Errorf("masks: %s %s", MaskIDNumber("430821199001011235"), MaskPhone("13507440001"))
	}
}

func TestTallyWorkshops(t *testing.T) {
	ws := []Workshop{
		{Status: StatusResumed, ResumedOn: "2020-02-09", Workers: 35, PoorWorkers: 10},
		{Status: StatusResumed, ResumedOn: "2020-03-10", Workers: 20, PoorWorkers: 5},
		{Status: StatusNotResumed, Workers: 0},
	}
	st := TallyWorkshops("2020-03-09", ws)
	if st.Total != 3 || st.Resumed != 1 || st.Workers != 35 || st.PoorWorkers != 10 {
		t.Errorf("%+v", st)
	}
}

// BenchmarkRankSeekers ranks a township's worth of seekers (10,000) for one posting.
func BenchmarkRankSeekers(b *testing.B) {
	p := posting(1, miaoshi, daxing, "缝纫", "电工")
	ss := make([]JobSeeker, 10000)
	skills := []string{"缝纫", "电工", "焊工", "普工"}
	for i := range ss {
		ss[i] = seeker(int64(i), daxing, i%3 == 0, skills[i%len(skills)])
		ss[i].WageExpect = 3000 + i%5*500
	}
	b.ResetTimer()
	for b.Loop() {
		RankSeekers(p, ss)
	}
}
