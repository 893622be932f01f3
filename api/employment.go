package api

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/xlsx"
)

// jobPostingJSON is a posting as the API shows it; wages are whole yuan a month, as
// postings state them.
type jobPostingJSON struct {
	ID             int64    `json:"id"`
	RegionCode     string   `json:"region_code"`
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	Title          string   `json:"title"`
	Openings       int      `json:"openings"`
	WageMinYuan    int      `json:"wage_min_yuan"`
	WageMaxYuan    int      `json:"wage_max_yuan"`
	Township       string   `json:"township"`
	Village        string   `json:"village,omitempty"`
	Address        string   `json:"address"`
	Requirements   string   `json:"requirements"`
	Skills         []string `json:"skills"`
	NearHome       bool     `json:"near_home"`
	Meals          bool     `json:"meals"`
	Lodging        bool     `json:"lodging"`
	EmploymentType string   `json:"employment_type"`
	Lat            float64  `json:"lat,omitempty"`
	Lng            float64  `json:"lng,omitempty"`
	PostedOn       string   `json:"posted_on"`
	ValidUntil     string   `json:"valid_until"`
	Closed         bool     `json:"closed"`
	Demo           bool     `json:"demo"`
	Version        int64    `json:"version"`
}

// jobPostingRequest creates a posting; an enterprise user's own enterprise is implied.
type jobPostingRequest struct {
	EnterpriseID int64    `json:"enterprise_id,omitempty"`
	Title        string   `json:"title"`
	Openings     int      `json:"openings"`
	WageMinYuan  int      `json:"wage_min_yuan"`
	WageMaxYuan  int      `json:"wage_max_yuan"`
	Township     string   `json:"township"`
	Village      string   `json:"village,omitempty"`
	Address      string   `json:"address"`
	Requirements string   `json:"requirements,omitempty"`
	Skills       []string `json:"skills,omitempty"`
	NearHome     bool     `json:"near_home,omitempty"`
	Meals        bool     `json:"meals,omitempty"`
	Lodging      bool     `json:"lodging,omitempty"`
	// EmploymentType is schema.org's (FULL_TIME by default, PART_TIME, TEMPORARY…).
	EmploymentType string  `json:"employment_type,omitempty"`
	Lat            float64 `json:"lat,omitempty"`
	Lng            float64 `json:"lng,omitempty"`
	ValidUntil     string  `json:"valid_until"`
}

func toJobPostingJSON(p fugong.JobPosting) jobPostingJSON {
	skills := nonNil(p.Skills)
	return jobPostingJSON{ID: p.ID, RegionCode: p.County, EnterpriseID: p.EnterpriseID, EnterpriseName: p.Enterprise, Title: p.Title, Openings: p.Openings,
		WageMinYuan: p.WageMin, WageMaxYuan: p.WageMax, Township: p.Township, Village: p.Village, Address: p.Address, Requirements: p.Requirements,
		Skills: skills, NearHome: p.NearHome, Meals: p.Meals, Lodging: p.Lodging, EmploymentType: p.EmploymentType, Lat: p.Lat, Lng: p.Lng, PostedOn: p.PostedOn, ValidUntil: p.ValidUntil,
		Closed: p.Closed, Demo: p.Demo, Version: p.Version}
}

// mapItems turns each stored item into its JSON shape.
func mapItems[T, U any](items []T, f func(T) U) []U {
	out := make([]U, len(items))
	for i, x := range items {
		out[i] = f(x)
	}
	return out
}

func (s *Server) listJobPostings(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.JobPostingFilter{Township: q.Get("township"), Query: q.Get("q"), Limit: limit, Offset: offset}
	if v := q.Get("enterprise_id"); v != "" {
		f.EnterpriseID, _ = strconv.ParseInt(v, 10, 64)
	}
	if open, err := queryBool(r, "open"); err != nil {
		return err
	} else if open {
		f.OpenOn = s.today()
	}
	items, total, err := s.DB.FindJobPostings(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(mapItems(items, toJobPostingJSON), total))
}

