package api

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/report"
	"fugong/xlsx"
)

// commandRoles read the command centre: the dashboard, the leader view, the reports.
var commandRoles = fugong.RolesFor(fugong.PermDashboard)

// dashboardRoutes are the command centre's operations (issue 9).
func (s *Server) dashboardRoutes() {
	date := Param{"date", "query", "string", "YYYY-MM-DD; today by default"}
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/dashboard", Summary: "Every figure of the command's dashboard on a day: the panels (each figure with the list behind it), resumption by township and focus area, the 28-day trend",
		Tag: "command", Roles: fugong.RolesFor(fugong.PermDashboardView), Response: dashboardJSON{}, Replica: true, Params: []Param{date, {"township", "query", "string", "a township's code: its figures alone (county-wide callers)"}}}, s.dashboard)
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/leaders", Summary: "Each county leader's linked projects and enterprises, what is late or stuck first (a leader: their own)",
		Tag: "command", Roles: commandRoles, Response: List[leaderViewJSON]{}, Replica: true, Params: []Param{date, {"user_id", "query", "integer", "one leader"}}}, s.leaderViews)
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/power", Summary: "Power-based resumption and production indices (电力复工指数) and the enterprises declared resumed whose power says otherwise",
		Tag: "command", Roles: commandRoles, Response: powerJSON{}, Replica: true, Params: []Param{date}}, s.powerIndex)
	for _, kind := range []string{fugong.ReportDaily, fugong.ReportWeekly} {
		s.handle(Op{Method: "GET", Path: "/api/v1/reports/" + kind, Summary: "The " + kind + " report (日报/周报) ending on a day: its sentences and figures, or the .xlsx workbook with format=xlsx",
			Tag: "command", Roles: commandRoles, Response: reportJSON{}, Produces: []string{xlsx.ContentType}, Replica: true, Params: []Param{date, {"format", "query", "string", "json (default) or xlsx"}}}, s.report(kind))
	}
}

// day reads the date parameter, today by default.
func (s *Server) day(r *http.Request) (string, error) {
	day := r.URL.Query().Get("date")
	if day == "" {
		return fugong.Day(s.Clock.Now(), s.Loc), nil
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", fugong.Invalid(map[string]fugong.Msg{"date": fugong.M("field.date")})
	}
	return day, nil
}

// trendJSON is one day of the resumption trend.
type trendJSON struct {
	Day string `json:"day"`
	ratesJSON
}

// dashboardJSON answers GET /api/v1/stats/dashboard.
type dashboardJSON struct {
	Date        string             `json:"date"`
	ComputedAt  time.Time          `json:"computed_at"`
	Panels      []report.PanelView `json:"panels"`
	ByTownship  []countJSON        `json:"by_township"`
	ByFocusArea []countJSON        `json:"by_focus_area"`
	Trend       []trendJSON        `json:"trend"`
}

func (s *Server) dashboardOut(lang string, d fugong.Dashboard, names map[string]string) dashboardJSON {
	out := dashboardJSON{Date: d.Day, ComputedAt: d.ComputedAt, Panels: report.Writer{Cat: s.Cat, Lang: lang}.Panels(&d), ByTownship: []countJSON{}, ByFocusArea: []countJSON{}, Trend: []trendJSON{}}
	for _, c := range d.Resumption.ByTownship {
		out.ByTownship = append(out.ByTownship, toCountJSON(c, names))
	}
	for _, c := range d.Resumption.ByFocusArea {
		cj := toCountJSON(c, nil)
		cj.Name = s.Cat.T(lang, "focus."+c.Key)
		out.ByFocusArea = append(out.ByFocusArea, cj)
	}
	for _, t := range d.Trend {
		out.Trend = append(out.Trend, trendJSON{Day: t.Day, ratesJSON: rates(t.Total, t.Resumed, t.OnDuty, t.Payroll)})
	}
	return out
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context()).Narrow(r.URL.Query().Get("township"))
	day, err := s.day(r)
	if err != nil {
		return err
	}
	d, err := s.figures(r).Dashboard(r.Context(), sc, day, day)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.dashboardOut(i18n.Pick(r), d, names))
}

type leaderItemJSON struct {
	Kind        string `json:"kind"`
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Township    string `json:"township"`
	Flagged     bool   `json:"flagged"`
	Status      string `json:"status,omitempty"`
	NotResumed  bool   `json:"not_resumed"`
	OpenDemands int    `json:"open_demands"`
	LateDemands int    `json:"late_demands"`
	Stage       string `json:"stage,omitempty"`
	Progress    int    `json:"progress"`
	LastReport  string `json:"last_report,omitempty"`
	Stalled     bool   `json:"stalled"`
}

