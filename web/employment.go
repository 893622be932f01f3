package web

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

type referralListData struct {
	Referrals []fugong.Referral
	Pager     Pager
	State     string
	States    []string
}

func (s *Server) referralList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := fugong.ReferralFilter{State: r.URL.Query().Get("state"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindReferrals(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.referrals")
	p.Data = referralListData{Referrals: items, Pager: newPager(r, p, total, f.Limit, f.Offset), State: f.State, States: fugong.ReferralStates}
	return s.render(w, r, "employment/referrals", p)
}

// back returns the page a form came from when it is on this site, else def.
func back(r *http.Request, def string) string {
	if b := r.PostFormValue("back"); b != "" {
		return safeNext(b)
	}
	return def
}

func (s *Server) referralCreate(w http.ResponseWriter, r *http.Request) error {
	seeker, _ := strconv.ParseInt(r.PostFormValue("seeker_id"), 10, 64)
	posting, _ := strconv.ParseInt(r.PostFormValue("posting_id"), 10, 64)
	if _, err := s.DB.CreateReferral(r.Context(), auth.ScopeFrom(r.Context()), seeker, posting, r.PostFormValue("note"), s.today()); err != nil {
		return err
	}
	return redirect(w, r, back(r, "/referrals"), "referral.created")
}

func (s *Server) referralAdvance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	day := r.PostFormValue("day")
	day = s.orToday(day)
	if _, err := s.DB.AdvanceReferral(r.Context(), auth.ScopeFrom(r.Context()), id, v, r.PostFormValue("state"), day, s.today()); err != nil {
		return err
	}
	return redirect(w, r, back(r, "/referrals"), "referral.advanced")
}

type broadcastData struct {
	Items    []fugong.Broadcast
	Names    map[string]string
	Villages []fugong.Region
	Pager    Pager
	CanSend  bool
	// Signature is the county's SMS signature; Notice what ends every text.
	Signature, Notice string
	Villagers         []fugong.Villager
	VillagerTotal     int
	// VillagerQuery finds a villager on a long list: part of a name, a phone's last four
	// digits or a whole phone.
	VillagerQuery string
	OptOuts       []fugong.OptOut
}

// villagersShown is how many villagers the broadcasts page lists; a longer list is
// searched.
const villagersShown = 100

func (s *Server) broadcastPage(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	items, total, err := s.DB.FindBroadcasts(r.Context(), sc, 20, intQuery(r, "offset", 0))
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	d := broadcastData{Items: items, Names: names, Pager: newPager(r, p, total, 20, intQuery(r, "offset", 0))}
	if s.DB.CanBroadcast(r.Context(), sc) == nil {
		d.CanSend = true
		if d.Villages, err = s.DB.BroadcastVillages(r.Context(), sc); err != nil {
			return err
		}
		if d.Signature, err = s.DB.Setting(r.Context(), sc.County, fugong.SettingSMSSignature, ""); err != nil {
			return err
		}
		d.Notice = fugong.OptOutNotice
		d.VillagerQuery = r.URL.Query().Get("vq")
		if d.Villagers, d.VillagerTotal, err = s.DB.FindVillagers(r.Context(), sc, s.Keys, fugong.VillagerFilter{Query: d.VillagerQuery, Limit: villagersShown}); err != nil {
			return err
		}
		if d.OptOuts, err = s.DB.FindOptOuts(r.Context(), sc, 50); err != nil {
			return err
		}
	}
	p.Data = d
	return nil
}

// villagerCreate adds a villager to the village's contact list, so that job news
// reaches them too.
func (s *Server) villagerCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	v := fugong.Villager{Village: f.str("village"), Name: f.str("name"), Phone: f.str("phone"), Poor: f.bool("poor")}
	err = f.save(nil, func() error { return s.DB.CreateVillager(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &v) })
	if err != nil {
		return s.formAgain(w, r, err, "nav.broadcasts", "employment/broadcasts", s.broadcastPage)
	}
	return redirect(w, r, "/broadcasts#villagers", "villager.added")
}

// optOutCreate puts a phone on the opt-out list at the villager's request.
func (s *Server) optOutCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	err = f.save(nil, func() error {
		return s.DB.OptOut(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, f.str("optout_phone"))
	})
	if e := fugong.AsError(err); err != nil && e.Code == fugong.EINVALID {
		err = fugong.Invalid(map[string]fugong.Msg{"optout_phone": e.Fields["phone"]})
	}
	if err != nil {
		return s.formAgain(w, r, err, "nav.broadcasts", "employment/broadcasts", s.broadcastPage)
	}
	return redirect(w, r, "/broadcasts#optouts", "optout.added")
}

func (s *Server) broadcastList(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "nav.broadcasts")
	if err := s.broadcastPage(r, p); err != nil {
		return err
	}
	return s.render(w, r, "employment/broadcasts", p)
}

func (s *Server) broadcastCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	b := fugong.Broadcast{Text: r.PostForm.Get("text"), Villages: r.PostForm["villages"]}
	if err := s.DB.CreateBroadcast(r.Context(), auth.ScopeFrom(r.Context()), &b); err != nil {
		return s.formAgain(w, r, err, "nav.broadcasts", "employment/broadcasts", s.broadcastPage)
	}
	return redirect(w, r, "/broadcasts", "broadcast.sent")
}

type workshopData struct {
	Items     []fugong.Workshop
	Stats     fugong.WorkshopStats
	About     string // the workers as a sentence rounds them: "近200人", "200多人"
	Remaining int
	Names     map[string]string
	Day       string
	// Reportable are the workshops whose daily form the caller is shown.
	Reportable map[int64]bool
}

