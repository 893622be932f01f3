package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/report"
)

// task is one line of a workbench: what needs doing, how urgent, and the one tap that
// does it.
type task struct {
	Href, Title, Meta string
	// Badge is a short state or countdown; Class colours it: bad (late), warn (due soon
	// or to do), ok (done).
	Badge, Class string
	// rank orders a section: lower first.
	rank int
	due  time.Time
}

// section is one block of the workbench: a heading, its tasks, and the page with all.
type section struct {
	ID, Title, Empty string
	Tasks            []task
	More             string
	// Action is a button above the tasks: the section's main thing to do.
	Action, ActionHref string
	// Chips count the section's items by state, each a tap to them.
	Chips []chip
	total int // how many there are, when Tasks holds the first few
}

type homeData struct {
	Role string
	// Figures are the tiles of the command's workbench, Wide its desktop layout.
	Figures []homeFigure
	Wide    bool
	// Contacts are an enterprise's liaison and leader, with their phones.
	Contacts []fugong.Link
	Sections []section
}

// home is the caller's work for today, most urgent first, each item one tap from its
// action; what it holds depends on the role.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	if sc.Role == fugong.RoleProvince {
		http.Redirect(w, r, "/province", http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, "home.title")
	d := homeData{Role: string(sc.Role)}
	var err error
	switch sc.Role {
	case fugong.RoleLiaison:
		err = s.homeLiaison(r, p, sc, &d)
	case fugong.RoleEnterprise:
		err = s.homeEnterprise(r, p, sc, &d)
	case fugong.RoleVillage:
		err = s.homeVillage(r, p, sc, &d)
	case fugong.RoleLeader:
		err = s.homeLeader(r, p, sc, &d)
	case fugong.RoleTownship, fugong.RoleDepartment:
		err = s.homeOffice(r, p, sc, &d)
	default:
		err = s.homeCommand(r, p, sc, &d)
	}
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "home", p)
}

// homeLiaison: today's visits, open demands by their countdown, health alerts, missing
// daily reports and rectifications due, at the liaison's enterprises.
func (s *Server) homeLiaison(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	ctx := r.Context()
	ents, _, err := s.DB.FindEnterprises(ctx, sc, fugong.EnterpriseFilter{Limit: 100})
	if err != nil {
		return err
	}
	visits, _, err := s.DB.FindVisits(ctx, sc, fugong.VisitFilter{UserID: sc.UserID, From: p.Today, To: p.Today, Limit: 100})
	if err != nil {
		return err
	}
	done := map[int64]int64{}
	for _, v := range visits {
		done[v.EnterpriseID] = v.ID
	}
	visit := section{ID: "home-visits", Title: p.T("home.visits"), Empty: p.T("home.no_enterprises"), More: "/visits"}
	for _, e := range ents {
		t := task{Title: e.Name, Meta: e.Status, Href: "/visits/new?enterprise_id=" + strconv.FormatInt(e.ID, 10), Badge: p.T("home.visit_todo"), Class: "warn"}
		if id, ok := done[e.ID]; ok {
			t.Href, t.Badge, t.Class, t.rank = "/visits/"+strconv.FormatInt(id, 10), p.T("home.visit_done"), "ok", 1
		}
		visit.Tasks = append(visit.Tasks, t)
	}
	sortTasks(visit.Tasks)
	if len(ents) == 0 {
		// Stationed nowhere yet (a new county, a new cadre): no form to raise a demand for
		// no enterprise, no 「日报都已报送」 — what to wait for and whom it comes from.
		visit.Empty, visit.More = p.T("home.no_enterprises_yet"), ""
		d.Sections = []section{visit}
		return nil
	}
	demands, err := s.homeDemands(r, p, sc, "home-demands", fugong.DemandFilter{Open: true, Limit: 50})
	if err != nil {
		return err
	}
	demands.Action, demands.ActionHref = p.T("demand.raise"), "/demands/new"
	alerts, err := s.homeAlerts(r, p, sc)
	if err != nil {
		return err
	}
	reports, err := s.homeMissingReports(r, p, sc)
	if err != nil {
		return err
	}
	rect, err := s.homeRectifications(r, p, sc)
	if err != nil {
		return err
	}
	d.Sections = []section{demands, alerts, visit, reports, rect}
	return nil
}

