package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

// provinceRoles open the province's pages.
var provinceRoles = fugong.RolesFor(fugong.PermProvince)

// provinceRoutes are a province's or city's command pages (issue 23): its counties side by
// side, and the demand figures over them, read from the figures kept per day.
func (s *Server) provinceRoutes() {
	s.page("GET /province", provinceRoles, s.provinceDashboard)
	s.page("GET /province/demands", provinceRoles, s.provinceDemands)
}

// countyRow is one county's line on the province's screen, its rates written out.
type countyRow struct {
	fugong.CountyFigures
	Rate, Attendance, SameDay, Solution string
}

type provinceData struct {
	Day      string
	Area     string
	Counties []countyRow
	Total    countyRow
}

func percentText(v float64, den int) string {
	if den == 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + "%"
}

func (s *Server) provinceDashboard(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day := s.day(r)
	d, err := s.DB.ProvinceDashboard(r.Context(), sc, day)
	if err != nil {
		return err
	}
	row := func(c fugong.CountyFigures) countyRow {
		return countyRow{CountyFigures: c, Rate: percentText(c.ResumptionRate(), c.Enterprises), Attendance: percentText(c.AttendanceRate(), c.Payroll),
			SameDay:  percentText(fugong.Percent(c.Demands.SameDayMet, c.Demands.SameDayDue), c.Demands.SameDayDue),
			Solution: percentText(fugong.Percent(c.Demands.Solved, c.Demands.Total), c.Demands.Total)}
	}
	p := s.newPage(r, "province.title")
	data := provinceData{Day: day, Area: sc.County, Total: row(d.Total)}
	for _, c := range d.Counties {
		data.Counties = append(data.Counties, row(c))
	}
	p.Data = data
	return s.render(w, r, "province/show", p)
}

// provinceDims are what a province breaks its demand figures down by.
var provinceDims = []string{"county", "category", "day"}

func (s *Server) provinceDemands(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	by := q.Get("by")
	if by == "" {
		by = "county"
	}
	p := s.newPage(r, "province.demands")
	groups, all, err := s.demands().Stats(r.Context(), auth.ScopeFrom(r.Context()), by, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	row := func(f fugong.DemandFigures) statsRow {
		if by == "category" && f.Key != "" {
			f.Label = p.T("dcat." + f.Key)
		}
		sat := "—"
		if f.Rated > 0 {
			sat = strconv.FormatFloat(f.Satisfaction(), 'f', 2, 64)
		}
		pct := func(v float64, den int) string { return percentText(v*100, den) }
		return statsRow{DemandFigures: f, Response: pct(f.ResponseRate(), f.Total), SameDay: pct(f.SameDayRate(), f.SameDayDue), OnTime: pct(f.OnTimeRate(), f.Solved),
			Solution: pct(f.SolutionRate(), f.Total), Satisfaction: sat, ResponseMedian: minutesText(p, f.ResponseMedian), SolutionMedian: minutesText(p, f.SolutionMedian)}
	}
	data := demandStatsData{By: by, From: q.Get("from"), To: q.Get("to"), Dims: provinceDims, All: row(all)}
	for _, g := range groups {
		data.Items = append(data.Items, row(g))
	}
	p.Data = data
	return s.render(w, r, "province/demands", p)
}
