package api

import "fugong"

var (
	registryEditors = fugong.RolesFor(fugong.PermEnterpriseEdit)
	projectReaders  = fugong.RolesFor(fugong.PermProjectView)
	declarers       = fugong.RolesFor(fugong.PermDeclare)
	reviewers       = fugong.RolesFor(fugong.PermDeclarationReview)
)

// resumptionRoutes are the registry and resumption operations (issue 3).
func (s *Server) resumptionRoutes() {
	id := []Param{{"id", "path", "integer", ""}}
	pg := []Param{{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}
	s.handle(Op{Method: "POST", Path: "/api/v1/enterprises", Summary: "Register an enterprise (a township officer's lies in their township)", Tag: "registry",
		Roles: registryEditors, Request: enterpriseInput{}, Response: enterpriseJSON{}, Status: 201}, s.createEnterprise)
	s.handle(Op{Method: "PUT", Path: "/api/v1/enterprises/{id}", Summary: "Update an enterprise at the version read; a stale version answers 409", Tag: "registry",
		Roles: registryEditors, Request: enterpriseInput{}, Response: enterpriseJSON{}, Params: id}, s.updateEnterprise)

	s.handle(Op{Method: "GET", Path: "/api/v1/key-projects", Summary: "Key projects in the caller's scope", Tag: "registry", Roles: projectReaders,
		Response: List[keyProjectJSON]{}, Params: append([]Param{{"q", "query", "string", "name contains"}, {"township", "query", "string", ""}, {"stage", "query", "string", ""}}, pg...)}, s.listKeyProjects)
	s.handle(Op{Method: "GET", Path: "/api/v1/key-projects/{id}", Summary: "One key project", Tag: "registry", Roles: projectReaders, Response: keyProjectJSON{}, Params: id}, s.getKeyProject)
	s.handle(Op{Method: "POST", Path: "/api/v1/key-projects", Summary: "Register a key project", Tag: "registry", Roles: registryEditors,
		Request: keyProjectInput{}, Response: keyProjectJSON{}, Status: 201}, s.createKeyProject)
	s.handle(Op{Method: "PUT", Path: "/api/v1/key-projects/{id}", Summary: "Update a key project at the version read", Tag: "registry", Roles: registryEditors,
		Request: keyProjectInput{}, Response: keyProjectJSON{}, Params: id}, s.updateKeyProject)

	s.handle(Op{Method: "GET", Path: "/api/v1/declarations", Summary: "Resumption declarations of the enterprises in scope", Tag: "resumption",
		Response: List[declarationJSON]{}, Params: append([]Param{{"state", "query", "string", "township, department, approved or rejected"}, {"enterprise_id", "query", "integer", ""}}, pg...)}, s.listDeclarations)
	s.handle(Op{Method: "GET", Path: "/api/v1/declarations/{id}", Summary: "One declaration with its reviews", Tag: "resumption", Response: declarationJSON{}, Params: id}, s.getDeclaration)
	s.handle(Op{Method: "POST", Path: "/api/v1/declarations", Summary: "Declare resumption: a planned date and the checklist's answers; the township reviews next", Tag: "resumption",
		Roles: declarers, Request: declarationInput{}, Response: declarationJSON{}, Status: 201}, s.createDeclaration)
	s.handle(Op{Method: "POST", Path: "/api/v1/declarations/{id}/reviews", Summary: "Decide a declaration at its stage (township, then department), with a reason; approval resumes the enterprise from the planned date",
		Tag: "resumption", Roles: reviewers, Request: reviewInput{}, Response: declarationJSON{}, Params: id, Status: 201}, s.reviewDeclaration)

	s.handle(Op{Method: "GET", Path: "/api/v1/daily-reports", Summary: "Daily enterprise reports in scope", Tag: "resumption", Response: List[dailyReportJSON]{},
		Params: append([]Param{{"day", "query", "string", "YYYY-MM-DD"}, {"enterprise_id", "query", "integer", ""}}, pg...)}, s.listDailyReports)
	s.handle(Op{Method: "POST", Path: "/api/v1/daily-reports", Summary: "Send the day's report (201); a second one that day edits the first (200)", Tag: "resumption",
		Roles: declarers, Request: dailyReportJSON{}, Response: dailyReportJSON{}, Status: 201, Also: []int{200}}, s.saveDailyReport)

	s.handle(Op{Method: "GET", Path: "/api/v1/stats/resumption", Summary: "Resumption and attendance rates on a day, overall, by township, focus area and size", Tag: "resumption",
		Response: statsJSON{}, Replica: true, Params: []Param{{"date", "query", "string", "YYYY-MM-DD; today by default"}}}, s.resumptionStats)
}
