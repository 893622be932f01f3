package fugong

import (
	"strings"
	"time"
)

// JobPosting is an enterprise's job posting (招聘信息), published on the public job
// board and in the bulletin 《慈利县企业招聘信息》 while it is open.
type JobPosting struct {
	ID           int64
	County       string
	EnterpriseID int64
	Enterprise   string // the enterprise's name, for display
	Title        string
	Openings     int
	// WageMin and WageMax are the monthly wage range in whole yuan, as postings state it.
	WageMin, WageMax int
	Township         string // twelve-digit township code of the workplace
	Village          string // village code of the workplace, when known
	Address          string
	Requirements     string
	// Skills are the skills the job asks for, as short words (电工, 缝纫…), for matching.
	Skills []string
	// Benefits (福利).
	NearHome, Meals, Lodging bool
	// EmploymentType is schema.org's: FULL_TIME, PART_TIME, TEMPORARY… (EmploymentTypes).
	EmploymentType string
	// Lat and Lng are the workplace's coordinates when known (0 when not).
	Lat, Lng   float64
	PostedOn   string // YYYY-MM-DD
	ValidUntil string // YYYY-MM-DD, the last day it is open
	Closed     bool
	Demo       bool
	Version    int64
	CreatedAt  time.Time
}

// Open reports whether the posting is open on day (YYYY-MM-DD).
func (p JobPosting) Open(day string) bool {
	return !p.Closed && p.ValidUntil >= day && p.PostedOn <= day
}

// Validate checks a posting before it is saved; today is the county's date.
func (p *JobPosting) Validate(today string) error {
	f := FieldErrors{}
	p.Title = strings.TrimSpace(p.Title)
	p.Address = strings.TrimSpace(p.Address)
	p.Requirements = strings.TrimSpace(p.Requirements)
	p.Skills = CleanWords(p.Skills)
	if p.Title == "" {
		f.Add("title", "field.required")
	}
	if p.EnterpriseID == 0 {
		f.Add("enterprise_id", "field.required")
	}
	if p.Openings < 1 || p.Openings > 100000 {
		f.Add("openings", "posting.openings")
	}
	if p.WageMin < 0 || p.WageMax < 0 {
		f.Add("wage_min", "field.not_negative")
	}
	if p.WageMax < p.WageMin {
		f.Add("wage_max", "posting.wage_range")
	}
	if CheckRegionCode(p.Township, LevelTownship) != "" {
		f.Add("township", "enterprise.township")
	}
	if p.Village != "" && (CheckRegionCode(p.Village, LevelVillage) != "" || p.Village[:9] != p.Township[:min(9, len(p.Township))]) {
		f.Add("village", "posting.village")
	}
	if p.PostedOn == "" {
		p.PostedOn = today
	}
	if _, err := time.Parse(time.DateOnly, p.ValidUntil); err != nil {
		f.Add("valid_until", "field.date")
	} else if p.ValidUntil < p.PostedOn {
		f.Add("valid_until", "posting.valid_until")
	}
	if (p.Lat != 0 || p.Lng != 0) && (p.Lat < -90 || p.Lat > 90 || p.Lng < -180 || p.Lng > 180) {
		f.Add("lat", "posting.coordinates")
	}
	if p.EmploymentType == "" {
		p.EmploymentType = EmploymentTypes[0]
	}
	if !oneOf(p.EmploymentType, EmploymentTypes) {
		f.Add("employment_type", "posting.employment_type_invalid")
	}
	return f.Err()
}

// EmploymentTypes are schema.org's employment types (JobPosting.employmentType), the
// default first: full-time, part-time, temporary (seasonal work), contractor, intern,
// per diem (day labour), volunteer, other.
var EmploymentTypes = []string{"FULL_TIME", "PART_TIME", "TEMPORARY", "CONTRACTOR", "INTERN", "PER_DIEM", "VOLUNTEER", "OTHER"}

// CleanWords trims a list of short words, drops empty ones and duplicates, keeping order.
func CleanWords(ws []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range ws {
		w = strings.TrimSpace(w)
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// SplitWords splits a list typed as "电工，焊工、叉车 驾驶" on the separators people use.
func SplitWords(s string) []string {
	return CleanWords(strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\t' || r == '\n' || r == '/'
	}))
}

