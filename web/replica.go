package web

import (
	"net/http"
	"time"

	"fugong/store"
)

// readOnly is the database for a page of figures: the read replica when fugong runs with
// one (--db-read), in which case the page says how far behind the figures are.
func (s *Server) readOnly(r *http.Request, p *Page) *store.DB {
	db := s.DB.ReadOnly()
	if db == s.DB {
		return db
	}
	st, err := s.DB.Staleness(r.Context())
	switch {
	case err != nil:
		s.Log.Warn("read replica lag", "err", err)
		p.Stale = p.T("replica.unknown")
	case st.Replica:
		p.Stale = p.T("replica.stale", st.AsOf.In(s.Loc).Format("15:04:05"), int(st.Lag.Round(time.Second)/time.Second))
	}
	return db
}
