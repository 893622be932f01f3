package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// Role sets of the demand pages.
var (
	demandRoles = fugong.RolesFor(fugong.PermDemandView)
	raiseRoles  = fugong.RolesFor(fugong.PermDemandRaise)
	queueRoles  = fugong.RolesFor(fugong.PermDemandQueue)
	statsRoles  = fugong.RolesFor(fugong.PermDemandStats)
	importRoles = fugong.RolesFor(fugong.PermDemandImport)
)

// demandRoutes is the demands' part of the site map.
func (s *Server) demandRoutes() {
	s.page("GET /demands", demandRoles, s.demandList)
	s.page("GET /demands/new", raiseRoles, s.demandNew)
	s.page("POST /demands", raiseRoles, s.demandCreate)
	s.page("GET /demands/{id}", demandRoles, s.demandShow)
	s.page("POST /demands/{id}/step", demandRoles, s.demandStep)
	s.page("POST /demands/{id}/urge", fugong.RolesFor(fugong.PermDemandUrge), s.demandUrge)
	s.page("GET /demands/queue", queueRoles, s.demandQueue)
	s.page("POST /demands/coordinate", fugong.RolesFor(fugong.PermDemandCoordinate), s.demandCoordinate)
	s.page("GET /demand-actions/{id}", fugong.RolesFor(fugong.PermDemandActionView), s.actionShow)
	s.page("POST /demand-actions/{id}/solve", fugong.RolesFor(fugong.PermDemandActionSolve), s.actionSolve)
	s.page("GET /demands/stats", statsRoles, s.demandStatsPage)
	s.page("GET /demands/import", importRoles, s.demandImportForm)
	s.page("GET /demands/import/template.xlsx", importRoles, s.importTemplate("demands"))
	s.page("POST /demands/import", importRoles, s.demandImportPreview)
	s.page("POST /demands/import/{token}/commit", importRoles, s.demandImportCommit)
	s.page("GET /notifications", Any, s.inbox)
	s.page("POST /notifications/read", Any, s.inboxRead)
	s.page("GET /enterprises/{id}/qr", Any, s.enterpriseQR)
	s.page("GET /enterprises/{id}/qr.png", Any, s.enterpriseQRPNG)
	s.page("GET /e/{id}", Any, s.raiseFromQR)
}

func (s *Server) demands() *store.Demands { return store.NewDemands(s.DB, s.Loc, s.Cat) }

// clock formats a time in the county's zone for a page.
func (s *Server) clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.Loc).Format("01-02 15:04")
}

// deadline formats a deadline for a page: midnight shows as 24:00 of the day before
// (fugong.FormatDeadline), as the offices write the same-day rule's deadline.
func (s *Server) deadline(t time.Time) string { return fugong.FormatDeadline(t, s.Loc, "01-02 15:04") }

type demandRow struct {
	fugong.Demand
	Received, SameDay string
	Late              bool
}

func (s *Server) rows(ds []fugong.Demand) []demandRow {
	out := make([]demandRow, len(ds))
	for i, d := range ds {
		out[i] = demandRow{Demand: d, Received: s.clock(d.ReceivedAt), SameDay: s.deadline(d.SameDayDue), Late: d.ResponseLate || d.SameDayLate || d.SolutionLate}
	}
	return out
}

type demandListData struct {
	Items      []demandRow
	Pager      Pager
	Filter     fugong.DemandFilter
	Categories []fugong.DemandCategory
	States     []string
	CanRaise   bool
	CanImport  bool
}

func (s *Server) demandList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.DemandFilter{Query: q.Get("q"), State: q.Get("state"), Category: q.Get("category"), Day: q.Get("day"), Open: q.Get("open") == "1",
		Late: q.Get("late") == "1", Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.demands().List(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "demand.title")
	p.Data = demandListData{Items: s.rows(items), Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Categories: fugong.DemandCategories,
		States: fugong.DemandStates, CanRaise: sc.Is(raiseRoles...), CanImport: sc.Is(importRoles...)}
	return s.render(w, r, "demand/list", p)
}

