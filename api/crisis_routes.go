package api

import "fugong"

var (
	crisisReaders = fugong.RolesFor(fugong.PermHazardView)
	targetEditors = fugong.RolesFor(fugong.PermTargetEdit)
	screeners     = fugong.RolesFor(fugong.PermCheckpointScreen)
	patrollers    = fugong.RolesFor(fugong.PermHazardPatrol)
	partyEditors  = fugong.RolesFor(fugong.PermPartyEdit)
)

// crisisRoutes are the rest of the county's crisis work: targets, hazard points,
// checkpoints, party applications and judicial visits.
func (s *Server) crisisRoutes() {
	pg := []Param{{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}
	id := []Param{{"id", "path", "integer", ""}}
	s.handle(Op{Method: "GET", Path: "/api/v1/targets", Summary: "Targets with their latest progress, missed weeks and assessment against the plan", Tag: "crisis",
		Roles: crisisReaders, Response: List[targetJSON]{}, Params: append([]Param{{"year", "query", "integer", ""}}, pg...)}, s.listTargets)
	s.handle(Op{Method: "GET", Path: "/api/v1/targets/{id}", Summary: "One target with its parcels", Tag: "crisis", Roles: crisisReaders, Response: targetJSON{}, Params: id}, s.getTarget)
	s.handle(Op{Method: "POST", Path: "/api/v1/targets/{id}/reports", Summary: "Report a target's cumulative progress for a week; a second report that week replaces the first", Tag: "crisis",
		Roles: targetEditors, Request: targetReportInput{}, Response: targetReportJSON{}, Params: id, Status: 201}, s.saveTargetReport)

	s.handle(Op{Method: "GET", Path: "/api/v1/hazard-points", Summary: "Hazard points with the people at risk, warning equipment and last patrol", Tag: "crisis",
		Roles: crisisReaders, Response: List[hazardJSON]{}, Params: append([]Param{{"township", "query", "string", ""}}, pg...)}, s.listHazardPoints)
	s.handle(Op{Method: "GET", Path: "/api/v1/hazard-points/{id}", Summary: "One hazard point with its emergency plan", Tag: "crisis", Roles: crisisReaders, Response: hazardJSON{}, Params: id}, s.getHazardPoint)
	s.handle(Op{Method: "POST", Path: "/api/v1/hazard-points/{id}/patrols", Summary: "Record a patrol; a finding of danger alerts the command", Tag: "crisis",
		Roles: patrollers, Request: patrolInput{}, Response: patrolJSON{}, Params: id, Status: 201}, s.createPatrol)
	s.handle(Op{Method: "GET", Path: "/api/v1/checkpoints", Summary: "Border checkpoints (健康服务点) with their registrations and fevers", Tag: "crisis",
		Roles: crisisReaders, Response: List[checkpointJSON]{}, Params: append([]Param{{"township", "query", "string", ""}}, pg...)}, s.listCheckpoints)
	s.handle(Op{Method: "POST", Path: "/api/v1/checkpoints/{id}/entries", Summary: "Register a vehicle or person with a temperature; from 37.3 °C the command is alerted", Tag: "crisis",
		Roles: screeners, Request: entryInput{}, Response: entryJSON{}, Params: id, Status: 201}, s.createEntry)
	s.handle(Op{Method: "GET", Path: "/api/v1/screenings", Summary: "People screened at home by village cadres (入户摸排), masked, with their days of home isolation and whether today's reading is owed or taken", Tag: "crisis",
		Roles: crisisReaders, Response: List[screeningJSON]{}, Params: pg}, s.listScreenings)
	s.handle(Op{Method: "GET", Path: "/api/v1/screenings/{id}/checks", Summary: "The daily readings of a person in home isolation, in a day range, newest first", Tag: "crisis",
		Roles: crisisReaders, Response: List[screeningCheckJSON]{}, Params: append([]Param{{"from", "query", "string", "YYYY-MM-DD"}, {"to", "query", "string", "YYYY-MM-DD"}}, id...)}, s.listScreeningChecks)
	s.handle(Op{Method: "POST", Path: "/api/v1/screenings/{id}/checks", Summary: "Record a day's reading in home isolation (default today): 34.0–42.9 °C, symptoms; one a day, only on a day of home isolation after the screening (422 naming day); a fever or a symptom alerts command",
		Tag: "crisis", Roles: screeners, Request: screeningCheckRequest{}, Response: screeningCheckJSON{}, Params: id, Status: 201}, s.recordScreeningCheck)
	s.handle(Op{Method: "GET", Path: "/api/v1/party-applications", Summary: "Party applications from the front line, with the date of each stage", Tag: "crisis",
		Roles: fugong.RolesFor(fugong.PermPartyView), Response: List[partyJSON]{}, Params: append([]Param{{"stage", "query", "string", "applicant, activist, candidate, probationary or member"}, {"unit", "query", "string", ""}}, pg...)}, s.listPartyApplications)
	s.handle(Op{Method: "POST", Path: "/api/v1/party-applications", Summary: "Record a new party application (stage applicant)", Tag: "crisis",
		Roles: partyEditors, Request: partyInput{}, Response: partyJSON{}, Status: 201}, s.createPartyApplication)
	s.handle(Op{Method: "POST", Path: "/api/v1/party-applications/{id}/advance", Summary: "Move an application to its next stage on a day: a year as activist before candidate, a year as probationary member before member (422 naming day and the first allowed day); a stale version answers 409", Tag: "crisis",
		Roles: partyEditors, Request: advanceInput{}, Response: partyJSON{}, Params: id}, s.advancePartyApplication)
	s.handle(Op{Method: "PUT", Path: "/api/v1/party-applications/{id}", Summary: "Correct a wrongly entered application at the version read: the days of the stages reached keep their order, a year as activist and a year of probation (422 naming the field); the stage moves only by advance",
		Tag: "crisis", Roles: partyEditors, Request: partyEditInput{}, Response: partyJSON{}, Params: id}, s.updatePartyApplication)
	s.handle(Op{Method: "DELETE", Path: "/api/v1/party-applications/{id}", Summary: "Delete an application entered by mistake (version=N, the version read; stale answers 409); the audit log keeps what it said",
		Tag: "crisis", Roles: partyEditors, Params: append([]Param{{"version", "query", "integer", ""}}, id...), Status: 204}, s.deletePartyApplication)
	s.handle(Op{Method: "GET", Path: "/api/v1/judicial-visits", Summary: "The court's and procuratorate's visits to enterprises, with the demand each need became", Tag: "crisis",
		Response: List[judicialJSON]{}, Params: pg}, s.listJudicialVisits)
	s.handle(Op{Method: "POST", Path: "/api/v1/judicial-visits", Summary: "Record a visit; a judicial need becomes a demand of the category 司法 dispatched to the visiting body", Tag: "crisis",
		Roles: targetEditors, Request: judicialInput{}, Response: judicialJSON{}, Status: 201}, s.createJudicialVisit)
}
