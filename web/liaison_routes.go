package web

import "fugong"

// Role sets of liaison work.
var (
	visitRoles  = fugong.RolesFor(fugong.PermVisitView)
	liaisonOnly = fugong.RolesFor(fugong.PermVisitLog)
	boardRoles  = fugong.RolesFor(fugong.PermLiaisonBoard)
	// inspectorRoles may inspect; a department officer only from the organisation department (checked in store).
	inspectorRoles  = fugong.RolesFor(fugong.PermInspect)
	inspectionRoles = fugong.RolesFor(fugong.PermInspectionView)
)

// liaisonRoutes is the site map of liaison work: visits, boards, the scorecard, the four
// responsibilities, inspections and rectifications, and the dispatch of liaisons.
func (s *Server) liaisonRoutes() {
	s.page("GET /visits", visitRoles, s.visitList)
	s.page("GET /visits/new", liaisonOnly, s.visitNew)
	s.page("POST /visits", liaisonOnly, s.visitCreate)
	s.page("GET /visits/{id}", visitRoles, s.visitShow)
	s.page("GET /liaison/boards", boardRoles, s.liaisonBoards)
	s.page("GET /liaison/week", visitRoles, s.liaisonWeek)
	s.page("GET /liaison/scorecard", boardRoles, s.scorecard)
	s.page("GET /liaison/scorecard.xlsx", boardRoles, s.scorecardExport)
	s.page("GET /inspections", inspectionRoles, s.inspectionList)
	s.page("GET /inspections/new", inspectorRoles, s.inspectionNew)
	s.page("POST /inspections", inspectorRoles, s.inspectionCreate)
	s.page("GET /inspections/{id}", inspectionRoles, s.inspectionShow)
	s.page("POST /inspections/{id}/rectification", inspectionRoles, s.rectificationAct)
	s.page("GET /responsibilities", boardRoles, s.responsibilities(false))
	s.page("GET /responsibilities/gaps", boardRoles, s.responsibilities(true))
	s.page("GET /responsibilities/{id}", fugong.RolesFor(fugong.PermResponsibility), s.responsibilityEdit)
	s.page("POST /responsibilities/{id}", fugong.RolesFor(fugong.PermResponsibility), s.responsibilitySet)
	s.page("GET /liaison/dispatch", fugong.RolesFor(fugong.PermLiaisonDispatch), s.dispatchForm)
	s.page("GET /liaison/dispatch/template.xlsx", fugong.RolesFor(fugong.PermLiaisonDispatch), s.importTemplate("dispatch"))
	s.page("POST /liaison/dispatch/preview", fugong.RolesFor(fugong.PermLiaisonDispatch), s.dispatchPreview)
	s.page("POST /liaison/dispatch/{token}/commit", fugong.RolesFor(fugong.PermLiaisonDispatch), s.dispatchCommit)
}
