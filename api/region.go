package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type regionJSON struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	ParentCode string `json:"parent_code"`
	Level      string `json:"level"`
	Demo       bool   `json:"demo"`
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request) error {
	parent := r.URL.Query().Get("parent")
	if parent == "" {
		parent = auth.ScopeFrom(r.Context()).County
	}
	items, err := s.DB.FindRegions(r.Context(), parent)
	if err != nil {
		return err
	}
	out := make([]regionJSON, len(items))
	for i, g := range items {
		out[i] = regionJSON{Code: g.Code, Name: g.Name, ParentCode: g.ParentCode, Level: g.Level, Demo: g.Demo}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}

type auditJSON struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	Username string `json:"username"`
	IP       string `json:"ip"`
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Before   string `json:"before"`
	After    string `json:"after"`
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, total, err := s.DB.FindAudit(r.Context(), auth.ScopeFrom(r.Context()), fugong.AuditFilter{Username: q.Get("username"), Entity: q.Get("entity"), Action: q.Get("action"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(items))
	for i, e := range items {
		out[i] = auditJSON{ID: e.ID, At: s.rfc3339(e.At), Username: e.Username, IP: e.IP, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, Before: e.Before, After: e.After}
	}
	return writeJSON(w, http.StatusOK, list(out, total))
}