// JobPostingFilter selects postings.
type JobPostingFilter struct {
	EnterpriseID int64
	Township     string
	Query        string
	// OpenOn keeps postings open on that day (YYYY-MM-DD).
	OpenOn string
	Limit  int
	Offset int
}

// JobSeeker is a person looking for work near home, registered by their village cadre
// (求职登记). IDNumber and Phone are personal data: they are sealed at rest, found by a
// keyed hash and shown masked; the clear values are only ever filled for the one
// request that registers or unmasks them, and never go into the audit log.
type JobSeeker struct {
	ID       int64
	County   string
	Township string
	Village  string
	Name     string
	IDNumber string `json:"-"`
	Phone    string `json:"-"`
	// IDMasked and PhoneMasked are what the pages and the API show by default.
	IDMasked    string
	PhoneMasked string
	Age         int
	Gender      string // GenderMale or GenderFemale
	Skills      []string
	Wanted      string // the work they want (求职意向)
	WageExpect  int    // monthly wage they hope for, whole yuan; 0 when not said
	Poor        bool   // a registered poor household (建档立卡贫困户)
	Available   string // YYYY-MM-DD from which they can start
	Lat, Lng    float64
	Demo        bool
	Version     int64
	CreatedAt   time.Time
}

// Validate checks a registration; today (YYYY-MM-DD) gives the age when the ID number does.
func (s *JobSeeker) Validate(today string) error {
	f := FieldErrors{}
	s.Name = strings.TrimSpace(s.Name)
	s.IDNumber = NormalizeIDNumber(s.IDNumber)
	s.Phone = NormalizePhone(s.Phone)
	s.Wanted = strings.TrimSpace(s.Wanted)
	s.Skills = CleanWords(s.Skills)
	if s.Name == "" {
		f.Add("name", "field.required")
	}
	if s.Phone == "" {
		f.Add("phone", "field.required")
	} else if k := CheckPhone(s.Phone); k != "" {
		f.Add("phone", k)
	}
	if s.IDNumber != "" {
		if k := CheckIDNumber(s.IDNumber); k != "" {
			f.Add("id_number", k)
		} else if b, _ := IDNumberBirth(s.IDNumber); b.Format(time.DateOnly) > today {
			f.Add("id_number", "id_number.birth")
		} else {
			d, _ := time.Parse(time.DateOnly, today)
			s.Age = AgeOn(b, d)
			s.Gender = IDNumberGender(s.IDNumber)
		}
	}
	if CheckRegionCode(s.Village, LevelVillage) != "" {
		f.Add("village", "seeker.village")
	} else {
		s.Township = s.Village[:9] + "000"
	}
	if s.Age != 0 && (s.Age < 16 || s.Age > 80) {
		f.Add("age", "seeker.age_range")
	}
	if s.Gender != "" && s.Gender != GenderMale && s.Gender != GenderFemale {
		f.Add("gender", "seeker.gender_invalid")
	}
	if s.WageExpect < 0 {
		f.Add("wage_expect", "field.not_negative")
	}
	if s.Available != "" {
		if _, err := time.Parse(time.DateOnly, s.Available); err != nil {
			f.Add("available", "field.date")
		}
	}
	return f.Err()
}

// NormalizePhone drops spaces, dashes and a +86 or 86 prefix from a mobile number.
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+86")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s
}

// MaskIDNumber and MaskPhone are the masks DESIGN.md asks for: 430821********1234, 138****5678.
func MaskIDNumber(id string) string { return maskRunes(id, 6, 4) }

// MaskPhone masks the middle four digits of a mobile number.
func MaskPhone(p string) string { return maskRunes(p, 3, 4) }

func maskRunes(v string, keep, tail int) string {
	r := []rune(v)
	if len(r) <= keep+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep-tail) + string(r[len(r)-tail:])
}

// JobSeekerFilter selects seekers.
type JobSeekerFilter struct {
	Village  string
	Township string
	Query    string // name contains
	Poor     *bool
	Limit    int
	Offset   int
}