func (s *Server) getJobPosting(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindJobPosting, toJobPostingJSON)
}

func (s *Server) createJobPosting(w http.ResponseWriter, r *http.Request) error {
	var in jobPostingRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := fugong.JobPosting{EnterpriseID: in.EnterpriseID, Title: in.Title, Openings: in.Openings, WageMin: in.WageMinYuan, WageMax: in.WageMaxYuan,
		Township: in.Township, Village: in.Village, Address: in.Address, Requirements: in.Requirements, Skills: in.Skills, NearHome: in.NearHome,
		Meals: in.Meals, Lodging: in.Lodging, EmploymentType: in.EmploymentType, Lat: in.Lat, Lng: in.Lng, ValidUntil: in.ValidUntil}
	sc := auth.ScopeFrom(r.Context())
	if err := s.DB.CreateJobPosting(r.Context(), sc, &p, s.today()); err != nil {
		return err
	}
	return writeStored(w, r, http.StatusCreated, p.ID, s.DB.FindJobPosting, toJobPostingJSON)
}

// jobSeekerJSON is a seeker as the API shows it: id_number and phone masked unless the
// request asks for them with unmask=true and the role may see them (the view is audited).
type jobSeekerJSON struct {
	ID            int64    `json:"id"`
	RegionCode    string   `json:"region_code"`
	Township      string   `json:"township"`
	Village       string   `json:"village"`
	Name          string   `json:"name"`
	IDNumber      string   `json:"id_number"`
	Phone         string   `json:"phone"`
	Age           int      `json:"age"`
	Gender        string   `json:"gender"`
	Skills        []string `json:"skills"`
	Wanted        string   `json:"wanted"`
	WageExpect    int      `json:"wage_expect_yuan"`
	Poor          bool     `json:"poor"`
	AvailableFrom string   `json:"available_from"`
	Demo          bool     `json:"demo"`
	Version       int64    `json:"version"`
}

// jobSeekerRequest registers a seeker; a village cadre's village is implied.
type jobSeekerRequest struct {
	Name          string   `json:"name"`
	IDNumber      string   `json:"id_number,omitempty"`
	Phone         string   `json:"phone"`
	Village       string   `json:"village,omitempty"`
	Age           int      `json:"age,omitempty"`
	Gender        string   `json:"gender,omitempty"`
	Skills        []string `json:"skills,omitempty"`
	Wanted        string   `json:"wanted,omitempty"`
	WageExpect    int      `json:"wage_expect_yuan,omitempty"`
	Poor          bool     `json:"poor,omitempty"`
	AvailableFrom string   `json:"available_from,omitempty"`
}

func toJobSeekerJSON(x fugong.JobSeeker) jobSeekerJSON {
	skills := nonNil(x.Skills)
	out := jobSeekerJSON{ID: x.ID, RegionCode: x.County, Township: x.Township, Village: x.Village, Name: x.Name, IDNumber: x.IDMasked, Phone: x.PhoneMasked,
		Age: x.Age, Gender: x.Gender, Skills: skills, Wanted: x.Wanted, WageExpect: x.WageExpect, Poor: x.Poor, AvailableFrom: x.Available, Demo: x.Demo, Version: x.Version}
	if x.Phone != "" {
		out.IDNumber, out.Phone = x.IDNumber, x.Phone
	}
	return out
}

func (s *Server) listJobSeekers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.JobSeekerFilter{Village: q.Get("village"), Township: q.Get("township"), Query: q.Get("q"), Limit: limit, Offset: offset}
	if f.Poor, err = queryOptBool(r, "poor"); err != nil {
		return err
	}
	items, total, err := s.DB.FindJobSeekers(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(mapItems(items, toJobSeekerJSON), total))
}

