package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

type workerShowData struct {
	W         fugong.Worker
	E         fugong.Enterprise
	Gates     []fugong.GateEvent
	Checks    []fugong.Check
	Range     fugong.DayRange
	CanUnmask bool
	CanWrite  bool
	// Next lists the steps the state machine allows now.
	Next []string
	Slot string
}

func (s *Server) workerData(r *http.Request, id int64) (workerShowData, *Page, error) {
	sc := auth.ScopeFrom(r.Context())
	var d workerShowData
	x, err := s.Health.FindWorker(r.Context(), sc, id)
	if err != nil {
		return d, nil, err
	}
	e, err := s.DB.FindEnterprise(r.Context(), sc, x.EnterpriseID)
	if err != nil {
		return d, nil, err
	}
	q := r.URL.Query()
	rg := fugong.DayRange{From: q.Get("from"), To: q.Get("to")}
	verr := rg.Validate()
	if verr != nil {
		rg = fugong.DayRange{}
	}
	gs, err := s.Health.FindGates(r.Context(), id, rg)
	if err != nil {
		return d, nil, err
	}
	limit := 20
	if rg != (fugong.DayRange{}) {
		limit = 200
	}
	cs, err := s.Health.FindChecks(r.Context(), id, rg, limit)
	if err != nil {
		return d, nil, err
	}
	p := s.newPage(r, "health.worker")
	p.Title = x.Name
	if verr != nil {
		if err := s.invalid(p, verr); err != nil {
			return d, nil, err
		}
		p.Form = q
	}
	d = workerShowData{W: x, E: e, Gates: gs, Checks: cs, Range: rg, CanUnmask: sc.CanSeeUnmasked(),
		CanWrite: sc.Can(fugong.PermHealthWrite), Slot: fugong.SlotMorning}
	if s.Clock.Now().In(s.Loc).Hour() >= 12 {
		d.Slot = fugong.SlotAfternoon
	}
	for _, g := range fugong.Gates {
		ev := fugong.GateEvent{Gate: g, Day: p.Today, Risk: fugong.RiskLow, IsolationKind: fugong.IsolationCentral}
		if g == fugong.GateRelease {
			ev.Day = "9999-12-31"
		}
		if _, _, err := fugong.Advance(x.Status, x.Health, ev, 14); err == nil {
			d.Next = append(d.Next, g)
		}
	}
	return d, p, nil
}

// workerShow is a worker's page on the liaison's phone: the gates passed, the next
// step's form, the checks.
func (s *Server) workerShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, p, err := s.workerData(r, id)
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "health/worker", p)
}

// workerUnmask shows the ID number and phone in clear to a role that may see them,
// writing the view to the audit log.
func (s *Server) workerUnmask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, p, err := s.workerData(r, id)
	if err != nil {
		return err
	}
	ws := []fugong.Worker{d.W}
	if err := s.Health.Unmask(r.Context(), auth.ScopeFrom(r.Context()), ws); err != nil {
		return err
	}
	d.W = ws[0]
	p.Data = d
	return s.render(w, r, "health/worker", p)
}

func (s *Server) workerFormError(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	d, p, e2 := s.workerData(r, id)
	if e2 != nil {
		return e2
	}
	if err := s.invalid(p, err); err != nil {
		return err
	}
	p.Form = r.PostForm
	p.Data = d
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, "health/worker", p)
}

func (s *Server) workerGate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e := fugong.GateEvent{WorkerID: id, Gate: r.FormValue("gate"), Day: r.FormValue("day"), FromRegion: r.FormValue("from_region"), Route: r.FormValue("route"),
		Arrival: r.FormValue("arrival"), Contact: r.FormValue("contact") == "on", Symptoms: r.FormValue("symptoms"), IsolationKind: r.FormValue("isolation_kind"), Note: r.FormValue("note")}
	if e.Day == "" {
		e.Day = fugong.Day(s.Clock.Now(), s.Loc)
	}
	if v := r.FormValue("temperature"); v != "" {
		t, key := fugong.ParseTemperature(v)
		if key != "" {
			return s.workerFormError(w, r, id, fugong.Invalid(map[string]fugong.Msg{"temperature": fugong.M(key)}))
		}
		e.Temperature = t
	}
	if _, err := s.Health.RecordGate(r.Context(), auth.ScopeFrom(r.Context()), &e); err != nil {
		return s.workerFormError(w, r, id, err)
	}
	return redirect(w, r, "/workers/"+strconv.FormatInt(id, 10), "form.saved")
}

func (s *Server) workerCheck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, key := fugong.ParseTemperature(r.FormValue("temperature"))
	if key != "" {
		return s.workerFormError(w, r, id, fugong.Invalid(map[string]fugong.Msg{"temperature": fugong.M(key)}))
	}
	c := fugong.Check{WorkerID: id, Day: fugong.Day(s.Clock.Now(), s.Loc), Slot: r.FormValue("slot"), Temperature: t, Symptoms: r.FormValue("symptoms")}
	if err := s.Health.RecordCheck(r.Context(), auth.ScopeFrom(r.Context()), &c); err != nil {
		return s.workerFormError(w, r, id, err)
	}
	return redirect(w, r, "/workers/"+strconv.FormatInt(id, 10), "form.saved")
}
