package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type homeData struct {
	Total, Resumed int
}

// home is the workbench: what the caller is responsible for, in figures.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "home.title")
	_, total, err := s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 1})
	if err != nil {
		return err
	}
	_, resumed, err := s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 1, Status: fugong.StatusResumed})
	if err != nil {
		return err
	}
	p.Data = homeData{Total: total, Resumed: resumed}
	return s.render(w, r, "home", p)
}
