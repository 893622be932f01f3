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

	s.page("GET /users/new", fugong.RolesFor(fugong.PermUserEdit), s.accountNew)
	s.page("POST /users", fugong.RolesFor(fugong.PermUserEdit), s.accountCreate)
	s.page("GET /users/handout", fugong.RolesFor(fugong.PermUserEdit), s.accountHandout)
	s.page("GET /users/enterprise-accounts", fugong.RolesFor(fugong.PermUserEdit), s.enterpriseAccountsForm)
	s.page("POST /users/enterprise-accounts", fugong.RolesFor(fugong.PermUserEdit), s.enterpriseAccountsCreate)
	s.page("GET /users/{id}/edit", fugong.RolesFor(fugong.PermUserEdit), s.accountEdit)
	s.page("POST /users/{id}", fugong.RolesFor(fugong.PermUserEdit), s.accountUpdate)
	s.page("POST /users/{id}/password", fugong.RolesFor(fugong.PermUserEdit), s.accountReset)

	s.page("GET /setup/import/{kind}", fugong.RolesFor(fugong.PermSetupEdit), s.setupImportForm)
	s.page("GET /setup/import/{kind}/template.xlsx", fugong.RolesFor(fugong.PermSetupEdit), s.setupImportTemplate)
	s.page("POST /setup/import/{kind}", fugong.RolesFor(fugong.PermSetupEdit), s.setupImportUpload)
	s.page("POST /setup/import/{kind}/{token}", fugong.RolesFor(fugong.PermSetupEdit), s.setupImportCommit)

	s.page("GET /settings", fugong.RolesFor(fugong.PermSettingEdit), s.settingsForm)
	s.page("POST /settings", fugong.RolesFor(fugong.PermSettingEdit), s.settingsSave)

	s.page("GET /channels", fugong.RolesFor(fugong.PermChannelEdit), s.channelList)
	s.page("GET /channels/new", fugong.RolesFor(fugong.PermChannelEdit), s.channelNew)
	s.page("POST /channels", fugong.RolesFor(fugong.PermChannelEdit), s.channelCreate)
	s.page("GET /channels/{id}/edit", fugong.RolesFor(fugong.PermChannelEdit), s.channelEdit)
	s.page("POST /channels/{id}", fugong.RolesFor(fugong.PermChannelEdit), s.channelUpdate)
	s.page("POST /channels/{id}/test", fugong.RolesFor(fugong.PermChannelEdit), s.channelTest)
}
