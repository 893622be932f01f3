package web

import (
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
)

type orgUnitListData struct {
	Items []fugong.OrgUnit
	Names map[string]string
}

type orgUnitFormData struct {
	O          fugong.OrgUnit
	Action     string
	Townships  []Option
	FocusAreas []string
	Kinds      []string
	Areas      map[string]bool
}

func (s *Server) orgUnitList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	items, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "orgunit.title")
	p.Data = orgUnitListData{Items: items, Names: names}
	return s.render(w, r, "setup/orgunits", p)
}

func (s *Server) orgUnitFormPage(r *http.Request, o fugong.OrgUnit) (*Page, error) {
	towns, err := s.townshipOptions(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "orgunit.new")
	d := orgUnitFormData{O: o, Action: "/org-units", Townships: towns, FocusAreas: fugong.FocusAreas, Kinds: fugong.OrgKinds, Areas: map[string]bool{}}
	for _, a := range strings.Split(o.FocusAreas, ",") {
		d.Areas[a] = true
	}
	if o.ID != 0 {
		p.Title = o.Name
		d.Action = "/org-units/" + strconv.FormatInt(o.ID, 10)
	}
	p.Data = d
	return p, nil
}

func (s *Server) orgUnitNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.orgUnitFormPage(r, fugong.OrgUnit{Kind: fugong.OrgDepartment})
	if err != nil {
		return err
	}
	return s.render(w, r, "setup/orgunit", p)
}

func (s *Server) orgUnitEditPage(r *http.Request, id int64) (*Page, error) {
	o, err := s.DB.FindOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return s.orgUnitFormPage(r, o)
}

func (s *Server) orgUnitEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "setup/orgunit", s.orgUnitEditPage)
}

// readOrgUnit copies the form onto o; the focus areas are ticked boxes.
func readOrgUnit(f *form, o *fugong.OrgUnit) {
	o.Kind, o.Name, o.Region = f.str("kind"), f.str("name"), f.str("region")
	o.FocusAreas = strings.Join(f.r.PostForm["focus_areas"], ",")
}

func (s *Server) orgUnitCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var o fugong.OrgUnit
	readOrgUnit(f, &o)
	err = s.DB.AddOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), &o)
	return s.afterSave(w, r, err, "/org-units", "form.saved", "setup/orgunit", func() (*Page, error) { return s.orgUnitFormPage(r, o) })
}

func (s *Server) orgUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	_, err = s.DB.UpdateOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), func(o *fugong.OrgUnit) error {
		readOrgUnit(f, o)
		return f.merge(nil)
	})
	return s.afterSave(w, r, err, "/org-units", "form.saved", "setup/orgunit", func() (*Page, error) { return s.orgUnitEditPage(r, id) })
}

// orgUnitRetire retires an org unit, or brings a retired one back.
func (s *Server) orgUnitRetire(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	_, err = s.DB.UpdateOrgUnit(r.Context(), auth.ScopeFrom(r.Context()), id, 0, func(o *fugong.OrgUnit) error {
		o.Retired = f.str("retired") == "1"
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(w, r, "/org-units", "form.saved")
}