func (s *Server) getJobSeeker(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	var x fugong.JobSeeker
	inClear, err := unmask(r)
	if err != nil {
		return err
	}
	if inClear {
		x, err = s.DB.UnmaskJobSeeker(r.Context(), sc, s.Keys, id)
	} else {
		x, err = s.DB.FindJobSeeker(r.Context(), sc, id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toJobSeekerJSON(x))
}

func (s *Server) createJobSeeker(w http.ResponseWriter, r *http.Request) error {
	var in jobSeekerRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x := fugong.JobSeeker{Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone, Village: in.Village, Age: in.Age, Gender: in.Gender, Skills: in.Skills,
		Wanted: in.Wanted, WageExpect: in.WageExpect, Poor: in.Poor, Available: in.AvailableFrom}
	sc := auth.ScopeFrom(r.Context())
	if err := s.DB.CreateJobSeeker(r.Context(), sc, s.Keys, &x, s.today()); err != nil {
		return err
	}
	return writeStored(w, r, http.StatusCreated, x.ID, s.DB.FindJobSeeker, toJobSeekerJSON)
}

// matchJSON is one ranked candidate with its fit and reasons in the request's language.
type matchJSON struct {
	Score   int             `json:"score"`
	Reasons []string        `json:"reasons"`
	Posting *jobPostingJSON `json:"posting,omitempty"`
	Seeker  *jobSeekerJSON  `json:"seeker,omitempty"`
}

func (s *Server) matches(r *http.Request, ms []fugong.Match, posting bool) []matchJSON {
	lang := i18n.Pick(r)
	out := make([]matchJSON, len(ms))
	for i, m := range ms {
		out[i] = matchJSON{Score: m.Score}
		for _, why := range m.Reasons {
			out[i].Reasons = append(out[i].Reasons, s.Cat.Msg(lang, why))
		}
		if posting {
			p := toJobPostingJSON(m.Posting)
			out[i].Posting = &p
		} else {
			x := toJobSeekerJSON(m.Seeker)
			out[i].Seeker = &x
		}
	}
	return out
}

func (s *Server) seekerMatches(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, ms, err := s.DB.MatchPostingsFor(r.Context(), auth.ScopeFrom(r.Context()), id, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(s.matches(r, ms, true), len(ms)))
}

func (s *Server) postingMatches(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, ms, err := s.DB.MatchSeekersFor(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(s.matches(r, ms, false), len(ms)))
}

// referralJSON is a referral with the day of each step reached.
type referralJSON struct {
	ID             int64    `json:"id"`
	SeekerID       int64    `json:"seeker_id"`
	SeekerName     string   `json:"seeker_name"`
	Village        string   `json:"village"`
	Poor           bool     `json:"poor"`
	PostingID      int64    `json:"posting_id"`
	PostingTitle   string   `json:"posting_title"`
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	State          string   `json:"state"`
	NextStates     []string `json:"next_states"`
	ReferredOn     string   `json:"referred_on"`
	InterviewedOn  string   `json:"interviewed_on,omitempty"`
	HiredOn        string   `json:"hired_on,omitempty"`
	OnDutyOn       string   `json:"on_duty_on,omitempty"`
	DeclinedOn     string   `json:"declined_on,omitempty"`
	Version        int64    `json:"version"`
}

type referralRequest struct {
	SeekerID  int64  `json:"seeker_id"`
	PostingID int64  `json:"posting_id"`
	Note      string `json:"note,omitempty"`
}

// advanceRequest moves a referral to state on day (YYYY-MM-DD, today when empty).
type advanceRequest struct {
	State   string `json:"state"`
	Day     string `json:"day,omitempty"`
	Version int64  `json:"version,omitempty"`
}

func toReferralJSON(x fugong.Referral) referralJSON {
	next := x.NextStates()
	next = nonNil(next)
	return referralJSON{ID: x.ID, SeekerID: x.SeekerID, SeekerName: x.SeekerName, Village: x.Village, Poor: x.Poor, PostingID: x.PostingID, PostingTitle: x.PostingTitle,
		EnterpriseID: x.EnterpriseID, EnterpriseName: x.Enterprise, State: x.State, NextStates: next, ReferredOn: x.ReferredOn, InterviewedOn: x.InterviewedOn,
		HiredOn: x.HiredOn, OnDutyOn: x.OnDutyOn, DeclinedOn: x.DeclinedOn, Version: x.Version}
}

func (s *Server) listReferrals(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.ReferralFilter{State: q.Get("state"), Limit: limit, Offset: offset}
	f.SeekerID, _ = strconv.ParseInt(q.Get("seeker_id"), 10, 64)
	f.PostingID, _ = strconv.ParseInt(q.Get("posting_id"), 10, 64)
	items, total, err := s.DB.FindReferrals(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(mapItems(items, toReferralJSON), total))
}

func (s *Server) createReferral(w http.ResponseWriter, r *http.Request) error {
	var in referralRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x, err := s.DB.CreateReferral(r.Context(), auth.ScopeFrom(r.Context()), in.SeekerID, in.PostingID, in.Note, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toReferralJSON(x))
}

func (s *Server) advanceReferral(w http.ResponseWriter, r *http.Request) error {
	var in advanceRequest
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	in.Day = s.orToday(in.Day)
	x, err := s.DB.AdvanceReferral(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, in.State, in.Day, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toReferralJSON(x))
}

// broadcastJSON is a broadcast with its SMS size and per-village tally.
type broadcastJSON struct {
	ID        int64    `json:"id"`
	Text      string   `json:"text"`
	Villages  []string `json:"villages"`
	Encoding  string   `json:"encoding"`
	Units     int      `json:"units"`
	Parts     int      `json:"parts"`
	Sender    string   `json:"sender"`
	CreatedAt string   `json:"created_at"`
	// OptedOut counts the phones of the villages left out because they opted out (退订).
	OptedOut int                  `json:"opted_out"`
	Counts   []broadcastCountJSON `json:"counts"`
}

// inboundSMSRequest is a reply the SMS gateway passes on.
type inboundSMSRequest struct {
	Phone string `json:"phone" openapi:"required"`
	Text  string `json:"text" openapi:"required"`
}

type inboundSMSJSON struct {
	OptedOut bool `json:"opted_out"`
}

// inboundSMS takes a reply from the SMS gateway (header X-SMS-Token: the county's
// sms.inbound_token): a TD puts the phone on the opt-out list.
func (s *Server) inboundSMS(w http.ResponseWriter, r *http.Request) error {
	var in inboundSMSRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := s.DB.OptOutInbound(r.Context(), s.Keys, r.Header.Get("X-SMS-Token"), in.Phone, in.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, inboundSMSJSON{OptedOut: out})
}

type broadcastCountJSON struct {
	Village    string `json:"village"`
	Recipients int    `json:"recipients"`
	Sent       int    `json:"sent"`
	Delivered  int    `json:"delivered"`
	Failed     int    `json:"failed"`
}

type broadcastRequest struct {
	Text     string   `json:"text"`
	Villages []string `json:"villages"`
}

func (s *Server) toBroadcastJSON(b fugong.Broadcast) broadcastJSON {
	out := broadcastJSON{ID: b.ID, Text: b.Text, Villages: b.Villages, Encoding: b.SMS.Encoding, Units: b.SMS.Units, Parts: b.SMS.Parts, Sender: b.Sender,
		CreatedAt: s.rfc3339(b.CreatedAt), OptedOut: b.OptedOut, Counts: []broadcastCountJSON{}}
	for _, c := range b.Counts {
		out.Counts = append(out.Counts, broadcastCountJSON(c))
	}
	return out
}

func (s *Server) listBroadcasts(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindBroadcasts(r.Context(), auth.ScopeFrom(r.Context()), limit, offset)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(mapItems(items, s.toBroadcastJSON), total))
}