type demandNewData struct {
	Enterprises []fugong.Enterprise
	Categories  []fugong.DemandCategory
	Urgencies   []string
	Similar     []demandRow
	Fixed       bool // the enterprise is the caller
}

func (s *Server) demandForm(w http.ResponseWriter, r *http.Request, p *Page, similar []fugong.Demand, status int) error {
	sc := auth.ScopeFrom(r.Context())
	var ents []fugong.Enterprise
	if sc.Role != fugong.RoleEnterprise {
		var err error
		if ents, _, err = s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 1000}); err != nil {
			return err
		}
	}
	p.Data = demandNewData{Enterprises: ents, Categories: fugong.DemandCategories, Urgencies: fugong.Urgencies, Similar: s.rows(similar), Fixed: sc.Role == fugong.RoleEnterprise}
	return s.renderStatus(w, r, status, "demand/new", p)
}

func (s *Server) demandNew(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "demand.raise")
	p.Form = r.URL.Query()
	return s.demandForm(w, r, p, nil, http.StatusOK)
}

// channelOf is how a demand raised on a page came in, by who raised it.
func channelOf(r fugong.Role) string {
	switch r {
	case fugong.RoleEnterprise:
		return fugong.ChannelEnterprise
	case fugong.RoleCommand, fugong.RoleAdmin:
		return fugong.ChannelPhone
	}
	return fugong.ChannelOnSite
}

func (s *Server) demandCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"form": fugong.M("error.bad_request")})
	}
	sc := auth.ScopeFrom(r.Context())
	c, _ := auth.CallerFrom(r.Context())
	f := r.PostForm
	d := fugong.Demand{Category: f.Get("category"), Description: f.Get("description"), Urgency: f.Get("urgency"), Channel: channelOf(sc.Role),
		RaisedByName: c.User.DisplayName, Fields: map[string]string{}}
	d.EnterpriseID, _ = strconv.ParseInt(f.Get("enterprise_id"), 10, 64)
	if v := strings.TrimSpace(f.Get("quantity")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n = -1
		}
		d.Quantity = n
	}
	if cat, ok := fugong.FindCategory(d.Category); ok {
		for _, cf := range cat.Fields {
			d.Fields[cf.Name] = f.Get(cat.Key + "." + cf.Name)
		}
	}
	if sc.Role == fugong.RoleEnterprise {
		d.EnterpriseID = sc.EnterpriseID
	}
	p := s.newPage(r, "demand.raise")
	p.Form = f
	ds := s.demands()
	if f.Get("not_duplicate") == "" {
		similar, err := ds.Similar(r.Context(), sc, d)
		if err != nil {
			return err
		}
		if len(similar) > 0 {
			p.Message = p.T("demand.similar_found", len(similar))
			return s.demandForm(w, r, p, similar, http.StatusOK)
		}
	}
	if err := ds.Create(r.Context(), sc, &d); err != nil {
		if err := s.invalid(p, err); err != nil {
			return err
		}
		return s.demandForm(w, r, p, nil, http.StatusUnprocessableEntity)
	}
	return redirect(w, r, "/demands/"+strconv.FormatInt(d.ID, 10), "demand.raised_ok")
}

type demandShowData struct {
	D             demandRow
	Clocks        []clockRow
	Events        []eventRow
	Notifications []noticeRow
	Actions       []string
	CanUrge       bool
	Ribbon        []ribbonStep
	// CanDispatch and CanConfirm show the departments and the rating in the action bar.
	CanDispatch, CanConfirm bool
	Departments             []fugong.OrgUnit
	DeptNames               []string
	Fields                  []fieldRow
	Category                fugong.DemandCategory
}

type clockRow struct {
	Name, Due, Taken string
	Late, Met        bool
	// Left is the countdown while the clock runs: "还剩 2小时5分" or "超时 1小时".
	Left string
}

