package api

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// visitJSON is a visit as the API shows it.
type visitJSON struct {
	ID             int64            `json:"id"`
	RegionCode     string           `json:"region_code"`
	ClientUUID     string           `json:"client_uuid"`
	EnterpriseID   int64            `json:"enterprise_id"`
	EnterpriseName string           `json:"enterprise_name"`
	LiaisonID      int64            `json:"liaison_id"`
	LiaisonName    string           `json:"liaison_name"`
	Day            string           `json:"day"`
	CheckedInAt    string           `json:"checked_in_at"`
	CheckedOutAt   string           `json:"checked_out_at"`
	Location       *locationJSON    `json:"location,omitempty"`
	Tasks          []string         `json:"tasks"`
	Findings       string           `json:"findings"`
	Demand         *visitDemandJSON `json:"demand,omitempty"`
	Demo           bool             `json:"demo"`
}

type locationJSON struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	AccuracyM int     `json:"accuracy_m"`
}

type visitDemandJSON struct {
	Category    string `json:"category"`
	Description string `json:"description"`
	OnSite      bool   `json:"on_site"`
	DemandID    int64  `json:"demand_id,omitempty"`
}

// visitRequest logs a visit. client_uuid is made by the client once per visit; sending
// the same one again answers 200 with the visit first made.
type visitRequest struct {
	ClientUUID   string           `json:"client_uuid"`
	EnterpriseID int64            `json:"enterprise_id"`
	CheckedInAt  string           `json:"checked_in_at"`
	CheckedOutAt string           `json:"checked_out_at,omitempty"`
	Location     *locationJSON    `json:"location,omitempty"`
	Tasks        []string         `json:"tasks"`
	Findings     string           `json:"findings,omitempty"`
	Demand       *visitDemandJSON `json:"demand,omitempty"`
}

func (s *Server) toVisitJSON(v fugong.Visit) visitJSON {
	out := visitJSON{ID: v.ID, RegionCode: v.County, ClientUUID: v.ClientUUID, EnterpriseID: v.EnterpriseID, EnterpriseName: v.EnterpriseName,
		LiaisonID: v.UserID, LiaisonName: v.LiaisonName, Day: v.Day, CheckedInAt: s.rfc3339(v.CheckedInAt), CheckedOutAt: s.rfc3339(v.CheckedOutAt),
		Tasks: v.Tasks, Findings: v.Findings, Demo: v.Demo}
	out.Tasks = nonNil(out.Tasks)
	if v.Located {
		out.Location = &locationJSON{Latitude: v.Latitude, Longitude: v.Longitude, AccuracyM: v.AccuracyM}
	}
	if d := v.Demand; d != nil {
		out.Demand = &visitDemandJSON{Category: d.Category, Description: d.Description, OnSite: d.OnSite, DemandID: d.DemandID}
	}
	return out
}

func (s *Server) raiser() store.DemandRaiser {
	if s.Demands != nil {
		return s.Demands
	}
	return store.VisitLogOnly{}
}

// parseTime reads an RFC 3339 field into dst, recording a field error.
func parseTime(f fugong.FieldErrors, name, v string, dst *time.Time) {
	if v == "" {
		return
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		f.Add(name, "visit.time")
	}
	*dst = t
}

func (s *Server) createVisit(w http.ResponseWriter, r *http.Request) error {
	var req visitRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	v := &fugong.Visit{ClientUUID: req.ClientUUID, EnterpriseID: req.EnterpriseID, Tasks: req.Tasks, Findings: req.Findings}
	f := fugong.FieldErrors{}
	parseTime(f, "checked_in_at", req.CheckedInAt, &v.CheckedInAt)
	parseTime(f, "checked_out_at", req.CheckedOutAt, &v.CheckedOutAt)
	if err := f.Err(); err != nil {
		return err
	}
	if l := req.Location; l != nil {
		v.Located, v.Latitude, v.Longitude, v.AccuracyM = true, l.Latitude, l.Longitude, l.AccuracyM
	}
	if d := req.Demand; d != nil {
		v.Demand = &fugong.VisitDemand{Category: d.Category, Description: d.Description, OnSite: d.OnSite}
	}
	sc := auth.ScopeFrom(r.Context())
	created, err := s.DB.CreateVisit(r.Context(), sc, s.Loc, v, s.raiser())
	if err != nil {
		return err
	}
	got, err := s.DB.FindVisit(r.Context(), sc, v.ID)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/visits/"+strconv.FormatInt(v.ID, 10))
	return writeJSON(w, status, s.toVisitJSON(got))
}

func (s *Server) listVisits(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.VisitFilter{From: q.Get("from"), To: q.Get("to"), Limit: limit, Offset: offset}
	if err := queryInt64s(r, map[string]*int64{"enterprise_id": &f.EnterpriseID, "liaison_id": &f.UserID}); err != nil {
		return err
	}
	items, total, err := s.DB.FindVisits(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toVisitJSON)
}

func (s *Server) getVisit(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindVisit, s.toVisitJSON)
}
