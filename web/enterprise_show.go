package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

// enterpriseResumption is what the enterprise page shows of resumption: who is
// responsible, the timeline, declarations, the latest daily reports, and what the caller
// may do next.
type enterpriseResumption struct {
	Links        []fugong.Link
	Timeline     []timelineLine
	Declarations []fugong.Declaration
	Reports      []fugong.DailyReport
	CanEdit      bool
	CanDeclare   bool
	CanReport    bool
}

func (s *Server) enterpriseResumption(r *http.Request, p *Page, e fugong.Enterprise) (enterpriseResumption, error) {
	sc := auth.ScopeFrom(r.Context())
	var out enterpriseResumption
	var err error
	if out.Links, _, err = s.DB.FindLinks(r.Context(), sc, fugong.LinkFilter{EnterpriseID: e.ID, Current: true, Limit: 20}); err != nil {
		return out, err
	}
	events, err := s.DB.FindEvents(r.Context(), sc, e.ID)
	if err != nil {
		return out, err
	}
	out.Timeline = timeline(p, events)
	if out.Declarations, _, err = s.DB.FindDeclarations(r.Context(), sc, fugong.DeclarationFilter{EnterpriseID: e.ID, Limit: 10}); err != nil {
		return out, err
	}
	if out.Reports, _, err = s.DB.FindDailyReports(r.Context(), sc, fugong.DailyReportFilter{EnterpriseID: e.ID, Limit: 7}); err != nil {
		return out, err
	}
	open := false
	for _, d := range out.Declarations {
		open = open || fugong.ReviewerRoles(d.State) != nil
	}
	out.CanEdit = sc.Is(registryEditors...)
	out.CanDeclare = sc.Is(declarers...) && e.Status != fugong.StatusResumed && !open
	out.CanReport = sc.Is(declarers...) && e.Status == fugong.StatusResumed
	return out, nil
}