func (s *Server) getBroadcast(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindBroadcast, s.toBroadcastJSON)
}

func (s *Server) createBroadcast(w http.ResponseWriter, r *http.Request) error {
	var in broadcastRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	b := fugong.Broadcast{Text: in.Text, Villages: in.Villages}
	if err := s.DB.CreateBroadcast(r.Context(), sc, &b); err != nil {
		return err
	}
	return writeStored(w, r, http.StatusCreated, b.ID, s.DB.FindBroadcast, s.toBroadcastJSON)
}

// workshopStatsJSON is the seed's statistic for a day.
type workshopStatsJSON struct {
	Date        string `json:"date"`
	Total       int    `json:"total"`
	Resumed     int    `json:"resumed"`
	Workers     int    `json:"workers"`
	PoorWorkers int    `json:"poor_workers"`
}

func (s *Server) workshopStats(w http.ResponseWriter, r *http.Request) error {
	day := r.URL.Query().Get("date")
	if day == "" {
		day = s.today()
	} else if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"date": fugong.M("field.date")})
	}
	ws, err := s.figures(r).FindWorkshops(r.Context(), auth.ScopeFrom(r.Context()), day)
	if err != nil {
		return err
	}
	st := fugong.TallyWorkshops(day, ws)
	return writeJSON(w, http.StatusOK, workshopStatsJSON{Date: st.Day, Total: st.Total, Resumed: st.Resumed, Workers: st.Workers, PoorWorkers: st.PoorWorkers})
}

