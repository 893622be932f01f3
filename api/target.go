package api

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

type parcelJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Planned int64  `json:"planned"`
}

type targetJSON struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Unit         string       `json:"unit"`
	Planned      int64        `json:"planned"`
	Done         int64        `json:"done"`
	Year         int          `json:"year"`
	StartDay     string       `json:"start_day"`
	OrgUnitID    int64        `json:"org_unit_id"`
	WorkingGroup string       `json:"working_group"`
	Leader       string       `json:"leader"`
	Parcels      []parcelJSON `json:"parcels,omitempty"`
	MissedWeeks  []string     `json:"missed_weeks"`
	// Rate is done ÷ planned in percent, one decimal, as the offices write it; null when
	// nothing was planned.
	Rate *float64 `json:"rate"`
	// RatePermille is the same in per mille, kept for clients written against it.
	RatePermille int64 `json:"rate_permille"`
	Met          bool  `json:"met"`
	Demo         bool  `json:"demo"`
}

type targetReportInput struct {
	Week string `json:"week"`
	Done int64  `json:"done"`
	Note string `json:"note"`
}

type targetReportJSON struct {
	ID       int64  `json:"id"`
	TargetID int64  `json:"target_id"`
	Week     string `json:"week"`
	Done     int64  `json:"done"`
	Note     string `json:"note"`
	Username string `json:"username"`
	At       string `json:"at"`
}

func toTargetJSON(t fugong.Target, missed []string, a fugong.Assessment) targetJSON {
	j := targetJSON{ID: t.ID, Name: t.Name, Unit: t.Unit, Planned: t.Planned, Done: t.Done, Year: t.Year, StartDay: t.StartDay, OrgUnitID: t.OrgUnitID,
		WorkingGroup: t.WorkingGroup, Leader: t.Leader, MissedWeeks: missed, Rate: targetRate(a), RatePermille: a.Rate, Met: a.Met, Demo: t.Demo}
	j.MissedWeeks = nonNil(j.MissedWeeks)
	for _, p := range t.Parcels {
		j.Parcels = append(j.Parcels, parcelJSON{ID: p.ID, Name: p.Name, Planned: p.Planned})
	}
	return j
}

// listTargets answers the board: every target with its missed weeks and its assessment so far.
func (s *Server) listTargets(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	boards, err := s.DB.TargetBoards(r.Context(), auth.ScopeFrom(r.Context()), year)
	if err != nil {
		return err
	}
	total := len(boards)
	boards = boards[min(offset, total):min(offset+limit, total)]
	out := make([]targetJSON, len(boards))
	for i, b := range boards {
		out[i] = toTargetJSON(b.Target, b.Missed, b.Assessment)
	}
	return writeJSON(w, http.StatusOK, list(out, total))
}

func (s *Server) getTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.DB.TargetBoard(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toTargetJSON(b.Target, b.Missed, b.Assessment))
}

func (s *Server) saveTargetReport(w http.ResponseWriter, r *http.Request) error {
	var in targetReportInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	rep := fugong.TargetReport{TargetID: id, Week: in.Week, Done: in.Done, Note: in.Note}
	if err := s.DB.SaveTargetReport(r.Context(), auth.ScopeFrom(r.Context()), &rep); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, targetReportJSON{ID: rep.ID, TargetID: rep.TargetID, Week: rep.Week, Done: rep.Done, Note: rep.Note, Username: rep.Username, At: s.rfc3339(rep.At)})
}

// targetRate is an assessment's rate, nil when nothing was planned.
func targetRate(a fugong.Assessment) *float64 {
	if a.Planned <= 0 {
		return nil
	}
	v := a.Percent()
	return &v
}
