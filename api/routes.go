package api

import "fugong"

// routes is the API's whole map.
func (s *Server) routes() {
	s.handle(Op{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This document", Tag: "meta", Public: true}, s.openAPI)
	s.handle(Op{Method: "POST", Path: "/api/v1/auth/token", Summary: "Exchange a username and password for a bearer token", Tag: "auth", Public: true,
		Request: tokenRequest{}, Response: tokenResponse{}, Status: 201}, s.createToken)
	s.handle(Op{Method: "DELETE", Path: "/api/v1/auth/token", Summary: "Revoke the bearer token of this request", Tag: "auth", Status: 204}, s.revokeToken)
	s.handle(Op{Method: "GET", Path: "/api/v1/me", Summary: "The caller and their scope", Tag: "auth", Response: meJSON{}}, s.me)

	s.handle(Op{Method: "GET", Path: "/api/v1/enterprises", Summary: "Enterprises in the caller's scope", Tag: "registry", Response: List[enterpriseJSON]{},
		Params: []Param{{"q", "query", "string", "name or credit code contains"}, {"township", "query", "string", "township code"},
			{"focus_area", "query", "string", "focus area"}, {"status", "query", "string", "status"}, {"above_scale", "query", "boolean", ""},
			{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listEnterprises)
	s.handle(Op{Method: "GET", Path: "/api/v1/enterprises/{id}", Summary: "One enterprise", Tag: "registry", Response: enterpriseJSON{},
		Params: []Param{{"id", "path", "integer", ""}}}, s.getEnterprise)
	s.resumptionRoutes()

	s.policyRoutes()

	s.liaisonRoutes()

	s.handle(Op{Method: "GET", Path: "/api/v1/regions", Summary: "Regions below a parent (the caller's county by default)", Tag: "registry", Response: List[regionJSON]{},
		Params: []Param{{"parent", "query", "string", "parent code"}}}, s.listRegions)
	s.handle(Op{Method: "GET", Path: "/api/v1/audit", Summary: "The audit log", Tag: "admin", Roles: fugong.RolesFor(fugong.PermAuditView), Response: List[auditJSON]{},
		Params: []Param{{"username", "query", "string", ""}, {"entity", "query", "string", ""}, {"action", "query", "string", ""}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listAudit)

	s.demandRoutes()
	s.open311Routes()
	s.healthRoutes()
	s.employmentRoutes()
	s.crisisRoutes()
	s.dashboardRoutes()
	s.setupRoutes()
	s.settingRoutes()
	s.rosterRoutes()
	s.provinceRoutes()
}