// employmentStatsJSON are the employment figures of the caller's scope.
type employmentStatsJSON struct {
	Registered int                      `json:"registered"`
	Poor       int                      `json:"poor"`
	Referred   int                      `json:"referred"`
	Placed     int                      `json:"placed"`
	PlacedPoor int                      `json:"placed_poor"`
	ByTownship []townshipEmploymentJSON `json:"by_township"`
}

type townshipEmploymentJSON struct {
	Township    string `json:"township"`
	Registered  int    `json:"registered"`
	Referred    int    `json:"referred"`
	Placed      int    `json:"placed"`
	PlacedPoor  int    `json:"placed_poor"`
	PlacedLocal int    `json:"placed_local"`
}

func (s *Server) employmentStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.figures(r).EmploymentStats(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return err
	}
	out := employmentStatsJSON{Registered: st.Registered, Poor: st.Poor, Referred: st.Referred, Placed: st.Placed, PlacedPoor: st.PlacedPoor, ByTownship: []townshipEmploymentJSON{}}
	for _, t := range st.ByTownship {
		out.ByTownship = append(out.ByTownship, townshipEmploymentJSON(t))
	}
	return writeJSON(w, http.StatusOK, out)
}

// employmentRoutes registers the employment operations.
func (s *Server) employmentRoutes() {
	page := []Param{{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}
	idp := []Param{{"id", "path", "integer", ""}}
	s.handle(Op{Method: "GET", Path: "/api/v1/job-postings", Summary: "Job postings in the caller's scope", Tag: "employment", Response: List[jobPostingJSON]{},
		Params: append([]Param{{"q", "query", "string", "title, enterprise or skill contains"}, {"township", "query", "string", "township code"},
			{"enterprise_id", "query", "integer", ""}, {"open", "query", "boolean", "only postings open today"}}, page...)}, s.listJobPostings)
	s.handle(Op{Method: "POST", Path: "/api/v1/job-postings", Summary: "Publish a job posting", Tag: "employment", Roles: postingRoles,
		Request: jobPostingRequest{}, Response: jobPostingJSON{}, Status: 201}, s.createJobPosting)
	s.handle(Op{Method: "GET", Path: "/api/v1/job-postings/{id}", Summary: "One job posting", Tag: "employment", Response: jobPostingJSON{}, Params: idp}, s.getJobPosting)
	s.handle(Op{Method: "GET", Path: "/api/v1/job-postings/{id}/matches", Summary: "Seekers in scope ranked for a posting, poor households first on equal fit, with reasons",
		Tag: "employment", Response: List[matchJSON]{}, Params: idp}, s.postingMatches)
	s.handle(Op{Method: "GET", Path: "/api/v1/job-seekers", Summary: "Job seekers in the caller's scope (ID number and phone masked)", Tag: "employment",
		Response: List[jobSeekerJSON]{}, Params: append([]Param{{"q", "query", "string", "name, skill or wanted work contains"}, {"village", "query", "string", "village code"},
			{"township", "query", "string", "township code"}, {"poor", "query", "boolean", "registered poor household"}}, page...)}, s.listJobSeekers)
	s.handle(Op{Method: "POST", Path: "/api/v1/job-seekers", Summary: "Register a job seeker", Tag: "employment", Roles: seekerRoles,
		Request: jobSeekerRequest{}, Response: jobSeekerJSON{}, Status: 201}, s.createJobSeeker)
	s.handle(Op{Method: "GET", Path: "/api/v1/job-seekers/{id}", Summary: "One job seeker; unmask=true shows the ID number and phone to a role that may see them, and audits the view",
		Tag: "employment", Response: jobSeekerJSON{}, Params: append(idp, Param{"unmask", "query", "boolean", ""})}, s.getJobSeeker)
	s.handle(Op{Method: "GET", Path: "/api/v1/job-seekers/{id}/matches", Summary: "Open postings ranked for a seeker, with reasons", Tag: "employment",
		Response: List[matchJSON]{}, Params: idp}, s.seekerMatches)
	s.handle(Op{Method: "GET", Path: "/api/v1/referrals", Summary: "Referrals in the caller's scope", Tag: "employment", Response: List[referralJSON]{},
		Params: append([]Param{{"seeker_id", "query", "integer", ""}, {"posting_id", "query", "integer", ""}, {"state", "query", "string", "referred, interviewed, hired, on_duty, declined"}}, page...)}, s.listReferrals)
	s.handle(Op{Method: "POST", Path: "/api/v1/referrals", Summary: "Refer a seeker to an open posting", Tag: "employment", Roles: referralRoles,
		Request: referralRequest{}, Response: referralJSON{}, Status: 201}, s.createReferral)
	s.handle(Op{Method: "POST", Path: "/api/v1/referrals/{id}/advance", Summary: "Move a referral one step: referred → interviewed → hired → on_duty (or declined), dated",
		Tag: "employment", Roles: fugong.RolesFor(fugong.PermReferralStep), Request: advanceRequest{}, Response: referralJSON{}, Params: idp}, s.advanceReferral)
	s.handle(Op{Method: "GET", Path: "/api/v1/broadcasts", Summary: "SMS broadcasts of job news, with sent, delivered and failed per village", Tag: "employment",
		Response: List[broadcastJSON]{}, Params: page}, s.listBroadcasts)
	s.handle(Op{Method: "GET", Path: "/api/v1/villagers", Summary: "The contact lists of the villages the caller may send to (村民通讯录), phones masked", Tag: "employment",
		Roles: broadcastRoles, Response: List[villagerJSON]{}, Params: append([]Param{{"q", "query", "string", "part of a name, a phone's last four digits, or a whole phone"}}, page...)}, s.listVillagers)
	s.handle(Op{Method: "POST", Path: "/api/v1/villagers", Summary: "Add a villager to a village's contact list (a village cadre's own village); a bad phone, a village out of scope or the same phone twice in a village is 422 naming the field",
		Tag: "employment", Roles: broadcastRoles, Request: villagerInput{}, Response: villagerJSON{}, Status: 201}, s.createVillager)
	s.handle(Op{Method: "GET", Path: "/api/v1/villagers/export", Summary: "The contact lists in scope as .xlsx with the import's columns (姓名, 手机号, 村, 建档立卡贫困户), phones masked unless unmask=true for a role that may see them (each villager audited, the hour's unmasked views bounded as for the workers export)",
		Tag: "employment", Roles: broadcastRoles, Produces: []string{xlsx.ContentType}, Params: []Param{{"unmask", "query", "boolean", ""}, {"reason", "query", "string", "why, beyond the hourly limit (command only)"}}}, s.exportVillagers)
	s.handle(Op{Method: "GET", Path: "/api/v1/villagers/{id}", Summary: "One villager of a village the caller may send to, phone masked, also one taken off the list (retired_at); another village's is 404",
		Tag: "employment", Roles: broadcastRoles, Response: villagerJSON{}, Params: idp}, s.getVillager)
	s.handle(Op{Method: "PUT", Path: "/api/v1/villagers/{id}", Summary: "Correct a villager at the version read (name, phone, poor, village); an empty phone or the masked one keeps the phone; 422 naming the field, 409 for a stale version or a villager taken off the list; audited",
		Tag: "employment", Roles: broadcastRoles, Request: villagerEditInput{}, Response: villagerJSON{}, Params: idp}, s.updateVillager)
	s.handle(Op{Method: "POST", Path: "/api/v1/villagers/{id}/retire", Summary: "Take a villager who moved away off the list at the version read: kept (retired_at) for the broadcasts that reached them, sent nothing more; 409 when stale; audited",
		Tag: "employment", Roles: broadcastRoles, Request: villagerRetireInput{}, Response: villagerJSON{}, Params: idp}, s.retireVillager)
	s.handle(Op{Method: "GET", Path: "/api/v1/optouts", Summary: "The county's opt-out list (退订), phones masked, newest first", Tag: "employment",
		Roles: broadcastRoles, Response: List[optOutJSON]{}, Params: page[:1]}, s.listOptOuts)
	s.handle(Op{Method: "POST", Path: "/api/v1/optouts", Summary: "Put a phone on the opt-out list at the villager's request: no broadcast reaches it again", Tag: "employment",
		Roles: broadcastRoles, Request: optOutInput{}, Status: 204}, s.createOptOut)
	s.handle(Op{Method: "POST", Path: "/api/v1/optouts/undo", Summary: "Take a phone off the opt-out list when the villager asks for job news again (撤销退订), with a note of how they asked; audited. A phone not on the list is 422 naming phone",
		Tag: "employment", Roles: broadcastRoles, Request: optOutUndoInput{}, Status: 204}, s.undoOptOut)
	s.handle(Op{Method: "POST", Path: "/api/v1/sms/inbound", Summary: "The SMS gateway passes on a reply (header X-SMS-Token, the county's sms.inbound_token); TD opts the phone out of broadcasts",
		Tag: "employment", Public: true, Request: inboundSMSRequest{}, Response: inboundSMSJSON{}}, s.inboundSMS)
	s.handle(Op{Method: "POST", Path: "/api/v1/broadcasts", Summary: "Text job news to the chosen villages at large (seekers without a job and the villagers' contact list), signed, with 回复TD退订, never to a phone that opted out", Tag: "employment",
		Roles: broadcastRoles, Request: broadcastRequest{}, Response: broadcastJSON{}, Status: 201}, s.createBroadcast)
	s.handle(Op{Method: "GET", Path: "/api/v1/broadcasts/{id}", Summary: "One broadcast with its per-village tally", Tag: "employment", Response: broadcastJSON{}, Params: idp}, s.getBroadcast)
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/workshops", Summary: "Poverty workshops on a day: total, resumed, workers, poor_workers", Tag: "employment",
		Response: workshopStatsJSON{}, Replica: true, Params: []Param{{"date", "query", "string", "YYYY-MM-DD, today when empty"}}}, s.workshopStats)
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/employment", Summary: "Seekers registered, referred, placed, placed from poor households, by township", Tag: "employment",
		Response: employmentStatsJSON{}, Replica: true}, s.employmentStats)
}

// Role sets of the employment operations (the store checks them again, with the scope).
var (
	postingRoles   = fugong.RolesFor(fugong.PermJobPost)
	seekerRoles    = fugong.RolesFor(fugong.PermSeekerRegister)
	referralRoles  = fugong.RolesFor(fugong.PermReferral)
	broadcastRoles = fugong.RolesFor(fugong.PermBroadcast)
)
