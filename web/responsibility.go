package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

type responsibilityData struct {
	Items   []fugong.Responsibilities
	Query   string
	Gaps    bool
	Duties  []string
	GapsBy  map[string]int
	Total   int
	CanEdit bool
	Names   map[string]string
}

func (s *Server) responsibilities(gaps bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sc := auth.ScopeFrom(r.Context())
		q := r.URL.Query().Get("q")
		items, err := s.DB.FindResponsibilities(r.Context(), sc, store.ResponsibilityFilter{Query: q, Gaps: gaps})
		if err != nil {
			return err
		}
		title := "duty.title"
		if gaps {
			title = "duty.gaps_title"
		}
		p := s.newPage(r, title)
		d := responsibilityData{Items: items, Query: q, Gaps: gaps, Duties: fugong.Duties, GapsBy: map[string]int{}, Total: len(items),
			CanEdit: sc.Can(fugong.PermResponsibility)}
		for _, it := range items {
			for _, g := range it.Gaps() {
				d.GapsBy[g]++
			}
		}
		if d.Names, err = s.DB.RegionNames(r.Context(), sc.County); err != nil {
			return err
		}
		p.Data = d
		return s.render(w, r, "responsibility/list", p)
	}
}

type responsibilityEditData struct {
	R      fugong.Responsibilities
	Duties []string
}

func (s *Server) responsibilityEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.responsibilityForm(w, r, s.newPage(r, "duty.edit"), id)
}

func (s *Server) responsibilityForm(w http.ResponseWriter, r *http.Request, p *Page, id int64) error {
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.FindEnterprise(r.Context(), sc, id)
	if err != nil {
		return err
	}
	items, err := s.DB.FindResponsibilities(r.Context(), sc, store.ResponsibilityFilter{Query: e.Name})
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.EnterpriseID == id {
			p.Title = e.Name
			p.Data = responsibilityEditData{R: it, Duties: fugong.Duties}
			return s.render(w, r, "responsibility/edit", p)
		}
	}
	return fugong.NotFound()
}

// responsibilitySet names one duty's person by hand; an empty name restores the derived one.
func (s *Server) responsibilitySet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	duty := r.PostFormValue("duty")
	err = s.DB.SetResponsibility(r.Context(), sc, id, duty, fugong.Person{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone")})
	if err == nil {
		return redirect(w, r, "/responsibilities/"+strconv.FormatInt(id, 10), "form.saved")
	}
	p := s.newPage(r, "duty.edit")
	p.Form = r.PostForm
	if err := s.invalid(p, err); err != nil {
		return err
	}
	return s.responsibilityForm(w, r, p, id)
}
