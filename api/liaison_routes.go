package api

import "fugong"

var (
	inspectionRoles = fugong.RolesFor(fugong.PermInspectionView)
	inspectorRoles  = fugong.RolesFor(fugong.PermInspect)
	visitRoles      = fugong.RolesFor(fugong.PermVisitView)
	liaisonOnly     = fugong.RolesFor(fugong.PermVisitLog)
)

// liaisonRoutes is the API of liaison work: visits, inspections, rectifications.
func (s *Server) liaisonRoutes() {
	s.handle(Op{Method: "GET", Path: "/api/v1/visits", Summary: "Liaisons' visits in the caller's scope, newest first", Tag: "liaison", Roles: visitRoles,
		Response: List[visitJSON]{}, Params: []Param{{"enterprise_id", "query", "integer", ""}, {"liaison_id", "query", "integer", ""},
			{"from", "query", "string", "first day, YYYY-MM-DD"}, {"to", "query", "string", "last day, YYYY-MM-DD"}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listVisits)
	s.handle(Op{Method: "POST", Path: "/api/v1/visits", Summary: "Log a visit at an assigned enterprise, with the demand raised on it; a resent client_uuid answers 200 with the first visit",
		Tag: "liaison", Roles: liaisonOnly, Request: visitRequest{}, Response: visitJSON{}, Status: 201, Also: []int{200}}, s.createVisit)
	s.handle(Op{Method: "GET", Path: "/api/v1/visits/{id}", Summary: "One visit", Tag: "liaison", Roles: visitRoles, Response: visitJSON{},
		Params: []Param{{"id", "path", "integer", ""}}}, s.getVisit)

	rp := []Param{{"target_kind", "query", "string", "liaison or enterprise"}, {"state", "query", "string", "open, reported or closed"},
		{"overdue", "query", "boolean", "only open ones past their deadline"}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}
	s.handle(Op{Method: "GET", Path: "/api/v1/inspections", Summary: "Findings against liaisons and enterprises in the caller's scope", Tag: "liaison",
		Roles: inspectionRoles, Response: List[inspectionJSON]{}, Params: rp}, s.listInspections)
	s.handle(Op{Method: "POST", Path: "/api/v1/inspections", Summary: "Record a finding and criticism, with a rectification deadline (command and the organisation department)",
		Tag: "liaison", Roles: inspectorRoles, Request: inspectionRequest{}, Response: inspectionJSON{}, Status: 201}, s.createInspection)
	s.handle(Op{Method: "GET", Path: "/api/v1/inspections/{id}", Summary: "One finding", Tag: "liaison", Roles: inspectionRoles, Response: inspectionJSON{},
		Params: []Param{{"id", "path", "integer", ""}}}, s.getInspection)
	s.handle(Op{Method: "GET", Path: "/api/v1/rectifications", Summary: "Rectifications in the caller's scope", Tag: "liaison", Roles: inspectionRoles,
		Response: List[rectificationJSON]{}, Params: rp}, s.listRectifications)
	s.handle(Op{Method: "GET", Path: "/api/v1/rectifications/{id}", Summary: "One rectification", Tag: "liaison", Roles: inspectionRoles,
		Response: rectificationJSON{}, Params: []Param{{"id", "path", "integer", ""}}}, s.getRectification)
	for _, a := range []struct{ action, summary string }{
		{fugong.ActionReport, "The target reports the fix"},
		{fugong.ActionVerify, "The inspector verifies the fix and closes the rectification"},
		{fugong.ActionReturn, "The inspector sends the report back, optionally with a new deadline"},
	} {
		s.handle(Op{Method: "POST", Path: "/api/v1/rectifications/{id}/" + a.action, Summary: a.summary, Tag: "liaison", Roles: inspectionRoles,
			Request: rectificationStep{}, Response: rectificationJSON{}, Params: []Param{{"id", "path", "integer", ""}}}, s.actOnRectification(a.action))
	}
}
