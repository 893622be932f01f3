package api

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/xlsx"
)

// workerJSON is a worker as the API shows it: id_number and phone masked unless the
// caller asked for unmask=true and their role may see them (every such view is audited).
type workerJSON struct {
	ID             int64  `json:"id"`
	RegionCode     string `json:"region_code"`
	EnterpriseID   int64  `json:"enterprise_id"`
	Township       string `json:"township"`
	Name           string `json:"name"`
	IDNumber       string `json:"id_number"`
	Phone          string `json:"phone"`
	Masked         bool   `json:"masked"`
	HomeRegion     string `json:"home_region"`
	Poor           bool   `json:"poor"`
	Status         string `json:"status"`
	Gate           string `json:"gate"`
	Risk           string `json:"risk,omitempty"`
	Arrival        string `json:"arrival,omitempty"`
	IsolationKind  string `json:"isolation_kind,omitempty"`
	IsolationStart string `json:"isolation_start,omitempty"`
	IsolationEnd   string `json:"isolation_end,omitempty"`
	TCMDoses       int    `json:"tcm_doses"`
	Version        int64  `json:"version"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

func (s *Server) toWorkerJSON(w fugong.Worker) workerJSON {
	h := w.Health
	return workerJSON{ID: w.ID, RegionCode: w.County, EnterpriseID: w.EnterpriseID, Township: w.Township, Name: w.Name, IDNumber: w.IDNumber, Phone: w.Phone,
		Masked: w.Masked, HomeRegion: w.HomeRegion, Poor: w.Poor, Status: w.Status, Gate: h.Gate, Risk: h.Risk, Arrival: h.Arrival, IsolationKind: h.IsolationKind,
		IsolationStart: h.IsolationStart, IsolationEnd: h.IsolationEnd, TCMDoses: w.TCMDoses, Version: w.Version,
		CreatedAt: s.rfc3339(w.CreatedAt), UpdatedAt: s.rfc3339(w.UpdatedAt)}
}

// workerRequest creates a worker.
type workerRequest struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	IDNumber     string `json:"id_number"`
	Phone        string `json:"phone"`
	HomeRegion   string `json:"home_region"`
	Poor         bool   `json:"poor"`
	Status       string `json:"status"`
}

// unmask reads the unmask query flag.
func unmask(r *http.Request) (bool, error) { return queryBool(r, "unmask") }

func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, fugong.Invalid(map[string]fugong.Msg{name: fugong.M("field.number")})
	}
	return id, nil
}

// workerInScope reads the id of the worker a request is about and finds the worker in
// the caller's scope: what its gates and checks are read and written under.
func (s *Server) workerInScope(r *http.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	if _, err := s.Health.FindWorker(r.Context(), auth.ScopeFrom(r.Context()), id); err != nil {
		return 0, err
	}
	return id, nil
}

func (s *Server) listWorkers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	un, err := unmask(r)
	if err != nil {
		return err
	}
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	noTCM, err := queryBool(r, "no_tcm")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.WorkerFilter{EnterpriseID: ent, Township: q.Get("township"), Status: q.Get("status"), Query: q.Get("q"), NoTCM: noTCM, Limit: limit, Offset: offset}
	if v := q.Get("id_number"); v != "" {
		f.IDHash = s.Health.IDHash(v)
	}
	sc := auth.ScopeFrom(r.Context())
	items, total, err := s.Health.FindWorkers(r.Context(), sc, f)
	if err != nil {
		return err
	}
	if un {
		if err := s.unmaskWorkers(r, sc, items); err != nil {
			return err
		}
	}
	return writeList(w, items, total, s.toWorkerJSON)
}

func (s *Server) getWorker(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	un, err := unmask(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	x, err := s.Health.FindWorker(r.Context(), sc, id)
	if err != nil {
		return err
	}
	if un {
		ws := []fugong.Worker{x}
		if err := s.unmaskWorkers(r, sc, ws); err != nil {
			return err
		}
		x = ws[0]
	}
	return writeJSON(w, http.StatusOK, s.toWorkerJSON(x))
}

// unmaskWorkers opens the workers' personal data for a role that may see it, within the
// caller's hourly unmask limit (paging through a list in clear is an export too).
func (s *Server) unmaskWorkers(r *http.Request, sc fugong.Scope, ws []fugong.Worker) error {
	if sc.CanSeeUnmasked() && len(ws) > 0 {
		if err := s.Health.AllowBulkUnmask(r.Context(), sc, "workers", len(ws), r.URL.Query().Get("reason")); err != nil {
			return err
		}
	}
	return s.Health.Unmask(r.Context(), sc, ws)
}

func (s *Server) createWorker(w http.ResponseWriter, r *http.Request) error {
	var req workerRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	x := fugong.Worker{EnterpriseID: req.EnterpriseID, Name: req.Name, IDNumber: req.IDNumber, Phone: req.Phone, HomeRegion: req.HomeRegion, Poor: req.Poor, Status: req.Status}
	sc := auth.ScopeFrom(r.Context())
	if err := s.Health.CreateWorker(r.Context(), sc, &x); err != nil {
		return err
	}
	return writeStored(w, r, http.StatusCreated, x.ID, s.Health.FindWorker, s.toWorkerJSON)
}

// gateRequest records one step through the gates.
type gateRequest struct {
	Gate              string `json:"gate"`
	Day               string `json:"day"`
	FromRegion        string `json:"from_region"`
	Route             string `json:"route"`
	Arrival           string `json:"arrival"`
	TemperatureTenths int    `json:"temperature_tenths"`
	Contact           bool   `json:"contact"`
	Symptoms          string `json:"symptoms"`
	IsolationKind     string `json:"isolation_kind"`
	Note              string `json:"note"`
}

// gateJSON is one recorded step.
type gateJSON struct {
	ID                int64  `json:"id"`
	WorkerID          int64  `json:"worker_id"`
	Gate              string `json:"gate"`
	Day               string `json:"day"`
	FromRegion        string `json:"from_region,omitempty"`
	Route             string `json:"route,omitempty"`
	Arrival           string `json:"arrival,omitempty"`
	TemperatureTenths int    `json:"temperature_tenths,omitempty"`
	Contact           bool   `json:"contact"`
	Symptoms          string `json:"symptoms,omitempty"`
	Risk              string `json:"risk,omitempty"`
	IsolationKind     string `json:"isolation_kind,omitempty"`
	PlannedEnd        string `json:"planned_end,omitempty"`
	Note              string `json:"note,omitempty"`
	RecordedBy        int64  `json:"recorded_by"`
	RecorderName      string `json:"recorder_name"`
	At                string `json:"at"`
}

func (s *Server) toGateJSON(e fugong.GateEvent) gateJSON {
	return gateJSON{ID: e.ID, WorkerID: e.WorkerID, Gate: e.Gate, Day: e.Day, FromRegion: e.FromRegion, Route: e.Route, Arrival: e.Arrival,
		TemperatureTenths: int(e.Temperature), Contact: e.Contact, Symptoms: e.Symptoms, Risk: e.Risk, IsolationKind: e.IsolationKind, PlannedEnd: e.PlannedEnd,
		Note: e.Note, RecordedBy: e.RecordedBy, RecorderName: e.RecorderName, At: s.rfc3339(e.At)}
}

// dayRangeOf reads the from and to days of a history, refused naming the field when
// they are not dates or run backwards.
func dayRangeOf(r *http.Request) (fugong.DayRange, error) {
	q := r.URL.Query()
	rg := fugong.DayRange{From: q.Get("from"), To: q.Get("to")}
	return rg, rg.Validate()
}

func (s *Server) listGates(w http.ResponseWriter, r *http.Request) error {
	id, err := s.workerInScope(r)
	if err != nil {
		return err
	}
	rg, err := dayRangeOf(r)
	if err != nil {
		return err
	}
	gs, err := s.Health.FindGates(r.Context(), id, rg)
	if err != nil {
		return err
	}
	return writeList(w, gs, len(gs), s.toGateJSON)
}

func (s *Server) recordGate(w http.ResponseWriter, r *http.Request) error {
	var req gateRequest
	id, err := decodeFor(w, r, &req)
	if err != nil {
		return err
	}
	req.Day = s.orToday(req.Day)
	e := fugong.GateEvent{WorkerID: id, Gate: req.Gate, Day: req.Day, FromRegion: req.FromRegion, Route: req.Route, Arrival: req.Arrival,
		Temperature: fugong.Temperature(req.TemperatureTenths), Contact: req.Contact, Symptoms: req.Symptoms, IsolationKind: req.IsolationKind, Note: req.Note}
	if _, err := s.Health.RecordGate(r.Context(), auth.ScopeFrom(r.Context()), &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toGateJSON(e))
}

// checkRequest records a temperature check.
type checkRequest struct {
	Day               string `json:"day"`
	Slot              string `json:"slot"`
	TemperatureTenths int    `json:"temperature_tenths"`
	Symptoms          string `json:"symptoms"`
}

// checkJSON is one recorded check.
type checkJSON struct {
	ID                int64  `json:"id"`
	WorkerID          int64  `json:"worker_id"`
	Day               string `json:"day"`
	Slot              string `json:"slot"`
	TemperatureTenths int    `json:"temperature_tenths"`
	Symptoms          string `json:"symptoms,omitempty"`
	Alert             bool   `json:"alert"`
	At                string `json:"at"`
}

func (s *Server) toCheckJSON(c fugong.Check) checkJSON {
	return checkJSON{ID: c.ID, WorkerID: c.WorkerID, Day: c.Day, Slot: c.Slot, TemperatureTenths: int(c.Temperature), Symptoms: c.Symptoms, Alert: c.Alarming(), At: s.rfc3339(c.At)}
}

func (s *Server) listChecks(w http.ResponseWriter, r *http.Request) error {
	id, err := s.workerInScope(r)
	if err != nil {
		return err
	}
	rg, err := dayRangeOf(r)
	if err != nil {
		return err
	}
	cs, err := s.Health.FindChecks(r.Context(), id, rg, 1000)
	if err != nil {
		return err
	}
	return writeList(w, cs, len(cs), s.toCheckJSON)
}

func (s *Server) recordCheck(w http.ResponseWriter, r *http.Request) error {
	var req checkRequest
	id, err := decodeFor(w, r, &req)
	if err != nil {
		return err
	}
	req.Day = s.orToday(req.Day)
	c := fugong.Check{WorkerID: id, Day: req.Day, Slot: req.Slot, Temperature: fugong.Temperature(req.TemperatureTenths), Symptoms: req.Symptoms}
	if err := s.Health.RecordCheck(r.Context(), auth.ScopeFrom(r.Context()), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toCheckJSON(c))
}

// importJSON answers an import or its preview.
type importJSON struct {
	Rows      int               `json:"rows"`
	Committed bool              `json:"committed"`
	Preview   []workerJSON      `json:"preview"`
	Errors    []importErrorJSON `json:"errors"`
	ErrorRows int               `json:"error_count"`
}

type importErrorJSON struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// importWorkers reads an .xlsx body: a preview with dry_run=true, else all rows or none.
func (s *Server) importWorkers(w http.ResponseWriter, r *http.Request) error {
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dry_run") == "true"
	r.Body = http.MaxBytesReader(w, r.Body, 512<<20)
	src := func(head func([]string) error, row func(int, []string) error) error {
		return xlsx.Explain(xlsx.EachRow(r.Body, xlsx.WorkerLimits(), head, row))
	}
	res, err := s.Health.ImportWorkers(r.Context(), auth.ScopeFrom(r.Context()), ent, src, !dry)
	if err != nil && res.ErrorCount == 0 {
		return err
	}
	out := importJSON{Rows: res.Rows, Committed: err == nil && !dry, ErrorRows: res.ErrorCount, Errors: []importErrorJSON{}, Preview: []workerJSON{}}
	for _, p := range res.Preview {
		out.Preview = append(out.Preview, s.toWorkerJSON(p))
	}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorJSON{Line: e.Line, Column: e.Column, Message: s.Cat.Msg(langOf(r), e.Msg)})
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	return writeJSON(w, status, out)
}

// exportWorkers streams the workers ledger as .xlsx, masked unless unmask=true for a
// role that may see personal data (each unmasked row audited).
func (s *Server) exportWorkers(w http.ResponseWriter, r *http.Request) error {
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	un, err := s.exportUnmasked(r, "workers", func() (int, error) { return s.DB.CountWorkers(r.Context(), sc, ent) })
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter("员工", fugong.WorkerColumns)
	if err != nil {
		return err
	}
	lang := langOf(r)
	read := *s.Health // the rows from the replica; unmasking (audited) writes the primary
	read.DB = s.figures(r)
	open := func(ws []fugong.Worker) error { return s.Health.Unmask(r.Context(), sc, ws) }
	if !un {
		open = nil
	}
	return exportRows(w, xw, "workers.xlsx", open, func(fn func(fugong.Worker) error) error { return read.EachWorker(r.Context(), sc, ent, fn) },
		func(x fugong.Worker) []any {
			return []any{x.Name, xlsx.Text(x.IDNumber), xlsx.Text(x.Phone), x.HomeRegion, s.Cat.T(lang, yesNo(x.Poor)), x.Status}
		})
}

// exportUnmasked reads whether an export of what asks for personal data in clear
// (unmask=true) and allows it to a role that may see it, within the account's hourly
// bound on the count rows it would open; beyond, the command with a reason.
func (s *Server) exportUnmasked(r *http.Request, what string, count func() (int, error)) (bool, error) {
	un, err := unmask(r)
	if err != nil || !un {
		return false, err
	}
	sc := auth.ScopeFrom(r.Context())
	if !sc.CanSeeUnmasked() {
		return false, fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden")
	}
	n, err := count()
	if err != nil {
		return false, err
	}
	return true, s.Health.AllowBulkUnmask(r.Context(), sc, what, n, r.URL.Query().Get("reason"))
}

// exportRows streams the rows each reads to xw and answers the workbook as file. With
// open (an unmasked export), rows are opened 500 at a time, each batch with its audit
// lines in one transaction: one transaction a row made a county's export (4,685 workers
// in the demo) take seconds on SQLite and over the client's 30 s on a busy machine.
func exportRows[T any](w http.ResponseWriter, xw *xlsx.Writer, file string, open func([]T) error, each func(func(T) error) error, row func(T) []any) error {
	batch := make([]T, 0, 500)
	flush := func() error {
		if open != nil {
			if err := open(batch); err != nil {
				return err
			}
		}
		for _, x := range batch {
			if err := xw.Add(row(x)...); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	err := each(func(x T) error {
		if batch = append(batch, x); len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	return xw.Finish(w)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// alertJSON is an alert of the day.
type alertJSON struct {
	ID                int64  `json:"id"`
	EnterpriseID      int64  `json:"enterprise_id"`
	Enterprise        string `json:"enterprise"`
	Township          string `json:"township"`
	WorkerID          int64  `json:"worker_id"`
	WorkerName        string `json:"worker_name"`
	Day               string `json:"day"`
	TemperatureTenths int    `json:"temperature_tenths"`
	Symptoms          string `json:"symptoms,omitempty"`
	Source            string `json:"source"`
	At                string `json:"at"`
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	day := r.URL.Query().Get("day")
	day = s.orToday(day)
	if !fugong.ValidDay(day) {
		return fugong.Invalid(map[string]fugong.Msg{"day": fugong.M("field.date")})
	}
	ent, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	as, err := s.Health.FindAlerts(r.Context(), auth.ScopeFrom(r.Context()), day, ent, 1000)
	if err != nil {
		return err
	}
	out := make([]alertJSON, len(as))
	for i, a := range as {
		out[i] = alertJSON{ID: a.ID, EnterpriseID: a.EnterpriseID, Enterprise: a.Enterprise, Township: a.Township, WorkerID: a.WorkerID, WorkerName: a.WorkerName,
			Day: a.Day, TemperatureTenths: int(a.Temperature), Symptoms: a.Symptoms, Source: a.Source, At: s.rfc3339(a.At)}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}