type leaderViewJSON struct {
	UserID  int64            `json:"user_id"`
	Name    string           `json:"name"`
	Flagged int              `json:"flagged"`
	Items   []leaderItemJSON `json:"items"`
}

func (s *Server) leaderViews(w http.ResponseWriter, r *http.Request) error {
	day, err := s.day(r)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(r.URL.Query().Get("user_id"), 10, 64)
	views, err := s.figures(r).LeaderViews(r.Context(), auth.ScopeFrom(r.Context()), day, uid)
	if err != nil {
		return err
	}
	out := make([]leaderViewJSON, 0, len(views))
	for _, v := range views {
		vj := leaderViewJSON{UserID: v.UserID, Name: v.Name, Flagged: v.Flagged, Items: []leaderItemJSON{}}
		for _, it := range v.Items {
			vj.Items = append(vj.Items, leaderItemJSON{Kind: it.Kind, ID: it.ID, Name: it.Name, Township: it.Township, Flagged: it.Flagged(), Status: it.Status,
				NotResumed: it.NotResumed, OpenDemands: it.OpenDemands, LateDemands: it.LateDemands, Stage: it.Stage, Progress: it.Progress, LastReport: it.LastReport, Stalled: it.Stalled})
		}
		out = append(out, vj)
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}

type powerIdleJSON struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Township     string `json:"township"`
	Wh           int64  `json:"wh"`
	BaselineWh   int64  `json:"baseline_wh"`
}

// powerJSON answers GET /api/v1/stats/power; use in watt-hours.
type powerJSON struct {
	Date     string `json:"date"`
	Share    int    `json:"share"`
	Measured int    `json:"measured"`
	Working  int    `json:"working"`
	// The indexes and the declared rate are null when nothing was measured (no enterprise
	// with a reading and a baseline, no enterprise in scope): neither 0 % nor 100 %.
	ResumptionIndex *float64        `json:"resumption_index"`
	ProductionIndex *float64        `json:"production_index"`
	DeclaredRate    *float64        `json:"declared_rate"`
	Idle            []powerIdleJSON `json:"idle"`
}

func (s *Server) powerIndex(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day, err := s.day(r)
	if err != nil {
		return err
	}
	p, err := s.figures(r).PowerIndex(r.Context(), sc, day)
	if err != nil {
		return err
	}
	st, err := s.figures(r).ResumptionStats(r.Context(), sc, day)
	if err != nil {
		return err
	}
	out := powerJSON{Date: day, Share: p.Share, Measured: p.Measured, Working: p.Working, ResumptionIndex: percentOf(p.Working, p.Measured),
		DeclaredRate: percentOf(st.All.Resumed, st.All.Total), Idle: []powerIdleJSON{}}
	if p.BaselineWh > 0 {
		v := p.ProductionIndex()
		out.ProductionIndex = &v
	}
	for _, i := range p.Idle {
		out.Idle = append(out.Idle, powerIdleJSON{EnterpriseID: i.EnterpriseID, Name: i.Name, Township: i.Township, Wh: i.Wh, BaselineWh: i.BaselineWh})
	}
	return writeJSON(w, http.StatusOK, out)
}

// reportJSON is a daily or weekly report: its title, its sentences, and its figures.
type reportJSON struct {
	Kind        string        `json:"kind"`
	From        string        `json:"from"`
	To          string        `json:"to"`
	Kept        bool          `json:"kept"`
	GeneratedAt string        `json:"generated_at"`
	Title       string        `json:"title"`
	Sentences   []string      `json:"sentences"`
	Figures     dashboardJSON `json:"figures"`
}

func (s *Server) report(kind string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		sc := auth.ScopeFrom(r.Context())
		day, err := s.day(r)
		if err != nil {
			return err
		}
		rep, err := s.figures(r).Report(r.Context(), sc, kind, day)
		if err != nil {
			return err
		}
		names, err := s.DB.RegionNames(r.Context(), sc.County)
		if err != nil {
			return err
		}
		lang := i18n.Pick(r)
		rw := report.Writer{Cat: s.Cat, Lang: lang, Names: names}
		if r.URL.Query().Get("format") == "xlsx" {
			b, err := rw.XLSX(rep)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", xlsx.ContentType)
			w.Header().Set("Content-Disposition", `attachment; filename="report-`+kind+`-`+rep.To+`.xlsx"`)
			_, err = w.Write(b)
			return err
		}
		return writeJSON(w, http.StatusOK, reportJSON{Kind: kind, From: rep.From, To: rep.To, Kept: rep.ID != 0, GeneratedAt: s.rfc3339(rep.GeneratedAt),
			Title: rw.Title(rep), Sentences: rw.Sentences(rep), Figures: s.dashboardOut(lang, rep.Dashboard, names)})
	}
}
