package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type homeData struct {
	Total, Resumed int
	// Workshops are the poverty workshops in scope, counted on their own as the offices do.
	Workshops fugong.ResumptionCount
}

// home is the workbench: what the caller is responsible for, in figures.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	if sc.Role == fugong.RoleProvince {
		http.Redirect(w, r, "/province", http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, "home.title")
	// The resumption figures as the offices define them (resumed ÷ enterprises in scope,
	// poverty workshops apart): the same numbers as the statistics and the daily report.
	st, err := s.DB.ResumptionStats(r.Context(), sc, p.Today)
	if err != nil {
		return err
	}
	p.Data = homeData{Total: st.All.Total, Resumed: st.All.Resumed, Workshops: st.Workshops}
	return s.render(w, r, "home", p)
}