// homeEnterprise: whom to call, today's report or the declaration, the enterprise's
// demands and its entitlements.
func (s *Server) homeEnterprise(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	ctx := r.Context()
	e, err := s.DB.FindEnterprise(ctx, sc, sc.EnterpriseID)
	if err != nil {
		return err
	}
	if d.Contacts, _, err = s.DB.FindLinks(ctx, sc, fugong.LinkFilter{EnterpriseID: e.ID, Current: true, Limit: 10}); err != nil {
		return err
	}
	id := strconv.FormatInt(e.ID, 10)
	today := section{ID: "home-today", Title: p.T("home.today_work")}
	if e.Status == fugong.StatusResumed {
		reps, _, err := s.DB.FindDailyReports(ctx, sc, fugong.DailyReportFilter{EnterpriseID: e.ID, Limit: 1})
		if err != nil {
			return err
		}
		t := task{Href: "/enterprises/" + id + "/report", Title: p.T("home.report_today"), Badge: p.T("home.report_due"), Class: "warn"}
		if len(reps) > 0 && reps[0].Day == p.Today {
			t.Badge, t.Class = p.T("home.report_done"), "ok"
		}
		today.Tasks = append(today.Tasks, t)
	} else {
		decls, _, err := s.DB.FindDeclarations(ctx, sc, fugong.DeclarationFilter{EnterpriseID: e.ID, Limit: 1})
		if err != nil {
			return err
		}
		t := task{Href: "/enterprises/" + id + "/declare", Title: p.T("home.declare"), Meta: e.Status, Badge: p.T("home.to_do"), Class: "warn"}
		if len(decls) > 0 && fugong.ReviewerRoles(decls[0].State) != nil {
			t.Href, t.Badge, t.Class = "/declarations/"+strconv.FormatInt(decls[0].ID, 10), p.T("decl."+decls[0].State), ""
		}
		today.Tasks = append(today.Tasks, t)
	}
	demands, err := s.homeDemands(r, p, sc, "home-demands", fugong.DemandFilter{EnterpriseID: e.ID, Limit: 20})
	if err != nil {
		return err
	}
	demands.Title, demands.Action, demands.ActionHref = p.T("home.my_demands"), p.T("demand.raise"), "/demands/new"
	ents, _, _, err := s.DB.FindEntitlements(ctx, sc, fugong.EntitlementFilter{EnterpriseID: e.ID, Limit: 10})
	if err != nil {
		return err
	}
	money := section{ID: "home-entitlements", Title: p.T("home.entitlements"), Empty: p.T("home.empty.entitlements"), More: "/entitlements"}
	for _, t := range ents {
		money.Tasks = append(money.Tasks, task{Href: "/entitlements/" + strconv.FormatInt(t.ID, 10), Title: t.PolicyTitle,
			Meta: p.T("home.amount", fenYuan(t.Amount)), Badge: p.T("entitlement.status." + t.Status)})
	}
	d.Sections = []section{today, demands, money}
	return nil
}

// homeVillage: register job seekers, pass on the job news sent to the village.
func (s *Server) homeVillage(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	ctx := r.Context()
	seekers, total, err := s.DB.FindJobSeekers(ctx, sc, fugong.JobSeekerFilter{Limit: 5})
	if err != nil {
		return err
	}
	reg := section{ID: "home-seekers", Title: p.T("home.seekers", total), Empty: p.T("home.empty.seekers"), More: "/job-seekers",
		Action: p.T("home.register_seeker"), ActionHref: "/job-seekers/new"}
	for _, js := range seekers {
		reg.Tasks = append(reg.Tasks, task{Href: "/job-seekers/" + strconv.FormatInt(js.ID, 10), Title: js.Name, Meta: js.PhoneMasked})
	}
	news, _, err := s.DB.FindBroadcasts(ctx, sc, 5, 0)
	if err != nil {
		return err
	}
	pass := section{ID: "home-news", Title: p.T("home.news"), Empty: p.T("home.empty.news"), More: "/broadcasts"}
	for _, b := range news {
		pass.Tasks = append(pass.Tasks, task{Href: "/broadcasts/" + strconv.FormatInt(b.ID, 10), Title: b.Text, Meta: s.clock(b.CreatedAt) + " · " + b.Sender})
	}
	jobs := section{ID: "home-jobs", Title: p.T("home.jobs"), Tasks: []task{{Href: "/employment", Title: p.T("nav.employment")}}}
	d.Sections = []section{reg, pass, jobs}
	return nil
}

