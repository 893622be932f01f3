package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

type hazardJSON struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Township       string `json:"township"`
	Village        string `json:"village"`
	Location       string `json:"location"`
	Households     int    `json:"households"`
	People         int    `json:"people"`
	WarningSigns   int    `json:"warning_signs"`
	RouteSigns     int    `json:"route_signs"`
	PlacementSigns int    `json:"placement_signs"`
	Whistles       int    `json:"whistles"`
	Gongs          int    `json:"gongs"`
	AvoidanceCards int    `json:"avoidance_cards"`
	Plan           string `json:"plan"`
	PatrolDays     int    `json:"patrol_days"`
	LastPatrol     string `json:"last_patrol"`
	Demo           bool   `json:"demo"`
}

type patrolInput struct {
	Finding string `json:"finding"`
	Danger  bool   `json:"danger"`
}

type patrolJSON struct {
	ID            int64  `json:"id"`
	HazardPointID int64  `json:"hazard_point_id"`
	Day           string `json:"day"`
	At            string `json:"at"`
	Username      string `json:"username"`
	Finding       string `json:"finding"`
	Danger        bool   `json:"danger"`
}

func toHazardJSON(h fugong.HazardPoint) hazardJSON {
	return hazardJSON{ID: h.ID, Name: h.Name, Township: h.Township, Village: h.Village, Location: h.Location, Households: h.Households, People: h.People,
		WarningSigns: h.WarningSigns, RouteSigns: h.RouteSigns, PlacementSigns: h.PlacementSigns, Whistles: h.Whistles, Gongs: h.Gongs,
		AvoidanceCards: h.AvoidanceCards, Plan: h.Plan, PatrolDays: h.PatrolDays, LastPatrol: h.LastPatrol, Demo: h.Demo}
}

func (s *Server) listHazardPoints(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindHazardPoints(r.Context(), auth.ScopeFrom(r.Context()), fugong.HazardFilter{Township: r.URL.Query().Get("township"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeList(w, items, total, toHazardJSON)
}

func (s *Server) getHazardPoint(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindHazardPoint, toHazardJSON)
}

func (s *Server) createPatrol(w http.ResponseWriter, r *http.Request) error {
	var in patrolInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	p := fugong.Patrol{HazardPointID: id, Finding: in.Finding, Danger: in.Danger}
	if err := s.DB.CreatePatrol(r.Context(), auth.ScopeFrom(r.Context()), &p, s.zh); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, patrolJSON{ID: p.ID, HazardPointID: id, Day: p.Day, At: s.rfc3339(p.At), Username: p.Username, Finding: p.Finding, Danger: p.Danger})
}

// zh renders a notification's words in Chinese, the county's language.
func (s *Server) zh(key string, args ...any) string { return s.Cat.T("zh", key, args...) }
