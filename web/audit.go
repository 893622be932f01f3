package web

import (
	"net/http"
	"time"

	"fugong"
	"fugong/auth"
)

type auditListData struct {
	Items  []fugong.AuditEntry
	Pager  Pager
	Filter fugong.AuditFilter
	From   string
	To     string
	Loc    *time.Location
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.AuditFilter{Username: q.Get("username"), Entity: q.Get("entity"), Action: q.Get("action"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("from"), s.Loc); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("to"), s.Loc); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	items, total, err := s.DB.FindAudit(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "audit.title")
	p.Data = auditListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, From: q.Get("from"), To: q.Get("to"), Loc: s.Loc}
	return s.render(w, r, "audit/list", p)
}
