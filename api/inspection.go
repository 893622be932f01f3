package api

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

// inspectionJSON is a finding against a liaison or an enterprise, with its rectification.
type inspectionJSON struct {
	ID             int64              `json:"id"`
	RegionCode     string             `json:"region_code"`
	InspectorID    int64              `json:"inspector_id"`
	InspectorName  string             `json:"inspector_name"`
	TargetKind     string             `json:"target_kind"`
	TargetUserID   int64              `json:"target_user_id,omitempty"`
	EnterpriseID   int64              `json:"enterprise_id,omitempty"`
	TargetName     string             `json:"target_name"`
	InspectedOn    string             `json:"inspected_on"`
	Finding        string             `json:"finding"`
	Criticism      string             `json:"criticism"`
	Rectification  *rectificationJSON `json:"rectification,omitempty"`
	Demo           bool               `json:"demo"`
	CreatedAt      string             `json:"created_at"`
	EnterpriseName string             `json:"enterprise_name,omitempty"`
}

// rectificationJSON is an order to put a finding right by a deadline.
type rectificationJSON struct {
	ID           int64  `json:"id"`
	InspectionID int64  `json:"inspection_id"`
	Deadline     string `json:"deadline"`
	State        string `json:"state"`
	Overdue      bool   `json:"overdue"`
	Report       string `json:"report,omitempty"`
	ReportedAt   string `json:"reported_at,omitempty"`
	Note         string `json:"note,omitempty"`
	ClosedAt     string `json:"closed_at,omitempty"`
	Returns      int    `json:"returns"`
	Version      int64  `json:"version"`
	// The finding it puts right, for lists of rectifications.
	TargetKind string `json:"target_kind,omitempty"`
	TargetName string `json:"target_name,omitempty"`
	Finding    string `json:"finding,omitempty"`
}

type inspectionRequest struct {
	TargetKind   string `json:"target_kind"`
	TargetUserID int64  `json:"target_user_id,omitempty"`
	EnterpriseID int64  `json:"enterprise_id,omitempty"`
	InspectedOn  string `json:"inspected_on,omitempty"`
	Finding      string `json:"finding"`
	Criticism    string `json:"criticism,omitempty"`
	// Deadline sets a rectification (限期整改); empty for a finding without one.
	Deadline string `json:"deadline,omitempty"`
}

// rectificationStep is one step: report (the target), verify or return (the inspector).
type rectificationStep struct {
	Text     string `json:"text"`
	Deadline string `json:"deadline,omitempty"`
	Version  int64  `json:"version,omitempty"`
}

func (s *Server) today() string { return fugong.Day(s.Clock.Now(), s.Loc) }

// orToday is day, or today when day is empty.
func (s *Server) orToday(day string) string {
	if day == "" {
		return s.today()
	}
	return day
}

func (s *Server) toRectificationJSON(in fugong.Inspection) *rectificationJSON {
	r := in.Rectification
	if r == nil {
		return nil
	}
	return &rectificationJSON{ID: r.ID, InspectionID: in.ID, Deadline: r.Deadline, State: r.State, Overdue: r.Overdue(s.today()), Report: r.Report,
		ReportedAt: s.rfc3339(r.ReportedAt), Note: r.Note, ClosedAt: s.rfc3339(r.ClosedAt), Returns: r.Returns, Version: r.Version}
}

func (s *Server) toInspectionJSON(in fugong.Inspection) inspectionJSON {
	return inspectionJSON{ID: in.ID, RegionCode: in.County, InspectorID: in.InspectorID, InspectorName: in.InspectorName, TargetKind: in.TargetKind,
		TargetUserID: in.TargetUserID, EnterpriseID: in.EnterpriseID, TargetName: in.TargetName, InspectedOn: in.InspectedOn, Finding: in.Finding,
		Criticism: in.Criticism, Rectification: s.toRectificationJSON(in), Demo: in.Demo, CreatedAt: s.rfc3339(in.CreatedAt), EnterpriseName: in.EnterpriseName}
}

func (s *Server) inspectionFilter(r *http.Request) (fugong.InspectionFilter, error) {
	limit, offset, err := paging(r)
	if err != nil {
		return fugong.InspectionFilter{}, err
	}
	q := r.URL.Query()
	overdue, err := queryBool(r, "overdue")
	return fugong.InspectionFilter{TargetKind: q.Get("target_kind"), State: q.Get("state"), Overdue: overdue, Limit: limit, Offset: offset}, err
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request) error {
	f, err := s.inspectionFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindInspections(r.Context(), auth.ScopeFrom(r.Context()), f, s.today())
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toInspectionJSON)
}

func (s *Server) createInspection(w http.ResponseWriter, r *http.Request) error {
	var req inspectionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	in := &fugong.Inspection{TargetKind: req.TargetKind, TargetUserID: req.TargetUserID, EnterpriseID: req.EnterpriseID, InspectedOn: req.InspectedOn,
		Finding: req.Finding, Criticism: req.Criticism}
	if req.Deadline != "" {
		in.Rectification = &fugong.Rectification{Deadline: req.Deadline}
	}
	sc := auth.ScopeFrom(r.Context())
	if err := s.DB.CreateInspection(r.Context(), sc, s.Loc, in, s.zh); err != nil {
		return err
	}
	got, err := s.DB.FindInspection(r.Context(), sc, in.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/inspections/"+strconv.FormatInt(in.ID, 10))
	return writeJSON(w, http.StatusCreated, s.toInspectionJSON(got))
}

func (s *Server) getInspection(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindInspection, s.toInspectionJSON)
}

func (s *Server) rectificationJSONOf(in fugong.Inspection) rectificationJSON {
	out := *s.toRectificationJSON(in)
	out.TargetKind, out.TargetName, out.Finding = in.TargetKind, in.TargetName, in.Finding
	return out
}

func (s *Server) listRectifications(w http.ResponseWriter, r *http.Request) error {
	f, err := s.inspectionFilter(r)
	if err != nil {
		return err
	}
	f.Rectified = true
	items, total, err := s.DB.FindInspections(r.Context(), auth.ScopeFrom(r.Context()), f, s.today())
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.rectificationJSONOf)
}

// rectification finds a rectification by its id through its inspection, in scope.
func (s *Server) rectification(r *http.Request) (fugong.Inspection, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return fugong.Inspection{}, err
	}
	sc := auth.ScopeFrom(r.Context())
	iid, err := s.DB.InspectionOfRectification(r.Context(), sc.County, id)
	if err != nil {
		return fugong.Inspection{}, err
	}
	return s.DB.FindInspection(r.Context(), sc, iid)
}

func (s *Server) getRectification(w http.ResponseWriter, r *http.Request) error {
	in, err := s.rectification(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.rectificationJSONOf(in))
}

func (s *Server) actOnRectification(action string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		in, err := s.rectification(r)
		if err != nil {
			return err
		}
		var req rectificationStep
		if err := decode(w, r, &req); err != nil {
			return err
		}
		out, err := s.DB.ActOnRectification(r.Context(), auth.ScopeFrom(r.Context()), s.Loc, in.ID, req.Version,
			fugong.RectificationStep{Action: action, Text: req.Text, Deadline: req.Deadline}, s.zh)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s.rectificationJSONOf(out))
	}
}
