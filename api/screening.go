package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

// screeningJSON is a person a village cadre screened at home (入户摸排), masked, with the
// days of home isolation and whether today's reading is owed or taken.
type screeningJSON struct {
	ID             int64  `json:"id"`
	Village        string `json:"village"`
	Name           string `json:"name"`
	Phone          string `json:"phone"`
	ReturnedOn     string `json:"returned_on"`
	IsolationUntil string `json:"isolation_until"`
	Day            string `json:"day"`
	// OwesCheck: today is a day of home isolation after the screening, so a reading is due.
	OwesCheck bool `json:"owes_check"`
	// CheckedToday: today's reading is recorded.
	CheckedToday bool `json:"checked_today"`
}

// screeningCheckJSON is one day's reading in home isolation.
type screeningCheckJSON struct {
	ID                int64  `json:"id"`
	ScreeningID       int64  `json:"screening_id"`
	Day               string `json:"day"`
	TemperatureTenths int    `json:"temperature_tenths"`
	Symptoms          string `json:"symptoms,omitempty"`
	Alert             bool   `json:"alert"`
	RecordedBy        string `json:"recorded_by"`
	At                string `json:"at"`
}

// screeningCheckRequest records a day's reading: day (default today), temperature in
// tenths of a degree (365 = 36.5 °C) and any symptoms.
type screeningCheckRequest struct {
	Day               string `json:"day"`
	TemperatureTenths int    `json:"temperature_tenths" openapi:"required"`
	Symptoms          string `json:"symptoms"`
}

func (s *Server) toScreeningCheckJSON(c fugong.ScreeningCheck) screeningCheckJSON {
	return screeningCheckJSON{ID: c.ID, ScreeningID: c.ScreeningID, Day: c.Day, TemperatureTenths: c.Temperature, Symptoms: c.Symptoms, Alert: c.Fever,
		RecordedBy: c.RecordedBy, At: s.rfc3339(c.At)}
}

func (s *Server) listScreenings(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindScreenings(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, limit, offset)
	if err != nil {
		return err
	}
	today := s.today()
	return writeList(w, items, total, func(x fugong.Screening) screeningJSON {
		return screeningJSON{ID: x.ID, Village: x.Village, Name: x.Name, Phone: x.Phone, ReturnedOn: x.ReturnedOn, IsolationUntil: x.IsolationUntil, Day: x.Day,
			OwesCheck: x.OwesCheck(today), CheckedToday: x.Today != nil}
	})
}

func (s *Server) listScreeningChecks(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rg, err := dayRangeOf(r)
	if err != nil {
		return err
	}
	cs, err := s.Health.FindScreeningChecks(r.Context(), auth.ScopeFrom(r.Context()), id, rg)
	if err != nil {
		return err
	}
	return writeList(w, cs, len(cs), s.toScreeningCheckJSON)
}

func (s *Server) recordScreeningCheck(w http.ResponseWriter, r *http.Request) error {
	var req screeningCheckRequest
	id, err := decodeFor(w, r, &req)
	if err != nil {
		return err
	}
	c := fugong.ScreeningCheck{ScreeningID: id, Day: s.orToday(req.Day), Temperature: req.TemperatureTenths, Symptoms: req.Symptoms}
	if err := s.Health.RecordScreeningCheck(r.Context(), auth.ScopeFrom(r.Context()), &c); err != nil {
		// The reading is temperature_tenths here: name it so.
		if e := fugong.AsError(err); e != nil && e.Code == fugong.EINVALID {
			if m, ok := e.Fields["temperature"]; ok {
				delete(e.Fields, "temperature")
				e.Fields["temperature_tenths"] = m
			}
		}
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toScreeningCheckJSON(c))
}
