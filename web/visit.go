package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// newUUID makes a version 4 UUID for a form rendered without script; the page's script
// replaces it with one of the browser's own.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *Server) raiser() store.DemandRaiser {
	if s.Demands != nil {
		return s.Demands
	}
	return store.VisitLogOnly{}
}

// visitRow is a visit with its times as the county's clock shows them.
type visitRow struct {
	fugong.Visit
	In, Out string
}

func (s *Server) visitRows(vs []fugong.Visit) []visitRow {
	out := make([]visitRow, len(vs))
	for i, v := range vs {
		out[i] = visitRow{Visit: v, In: v.CheckedInAt.In(s.Loc).Format("01-02 15:04"), Out: v.CheckedOutAt.In(s.Loc).Format("15:04")}
	}
	return out
}

type visitListData struct {
	Items []visitRow
	Pager Pager
	// Mine are the enterprises a liaison is stationed at, with whether they were visited today.
	Mine         []fugong.Enterprise
	VisitedToday map[int64]bool
	Liaison      bool
}

// visitList is a liaison's start page on the phone — their enterprises, each with a
// check-in button, then their visits — and for everyone else the visits in scope.
func (s *Server) visitList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	ctx := r.Context()
	f := fugong.VisitFilter{Limit: 30, Offset: intQuery(r, "offset", 0)}
	if id := intQuery(r, "enterprise_id", 0); id > 0 {
		f.EnterpriseID = int64(id)
	}
	items, total, err := s.DB.FindVisits(ctx, sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "visit.title")
	d := visitListData{Items: s.visitRows(items), Pager: newPager(r, p, total, f.Limit, f.Offset), Liaison: sc.Role == fugong.RoleLiaison, VisitedToday: map[int64]bool{}}
	if d.Liaison {
		if d.Mine, _, err = s.DB.FindEnterprises(ctx, sc, fugong.EnterpriseFilter{Limit: 1000}); err != nil {
			return err
		}
		today, _, err := s.DB.FindVisits(ctx, sc, fugong.VisitFilter{UserID: sc.UserID, From: p.Today, To: p.Today, Limit: 1000})
		if err != nil {
			return err
		}
		for _, v := range today {
			d.VisitedToday[v.EnterpriseID] = true
		}
	}
	p.Data = d
	return s.render(w, r, "visit/list", p)
}

type visitFormData struct {
	Enterprise  fugong.Enterprise
	Tasks       []string
	Categories  []string
	UUID        string
	CheckedInAt string
	CheckInTime string
	Ticked      map[string]bool
}

func (s *Server) visitNew(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("enterprise_id"), 10, 64)
	if err != nil { // no enterprise chosen (a bookmark, a shortcut): the list to choose from
		http.Redirect(w, r, "/visits", http.StatusSeeOther)
		return nil
	}
	return s.visitForm(w, r, s.newPage(r, "visit.new_title"), id)
}

func (s *Server) visitForm(w http.ResponseWriter, r *http.Request, p *Page, enterpriseID int64) error {
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.FindEnterprise(r.Context(), sc, enterpriseID)
	if err != nil {
		return err
	}
	tasks, err := s.DB.VisitTasks(r.Context(), sc.County)
	if err != nil {
		return err
	}
	now := s.Clock.Now().In(s.Loc)
	d := visitFormData{Enterprise: e, Tasks: tasks, Categories: fugong.VisitDemandCategories, UUID: newUUID(),
		CheckedInAt: now.Format(time.RFC3339), CheckInTime: now.Format("15:04"), Ticked: map[string]bool{}}
	if r.Method == http.MethodPost {
		d.UUID, d.CheckedInAt = p.Val("client_uuid"), p.Val("checked_in_at")
		if t, err := time.Parse(time.RFC3339, d.CheckedInAt); err == nil {
			d.CheckInTime = t.In(s.Loc).Format("15:04")
		}
		for _, t := range p.Form["tasks"] {
			d.Ticked[t] = true
		}
	}
	p.Data = d
	return s.render(w, r, "visit/new", p)
}

// visitFromForm reads the visit form; the form's own times are the phone's, which a
// form kept offline needs (it may arrive hours after the visit).
func visitFromForm(form url.Values) (*fugong.Visit, error) {
	v := &fugong.Visit{ClientUUID: form.Get("client_uuid"), Tasks: form["tasks"], Findings: form.Get("findings")}
	f := fugong.FieldErrors{}
	id, err := strconv.ParseInt(form.Get("enterprise_id"), 10, 64)
	if err != nil {
		return nil, fugong.NotFound()
	}
	v.EnterpriseID = id
	for name, dst := range map[string]*time.Time{"checked_in_at": &v.CheckedInAt, "checked_out_at": &v.CheckedOutAt} {
		if s := form.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				f.Add(name, "visit.time")
			}
			*dst = t
		}
	}
	if form.Get("located") == "1" {
		lat, err1 := strconv.ParseFloat(form.Get("latitude"), 64)
		lng, err2 := strconv.ParseFloat(form.Get("longitude"), 64)
		acc, err3 := strconv.ParseFloat(form.Get("accuracy"), 64)
		if err1 != nil || err2 != nil || err3 != nil {
			f.Add("location", "visit.location")
		}
		v.Located, v.Latitude, v.Longitude, v.AccuracyM = true, lat, lng, int(acc)
	}
	if desc := strings.TrimSpace(form.Get("demand_description")); desc != "" {
		v.Demand = &fugong.VisitDemand{Category: form.Get("demand_category"), Description: desc, OnSite: form.Get("demand_on_site") == "1"}
	}
	return v, f.Err()
}

// visitCreate logs a visit. A resend of a form already received answers with the first visit.
func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"form": fugong.M("error.bad_request")})
	}
	p := s.newPage(r, "visit.new_title")
	p.Form = r.PostForm
	v, err := visitFromForm(r.PostForm)
	if err == nil {
		var created bool
		created, err = s.DB.CreateVisit(r.Context(), sc, s.Loc, v, s.raiser())
		if err == nil {
			flash := "visit.saved"
			if !created {
				flash = "visit.already_saved"
			}
			to := "/visits/" + strconv.FormatInt(v.ID, 10)
			if r.Header.Get("X-Visit-Queue") != "" {
				// Sent by the page's script, which follows the redirect itself and would
				// use up a flash cookie: the message rides in the address instead.
				http.Redirect(w, r, to+"?saved="+flash, http.StatusSeeOther)
				return nil
			}
			return redirect(w, r, to, flash)
		}
	}
	if fugong.ErrorCode(err) == fugong.ENOTFOUND || v == nil {
		return err
	}
	if err := s.invalid(p, err); err != nil {
		return err
	}
	return s.visitForm(w, r, p, v.EnterpriseID)
}

func (s *Server) visitShow(w http.ResponseWriter, r *http.Request) error {
	v, err := findByID(r, s.DB.FindVisit)
	if err != nil {
		return err
	}
	p := s.newPage(r, "visit.title")
	p.Title = v.EnterpriseName
	if k := r.URL.Query().Get("saved"); k == "visit.saved" || k == "visit.already_saved" {
		p.Flash = p.T(k)
	}
	p.Data = s.visitRows([]fugong.Visit{v})[0]
	return s.render(w, r, "visit/show", p)
}
