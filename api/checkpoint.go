package api

import (
	"net/http"
	"time"

	"fugong"
	"fugong/auth"
)

type checkpointJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Township string `json:"township"`
	Location string `json:"location"`
	OpenedOn string `json:"opened_on"`
	Entries  int    `json:"entries"`
	Fevers   int    `json:"fevers"`
	Demo     bool   `json:"demo"`
}

type entryInput struct {
	Plate       string `json:"plate"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number"`
	Phone       string `json:"phone"`
	Origin      string `json:"origin"`
	Temperature string `json:"temperature"`
	// At is when the person passed, RFC 3339, for a registration written up afterwards;
	// empty means now.
	At string `json:"at,omitempty"`
}

type entryJSON struct {
	ID           int64  `json:"id"`
	CheckpointID int64  `json:"checkpoint_id"`
	At           string `json:"at"`
	Plate        string `json:"plate"`
	Name         string `json:"name"`
	IDNumber     string `json:"id_number"`
	Phone        string `json:"phone"`
	Origin       string `json:"origin"`
	Temperature  string `json:"temperature"`
	Fever        bool   `json:"fever"`
}

func (s *Server) listCheckpoints(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindCheckpoints(r.Context(), auth.ScopeFrom(r.Context()), fugong.CheckpointFilter{Township: r.URL.Query().Get("township"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := make([]checkpointJSON, len(items))
	for i, c := range items {
		out[i] = checkpointJSON{ID: c.ID, Name: c.Name, Township: c.Township, Location: c.Location, OpenedOn: c.OpenedOn, Entries: c.Entries, Fevers: c.Fevers, Demo: c.Demo}
	}
	return writeJSON(w, http.StatusOK, list(out, total))
}

// createEntry registers a vehicle or person; the answer shows the personal data masked.
func (s *Server) createEntry(w http.ResponseWriter, r *http.Request) error {
	var in entryInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	t, terr := fugong.ParseBodyTemperature(in.Temperature)
	if terr != nil {
		return fugong.Invalid(map[string]fugong.Msg{"temperature": fugong.M("checkpoint.temperature")})
	}
	e := fugong.CheckpointEntry{CheckpointID: id, Plate: in.Plate, Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone, Origin: in.Origin, Temperature: t}
	if in.At != "" {
		if e.At, err = time.Parse(time.RFC3339, in.At); err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"at": fugong.M("checkpoint.at_invalid")})
		}
	}
	if err := s.DB.CreateCheckpointEntry(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &e, s.zh); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, entryJSON{ID: e.ID, CheckpointID: id, At: s.rfc3339(e.At), Plate: e.Plate, Name: e.Name, IDNumber: fugong.MaskIDNumber(e.IDNumber),
		Phone: fugong.MaskPhone(e.Phone), Origin: e.Origin, Temperature: fugong.FormatTemperature(e.Temperature), Fever: e.Fever})
}
