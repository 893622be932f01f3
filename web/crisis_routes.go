package web

import "fugong"

// crisisRoutes are the pages of the rest of the county's crisis work: hazard points and
// the flood-season roster, checkpoints and village screening, party applications and
// the judicial visits.
func (s *Server) crisisRoutes() {
	s.page("GET /targets", targetReaders, s.targetBoard)
	s.page("POST /targets/{id}/reports", targetEditors, s.targetReport)
	s.page("GET /hazard-points", hazardReaders, s.hazardList)
	s.page("GET /hazard-points/{id}", hazardReaders, s.hazardShow)
	s.page("POST /hazard-points/{id}/patrols", patrollers, s.patrolCreate)
	s.page("POST /hazard-points/{id}/notices", patrollers, s.riskNoticeCreate)
	s.page("GET /flood-duty", hazardReaders, s.dutyRoster)
	s.page("POST /flood-duty", hazardEditors, s.dutySave)
	s.page("POST /flood-duty/calendar", hazardReaders, s.calendarToken)
	s.public("GET /calendar/{file}", s.dutyCalendar)
	s.page("GET /checkpoints", hazardReaders, s.checkpointList)
	s.page("GET /checkpoints/{id}", hazardReaders, s.checkpointShow)
	s.page("GET /checkpoints/entries/{id}", hazardReaders, s.checkpointEntryShow)
	s.page("POST /checkpoints/{id}/entries", screeners, s.checkpointRegister)
	s.page("GET /screenings", hazardReaders, s.screeningList)
	s.page("POST /screenings", screeners, s.screeningCreate)
	s.page("POST /screenings/{id}/checks", screeners, s.screeningCheck)
	s.page("GET /party-applications", fugong.RolesFor(fugong.PermPartyView), s.partyList)
	s.page("POST /party-applications", partyEditors, s.partyCreate)
	s.page("POST /party-applications/{id}/advance", partyEditors, s.partyAdvance)
	s.page("GET /party-applications/{id}/edit", partyEditors, s.partyEdit)
	s.page("POST /party-applications/{id}", partyEditors, s.partyUpdate)
	s.page("POST /party-applications/{id}/delete", partyEditors, s.partyDelete)
	s.page("GET /judicial-visits", Any, s.judicialList)
	s.page("POST /judicial-visits", judicialRecorders, s.judicialCreate)
}
