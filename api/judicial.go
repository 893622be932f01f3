package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type judicialInput struct {
	OrgUnitID    int64  `json:"org_unit_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Day          string `json:"day"`
	Visitor      string `json:"visitor"`
	Note         string `json:"note"`
	Need         string `json:"need"`
	Matter       string `json:"matter"`
}

type judicialJSON struct {
	ID             int64  `json:"id"`
	OrgUnitID      int64  `json:"org_unit_id"`
	OrgUnitName    string `json:"org_unit_name"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	Day            string `json:"day"`
	Visitor        string `json:"visitor"`
	Note           string `json:"note"`
	Need           string `json:"need"`
	DemandID       int64  `json:"demand_id"`
	Demo           bool   `json:"demo"`
}

func toJudicialJSON(v fugong.JudicialVisit) judicialJSON {
	return judicialJSON{ID: v.ID, OrgUnitID: v.OrgUnitID, OrgUnitName: v.OrgUnitName, EnterpriseID: v.EnterpriseID, EnterpriseName: v.EnterpriseName, Day: v.Day,
		Visitor: v.Visitor, Note: v.Note, Need: v.Need, DemandID: v.DemandID, Demo: v.Demo}
}

func (s *Server) listJudicialVisits(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindJudicialVisits(r.Context(), auth.ScopeFrom(r.Context()), limit, offset)
	if err != nil {
		return err
	}
	return writeList(w, items, total, toJudicialJSON)
}

// createJudicialVisit records a visit; a need becomes a 司法 demand dispatched to the visiting body.
func (s *Server) createJudicialVisit(w http.ResponseWriter, r *http.Request) error {
	var in judicialInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	v := fugong.JudicialVisit{OrgUnitID: in.OrgUnitID, EnterpriseID: in.EnterpriseID, Day: in.Day, Visitor: in.Visitor, Note: in.Note, Need: in.Need, Matter: in.Matter}
	if err := s.DB.RecordJudicialVisit(r.Context(), auth.ScopeFrom(r.Context()), s.demands(), &v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toJudicialJSON(v))
}
