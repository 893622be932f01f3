package api

import "fugong"

var (
	visitRoles  = []fugong.Role{fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader, fugong.RoleTownship, fugong.RoleDepartment, fugong.RoleLiaison}
	liaisonOnly = []fugong.Role{fugong.RoleLiaison}
)

// liaisonRoutes is the API of liaison work: visits, inspections, rectifications.
func (s *Server) liaisonRoutes() {
	s.handle(Op{Method: "GET", Path: "/api/v1/visits", Summary: "Liaisons' visits in the caller's scope, newest first", Tag: "liaison", Roles: visitRoles,
		Response: List[visitJSON]{}, Params: []Param{{"enterprise_id", "query", "integer", ""}, {"liaison_id", "query", "integer", ""},
			{"from", "query", "string", "first day, YYYY-MM-DD"}, {"to", "query", "string", "last day, YYYY-MM-DD"}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listVisits)
	s.handle(Op{Method: "POST", Path: "/api/v1/visits", Summary: "Log a visit at an assigned enterprise, with the demand raised on it; a resent client_uuid answers 200 with the first visit",
		Tag: "liaison", Roles: liaisonOnly, Request: visitRequest{}, Response: visitJSON{}, Status: 201}, s.createVisit)
	s.handle(Op{Method: "GET", Path: "/api/v1/visits/{id}", Summary: "One visit", Tag: "liaison", Roles: visitRoles, Response: visitJSON{},
		Params: []Param{{"id", "path", "integer", ""}}}, s.getVisit)
}
