package web

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

// Who keeps hazard points and the roster, and who patrols (the store decides the same).
var (
	hazardReaders = fugong.RolesFor(fugong.PermHazardView)
	hazardEditors = fugong.RolesFor(fugong.PermHazardEdit)
	patrollers    = fugong.RolesFor(fugong.PermHazardPatrol)
)

// zh renders a notification's words in Chinese, the county's language.
func (s *Server) zh(key string, args ...any) string { return s.Cat.T("zh", key, args...) }

type hazardListData struct {
	Items  []fugong.HazardPoint
	Names  map[string]string
	Totals fugong.HazardPoint
	Pager  Pager
}

func (s *Server) hazardList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := fugong.HazardFilter{Township: r.URL.Query().Get("township"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindHazardPoints(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	var sum fugong.HazardPoint
	for _, h := range items {
		sum.Households += h.Households
		sum.People += h.People
		sum.WarningSigns += h.WarningSigns
		sum.RouteSigns += h.RouteSigns
		sum.PlacementSigns += h.PlacementSigns
		sum.AvoidanceCards += h.AvoidanceCards
	}
	p := s.newPage(r, "nav.hazards")
	p.Data = hazardListData{Items: items, Names: names, Totals: sum, Pager: newPager(r, p, total, f.Limit, f.Offset)}
	return s.render(w, r, "hazard/list", p)
}

type hazardShowData struct {
	H         fugong.HazardPoint
	Patrols   []fugong.Patrol
	Notices   []fugong.RiskNotice
	Names     map[string]string
	CanPatrol bool
}

func (s *Server) hazardShowPage(r *http.Request, id int64) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	h, err := s.DB.FindHazardPoint(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	patrols, err := s.DB.FindPatrols(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	notices, err := s.DB.FindRiskNotices(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.hazards")
	p.Title = h.Name
	p.Data = hazardShowData{H: h, Patrols: patrols, Notices: notices, Names: names, CanPatrol: sc.Is(patrollers...)}
	return p, nil
}

func (s *Server) hazardShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "hazard/show", s.hazardShowPage)
}

// hazardPost runs one write on a hazard point's page and answers it the same way:
// back to the page with a flash, or the page again with the form's errors.
func (s *Server) hazardPost(w http.ResponseWriter, r *http.Request, save func(f *form, id int64) error) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	return s.afterSave(w, r, save(f, id), "/hazard-points/"+strconv.FormatInt(id, 10), "form.saved", "hazard/show",
		func() (*Page, error) { return s.hazardShowPage(r, id) })
}

func (s *Server) patrolCreate(w http.ResponseWriter, r *http.Request) error {
	return s.hazardPost(w, r, func(f *form, id int64) error {
		p := fugong.Patrol{HazardPointID: id, Finding: f.str("finding"), Danger: f.bool("danger")}
		if err := f.merge(nil); err != nil {
			return err
		}
		return s.DB.CreatePatrol(r.Context(), auth.ScopeFrom(r.Context()), &p, s.zh)
	})
}

func (s *Server) riskNoticeCreate(w http.ResponseWriter, r *http.Request) error {
	return s.hazardPost(w, r, func(f *form, id int64) error {
		n := fugong.RiskNotice{HazardPointID: id, Household: f.str("household"), Day: f.str("day"), Note: f.str("note")}
		if err := f.merge(nil); err != nil {
			return err
		}
		return s.DB.CreateRiskNotice(r.Context(), auth.ScopeFrom(r.Context()), &n)
	})
}

type dutyData struct {
	Month   string
	Days    []dutyRow
	Empty   int
	CanEdit bool
}

type dutyRow struct {
	Day   string
	Duty  fugong.DutyDay
	Empty bool
}

// dutyRoster shows a month of the flood-season roster with its empty days flagged.
func (s *Server) dutyRoster(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "nav.flood_duty")
	month, err := time.Parse("2006-01", r.URL.Query().Get("month"))
	if err != nil {
		month, _ = time.Parse("2006-01", p.Today[:7])
	}
	last := month.AddDate(0, 1, -1)
	days, err := s.DB.FindDutyDays(r.Context(), sc, month.Format(time.DateOnly), last.Format(time.DateOnly))
	if err != nil {
		return err
	}
	d := dutyData{Month: month.Format("2006-01"), CanEdit: sc.Is(hazardEditors...)}
	for t := month; !t.After(last); t = t.AddDate(0, 0, 1) {
		k := t.Format(time.DateOnly)
		row := dutyRow{Day: k, Duty: days[k], Empty: fugong.FloodSeason(t) && days[k].Leader == ""}
		if row.Empty {
			d.Empty++
		}
		d.Days = append(d.Days, row)
	}
	p.Data = d
	return s.render(w, r, "hazard/duty", p)
}

func (s *Server) dutySave(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	d := fugong.DutyDay{Day: f.str("day"), Leader: f.str("leader"), Staff: f.str("staff")}
	if err := s.DB.SaveDutyDay(r.Context(), auth.ScopeFrom(r.Context()), &d); err != nil {
		return err
	}
	return redirect(w, r, "/flood-duty?month="+d.Day[:7], "form.saved")
}
