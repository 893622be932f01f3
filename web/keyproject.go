package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

type projectListData struct {
	Items     []fugong.KeyProject
	Pager     Pager
	Filter    fugong.KeyProjectFilter
	Townships []Option
	Stages    []string
	Names     map[string]string
	CanEdit   bool
}

func projectFilter(r *http.Request) fugong.KeyProjectFilter {
	q := r.URL.Query()
	return fugong.KeyProjectFilter{Query: q.Get("q"), Township: q.Get("township"), Stage: q.Get("stage"), Limit: 50, Offset: intQuery(r, "offset", 0)}
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := projectFilter(r)
	items, total, err := s.DB.FindKeyProjects(r.Context(), sc, f)
	if err != nil {
		return err
	}
	towns, err := s.townshipOptions(r.Context(), sc)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.projects")
	p.Data = projectListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Townships: towns, Stages: fugong.ProjectStages,
		Names: names, CanEdit: sc.Is(registryEditors...)}
	return s.render(w, r, "project/list", p)
}

type projectShowData struct {
	P       fugong.KeyProject
	Reports []fugong.ProjectReport
	Links   []fugong.Link
	Names   map[string]string
	CanEdit bool
	// CanReport: who may file the weekly report.
	CanReport bool
	Week      string
}

func (s *Server) projectShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "project/show", s.projectShowPage)
}

func (s *Server) projectShowPage(r *http.Request, id int64) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	kp, err := s.DB.FindKeyProject(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	reports, err := s.DB.FindProjectReports(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	links, _, err := s.DB.FindLinks(r.Context(), sc, fugong.LinkFilter{ProjectID: id, Limit: 100})
	if err != nil {
		return nil, err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.projects")
	p.Title = kp.Name
	p.Data = projectShowData{P: kp, Reports: reports, Links: links, Names: names, CanEdit: sc.Is(registryEditors...),
		CanReport: sc.Can(fugong.PermProjectReport), Week: p.Today}
	return p, nil
}

// registryEditors may create and edit enterprises, projects and links.
var registryEditors = fugong.RolesFor(fugong.PermEnterpriseEdit)

type projectFormData struct {
	P         fugong.KeyProject
	Action    string
	Townships []Option
	Stages    []string
	IsNew     bool
}

func (s *Server) projectFormPage(r *http.Request, kp fugong.KeyProject) (*Page, error) {
	towns, err := s.townshipOptions(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "project.new")
	d := projectFormData{P: kp, Action: "/projects", Townships: towns, Stages: fugong.ProjectStages, IsNew: kp.ID == 0}
	if kp.ID != 0 {
		p.Title = kp.Name
		d.Action = "/projects/" + strconv.FormatInt(kp.ID, 10)
	}
	p.Data = d
	return p, nil
}

func (s *Server) projectNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.projectFormPage(r, fugong.KeyProject{})
	if err != nil {
		return err
	}
	return s.render(w, r, "project/form", p)
}

// projectEditPage is the form of a project as it is stored.
func (s *Server) projectEditPage(r *http.Request, id int64) (*Page, error) {
	kp, err := s.DB.FindKeyProject(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return s.projectFormPage(r, kp)
}

func (s *Server) projectEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "project/form", s.projectEditPage)
}

func readProject(f *form, p *fugong.KeyProject) {
	p.Name, p.Township, p.Stage = f.str("name"), f.str("township"), f.str("stage")
	p.Investment, p.Progress = f.int64("investment"), f.int("progress")
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var kp fugong.KeyProject
	readProject(f, &kp)
	sc := auth.ScopeFrom(r.Context())
	if sc.Role == fugong.RoleTownship {
		kp.Township = sc.Region
	}
	err = f.save(kp.Validate(), func() error { return s.DB.CreateKeyProject(r.Context(), sc, &kp) })
	return s.afterSave(w, r, err, "/projects/"+strconv.FormatInt(kp.ID, 10), "form.saved", "project/form",
		func() (*Page, error) { return s.projectFormPage(r, kp) })
}

func (s *Server) projectUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	_, err = s.DB.UpdateKeyProject(r.Context(), sc, id, f.int64("version"), func(p *fugong.KeyProject) error {
		readProject(f, p)
		return f.merge(nil)
	})
	return s.afterSave(w, r, err, "/projects/"+strconv.FormatInt(id, 10), "form.saved", "project/form",
		func() (*Page, error) { return s.projectEditPage(r, id) })
}

func (s *Server) projectReport(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	rep := fugong.ProjectReport{ProjectID: id, Week: f.str("week"), Progress: f.int("progress"), Note: f.str("note")}
	err = f.save(nil, func() error { return s.DB.SaveProjectReport(r.Context(), auth.ScopeFrom(r.Context()), &rep) })
	return s.afterSave(w, r, err, "/projects/"+strconv.FormatInt(id, 10), "form.saved", "project/show",
		func() (*Page, error) { return s.projectShowPage(r, id) })
}
