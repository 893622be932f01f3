package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
)

func langOf(r *http.Request) string { return i18n.Pick(r) }

// supplySummaryJSON is an enterprise's supplies at a glance. Days of cover are given in
// tenths of a day (50 is 5.0 days; -1 when there is no need).
type supplySummaryJSON struct {
	EnterpriseID      int64          `json:"enterprise_id"`
	Enterprise        string         `json:"enterprise"`
	Township          string         `json:"township"`
	Payroll           int            `json:"payroll"`
	AttendancePct     int            `json:"attendance_pct"`
	MasksPerPerson    int            `json:"masks_per_person"`
	ThresholdDays     int            `json:"threshold_days"`
	Stock             map[string]int `json:"stock"`
	DailyNeed         int            `json:"daily_need"`
	DaysOfCoverTenths int            `json:"days_of_cover_tenths"`
	Short             bool           `json:"short"`
	OpenSupplyRequest bool           `json:"open_supply_request"`
	TCMWorkersGiven   int            `json:"tcm_workers_given"`
	TCMWorkersOnDuty  int            `json:"tcm_workers_on_duty"`
}

func (s *Server) listSupplies(w http.ResponseWriter, r *http.Request) error {
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	sums, err := s.DB.SupplySummaries(r.Context(), auth.ScopeFrom(r.Context()), ent)
	if err != nil {
		return err
	}
	out := make([]supplySummaryJSON, len(sums))
	for i, x := range sums {
		out[i] = supplySummaryJSON{EnterpriseID: x.EnterpriseID, Enterprise: x.Enterprise, Township: x.Township, Payroll: x.Payroll,
			AttendancePct: x.Settings.AttendancePct, MasksPerPerson: x.Settings.MasksPerPerson, ThresholdDays: x.Settings.ThresholdDays,
			Stock: x.Stock, DailyNeed: x.DailyNeed, DaysOfCoverTenths: x.CoverTenths, Short: x.Short, OpenSupplyRequest: x.OpenRequest,
			TCMWorkersGiven: x.TCM.Given, TCMWorkersOnDuty: x.TCM.OnDuty}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}

// supplyEntryRequest is one line of the supplies ledger.
type supplyEntryRequest struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Item         string `json:"item"`
	Kind         string `json:"kind"`
	Quantity     int    `json:"quantity"`
	Day          string `json:"day"`
	WorkerID     int64  `json:"worker_id"`
	Note         string `json:"note"`
}

// supplyEntryJSON is a recorded ledger line.
type supplyEntryJSON struct {
	ID int64 `json:"id"`
	supplyEntryRequest
}

func (s *Server) recordSupply(w http.ResponseWriter, r *http.Request) error {
	var req supplyEntryRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	req.Day = s.orToday(req.Day)
	e := fugong.SupplyEntry{EnterpriseID: req.EnterpriseID, Item: req.Item, Kind: req.Kind, Quantity: req.Quantity, Day: req.Day, WorkerID: req.WorkerID, Note: req.Note}
	if err := s.Health.RecordSupply(r.Context(), auth.ScopeFrom(r.Context()), &e); err != nil {
		return err
	}
	req.EnterpriseID = e.EnterpriseID
	return writeJSON(w, http.StatusCreated, supplyEntryJSON{ID: e.ID, supplyEntryRequest: req})
}

// supplySettingsRequest sets an enterprise's own supply settings.
type supplySettingsRequest struct {
	EnterpriseID   int64 `json:"enterprise_id"`
	AttendancePct  int   `json:"attendance_pct"`
	MasksPerPerson int   `json:"masks_per_person"`
	ThresholdDays  int   `json:"threshold_days"`
}

func (s *Server) setSupplySettings(w http.ResponseWriter, r *http.Request) error {
	var req supplySettingsRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	own, err := fugong.CheckOwnEnterprise(sc, req.EnterpriseID)
	if err != nil {
		return err
	}
	req.EnterpriseID = own
	set := fugong.SupplySettings{AttendancePct: req.AttendancePct, MasksPerPerson: req.MasksPerPerson, ThresholdDays: req.ThresholdDays}
	if err := s.Health.SetSupplySettings(r.Context(), sc, req.EnterpriseID, set); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, req)
}

// supplyRequestJSON is a supply demand the shortage rule raised.
type supplyRequestJSON struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Item         string `json:"item"`
	Quantity     int    `json:"quantity"`
	Note         string `json:"note"`
	State        string `json:"state"`
	RaisedAt     string `json:"raised_at"`
	ClosedAt     string `json:"closed_at,omitempty"`
}

func (s *Server) listSupplyRequests(w http.ResponseWriter, r *http.Request) error {
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	rs, err := s.DB.FindSupplyRequests(r.Context(), auth.ScopeFrom(r.Context()), ent, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	out := make([]supplyRequestJSON, len(rs))
	for i, x := range rs {
		out[i] = supplyRequestJSON{ID: x.ID, EnterpriseID: x.EnterpriseID, Item: x.Item, Quantity: x.Quantity, Note: x.Note, State: x.State,
			RaisedAt: s.rfc3339(x.RaisedAt), ClosedAt: s.rfc3339(x.ClosedAt)}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}

// healthTotalJSON is one township's totals (township "" is none).
type healthTotalJSON struct {
	Township         string         `json:"township"`
	Workers          map[string]int `json:"workers"`
	AlertsToday      int            `json:"alerts_today"`
	ChecksToday      int            `json:"checks_today"`
	Enterprises      int            `json:"enterprises"`
	DailyNeed        int            `json:"daily_need"`
	MaskStock        int            `json:"mask_stock"`
	Short            int            `json:"short"`
	TCMWorkersGiven  int            `json:"tcm_workers_given"`
	TCMWorkersOnDuty int            `json:"tcm_workers_on_duty"`
}

func (s *Server) healthTotals(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.DB.HealthTotals(r.Context(), auth.ScopeFrom(r.Context()), s.today())
	if err != nil {
		return err
	}
	out := make([]healthTotalJSON, len(ts))
	for i, t := range ts {
		out[i] = healthTotalJSON{Township: t.Township, Workers: t.Workers, AlertsToday: t.AlertsToday, ChecksToday: t.ChecksToday, Enterprises: t.Enterprises, DailyNeed: t.DailyNeed,
			MaskStock: t.MaskStock, Short: t.Short, TCMWorkersGiven: t.TCM.Given, TCMWorkersOnDuty: t.TCM.OnDuty}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}
