package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

// partyEditors keep party applications (the store decides the same).
var partyEditors = fugong.RolesFor(fugong.PermPartyEdit)

type partyListData struct {
	Items   []fugong.PartyApplication
	Counts  []fugong.PartyCount
	Total   fugong.PartyCount
	Filter  fugong.PartyFilter
	Stages  []string
	Next    map[string]string
	CanEdit bool
	Pager   Pager
}

func (s *Server) partyList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.PartyFilter{Stage: q.Get("stage"), Unit: q.Get("unit"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindPartyApplications(r.Context(), sc, f)
	if err != nil {
		return err
	}
	counts, err := s.DB.PartyCounts(r.Context(), sc)
	if err != nil {
		return err
	}
	var sum fugong.PartyCount
	for _, c := range counts {
		sum.Applications += c.Applications
		sum.Applicants += c.Applicants
		sum.Activists += c.Activists
		sum.Candidates += c.Candidates
		sum.Members += c.Members
	}
	next := map[string]string{}
	for i := 0; i+1 < len(fugong.PartyStages); i++ {
		next[fugong.PartyStages[i]] = fugong.PartyStages[i+1]
	}
	p := s.newPage(r, "nav.party")
	p.Data = partyListData{Items: items, Counts: counts, Total: sum, Filter: f, Stages: fugong.PartyStages, Next: next, CanEdit: sc.Is(partyEditors...),
		Pager: newPager(r, p, total, f.Limit, f.Offset)}
	return s.render(w, r, "party/list", p)
}

func (s *Server) partyAdvance(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	if _, err := s.DB.AdvancePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), f.str("stage"), f.str("day")); err != nil {
		return err
	}
	return redirect(w, r, "/party-applications?stage="+f.str("stage")+"#a"+strconv.FormatInt(id, 10), "form.saved")
}
