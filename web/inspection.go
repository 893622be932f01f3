package web

import (
	"net/http"
	"net/url"
	"strconv"

	"fugong"
	"fugong/auth"
)

type inspectionListData struct {
	Items     []fugong.Inspection
	Pager     Pager
	Filter    fugong.InspectionFilter
	Inspector bool
	Today     string
	States    []string
}

func (s *Server) inspectionList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "inspection.title")
	q := r.URL.Query()
	f := fugong.InspectionFilter{TargetKind: q.Get("target_kind"), State: q.Get("state"), Overdue: q.Get("overdue") == "1", Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindInspections(r.Context(), sc, f, p.Today)
	if err != nil {
		return err
	}
	insp, err := s.DB.CanInspect(r.Context(), sc)
	if err != nil {
		return err
	}
	p.Data = inspectionListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Inspector: insp, Today: p.Today, States: fugong.RectificationStates}
	return s.render(w, r, "inspection/list", p)
}

type inspectionFormData struct {
	Liaisons    []fugong.Liaison
	Enterprises []fugong.Enterprise
	Findings    []string
}

func (s *Server) inspectionNew(w http.ResponseWriter, r *http.Request) error {
	return s.inspectionForm(w, r, s.newPage(r, "inspection.new"))
}

func (s *Server) inspectionForm(w http.ResponseWriter, r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	if ok, err := s.DB.CanInspect(r.Context(), sc); err != nil || !ok {
		return fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	county := fugong.Scope{Role: fugong.RoleCommand, County: sc.County}
	ls, err := s.DB.FindLiaisons(r.Context(), county)
	if err != nil {
		return err
	}
	es, _, err := s.DB.FindEnterprises(r.Context(), county, fugong.EnterpriseFilter{Limit: 1000})
	if err != nil {
		return err
	}
	p.Data = inspectionFormData{Liaisons: ls, Enterprises: es, Findings: fugong.InspectionFindings}
	return s.render(w, r, "inspection/new", p)
}

func inspectionFromForm(v url.Values) *fugong.Inspection {
	id := func(name string) int64 { n, _ := strconv.ParseInt(v.Get(name), 10, 64); return n }
	in := &fugong.Inspection{TargetKind: v.Get("target_kind"), TargetUserID: id("target_user_id"), EnterpriseID: id("enterprise_id"),
		InspectedOn: v.Get("inspected_on"), Finding: v.Get("finding"), Criticism: v.Get("criticism")}
	if d := v.Get("deadline"); d != "" {
		in.Rectification = &fugong.Rectification{Deadline: d}
	}
	return in
}

func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	r.ParseForm()
	in := inspectionFromForm(r.PostForm)
	err := s.DB.CreateInspection(r.Context(), sc, s.Loc, in, s.zh)
	if err == nil {
		return redirect(w, r, "/inspections/"+strconv.FormatInt(in.ID, 10), "inspection.saved")
	}
	p := s.newPage(r, "inspection.new")
	p.Form = r.PostForm
	if err := s.invalid(p, err); err != nil {
		return err
	}
	return s.inspectionForm(w, r, p)
}

type inspectionShowData struct {
	I                   fugong.Inspection
	Overdue             bool
	CanReport, CanCheck bool
}

func (s *Server) inspectionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.inspectionPage(w, r, s.newPage(r, "inspection.title"), id)
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request, p *Page, id int64) error {
	sc := auth.ScopeFrom(r.Context())
	in, err := s.DB.FindInspection(r.Context(), sc, id)
	if err != nil {
		return err
	}
	insp, err := s.DB.CanInspect(r.Context(), sc)
	if err != nil {
		return err
	}
	d := inspectionShowData{I: in}
	if rc := in.Rectification; rc != nil {
		d.Overdue = rc.Overdue(p.Today)
		target := (sc.Role == fugong.RoleLiaison && in.TargetUserID == sc.UserID) || (sc.Role == fugong.RoleEnterprise && in.EnterpriseID == sc.EnterpriseID && in.TargetKind == fugong.TargetEnterprise)
		d.CanReport = target && rc.State == fugong.RectificationOpen
		d.CanCheck = insp && rc.State == fugong.RectificationReported
	}
	p.Data = d
	return s.render(w, r, "inspection/show", p)
}

// rectificationAct takes one step on a rectification: report, verify or return.
func (s *Server) rectificationAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	step := fugong.RectificationStep{Action: r.PostFormValue("action"), Text: r.PostFormValue("text"), Deadline: r.PostFormValue("deadline")}
	_, err = s.DB.ActOnRectification(r.Context(), sc, s.Loc, id, version, step, s.zh)
	if err == nil {
		return redirect(w, r, "/inspections/"+strconv.FormatInt(id, 10), "rectification.done_"+step.Action)
	}
	p := s.newPage(r, "inspection.title")
	p.Form = r.PostForm
	if err := s.invalid(p, err); err != nil {
		return err
	}
	return s.inspectionPage(w, r, p, id)
}
