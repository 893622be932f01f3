package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

// formInt reads an integer form value into *v, noting a message when it is not one.
func formInt(f fugong.FieldErrors, form url.Values, name string, v *int) {
	s := form.Get(name)
	if s == "" {
		return
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(name, "field.number")
		return
	}
	*v = n
}

func (s *Server) today() string { return fugong.Day(s.Clock.Now(), s.Loc) }

// orToday is day, or today when day is empty.
func (s *Server) orToday(day string) string {
	if day == "" {
		return s.today()
	}
	return day
}

// regionNames maps the region codes of the counties given to their names.
func (s *Server) regionNames(r *http.Request, counties ...string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	for _, c := range counties {
		if seen[c] || c == "" {
			continue
		}
		seen[c] = true
		m, err := s.DB.RegionNames(r.Context(), c)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

type jobBoardData struct {
	Items    []fugong.JobPosting
	Names    map[string]string
	Township string
	Pager    Pager
	County   string
}

// jobBoard is the public job board: open postings, no login, made for phones.
func (s *Server) jobBoard(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := fugong.JobPostingFilter{OpenOn: s.today(), Township: q.Get("township"), Query: q.Get("q"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindPublicJobPostings(r.Context(), q.Get("county"), f)
	if err != nil {
		return err
	}
	var counties []string
	for _, p := range items {
		counties = append(counties, p.County)
	}
	names, err := s.regionNames(r, counties...)
	if err != nil {
		return err
	}
	p := s.newPage(r, "jobs.title")
	p.Data = jobBoardData{Items: items, Names: names, Township: f.Township, Pager: newPager(r, p, total, f.Limit, f.Offset), County: q.Get("county")}
	return s.render(w, r, "employment/board", p)
}

type postingPageData struct {
	P      fugong.JobPosting
	Names  map[string]string
	JSONLD map[string]any
	// For staff: the seekers ranked for the posting, and its referrals.
	Matches   []matchRow
	Referrals []fugong.Referral
	CanRefer  bool
	CanClose  bool
	// QR shows the posting's QR code (when a public base URL is configured).
	QR     bool
	Public bool
}

// matchRow is a ranked candidate with its reasons in the page's language.
type matchRow struct {
	fugong.Match
	Why []string
}

func (s *Server) matchRows(p *Page, ms []fugong.Match) []matchRow {
	out := make([]matchRow, len(ms))
	for i, m := range ms {
		out[i].Match = m
		for _, why := range m.Reasons {
			out[i].Why = append(out[i].Why, s.Cat.Msg(p.Lang, why))
		}
	}
	return out
}

// jobPostingLD is the posting as schema.org JobPosting data for search engines and apps.
func jobPostingLD(p fugong.JobPosting, names map[string]string, pg *Page, loc *time.Location) map[string]any {
	desc := p.Title
	if p.Requirements != "" {
		desc += "。" + pg.T("posting.requirements") + "：" + p.Requirements
	}
	var benefits []string
	for _, b := range []struct {
		on  bool
		key string
	}{{p.NearHome, "posting.near_home"}, {p.Meals, "posting.meals"}, {p.Lodging, "posting.lodging"}} {
		if b.on {
			benefits = append(benefits, pg.T(b.key))
		}
	}
	until, _ := time.ParseInLocation(time.DateOnly, p.ValidUntil, loc)
	address := map[string]any{"@type": "PostalAddress", "streetAddress": p.Address,
		"addressLocality": names[p.County] + names[p.Township], "addressRegion": names[p.County[:2]+"0000"], "addressCountry": "CN"}
	ld := map[string]any{
		"@context":         "https://schema.org/",
		"@type":            "JobPosting",
		"title":            p.Title,
		"description":      desc,
		"datePosted":       p.PostedOn,
		"validThrough":     until.Add(24*time.Hour - time.Second).Format(time.RFC3339),
		"employmentType":   p.EmploymentType,
		"totalJobOpenings": p.Openings,
		// The posting's number, named by the one who posts it (Google's identifier).
		"identifier": map[string]any{"@type": "PropertyValue", "name": p.Enterprise, "value": strconv.FormatInt(p.ID, 10)},
		// No one applies on the page itself: the seeker goes through the village cadre.
		"directApply":        false,
		"hiringOrganization": map[string]any{"@type": "Organization", "name": p.Enterprise},
		"jobLocation":        map[string]any{"@type": "Place", "address": address},
		"baseSalary": map[string]any{"@type": "MonetaryAmount", "currency": "CNY",
			"value": map[string]any{"@type": "QuantitativeValue", "minValue": p.WageMin, "maxValue": p.WageMax, "unitText": "MONTH"}},
	}
	if p.Lat != 0 || p.Lng != 0 {
		ld["jobLocation"].(map[string]any)["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": p.Lat, "longitude": p.Lng}
	}
	if len(benefits) > 0 {
		ld["jobBenefits"] = benefits
	}
	if len(p.Skills) > 0 {
		ld["skills"] = p.Skills
	}
	return ld
}

// jobPublic shows one open posting to anyone, with its JobPosting data and QR code.
func (s *Server) jobPublic(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	jp, err := s.DB.FindPublicJobPosting(r.Context(), id, s.today())
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, jp.County, jp.County[:2]+"0000")
	if err != nil {
		return err
	}
	p := s.newPage(r, "jobs.title")
	p.Title = jp.Title + " · " + jp.Enterprise
	p.Data = postingPageData{P: jp, Names: names, JSONLD: jobPostingLD(jp, names, p, s.Loc), Public: true, QR: s.PublicURL != ""}
	return s.render(w, r, "employment/job", p)
}

// jobQR answers a PNG QR code of the posting's public address, to print and to scan.
func (s *Server) jobQR(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.DB.FindPublicJobPosting(r.Context(), id, s.today()); err != nil {
		return err
	}
	return s.writeQR(w, "/jobs/"+strconv.FormatInt(id, 10), "public")
}

type bulletinData struct {
	Items  []fugong.JobPosting
	Names  map[string]string
	Title  string
	Issued string
}

// jobBulletin is the printable 《慈利县企业招聘信息》: every open posting of a county on A4.
func (s *Server) jobBulletin(w http.ResponseWriter, r *http.Request) error {
	county := r.URL.Query().Get("county")
	items, _, err := s.DB.FindPublicJobPostings(r.Context(), county, fugong.JobPostingFilter{OpenOn: s.today(), Limit: 1000})
	if err != nil {
		return err
	}
	if county == "" && len(items) > 0 {
		county = items[0].County
	}
	names, err := s.regionNames(r, county)
	if err != nil {
		return err
	}
	p := s.newPage(r, "jobs.bulletin")
	p.Title = p.T("jobs.bulletin_title", names[county])
	p.Data = bulletinData{Items: items, Names: names, Title: p.Title, Issued: s.today()}
	return s.render(w, r, "employment/bulletin", p)
}

type postingListData struct {
	Items    []fugong.JobPosting
	Names    map[string]string
	Pager    Pager
	Query    string
	CanPost  bool
	OpenOnly bool
	Today    string
}

func (s *Server) postingList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.JobPostingFilter{Query: q.Get("q"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	if q.Get("open") == "1" {
		f.OpenOn = s.today()
	}
	items, total, err := s.DB.FindJobPostings(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.job_postings")
	p.Data = postingListData{Items: items, Names: names, Pager: newPager(r, p, total, f.Limit, f.Offset), Query: f.Query, CanPost: sc.Is(postingRoles...),
		OpenOnly: f.OpenOn != "", Today: s.today()}
	return s.render(w, r, "employment/postings", p)
}

type postingFormData struct {
	Townships   []fugong.Region
	Enterprises []fugong.Enterprise
	Fixed       bool // an enterprise posts for itself
	// EmploymentTypes are the choices of employment type (fugong.EmploymentTypes).
	EmploymentTypes []string
}

func (s *Server) postingFormPage(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	towns, err := s.DB.FindRegions(r.Context(), sc.County)
	if err != nil {
		return err
	}
	d := postingFormData{Townships: towns, Fixed: sc.Role == fugong.RoleEnterprise, EmploymentTypes: fugong.EmploymentTypes}
	if !d.Fixed {
		d.Enterprises, _, err = s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 1000})
		if err != nil {
			return err
		}
	}
	p.Data = d
	return nil
}

func (s *Server) postingNew(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "posting.new")
	if err := s.postingFormPage(r, p); err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if sc.Role == fugong.RoleEnterprise {
		if e, err := s.DB.FindEnterprise(r.Context(), sc, sc.EnterpriseID); err == nil {
			p.Form.Set("township", e.Township)
			p.Form.Set("address", e.Address)
		}
	}
	p.Form.Set("valid_until", s.Clock.Now().In(s.Loc).AddDate(0, 1, 0).Format(time.DateOnly))
	p.Form.Set("openings", "1")
	return s.render(w, r, "employment/posting_form", p)
}

func (s *Server) postingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	jp := fugong.JobPosting{Title: r.PostForm.Get("title"), Township: r.PostForm.Get("township"), Address: r.PostForm.Get("address"),
		Requirements: r.PostForm.Get("requirements"), Skills: fugong.SplitWords(r.PostForm.Get("skills")), ValidUntil: r.PostForm.Get("valid_until"),
		NearHome: r.PostForm.Get("near_home") != "", Meals: r.PostForm.Get("meals") != "", Lodging: r.PostForm.Get("lodging") != "",
		EmploymentType: r.PostForm.Get("employment_type")}
	jp.EnterpriseID, _ = strconv.ParseInt(r.PostForm.Get("enterprise_id"), 10, 64)
	formInt(f, r.PostForm, "openings", &jp.Openings)
	formInt(f, r.PostForm, "wage_min", &jp.WageMin)
	formInt(f, r.PostForm, "wage_max", &jp.WageMax)
	err := f.Err()
	if err == nil {
		err = s.DB.CreateJobPosting(r.Context(), auth.ScopeFrom(r.Context()), &jp, s.today())
	}
	if err != nil {
		return s.formAgain(w, r, err, "posting.new", "employment/posting_form", s.postingFormPage)
	}
	return redirect(w, r, "/job-postings/"+strconv.FormatInt(jp.ID, 10), "posting.created")
}

func (s *Server) postingShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	jp, ms, err := s.DB.MatchSeekersFor(r.Context(), sc, id)
	if err != nil {
		return err
	}
	refs, _, err := s.DB.FindReferrals(r.Context(), sc, fugong.ReferralFilter{PostingID: id, Limit: 200})
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.job_postings")
	p.Title = jp.Title
	if len(ms) > 30 {
		ms = ms[:30]
	}
	p.Data = postingPageData{P: jp, Names: names, Matches: s.matchRows(p, ms), Referrals: refs, CanRefer: sc.Is(referralRoles...) && jp.Open(s.today()),
		CanClose: sc.Is(postingRoles...) && !jp.Closed}
	return s.render(w, r, "employment/posting", p)
}

func (s *Server) postingClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.DB.CloseJobPosting(r.Context(), auth.ScopeFrom(r.Context()), id, v); err != nil {
		return err
	}
	return redirect(w, r, "/job-postings/"+strconv.FormatInt(id, 10), "posting.closed_ok")
}

// Role sets of the employment pages; the store checks them again with the scope.
var (
	postingRoles   = fugong.RolesFor(fugong.PermJobPost)
	seekerRoles    = fugong.RolesFor(fugong.PermSeekerRegister)
	seekerViewers  = fugong.RolesFor(fugong.PermSeekerView)
	referralRoles  = fugong.RolesFor(fugong.PermReferral)
	broadcastRoles = fugong.RolesFor(fugong.PermBroadcast)
)