func (s *Server) workshopBoard(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day := r.URL.Query().Get("date")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		day = s.today()
	}
	items, err := s.DB.FindWorkshops(r.Context(), sc, day)
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	st := fugong.TallyWorkshops(day, items)
	p := s.newPage(r, "nav.workshops")
	reportable := map[int64]bool{}
	for _, w := range items {
		reportable[w.EnterpriseID] = sc.Can(fugong.PermWorkshopReport) && fugong.MayReportWorkshop(sc, w)
	}
	key, n := fugong.About(st.Workers)
	p.Data = workshopData{Items: items, Stats: st, About: p.T(key, n), Remaining: st.Total - st.Resumed, Names: names, Day: day, Reportable: reportable}
	return s.render(w, r, "employment/workshops", p)
}

func (s *Server) workshopReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	d := fugong.WorkshopDay{EnterpriseID: id, Day: r.PostForm.Get("day")}
	var wage int
	formInt(f, r.PostForm, "workers", &d.Workers)
	formInt(f, r.PostForm, "poor_workers", &d.PoorWorkers)
	formInt(f, r.PostForm, "shifts", &d.Shifts)
	formInt(f, r.PostForm, "daily_wage", &wage)
	d.DailyWage = int64(wage) * 100
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.DB.SaveWorkshopDay(r.Context(), auth.ScopeFrom(r.Context()), &d, s.today()); err != nil {
		return err
	}
	return redirect(w, r, "/workshops", "workshop.saved")
}

type employmentData struct {
	Stats fugong.EmploymentStats
	Names map[string]string
	Links []NavItem
}

// employmentHome is the employment service's start: the figures of the caller's scope and
// the way to each part.
func (s *Server) employmentHome(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	st, err := s.DB.EmploymentStats(r.Context(), sc)
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.employment")
	var links []NavItem
	for _, l := range []struct {
		href, key string
		roles     []fugong.Role
	}{
		{"/jobs", "jobs.title", nil}, {"/job-postings", "nav.job_postings", nil}, {"/job-seekers", "nav.job_seekers", seekerViewers},
		{"/referrals", "nav.referrals", nil}, {"/broadcasts", "nav.broadcasts", broadcastRoles}, {"/workshops", "nav.workshops", nil},
	} {
		if l.roles == nil || sc.Is(l.roles...) {
			links = append(links, NavItem{Href: l.href, Label: p.T(l.key)})
		}
	}
	p.Data = employmentData{Stats: st, Names: names, Links: links}
	return s.render(w, r, "employment/home", p)
}

// employmentRoutes registers the employment pages.
func (s *Server) employmentRoutes() {
	s.public("GET /jobs", s.jobBoard)
	s.public("GET /jobs/bulletin", s.jobBulletin)
	s.public("GET /jobs/{id}", s.jobPublic)
	s.public("GET /jobs/{id}/qr.png", s.jobQR)
	s.page("GET /employment", Any, s.employmentHome)
	s.page("GET /job-postings", Any, s.postingList)
	s.page("GET /job-postings/new", postingRoles, s.postingNew)
	s.page("POST /job-postings", postingRoles, s.postingCreate)
	s.page("GET /job-postings/{id}", Any, s.postingShow)
	s.page("POST /job-postings/{id}/close", postingRoles, s.postingClose)
	s.page("GET /job-seekers", seekerViewers, s.seekerList)
	s.page("GET /job-seekers/new", seekerRoles, s.seekerNew)
	s.page("POST /job-seekers", seekerRoles, s.seekerCreate)
	s.page("GET /job-seekers/import", seekerRoles, s.seekerImportForm)
	s.page("GET /job-seekers/import/template.xlsx", seekerRoles, s.importTemplate("job-seekers"))
	s.page("POST /job-seekers/import", seekerRoles, s.seekerImport)
	s.page("GET /job-seekers/export.xlsx", seekerViewers, s.seekerExport)
	s.page("GET /job-seekers/{id}", seekerViewers, s.seekerShow)
	s.page("GET /referrals", Any, s.referralList)
	s.page("POST /referrals", referralRoles, s.referralCreate)
	s.page("POST /referrals/{id}/advance", fugong.RolesFor(fugong.PermReferralStep), s.referralAdvance)
	s.page("GET /broadcasts", broadcastRoles, s.broadcastList)
	s.page("POST /broadcasts", broadcastRoles, s.broadcastCreate)
	s.page("POST /broadcasts/optouts", broadcastRoles, s.optOutCreate)
	s.page("POST /villagers", broadcastRoles, s.villagerCreate)
	s.page("GET /villagers/import", broadcastRoles, s.villagerImportForm)
	s.page("GET /villagers/import/template.xlsx", broadcastRoles, s.importTemplate("villagers"))
	s.page("POST /villagers/import", broadcastRoles, s.villagerImport)
	s.page("GET /villagers/export.xlsx", broadcastRoles, s.villagerExport)
	s.page("GET /villagers/{id}/edit", broadcastRoles, s.villagerEdit)
	s.page("POST /villagers/{id}", broadcastRoles, s.villagerUpdate)
	s.page("GET /villagers/{id}/retire", broadcastRoles, s.villagerRetireConfirm)
	s.page("POST /villagers/{id}/retire", broadcastRoles, s.villagerRetire)
	s.page("POST /broadcasts/optouts/undo", broadcastRoles, s.optOutUndo)
	s.page("GET /workshops", Any, s.workshopBoard)
	s.page("POST /workshops/{id}/days", Any, s.workshopReport)
}