// homeLeader: the leader's linked enterprises and projects, the flagged ones first.
func (s *Server) homeLeader(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	views, err := s.DB.LeaderViews(r.Context(), sc, p.Today, sc.UserID)
	if err != nil {
		return err
	}
	linked := section{ID: "home-linked", Title: p.T("nav.leader_view"), Empty: p.T("leader.none"), More: "/dashboard/leaders"}
	for _, v := range views {
		if v.UserID != sc.UserID {
			continue
		}
		for _, it := range v.Items {
			t := task{Title: it.Name, Href: "/projects/" + strconv.FormatInt(it.ID, 10), rank: 2}
			if it.Kind == "enterprise" {
				t.Href, t.Meta = "/enterprises/"+strconv.FormatInt(it.ID, 10), it.Status
			} else {
				t.Meta = it.Stage + " · " + strconv.Itoa(it.Progress) + "%"
			}
			switch {
			case it.LateDemands > 0:
				t.Href = "/demands?late=1&enterprise_id=" + strconv.FormatInt(it.ID, 10)
				t.Badge, t.Class, t.rank = p.T("leader.late", it.LateDemands), "bad", 0
			case it.NotResumed:
				t.Badge, t.Class, t.rank = p.T("leader.not_resumed"), "warn", 1
			case it.Stalled:
				t.Badge, t.Class, t.rank = p.T("leader.stalled", it.LastReport), "warn", 1
			case it.OpenDemands > 0:
				t.Badge = p.T("leader.open", it.OpenDemands)
			}
			linked.Tasks = append(linked.Tasks, t)
		}
	}
	sortTasks(linked.Tasks)
	late, err := s.homeDemands(r, p, sc, "home-late", fugong.DemandFilter{Open: true, Late: true, Limit: 10})
	if err != nil {
		return err
	}
	late.Title, late.More = p.T("home.late_demands"), "/demands/queue"
	d.Sections = []section{linked, late}
	return nil
}

// homeOffice: for a township or a department, the demands that are theirs, late first,
// and the declarations waiting for their review.
func (s *Server) homeOffice(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	demands, err := s.homeDemands(r, p, sc, "home-demands", fugong.DemandFilter{Open: true, Limit: 50})
	if err != nil {
		return err
	}
	if sc.Role == fugong.RoleDepartment {
		demands.Title = p.T("home.dispatched")
	}
	state := fugong.DeclTownship
	if sc.Role == fugong.RoleDepartment {
		state = fugong.DeclDepartment
	}
	decls, total, err := s.DB.FindDeclarations(r.Context(), sc, fugong.DeclarationFilter{State: state, Limit: 20})
	if err != nil {
		return err
	}
	review := section{ID: "home-reviews", Title: p.T("home.reviews", total), Empty: p.T("home.empty.reviews"), More: "/declarations?state=" + state}
	for _, x := range decls {
		review.Tasks = append(review.Tasks, task{Href: "/declarations/" + strconv.FormatInt(x.ID, 10), Title: x.Enterprise,
			Meta: p.T("home.planned", x.PlannedOn), Badge: p.T("home.to_review"), Class: "warn"})
	}
	d.Sections = []section{demands, review}
	if sc.Role == fugong.RoleTownship {
		reports, err := s.homeMissingReports(r, p, sc)
		if err != nil {
			return err
		}
		d.Sections = append(d.Sections, reports)
	}
	return nil
}