// ribbonStep is one stage of the work order's ribbon: done, the current one, or ahead.
type ribbonStep struct {
	Label         string
	Done, Current bool
}

// ribbonStages are the stages a demand goes through, in order; a state off this path
// (escalated, waiting, reopened) is shown at the stage it stands in for.
var ribbonStages = []string{fugong.DemandReceived, fugong.DemandDispatched, fugong.DemandInProgress, fugong.DemandSolved, fugong.DemandConfirmed, fugong.DemandClosed}

func ribbon(p *Page, state string) []ribbonStep {
	at := map[string]string{fugong.DemandEscalated: fugong.DemandDispatched, fugong.DemandWaiting: fugong.DemandInProgress, fugong.DemandReopened: fugong.DemandInProgress}[state]
	if at == "" {
		at = state
	}
	var out []ribbonStep
	seen := false
	for _, st := range ribbonStages {
		label := st
		if st == at {
			label, seen = state, true
		}
		out = append(out, ribbonStep{Label: p.T("dstate." + label), Current: st == at, Done: !seen})
	}
	return out
}

type eventRow struct {
	At, Who, Action, From, To, Note string
}

type noticeRow struct {
	// Error is the last delivery's failure, e.g. a robot's errcode and errmsg.
	At, Channel, To, Body, State, Sent, Error string
	Attempts                                  int
	Delivered                                 bool
}

type fieldRow struct{ Name, Value string }

func (s *Server) demandShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	ds := s.demands()
	d, err := ds.Find(r.Context(), sc, id)
	if err != nil {
		return err
	}
	events, err := ds.Events(r.Context(), d.ID)
	if err != nil {
		return err
	}
	notes, err := s.DB.FindNotificationsFor(r.Context(), "demands", strconv.FormatInt(d.ID, 10))
	if err != nil {
		return err
	}
	units, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "demand.title")
	p.Title = d.Number
	data := demandShowData{D: s.rows([]fugong.Demand{d})[0], Actions: fugong.ActionsFor(d.State, sc.Role),
		CanUrge: sc.Can(fugong.PermDemandUrge) && fugong.DemandOpen(d.State)}
	data.Ribbon = ribbon(p, d.State)
	for _, a := range data.Actions {
		data.CanDispatch = data.CanDispatch || a == fugong.ActDispatch
		data.CanConfirm = data.CanConfirm || a == fugong.ActConfirm
	}
	data.Category, _ = fugong.FindCategory(d.Category)
	for _, f := range data.Category.Fields {
		if v := d.Fields[f.Name]; v != "" {
			data.Fields = append(data.Fields, fieldRow{Name: p.T("dfield." + f.Name), Value: v})
		}
	}
	taken := func(m int) string {
		if m < 0 {
			return ""
		}
		return p.T("demand.minutes", m)
	}
	data.Clocks = []clockRow{
		{Name: p.T("demand.clock.response"), Due: s.deadline(d.ResponseDue), Late: d.ResponseLate, Met: !d.RespondedAt.IsZero() && !d.RespondedAt.After(d.ResponseDue), Taken: taken(d.ResponseMinutes)},
		{Name: p.T("demand.clock.same_day"), Due: s.deadline(d.SameDayDue), Late: d.SameDayLate, Met: !d.OwnedAt.IsZero() && !d.OwnedAt.After(d.SameDayDue)},
		{Name: p.T("demand.clock.solution"), Due: s.deadline(d.SolutionDue), Late: d.SolutionLate, Met: !d.SolvedAt.IsZero() && d.SolutionOver <= 0 && d.Reopens == 0, Taken: taken(d.SolutionMinutes)},
	}
	// A clock still running shows how long is left, or how long it is over.
	now := s.Clock.Now()
	running := []bool{d.RespondedAt.IsZero(), d.OwnedAt.IsZero(), d.SolvedAt.IsZero() && d.WaitingSince.IsZero()}
	for i, due := range []time.Time{d.ResponseDue, d.SameDayDue, d.SolutionDue} {
		if running[i] && fugong.DemandOpen(d.State) && !due.IsZero() {
			data.Clocks[i].Left = countdown(p, due.Sub(now))
			data.Clocks[i].Late = data.Clocks[i].Late || now.After(due)
		}
	}
	clock := ""
	for _, e := range events {
		who := e.Name
		if who == "" {
			who, clock = systemWho(p, e.Action, clock)
		}
		data.Events = append(data.Events, eventRow{At: s.clock(e.At), Who: who, Action: p.T("devent." + e.Action), From: e.From, To: e.To, Note: e.Note})
	}
	for _, n := range notes {
		to := n.Recipient
		if n.Channel == fugong.ChannelInApp {
			if u, err := s.DB.FindUser(r.Context(), n.UserID); err == nil {
				to = u.DisplayName
			}
		} else {
			to = p.T("channel." + n.Channel)
		}
		data.Notifications = append(data.Notifications, noticeRow{At: s.clock(n.CreatedAt), Channel: p.T("channel." + n.Channel), To: to, Body: n.Body,
			State: p.T("nstate." + n.State), Sent: s.clock(n.SentAt), Attempts: n.Attempts, Delivered: n.State == "sent", Error: n.LastError})
	}
	for _, u := range units {
		if u.Kind == fugong.OrgDepartment {
			data.Departments = append(data.Departments, u)
			if containsInt(d.Departments, u.ID) {
				data.DeptNames = append(data.DeptNames, u.Name)
			}
		}
	}
	p.Data = data
	return s.render(w, r, "demand/show", p)
}

