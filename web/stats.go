package web

import (
	"net/http"
	"time"

	"fugong"
	"fugong/auth"
)

type statsData struct {
	S        fugong.ResumptionStats
	Names    map[string]string
	DayLabel string
}

func (s *Server) statsResumption(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day := r.URL.Query().Get("date")
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		day = fugong.Day(s.Clock.Now(), s.Loc)
		d, _ = time.Parse(time.DateOnly, day)
	}
	p := s.newPage(r, "nav.stats")
	st, err := s.readOnly(r, p).ResumptionStats(r.Context(), sc, day)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p.Data = statsData{S: st, Names: names, DayLabel: p.T("stats.day", int(d.Month()), d.Day())}
	return s.render(w, r, "stats/resumption", p)
}
