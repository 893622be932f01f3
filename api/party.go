package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type partyJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Unit         string `json:"unit"`
	Post         string `json:"post"`
	Contribution string `json:"contribution"`
	Risk         string `json:"risk"`
	Stage        string `json:"stage"`
	AppliedOn    string `json:"applied_on"`
	ActivistOn   string `json:"activist_on"`
	CandidateOn  string `json:"candidate_on"`
	// ProbationaryOn is the day of admission as a probationary member (预备党员).
	ProbationaryOn string `json:"probationary_on"`
	MemberOn       string `json:"member_on"`
	Version        int64  `json:"version"`
	Demo           bool   `json:"demo"`
}

type advanceInput struct {
	Stage   string `json:"stage"`
	Day     string `json:"day"`
	Version int64  `json:"version"`
}

func toPartyJSON(p fugong.PartyApplication) partyJSON {
	return partyJSON{ID: p.ID, Name: p.Name, Unit: p.Unit, Post: p.Post, Contribution: p.Contribution, Risk: p.Risk, Stage: p.Stage, AppliedOn: p.AppliedOn,
		ActivistOn: p.ActivistOn, CandidateOn: p.CandidateOn, ProbationaryOn: p.ProbationaryOn, MemberOn: p.MemberOn, Version: p.Version, Demo: p.Demo}
}

func (s *Server) listPartyApplications(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, total, err := s.DB.FindPartyApplications(r.Context(), auth.ScopeFrom(r.Context()), fugong.PartyFilter{Stage: q.Get("stage"), Unit: q.Get("unit"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeList(w, items, total, toPartyJSON)
}

func (s *Server) advancePartyApplication(w http.ResponseWriter, r *http.Request) error {
	var in advanceInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	p, err := s.DB.AdvancePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, in.Stage, in.Day)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPartyJSON(p))
}

// partyInput is a new application received from the front line.
type partyInput struct {
	Name         string `json:"name" openapi:"required"`
	Unit         string `json:"unit" openapi:"required"`
	Post         string `json:"post"`
	Contribution string `json:"contribution"`
	Risk         string `json:"risk"`
	AppliedOn    string `json:"applied_on" openapi:"required"`
}

func (s *Server) createPartyApplication(w http.ResponseWriter, r *http.Request) error {
	var in partyInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := fugong.PartyApplication{Name: in.Name, Unit: in.Unit, Post: in.Post, Contribution: in.Contribution, Risk: in.Risk, AppliedOn: in.AppliedOn}
	if err := s.DB.CreatePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), &p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toPartyJSON(p))
}

// partyEditInput corrects a wrongly entered application at the version read: every field
// as it should be, and the days of the stages reached (a stage not reached has none).
type partyEditInput struct {
	Version        int64  `json:"version" openapi:"required"`
	Name           string `json:"name" openapi:"required"`
	Unit           string `json:"unit" openapi:"required"`
	Post           string `json:"post"`
	Contribution   string `json:"contribution"`
	Risk           string `json:"risk"`
	AppliedOn      string `json:"applied_on" openapi:"required"`
	ActivistOn     string `json:"activist_on"`
	CandidateOn    string `json:"candidate_on"`
	ProbationaryOn string `json:"probationary_on"`
	MemberOn       string `json:"member_on"`
}

func (s *Server) updatePartyApplication(w http.ResponseWriter, r *http.Request) error {
	var in partyEditInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	p, err := s.DB.UpdatePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, fugong.PartyEdit{Name: in.Name, Unit: in.Unit, Post: in.Post,
		Contribution: in.Contribution, Risk: in.Risk, AppliedOn: in.AppliedOn, ActivistOn: in.ActivistOn, CandidateOn: in.CandidateOn, ProbationaryOn: in.ProbationaryOn, MemberOn: in.MemberOn})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPartyJSON(p))
}

func (s *Server) deletePartyApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var version int64
	if err := queryInt64s(r, map[string]*int64{"version": &version}); err != nil {
		return err
	}
	if err := s.DB.DeletePartyApplication(r.Context(), auth.ScopeFrom(r.Context()), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
