package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

// judicialReaders see the visits: the county offices and the visiting bodies.
var judicialReaders = fugong.RolesFor(fugong.PermJudicialView)

// judicialList shows the court's and procuratorate's visits and the demands their needs became.
func (s *Server) judicialList(w http.ResponseWriter, r *http.Request) error {
	offset := intQuery(r, "offset", 0)
	items, total, err := s.DB.FindJudicialVisits(r.Context(), auth.ScopeFrom(r.Context()), 50, offset)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.judicial")
	p.Data = struct {
		Items []fugong.JudicialVisit
		Pager Pager
	}{items, newPager(r, p, total, 50, offset)}
	return s.render(w, r, "judicial/list", p)
}