// homeCommand is the command's workbench at 7 a.m.: the dashboard's figures that matter
// first thing (the resumption rate, today's demands, the late ones, the alerts), then the
// work itself, the overdue first: late demands, escalations awaiting the command, today's
// demands by state, health alerts and the daily reports not yet in.
func (s *Server) homeCommand(r *http.Request, p *Page, sc fugong.Scope, d *homeData) error {
	// The same figures as the dashboard (shared with its screens for DashboardTTL).
	dash, err := s.readOnly(r, p).Dashboard(r.Context(), sc, p.Today, p.Today)
	if err != nil {
		return err
	}
	late, err := s.homeDemands(r, p, sc, "home-late", fugong.DemandFilter{Open: true, Late: true, Limit: 10})
	if err != nil {
		return err
	}
	late.Title, late.More = p.T("home.late_demands"), "/demands?open=1&late=1"
	escalated, err := s.homeDemands(r, p, sc, "home-escalated", fugong.DemandFilter{State: fugong.DemandEscalated, Limit: 10})
	if err != nil {
		return err
	}
	escalated.Title, escalated.More = p.T("home.to_dispatch", escalated.total), "/demands/queue"
	today, err := s.homeToday(r, p, sc)
	if err != nil {
		return err
	}
	alerts, err := s.homeAlerts(r, p, sc)
	if err != nil {
		return err
	}
	reports, err := s.homeMissingByTownship(r, p, sc)
	if err != nil {
		return err
	}
	d.Wide = true
	d.Sections = []section{late, escalated, today, alerts, reports}
	views := map[string]report.FigureView{}
	for _, pv := range (report.Writer{Cat: s.Cat, Lang: p.Lang}).Panels(&dash) {
		for _, f := range pv.Figures {
			views[f.Key] = f
		}
	}
	// The set-up checklist while the county is not yet working: always asked for the
	// admin, for the command only while the county has no enterprise.
	if total := views["resumption.total"].Value; sc.Can(fugong.PermSetupView) && (sc.Role == fugong.RoleAdmin || total == nil || *total == 0) {
		setup, needed, err := s.homeSetup(r, p, sc)
		if err != nil {
			return err
		}
		if needed {
			d.Sections = append([]section{setup}, d.Sections...)
		}
		if total == nil || *total == 0 { // no enterprise yet: no report can be missing
			reports.Empty = p.T("home.empty.no_enterprises")
			d.Sections[len(d.Sections)-1] = reports
		}
	}
	for _, k := range []string{"resumption.rate", "resumption.resumed", "resumption.total", "resumption.attendance",
		"demands.in", "demands.late", "demands.same_day_rate", "health.alerts"} {
		f := views[k]
		fig := homeFigure{Key: k, Label: f.Label, Text: f.Text, Href: f.Href}
		if (k == "demands.late" || k == "health.alerts") && f.Value != nil && *f.Value > 0 {
			fig.Class = "bad"
		}
		d.Figures = append(d.Figures, fig)
	}
	// Two of the work's own counts, each a tap to its list below.
	d.Figures = append(d.Figures,
		homeFigure{Key: "home.escalated", Label: p.T("home.fig.escalated"), Text: strconv.Itoa(escalated.total), Href: "#home-escalated", Class: warnIf(escalated.total)},
		homeFigure{Key: "home.missing", Label: p.T("home.fig.missing"), Text: strconv.Itoa(reports.total), Href: "#home-reports", Class: warnIf(reports.total)})
	return nil
}

// homeFigure is one tile of the command's workbench.
type homeFigure struct {
	Key, Label, Text, Href, Class string
}

// chip is a count of a list's items in one state, a tap to them.
type chip struct {
	Label, Href, Class string
	N                  int
}

func warnIf(n int) string {
	if n > 0 {
		return "warn"
	}
	return ""
}

