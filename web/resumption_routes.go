package web

import "fugong"

// Role sets of the resumption pages.
var (
	projectReaders = fugong.RolesFor(fugong.PermProjectView)
	declarers      = fugong.RolesFor(fugong.PermDeclare)
	reviewers      = fugong.RolesFor(fugong.PermDeclarationReview)
)

// resumptionRoutes is the site map of the registry and resumption pages (issue 3).
func (s *Server) resumptionRoutes() {
	s.page("GET /enterprises/new", registryEditors, s.enterpriseNew)
	s.page("POST /enterprises", registryEditors, s.enterpriseCreate)
	s.page("GET /enterprises/{id}/edit", registryEditors, s.enterpriseEdit)
	s.page("POST /enterprises/{id}", registryEditors, s.enterpriseUpdate)

	s.page("GET /projects", projectReaders, s.projectList)
	s.page("GET /projects/new", registryEditors, s.projectNew)
	s.page("POST /projects", registryEditors, s.projectCreate)
	s.page("GET /projects/{id}", projectReaders, s.projectShow)
	s.page("GET /projects/{id}/edit", registryEditors, s.projectEdit)
	s.page("POST /projects/{id}", registryEditors, s.projectUpdate)
	s.page("POST /projects/{id}/reports", fugong.RolesFor(fugong.PermProjectReport), s.projectReport)

	s.page("GET /links", projectReaders, s.linkList)
	s.page("POST /links", registryEditors, s.linkCreate)
	s.page("POST /links/{kind}/{id}/end", registryEditors, s.linkEnd)
	s.page("GET /coverage", projectReaders, s.coverage)
	s.resumptionWorkRoutes()
	s.ledgerRoutes()
}

// resumptionWorkRoutes are the declaration, review, daily report, checklist and statistics pages.
func (s *Server) resumptionWorkRoutes() {
	s.page("GET /checklist", Any, s.checklistList)
	s.page("POST /checklist", fugong.RolesFor(fugong.PermChecklistEdit), s.checklistSave)
	s.page("POST /checklist/{id}", fugong.RolesFor(fugong.PermChecklistEdit), s.checklistSave)
	s.page("POST /checklist/{id}/delete", fugong.RolesFor(fugong.PermChecklistEdit), s.checklistDelete)

	s.page("GET /enterprises/{id}/declare", declarers, s.declarationNew)
	s.page("POST /enterprises/{id}/declarations", declarers, s.declarationCreate)
	s.page("GET /declarations", fugong.RolesFor(fugong.PermEnterpriseView), s.declarationList)
	s.page("GET /declarations/{id}", Any, s.declarationShow)
	s.page("POST /declarations/{id}/review", reviewers, s.declarationReview)

	s.page("GET /enterprises/{id}/report", declarers, s.reportNew)
	s.page("POST /enterprises/{id}/reports", declarers, s.reportCreate)
	s.page("GET /reports/missing", Any, s.reportMissing)

	s.page("GET /stats/resumption", fugong.RolesFor(fugong.PermEnterpriseView), s.statsResumption)
}

// ledgerRoutes are the spreadsheet ledgers' pages.
func (s *Server) ledgerRoutes() {
	s.page("GET /ledgers", projectReaders, s.ledgerIndex)
	s.page("GET /ledgers/{kind}/export", projectReaders, s.ledgerExport)
	s.page("GET /ledgers/{kind}/template.xlsx", registryEditors, s.importTemplate(""))
	s.page("POST /ledgers/{kind}/upload", registryEditors, s.ledgerUpload)
	s.page("POST /ledgers/uploads/{token}/commit", registryEditors, s.ledgerCommit)
}
