package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type enterpriseListData struct {
	Items      []fugong.Enterprise
	Pager      Pager
	Filter     fugong.EnterpriseFilter
	Townships  []fugong.Region
	FocusAreas []string
	Statuses   []string
	Names      map[string]string
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.EnterpriseFilter{Query: q.Get("q"), Township: q.Get("township"), FocusArea: q.Get("focus_area"), Status: q.Get("status"),
		Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindEnterprises(r.Context(), sc, f)
	if err != nil {
		return err
	}
	towns, err := s.DB.FindRegions(r.Context(), sc.County)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.enterprises")
	p.Data = enterpriseListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Townships: towns,
		FocusAreas: fugong.FocusAreas, Statuses: fugong.EnterpriseStatuses, Names: names}
	return s.render(w, r, "enterprise/list", p)
}

type enterpriseShowData struct {
	E     fugong.Enterprise
	Names map[string]string
	enterpriseResumption
}

func (s *Server) enterpriseShow(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	e, err := findByID(r, s.DB.FindEnterprise)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.enterprises")
	p.Title = e.Name
	res, err := s.enterpriseResumption(r, p, e)
	if err != nil {
		return err
	}
	p.Data = enterpriseShowData{E: e, Names: names, enterpriseResumption: res}
	return s.render(w, r, "enterprise/show", p)
}
