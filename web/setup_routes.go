package web

import "fugong"

// setupRoutes are the set-up pages: the checklist, the county, org units, people,
// notification channels, settings and the imports with their templates.
func (s *Server) setupRoutes() {
	s.page("GET /setup", fugong.RolesFor(fugong.PermSetupView), s.setupIndex)
	s.page("POST /setup/county", fugong.RolesFor(fugong.PermSetupEdit), s.setupCounty)

	s.page("GET /org-units", fugong.RolesFor(fugong.PermSetupView), s.orgUnitList)
	s.page("GET /org-units/new", fugong.RolesFor(fugong.PermSetupEdit), s.orgUnitNew)
	s.page("POST /org-units", fugong.RolesFor(fugong.PermSetupEdit), s.orgUnitCreate)
	s.page("GET /org-units/{id}/edit", fugong.RolesFor(fugong.PermSetupEdit), s.orgUnitEdit)
	s.page("POST /org-units/{id}", fugong.RolesFor(fugong.PermSetupEdit), s.orgUnitUpdate)
	s.page("POST /org-units/{id}/retired", fugong.RolesFor(fugong.PermSetupEdit), s.orgUnitRetire)
}
