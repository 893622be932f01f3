package web

// setupRoutes are the set-up pages: the checklist, the county, org units, people,
// notification channels, settings and the imports with their templates.
func (s *Server) setupRoutes() {
	s.page("GET /setup", countyStaff, s.setupIndex)
	s.page("POST /setup/county", adminOnly, s.setupCounty)

	s.page("GET /org-units", countyStaff, s.orgUnitList)
	s.page("GET /org-units/new", adminOnly, s.orgUnitNew)
	s.page("POST /org-units", adminOnly, s.orgUnitCreate)
	s.page("GET /org-units/{id}/edit", adminOnly, s.orgUnitEdit)
	s.page("POST /org-units/{id}", adminOnly, s.orgUnitUpdate)
	s.page("POST /org-units/{id}/retired", adminOnly, s.orgUnitRetire)

	s.page("GET /users/new", adminOnly, s.accountNew)
	s.page("POST /users", adminOnly, s.accountCreate)
	s.page("GET /users/handout", adminOnly, s.accountHandout)
	s.page("GET /users/{id}/edit", adminOnly, s.accountEdit)
	s.page("POST /users/{id}", adminOnly, s.accountUpdate)
	s.page("POST /users/{id}/password", adminOnly, s.accountReset)

	s.page("GET /setup/import/{kind}", adminOnly, s.setupImportForm)
	s.page("GET /setup/import/{kind}/template.xlsx", adminOnly, s.setupImportTemplate)
	s.page("POST /setup/import/{kind}", adminOnly, s.setupImportUpload)
	s.page("POST /setup/import/{kind}/{id}", adminOnly, s.setupImportCommit)

	s.page("GET /channels", countyStaff, s.channelList)
	s.page("GET /channels/new", countyStaff, s.channelNew)
	s.page("POST /channels", countyStaff, s.channelCreate)
	s.page("GET /channels/{id}/edit", countyStaff, s.channelEdit)
	s.page("POST /channels/{id}", countyStaff, s.channelUpdate)
	s.page("POST /channels/{id}/test", countyStaff, s.channelTest)
}
