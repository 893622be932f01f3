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

type partyEditData struct {
	A fugong.PartyApplication
	// Days are the stages the application has reached after applying, with their days'
	// fields: only those may be corrected.
	Days []partyDay
}

type partyDay struct{ Field, Label, Value string }

func (s *Server) partyEditPage(r *http.Request, id int64) (*Page, error) {
	a, err := s.DB.FindPartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "party.edit")
	d := partyEditData{A: a}
	days := map[string]string{fugong.StageActivist: a.ActivistOn, fugong.StageCandidate: a.CandidateOn, fugong.StageProbationary: a.ProbationaryOn, fugong.StageMember: a.MemberOn}
	for _, st := range fugong.PartyStages {
		if st != fugong.StageApplicant {
			d.Days = append(d.Days, partyDay{Field: st + "_on", Label: "party.on." + st, Value: days[st]})
		}
		if st == a.Stage {
			break
		}
	}
	p.Data = d
	return p, nil
}

// partyEdit shows an application's correction form, with its delete.
func (s *Server) partyEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "party/edit", s.partyEditPage)
}

// partyUpdate corrects a wrongly entered application; a refusal names the field.
func (s *Server) partyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	e := fugong.PartyEdit{Name: f.str("name"), Unit: f.str("unit"), Post: f.str("post"), Contribution: f.str("contribution"), Risk: f.str("risk"),
		AppliedOn: f.str("applied_on"), ActivistOn: f.str("activist_on"), CandidateOn: f.str("candidate_on"), ProbationaryOn: f.str("probationary_on"), MemberOn: f.str("member_on")}
	_, err = s.DB.UpdatePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), e)
	return s.afterSave(w, r, err, "/party-applications#a"+strconv.FormatInt(id, 10), "form.saved", "party/edit",
		func() (*Page, error) { return s.partyEditPage(r, id) })
}

// partyDelete removes an application entered by mistake; the audit log keeps it.
func (s *Server) partyDelete(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	err = s.DB.DeletePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"))
	return s.afterSave(w, r, err, "/party-applications", "party.deleted", "party/edit",
		func() (*Page, error) { return s.partyEditPage(r, id) })
}
