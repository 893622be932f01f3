package api

import "fugong/xlsx"

// healthRoutes are the workforce-health operations: workers through the gates, checks,
// alerts and supplies.
func (s *Server) healthRoutes() {
	id := Param{"id", "path", "integer", "worker id"}
	page := []Param{{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}
	ent := Param{"enterprise_id", "query", "integer", "one enterprise"}
	from, to := Param{"from", "query", "string", "first day, YYYY-MM-DD"}, Param{"to", "query", "string", "last day, YYYY-MM-DD"}
	un := Param{"unmask", "query", "boolean", "show id_number and phone in clear (command, admin, enterprise, liaison, village; audited)"}
	reason := Param{"reason", "query", "string", "why, when unmasking more than 500 records an hour (command only)"}
	s.handle(Op{Method: "GET", Path: "/api/v1/workers", Summary: "Returning workers in the caller's scope, masked by default", Tag: "health", Response: List[workerJSON]{},
		Params: append([]Param{ent, {"township", "query", "string", ""}, {"status", "query", "string", "待返岗, 隔离中, 在岗, 离职"}, {"q", "query", "string", "name contains"},
			{"id_number", "query", "string", "an exact ID number"}, {"no_tcm", "query", "boolean", "only workers given no preventive TCM dose (with status=在岗: on duty without one)"}, un, reason}, page...)}, s.listWorkers)
	s.handle(Op{Method: "POST", Path: "/api/v1/workers", Summary: "Register a returning worker", Tag: "health", Request: workerRequest{}, Response: workerJSON{}, Status: 201}, s.createWorker)
	s.handle(Op{Method: "POST", Path: "/api/v1/workers/import", Summary: "Import an enterprise's workers ledger (.xlsx body): a preview with dry_run=true, else all rows or none",
		Tag: "health", Response: importJSON{}, Invalid: importJSON{}, RequestType: xlsx.ContentType, Params: []Param{ent, {"dry_run", "query", "boolean", ""}}}, s.importWorkers)
	s.handle(Op{Method: "GET", Path: "/api/v1/workers/export", Summary: "The workers ledger as .xlsx, masked by default", Tag: "health", Produces: []string{xlsx.ContentType}, Replica: true,
		Params: []Param{ent, un, reason}}, s.exportWorkers)
	s.handle(Op{Method: "GET", Path: "/api/v1/workers/{id}", Summary: "One worker", Tag: "health", Response: workerJSON{}, Params: []Param{id, un, reason}}, s.getWorker)
	s.handle(Op{Method: "GET", Path: "/api/v1/workers/{id}/gates", Summary: "A worker's steps through the four gates, in a day range", Tag: "health", Response: List[gateJSON]{}, Params: []Param{id, from, to}}, s.listGates)
	s.handle(Op{Method: "POST", Path: "/api/v1/workers/{id}/gates", Summary: "Record a step: entry, screening, isolation, release, clear, leave", Tag: "health",
		Request: gateRequest{}, Response: gateJSON{}, Params: []Param{id}, Status: 201}, s.recordGate)
	s.handle(Op{Method: "GET", Path: "/api/v1/workers/{id}/checks", Summary: "A worker's temperature checks, in a day range", Tag: "health", Response: List[checkJSON]{}, Params: []Param{id, from, to}}, s.listChecks)
	s.handle(Op{Method: "POST", Path: "/api/v1/workers/{id}/checks", Summary: "Record a temperature check (am/pm at work, the day's in isolation)", Tag: "health",
		Request: checkRequest{}, Response: checkJSON{}, Params: []Param{id}, Status: 201}, s.recordCheck)
	s.handle(Op{Method: "GET", Path: "/api/v1/alerts", Summary: "Fever and symptom alerts of a day", Tag: "health", Response: List[alertJSON]{},
		Params: []Param{{"day", "query", "string", "YYYY-MM-DD, today by default"}, ent}}, s.listAlerts)
	s.handle(Op{Method: "GET", Path: "/api/v1/health/townships", Summary: "County totals by township: workers, alerts and checks today, supplies, TCM coverage", Tag: "health",
		Response: List[healthTotalJSON]{}}, s.healthTotals)
	s.handle(Op{Method: "GET", Path: "/api/v1/supplies", Summary: "Supplies per enterprise: stock, daily need, days of cover, TCM coverage", Tag: "health",
		Response: List[supplySummaryJSON]{}, Params: []Param{ent}}, s.listSupplies)
	s.handle(Op{Method: "POST", Path: "/api/v1/supplies", Summary: "Record a supplies ledger line (received, used, given)", Tag: "health",
		Request: supplyEntryRequest{}, Response: supplyEntryJSON{}, Status: 201}, s.recordSupply)
	s.handle(Op{Method: "PUT", Path: "/api/v1/supplies/settings", Summary: "Set an enterprise's attendance, masks per person and shortage threshold", Tag: "health",
		Request: supplySettingsRequest{}, Response: supplySettingsRequest{}}, s.setSupplySettings)
	s.handle(Op{Method: "GET", Path: "/api/v1/supplies/requests", Summary: "Supply demands raised by the shortage rule", Tag: "health", Response: List[supplyRequestJSON]{},
		Params: []Param{ent, {"state", "query", "string", "open or closed"}}}, s.listSupplyRequests)
}
