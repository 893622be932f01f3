package api

import (
	"net/http"
	"time"

	"fugong"
	"fugong/auth"
)

// provinceRoutes are a province's or city's command operations (issue 23); the demand
// figures over its counties are /api/v1/stats/demands?by=county.
func (s *Server) provinceRoutes() {
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/province", Summary: "A province's or city's counties on a day: each county's enterprises, resumed, attendance of the day's daily reports, the day's demands and their figures, and the totals",
		Tag: "command", Roles: fugong.RolesFor(fugong.PermProvince), Response: provinceJSON{}, Replica: true,
		Params: []Param{{"date", "query", "string", "YYYY-MM-DD; today by default"}}}, s.province)
}

// countyJSON is one county on the province's screen.
type countyJSON struct {
	Code           string      `json:"region_code"`
	Name           string      `json:"name"`
	Enterprises    int         `json:"enterprises"`
	Resumed        int         `json:"resumed"`
	ResumptionRate *float64    `json:"resumption_rate"`
	Reports        int         `json:"reports"`
	OnDuty         int         `json:"on_duty"`
	Payroll        int         `json:"payroll"`
	AttendanceRate *float64    `json:"attendance_rate"`
	Escalated      int         `json:"escalated"`
	Demands        figuresJSON `json:"demands"`
}

// provinceJSON answers GET /api/v1/stats/province.
type provinceJSON struct {
	Area       string       `json:"region_code"`
	Date       string       `json:"date"`
	ComputedAt time.Time    `json:"computed_at"`
	Total      countyJSON   `json:"total"`
	Counties   []countyJSON `json:"counties"`
}

func toCountyJSON(c fugong.CountyFigures) countyJSON {
	return countyJSON{Code: c.Code, Name: c.Name, Enterprises: c.Enterprises, Resumed: c.Resumed, ResumptionRate: percentOf(c.Resumed, c.Enterprises),
		Reports: c.Reports, OnDuty: c.OnDuty, Payroll: c.Payroll, AttendanceRate: percentOf(c.OnDuty, c.Payroll),
		Escalated: c.Demands.Escalated, Demands: toFiguresJSON(c.Demands)}
}

func (s *Server) province(w http.ResponseWriter, r *http.Request) error {
	day, err := s.day(r)
	if err != nil {
		return err
	}
	d, err := s.figures(r).ProvinceDashboard(r.Context(), auth.ScopeFrom(r.Context()), day)
	if err != nil {
		return err
	}
	out := provinceJSON{Area: d.Area, Date: d.Day, ComputedAt: d.ComputedAt, Total: toCountyJSON(d.Total), Counties: []countyJSON{}}
	for _, c := range d.Counties {
		out.Counties = append(out.Counties, toCountyJSON(c))
	}
	return writeJSON(w, http.StatusOK, out)
}