func containsInt(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (s *Server) demandStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"form": fugong.M("error.bad_request")})
	}
	st := fugong.DemandStep{Action: r.PostForm.Get("action"), Note: r.PostForm.Get("note"), Comment: r.PostForm.Get("comment")}
	if st.Action == fugong.ActConfirm && st.Comment == "" {
		// The work order has one note box: on confirming, it is the enterprise's comment
		// (and command's reason when it confirms on the enterprise's behalf).
		st.Comment = st.Note
	}
	st.Rating, _ = strconv.Atoi(r.PostForm.Get("rating"))
	st.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	for _, v := range r.PostForm["departments"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			st.Departments = append(st.Departments, n)
		}
	}
	if _, err := s.demands().Step(r.Context(), auth.ScopeFrom(r.Context()), id, st); err != nil {
		return err
	}
	return redirect(w, r, "/demands/"+strconv.FormatInt(id, 10), "demand.step_ok")
}

func (s *Server) demandUrge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.demands().Urge(r.Context(), auth.ScopeFrom(r.Context()), id, r.PostFormValue("note")); err != nil {
		return err
	}
	return redirect(w, r, "/demands/"+strconv.FormatInt(id, 10), "demand.urged_ok")
}

// raiseFromQR is where an enterprise's QR code leads: after login, its raise form.
func (s *Server) raiseFromQR(w http.ResponseWriter, r *http.Request) error {
	e, err := findByID(r, s.DB.FindEnterprise)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/demands/new?"+url.Values{"enterprise_id": {strconv.FormatInt(e.ID, 10)}}.Encode(), http.StatusSeeOther)
	return nil
}

// systemWho names what acted on a demand when no person did: the rule that raised it, or
// the clock that warned, ran out or escalated it (an automatic escalation follows the
// clock that ran out just before it). It returns the clock seen, for the next event.
func systemWho(p *Page, action, clock string) (string, string) {
	switch {
	case action == "create":
		return p.T("dchannel.system"), clock
	case strings.HasPrefix(action, "late_"), strings.HasPrefix(action, "warn_"):
		_, clock, _ = strings.Cut(action, "_")
	case action != "escalate_auto" || clock == "":
		return p.T("demand.system"), clock
	}
	return p.T("demand.by_clock", p.T("demand.clock_name."+clock)), clock
}