// Referral states: a referral moves forward one step at a time, each step dated.
const (
	ReferralReferred    = "referred"    // 已推荐
	ReferralInterviewed = "interviewed" // 已面试
	ReferralHired       = "hired"       // 已录用
	ReferralOnDuty      = "on_duty"     // 已上岗 — the seeker is placed
	ReferralDeclined    = "declined"    // 未录用 or withdrawn; the end
)

// ReferralStates lists the states in order.
var ReferralStates = []string{ReferralReferred, ReferralInterviewed, ReferralHired, ReferralOnDuty, ReferralDeclined}

// referralNext is the state machine: from each state, the states it may move to.
var referralNext = map[string][]string{
	ReferralReferred:    {ReferralInterviewed, ReferralDeclined},
	ReferralInterviewed: {ReferralHired, ReferralDeclined},
	ReferralHired:       {ReferralOnDuty, ReferralDeclined},
}

// Referral is a seeker put forward for a posting, and what became of it.
type Referral struct {
	ID           int64
	County       string
	SeekerID     int64
	PostingID    int64
	EnterpriseID int64
	Village      string // the seeker's village, for scope
	Township     string // the workplace's township
	State        string
	// The day of each step, YYYY-MM-DD; empty until reached.
	ReferredOn, InterviewedOn, HiredOn, OnDutyOn, DeclinedOn string
	Note                                                     string
	Version                                                  int64
	// For display.
	SeekerName, PostingTitle, Enterprise string
	Poor                                 bool
}

// NextStates lists the states the referral may move to now.
func (r Referral) NextStates() []string { return referralNext[r.State] }

// LastDay is the day of the latest step reached.
func (r Referral) LastDay() string {
	d := r.ReferredOn
	for _, x := range []string{r.InterviewedOn, r.HiredOn, r.OnDutyOn, r.DeclinedOn} {
		if x > d {
			d = x
		}
	}
	return d
}

// Advance moves the referral to state on day (YYYY-MM-DD), refusing a step the machine
// does not allow, a day before the last step, or a day after today.
func (r *Referral) Advance(to, day, today string) error {
	allowed := false
	for _, s := range referralNext[r.State] {
		allowed = allowed || s == to
	}
	if !allowed {
		return Invalid(map[string]Msg{"state": M("referral.step", r.State, to)})
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return Invalid(map[string]Msg{"day": M("field.date")})
	}
	if day < r.LastDay() {
		return Invalid(map[string]Msg{"day": M("referral.day_before", r.LastDay())})
	}
	if day > today {
		return Invalid(map[string]Msg{"day": M("referral.day_future")})
	}
	switch to {
	case ReferralInterviewed:
		r.InterviewedOn = day
	case ReferralHired:
		r.HiredOn = day
	case ReferralOnDuty:
		r.OnDutyOn = day
	case ReferralDeclined:
		r.DeclinedOn = day
	}
	r.State = to
	return nil
}

// ReferralFilter selects referrals.
type ReferralFilter struct {
	SeekerID  int64
	PostingID int64
	State     string
	Limit     int
	Offset    int
}

// Broadcast is job news sent by SMS to the registered seekers of chosen villages (the
// organisation department's 就业红娘 work).
type Broadcast struct {
	ID       int64
	County   string
	SenderID int64
	Sender   string
	Text     string
	Villages []string
	// Body is what goes to each phone after the county's signature: the text and the
	// opt-out notice (OptOutNotice). SMS counts the signature and Body, as received.
	Body string
	SMS  SMSInfo
	// OptedOut counts the phones of the chosen villages left out because they opted out.
	OptedOut int
	// Per village: phones reached, messages sent to the gateway, delivered and failed.
	Counts    []BroadcastCount
	CreatedAt time.Time
}

// BroadcastCount is one village's tally of a broadcast.
type BroadcastCount struct {
	Village                             string
	Recipients, Sent, Delivered, Failed int
}

// MaxBroadcastParts bounds a broadcast's length: a long SMS of more parts is refused.
const MaxBroadcastParts = 6

// OptOutNotice ends every broadcast: how to stop them, as commercial SMS must say.
const OptOutNotice = "回复TD退订"

