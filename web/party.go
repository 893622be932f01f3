package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/store"
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
	// CanCreate: the caller keeps applications (store.KeepsParty).
	CanCreate bool
	Pager     Pager
}

func (s *Server) partyList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.partyPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "party/list", p)
}

func (s *Server) partyPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.PartyFilter{Stage: q.Get("stage"), Unit: q.Get("unit"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindPartyApplications(r.Context(), sc, f)
	if err != nil {
		return nil, err
	}
	counts, err := s.DB.PartyCounts(r.Context(), sc)
	if err != nil {
		return nil, err
	}
	var sum fugong.PartyCount
	for _, c := range counts {
		sum.Applications += c.Applications
		sum.Applicants += c.Applicants
		sum.Activists += c.Activists
		sum.Candidates += c.Candidates
		sum.Probationary += c.Probationary
		sum.Members += c.Members
	}
	next := map[string]string{}
	for i := 0; i+1 < len(fugong.PartyStages); i++ {
		next[fugong.PartyStages[i]] = fugong.PartyStages[i+1]
	}
	p := s.newPage(r, "nav.party")
	p.Data = partyListData{Items: items, Counts: counts, Total: sum, Filter: f, Stages: fugong.PartyStages, Next: next, CanEdit: sc.Is(partyEditors...),
		CanCreate: sc.Is(partyEditors...) && store.KeepsParty(sc), Pager: newPager(r, p, total, f.Limit, f.Offset)}
	return p, nil
}

// partyCreate records an application received from the front line.
func (s *Server) partyCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	a := fugong.PartyApplication{Name: f.str("name"), Unit: f.str("unit"), Post: f.str("post"), Contribution: f.str("contribution"), Risk: f.str("risk"), AppliedOn: f.str("applied_on")}
	err = f.save(nil, func() error { return s.DB.CreatePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), &a) })
	return s.afterSave(w, r, err, "/party-applications?stage=applicant#a"+strconv.FormatInt(a.ID, 10), "form.saved", "party/list",
		func() (*Page, error) { return s.partyPage(r) })
}

// partyAdvance moves an application on; a refusal (a year not yet served, a date ahead)
// shows on the list with the day it may be done.
func (s *Server) partyAdvance(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	_, err = s.DB.AdvancePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), f.str("stage"), f.str("day"))
	return s.afterSave(w, r, err, "/party-applications?stage="+f.str("stage")+"#a"+strconv.FormatInt(id, 10), "form.saved", "party/list",
		func() (*Page, error) { return s.partyPage(r) })
}