// homeToday: the demands that came in today, counted by state with the late ones first,
// and listed late first.
func (s *Server) homeToday(r *http.Request, p *Page, sc fugong.Scope) (section, error) {
	f := fugong.DemandFilter{Day: p.Today, Limit: 500}
	items, total, err := s.demands().List(r.Context(), sc, f)
	if err != nil {
		return section{}, err
	}
	list := "/demands?day=" + p.Today
	sec := s.demandSection(p, "home-today", items, total, f)
	sec.Title, sec.Empty, sec.More = p.T("home.today_demands", total), p.T("home.no_today"), list
	byState, late := map[string]int{}, 0
	for _, x := range items {
		byState[x.State]++
		if x.ResponseLate || x.SameDayLate || x.SolutionLate {
			late++
		}
	}
	if late > 0 {
		sec.Chips = append(sec.Chips, chip{Label: p.T("home.late_chip"), N: late, Href: list + "&late=1", Class: "bad"})
	}
	for _, st := range fugong.DemandStates {
		if n := byState[st]; n > 0 {
			sec.Chips = append(sec.Chips, chip{Label: p.T("dstate." + st), N: n, Href: list + "&state=" + st})
		}
	}
	if len(sec.Tasks) > 10 {
		sec.Tasks = sec.Tasks[:10]
	}
	return sec, nil
}

// homeDemands lists demands as tasks: the late ones first, then by the clock that runs
// out next, each with its countdown.
func (s *Server) homeDemands(r *http.Request, p *Page, sc fugong.Scope, id string, f fugong.DemandFilter) (section, error) {
	items, total, err := s.demands().List(r.Context(), sc, f)
	if err != nil {
		return section{}, err
	}
	return s.demandSection(p, id, items, total, f), nil
}

// demandSection makes demands tasks with their countdowns, the late first.
func (s *Server) demandSection(p *Page, id string, items []fugong.Demand, total int, f fugong.DemandFilter) section {
	sec := section{ID: id, Title: p.T("home.open_demands", total), Empty: p.T("home.no_demands"), More: "/demands?open=1", total: total}
	now := s.Clock.Now()
	for _, x := range items {
		title := x.EnterpriseName + " · " + p.T("dcat."+x.Category)
		if f.EnterpriseID != 0 {
			title = p.T("dcat." + x.Category)
		}
		t := task{Href: "/demands/" + strconv.FormatInt(x.ID, 10), Title: title,
			Meta: x.Number + " · " + x.Description, Badge: p.T("dstate." + x.State), rank: 3}
		if fugong.DemandOpen(x.State) {
			clock, due := nextClock(x)
			t.due = due
			switch {
			case x.ResponseLate || x.SameDayLate || x.SolutionLate || (!due.IsZero() && now.After(due)):
				t.Badge, t.Class, t.rank = p.T(clock)+" "+countdown(p, due.Sub(now)), "bad", 0
			case !due.IsZero():
				t.Badge, t.Class, t.rank = p.T(clock)+" "+countdown(p, due.Sub(now)), "warn", 1
			}
		}
		sec.Tasks = append(sec.Tasks, t)
	}
	sortTasks(sec.Tasks)
	return sec
}

// nextClock is the demand's clock that runs out next: response until someone acts, the
// same-day clock until it is solved or owned, then the solution clock.
func nextClock(d fugong.Demand) (string, time.Time) {
	switch {
	case d.RespondedAt.IsZero() && !d.ResponseDue.IsZero():
		return "demand.clock.response", d.ResponseDue
	case d.OwnedAt.IsZero() && !d.SameDayDue.IsZero():
		return "home.clock.same_day", d.SameDayDue
	}
	return "demand.clock.solution", d.SolutionDue
}

// countdown says how long is left ("还剩 2小时5分") or how long it is over ("超时 1天3小时").
func countdown(p *Page, left time.Duration) string {
	key := "home.left"
	if left < 0 {
		key, left = "home.over", -left
	}
	m := int(left.Minutes())
	var span string
	switch {
	case m >= 48*60:
		span = p.T("home.span_dh", m/(24*60), m%(24*60)/60)
	case m >= 60:
		span = p.T("home.span_hm", m/60, m%60)
	default:
		span = p.T("home.span_m", m)
	}
	return p.T(key, span)
}