// Validate checks a broadcast before it is sent with the county's SMS signature (【…】,
// the SMS driver puts it before the text): no signature, no broadcast, since a gateway
// refuses an unsigned marketing text and a villager must see who sends it. It composes
// Body (the text and OptOutNotice) and counts the SMS as the phone receives it.
func (b *Broadcast) Validate(signature string) error {
	f := FieldErrors{}
	b.Text = strings.TrimSpace(b.Text)
	b.Villages = CleanWords(b.Villages)
	b.Body = b.Text + " " + OptOutNotice
	b.SMS = SplitSMS(signature + b.Body)
	if strings.TrimSpace(signature) == "" {
		f.Add("text", "broadcast.no_signature")
	}
	if b.Text == "" {
		f.Add("text", "field.required")
	} else if b.SMS.Parts > MaxBroadcastParts {
		f.Add("text", "broadcast.too_long", MaxBroadcastParts)
	}
	if len(b.Villages) == 0 {
		f.Add("villages", "broadcast.villages")
	}
	for _, v := range b.Villages {
		if CheckRegionCode(v, LevelVillage) != "" {
			f.Add("villages", "broadcast.villages")
		}
	}
	return f.Err()
}

// Workshop is a poverty workshop (扶贫车间) as the board shows it: the enterprise and its
// latest headcount.
type Workshop struct {
	EnterpriseID int64
	Name         string
	Township     string
	Village      string
	Status       string
	ResumedOn    string
	// From the latest day reported on or before the board's day.
	Day         string
	Workers     int
	PoorWorkers int
	// Shifts is how many staggered batches (分批错峰) the workers come in.
	Shifts    int
	DailyWage int64 // fen
}

// WorkshopDay is one day's report of a workshop.
type WorkshopDay struct {
	County       string
	EnterpriseID int64
	Day          string
	Workers      int
	PoorWorkers  int
	Shifts       int
	DailyWage    int64 // fen
}

// Validate checks a day's report.
func (d *WorkshopDay) Validate(today string) error {
	f := FieldErrors{}
	if _, err := time.Parse(time.DateOnly, d.Day); err != nil {
		f.Add("day", "field.date")
	} else if d.Day > today {
		f.Add("day", "referral.day_future")
	}
	if d.Workers < 0 {
		f.Add("workers", "field.not_negative")
	}
	if d.PoorWorkers < 0 || d.PoorWorkers > d.Workers {
		f.Add("poor_workers", "workshop.poor_invalid")
	}
	if d.Shifts < 1 || d.Shifts > 6 {
		f.Add("shifts", "workshop.shifts_invalid")
	}
	if d.DailyWage < 0 {
		f.Add("daily_wage", "field.not_negative")
	}
	return f.Err()
}

// WorkshopStats is the seed's statistic: "全县33家就业扶贫车间已有14家复工复产，近200人返岗，
// 其中49人为贫困劳动力".
type WorkshopStats struct {
	Day         string
	Total       int
	Resumed     int
	Workers     int
	PoorWorkers int
}

// TallyWorkshops computes the statistic on day from the workshops' board rows.
func TallyWorkshops(day string, ws []Workshop) WorkshopStats {
	st := WorkshopStats{Day: day, Total: len(ws)}
	for _, w := range ws {
		if w.Status == StatusResumed && w.ResumedOn != "" && w.ResumedOn <= day {
			st.Resumed++
			st.Workers += w.Workers
			st.PoorWorkers += w.PoorWorkers
		}
	}
	return st
}

// EmploymentStats are the employment figures of a scope.
type EmploymentStats struct {
	Registered int // job seekers registered
	Poor       int // of them poor households
	Referred   int // seekers referred at least once
	Placed     int // seekers on duty
	PlacedPoor int // of them poor households
	// ByTownship: the seekers' home townships, with how many work in their own township.
	ByTownship []TownshipEmployment
}

// TownshipEmployment is one township's line of the statistics.
type TownshipEmployment struct {
	Township                                 string
	Registered, Referred, Placed, PlacedPoor int
	// PlacedLocal counts placements at a workplace in the seeker's own township.
	PlacedLocal int
}
