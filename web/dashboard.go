package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/report"
	"fugong/xlsx"
)

// commandRoles open the command centre.
var commandRoles = fugong.RolesFor(fugong.PermDashboard)

// dashboardRoutes are the command centre's pages (issue 9).
func (s *Server) dashboardRoutes() {
	s.page("GET /dashboard", fugong.RolesFor(fugong.PermDashboardView), s.dashboard)
	s.page("GET /dashboard/leaders", commandRoles, s.leaderView)
	s.page("GET /reports/daily", commandRoles, s.report(fugong.ReportDaily))
	s.page("GET /reports/weekly", commandRoles, s.report(fugong.ReportWeekly))
	s.page("GET /power", commandRoles, s.power)
	s.page("POST /power/upload", fugong.RolesFor(fugong.PermPowerLoad), s.powerUpload)
	s.page("GET /power/template.xlsx", fugong.RolesFor(fugong.PermPowerLoad), s.importTemplate("power"))
	s.page("POST /power/uploads/{token}/commit", fugong.RolesFor(fugong.PermPowerLoad), s.powerCommit)
}

// day reads the date parameter, today by default.
func (s *Server) day(r *http.Request) string {
	day := r.URL.Query().Get("date")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fugong.Day(s.Clock.Now(), s.Loc)
	}
	return day
}

type dashboardData struct {
	Day     string
	Live    bool // today: the screen refreshes itself
	Wall    bool
	Panels  []report.PanelView
	Src     string
	Refresh int
	// Zone is the county's time zone, in which the page says when figures were computed.
	Zone string
	// Township is the township drilled into (its code and name), empty for the county.
	Township, TownshipName string
	// Late are the open demands late on a clock, rolling on the wall screen; LateSrc is
	// where the screen fetches them again with each refresh of the figures.
	Late    []demandRow
	LateSrc string
	// Enterprises are the township's enterprises, those not resumed first, one click from each.
	Enterprises []fugong.Enterprise
}

// dashboard is the command centre: the county's figures, or one township's when a
// county-wide caller drills into it (?township=) or a township officer opens it.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	day := s.day(r)
	sc = sc.Narrow(q.Get("township"))
	p := s.newPage(r, "nav.dashboard")
	late, _, err := s.demands().List(r.Context(), sc, fugong.DemandFilter{Open: true, Late: true, Limit: 30})
	if err != nil {
		return err
	}
	if q.Get("part") == "late" {
		// The rolling late demands alone: the screen fetches them with its figures.
		p.Data = dashboardData{Late: s.rows(late)}
		return s.renderPart(w, "dashboard/show", "dash_late", p)
	}
	d, err := s.readOnly(r, p).Dashboard(r.Context(), sc, day, day)
	if err != nil {
		return err
	}
	data := dashboardData{Day: day, Wall: q.Get("wall") == "1", Panels: report.Writer{Cat: s.Cat, Lang: p.Lang}.Panels(&d), Refresh: 30, Zone: s.Loc.String()}
	src := url.Values{}
	if q.Get("date") != "" {
		src.Set("date", day)
	}
	if sc.Role == fugong.RoleTownship {
		names, err := s.DB.RegionNames(r.Context(), sc.County)
		if err != nil {
			return err
		}
		data.Township, data.TownshipName = sc.Region, names[sc.Region]
		src.Set("township", sc.Region)
		if data.Enterprises, _, err = s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 200}); err != nil {
			return err
		}
		sort.SliceStable(data.Enterprises, func(i, j int) bool {
			return data.Enterprises[i].Status != fugong.StatusResumed && data.Enterprises[j].Status == fugong.StatusResumed
		})
	}
	data.Src = "/api/v1/stats/dashboard"
	if len(src) > 0 {
		data.Src += "?" + src.Encode()
	}
	src.Del("date")
	src.Set("part", "late")
	data.LateSrc = "/dashboard?" + src.Encode()
	data.Late = s.rows(late)
	p.Data = data
	return s.render(w, r, "dashboard/show", p)
}

type leaderData struct {
	Day   string
	Views []fugong.LeaderView
	Names map[string]string
}

func (s *Server) leaderView(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day := s.day(r)
	uid, _ := strconv.ParseInt(r.URL.Query().Get("user_id"), 10, 64)
	p := s.newPage(r, "nav.leader_view")
	views, err := s.readOnly(r, p).LeaderViews(r.Context(), sc, day, uid)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p.Data = leaderData{Day: day, Views: views, Names: names}
	return s.render(w, r, "dashboard/leaders", p)
}

type reportData struct {
	R         fugong.Report
	Title     string
	Sentences []string
	Tables    []reportTable
	Kept      bool
	Generated string
}

// reportTable is a table of the report with every cell written out.
type reportTable struct {
	Name    string
	Headers []string
	Rows    [][]string
}

func (s *Server) report(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sc := auth.ScopeFrom(r.Context())
		p := s.newPage(r, "nav.report_"+kind)
		rep, err := s.readOnly(r, p).Report(r.Context(), sc, kind, s.day(r))
		if err != nil {
			return err
		}
		names, err := s.DB.RegionNames(r.Context(), sc.County)
		if err != nil {
			return err
		}
		rw := report.Writer{Cat: s.Cat, Lang: p.Lang, Names: names}
		d := reportData{R: rep, Title: rw.Title(rep), Sentences: rw.Sentences(rep), Kept: rep.ID != 0, Generated: s.clock(rep.GeneratedAt)}
		for _, t := range rw.Tables(rep) {
			rt := reportTable{Name: t.Name, Headers: t.Headers}
			for _, row := range t.Rows {
				cells := make([]string, len(row))
				for i, c := range row {
					cells[i] = cellText(c)
				}
				rt.Rows = append(rt.Rows, cells)
			}
			d.Tables = append(d.Tables, rt)
		}
		p.Data = d
		return s.render(w, r, "dashboard/report", p)
	}
}

func cellText(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case xlsx.Percent:
		return report.Pct(float64(x))
	}
	return xlsx.CSVText(v)
}