// homeAlerts: today's health alerts (fever, symptoms) of the workers in scope.
func (s *Server) homeAlerts(r *http.Request, p *Page, sc fugong.Scope) (section, error) {
	alerts, err := s.Health.FindAlerts(r.Context(), sc, p.Today, 0, 20)
	if err != nil {
		return section{}, err
	}
	sec := section{ID: "home-alerts", Title: p.T("home.alerts", len(alerts)), Empty: p.T("home.no_alerts"), More: "/health"}
	for _, a := range alerts {
		badge := a.Temperature.Celsius()
		if badge == "" {
			badge = p.T("home.symptoms") // an alert for symptoms alone
		}
		sec.Tasks = append(sec.Tasks, task{Href: "/workers/" + strconv.FormatInt(a.WorkerID, 10), Title: a.WorkerName + " · " + a.Enterprise,
			Meta: s.clock(a.At) + " " + a.Symptoms, Badge: badge, Class: "bad"})
	}
	return sec, nil
}

// homeMissingReports: the enterprises in scope that have not filed today's daily report.
func (s *Server) homeMissingReports(r *http.Request, p *Page, sc fugong.Scope) (section, error) {
	missing, err := s.DB.FindMissingReports(r.Context(), sc, p.Today)
	if err != nil {
		return section{}, err
	}
	sec := section{ID: "home-reports", Title: p.T("home.missing_reports", len(missing)), Empty: p.T("home.no_missing"), More: "/reports/missing", total: len(missing)}
	for i, e := range missing {
		if i == 20 {
			break
		}
		sec.Tasks = append(sec.Tasks, task{Href: "/enterprises/" + strconv.FormatInt(e.ID, 10) + "/report", Title: e.Name, Badge: p.T("home.report_due"), Class: "warn"})
	}
	return sec, nil
}

// homeMissingByTownship: for the county, the daily reports not yet in counted by
// township, the most first, each a tap to that township's list (whom to call).
func (s *Server) homeMissingByTownship(r *http.Request, p *Page, sc fugong.Scope) (section, error) {
	missing, err := s.DB.FindMissingReports(r.Context(), sc, p.Today)
	if err != nil {
		return section{}, err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return section{}, err
	}
	sec := section{ID: "home-reports", Title: p.T("home.missing_reports", len(missing)), Empty: p.T("home.no_missing"), More: "/reports/missing", total: len(missing)}
	by := map[string]int{}
	for _, e := range missing {
		by[e.Township]++
	}
	for code, n := range by {
		sec.Tasks = append(sec.Tasks, task{Href: "/reports/missing?township=" + code, Title: names[code], Badge: p.T("home.missing_n", n), Class: "warn", rank: -n})
	}
	sort.SliceStable(sec.Tasks, func(i, j int) bool {
		return sec.Tasks[i].rank < sec.Tasks[j].rank || sec.Tasks[i].rank == sec.Tasks[j].rank && sec.Tasks[i].Title < sec.Tasks[j].Title
	})
	return sec, nil
}

// homeRectifications: the open rectifications in scope, overdue first, by deadline.
func (s *Server) homeRectifications(r *http.Request, p *Page, sc fugong.Scope) (section, error) {
	items, _, err := s.DB.FindInspections(r.Context(), sc, fugong.InspectionFilter{Rectified: true, State: fugong.RectificationOpen, Limit: 20}, p.Today)
	if err != nil {
		return section{}, err
	}
	sec := section{ID: "home-rectifications", Title: p.T("home.rectifications", len(items)), Empty: p.T("home.empty.rectifications"), More: "/inspections"}
	for _, in := range items {
		t := task{Href: "/inspections/" + strconv.FormatInt(in.ID, 10), Title: in.Finding, Meta: in.EnterpriseName, rank: 1}
		t.Badge, t.Class = p.T("home.deadline", in.Rectification.Deadline), "warn"
		if in.Rectification.Overdue(p.Today) {
			t.Class, t.rank = "bad", 0
		}
		sec.Tasks = append(sec.Tasks, t)
	}
	sortTasks(sec.Tasks)
	return sec, nil
}

// sortTasks puts the most urgent first: by rank, then the earliest clock.
func sortTasks(ts []task) {
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].rank != ts[j].rank {
			return ts[i].rank < ts[j].rank
		}
		return !ts[i].due.IsZero() && (ts[j].due.IsZero() || ts[i].due.Before(ts[j].due))
	})
}
