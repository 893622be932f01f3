package api

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/store"
)

// demands returns the demand workflow.
func (s *Server) demands() *store.Demands { return store.NewDemands(s.DB, s.Loc, s.Cat) }

// demandJSON is a demand as the API shows it. Minutes fields are absent until measured.
type demandJSON struct {
	ID              int64             `json:"id"`
	Number          string            `json:"number"`
	RegionCode      string            `json:"region_code"`
	EnterpriseID    int64             `json:"enterprise_id"`
	EnterpriseName  string            `json:"enterprise_name"`
	Township        string            `json:"township"`
	LiaisonID       int64             `json:"liaison_id,omitempty"`
	Category        string            `json:"category"`
	CategoryName    string            `json:"category_name"`
	Description     string            `json:"description"`
	Quantity        int64             `json:"quantity"`
	Unit            string            `json:"unit,omitempty"`
	Fields          map[string]string `json:"fields"`
	Urgency         string            `json:"urgency"`
	Channel         string            `json:"channel"`
	RaisedBy        int64             `json:"raised_by"`
	State           string            `json:"state"`
	Level           string            `json:"level"`
	OnSite          bool              `json:"on_site"`
	ActionID        int64             `json:"action_id,omitempty"`
	Day             string            `json:"day"`
	ReceivedAt      string            `json:"received_at"`
	ResponseDue     string            `json:"response_due"`
	SameDayDue      string            `json:"same_day_due"`
	SolutionDue     string            `json:"solution_due"`
	RespondedAt     string            `json:"responded_at,omitempty"`
	OwnedAt         string            `json:"owned_at,omitempty"`
	SolvedAt        string            `json:"solved_at,omitempty"`
	ConfirmedAt     string            `json:"confirmed_at,omitempty"`
	ClosedAt        string            `json:"closed_at,omitempty"`
	ResponseLate    bool              `json:"response_late"`
	SameDayLate     bool              `json:"same_day_late"`
	SolutionLate    bool              `json:"solution_late"`
	ResponseMinutes *int              `json:"response_minutes,omitempty"`
	ResponseOver    *int              `json:"response_over_minutes,omitempty"`
	SameDayOver     *int              `json:"same_day_over_minutes,omitempty"`
	SolutionMinutes *int              `json:"solution_minutes,omitempty"`
	SolutionOver    *int              `json:"solution_over_minutes,omitempty"`
	UrgeCount       int               `json:"urge_count"`
	Rating          int               `json:"rating,omitempty"`
	Comment         string            `json:"comment,omitempty"`
	Departments     []int64           `json:"departments"`
	Version         int64             `json:"version"`
	Timeline        []eventJSON       `json:"timeline,omitempty"`
	Notifications   []noticeJSON      `json:"notifications,omitempty"`
}

type eventJSON struct {
	At       string `json:"at"`
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
	Action   string `json:"action"`
	From     string `json:"from_state,omitempty"`
	To       string `json:"to_state,omitempty"`
	Note     string `json:"note,omitempty"`
}

type noticeJSON struct {
	Channel   string `json:"channel"`
	UserID    int64  `json:"user_id,omitempty"`
	Body      string `json:"body"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	CreatedAt string `json:"created_at"`
	SentAt    string `json:"sent_at,omitempty"`
}

func (s *Server) toDemandJSON(d fugong.Demand, lang string) demandJSON {
	ptr := func(v int, ok bool) *int {
		if !ok {
			return nil
		}
		return &v
	}
	out := demandJSON{ID: d.ID, Number: d.Number, RegionCode: d.County, EnterpriseID: d.EnterpriseID, EnterpriseName: d.EnterpriseName, Township: d.Township,
		LiaisonID: d.LiaisonID, Category: d.Category, CategoryName: s.Cat.T(lang, "dcat."+d.Category), Description: d.Description, Quantity: d.Quantity, Unit: d.Unit,
		Fields: d.Fields, Urgency: d.Urgency, Channel: d.Channel, RaisedBy: d.RaisedBy, State: d.State, Level: d.Level, OnSite: d.OnSite, ActionID: d.ActionID,
		Day: d.Day, ReceivedAt: s.rfc3339(d.ReceivedAt), ResponseDue: s.rfc3339(d.ResponseDue), SameDayDue: s.rfc3339(d.SameDayDue), SolutionDue: s.rfc3339(d.SolutionDue),
		RespondedAt: s.rfc3339(d.RespondedAt), OwnedAt: s.rfc3339(d.OwnedAt), SolvedAt: s.rfc3339(d.SolvedAt), ConfirmedAt: s.rfc3339(d.ConfirmedAt), ClosedAt: s.rfc3339(d.ClosedAt),
		ResponseLate: d.ResponseLate, SameDayLate: d.SameDayLate, SolutionLate: d.SolutionLate,
		ResponseMinutes: ptr(d.ResponseMinutes, d.ResponseMinutes >= 0), ResponseOver: ptr(d.ResponseOver, d.ResponseMinutes >= 0),
		SameDayOver: ptr(d.SameDayOver, !d.OwnedAt.IsZero()), SolutionMinutes: ptr(d.SolutionMinutes, d.SolutionMinutes >= 0),
		SolutionOver: ptr(d.SolutionOver, d.SolutionMinutes >= 0), UrgeCount: d.UrgeCount, Rating: d.Rating, Comment: d.Comment,
		Departments: d.Departments, Version: d.Version}
	if out.Departments == nil {
		out.Departments = []int64{}
	}
	if out.Fields == nil {
		out.Fields = map[string]string{}
	}
	return out
}

// demandRequest raises a demand.
type demandRequest struct {
	EnterpriseID int64             `json:"enterprise_id"`
	Category     string            `json:"category" openapi:"required"`
	Description  string            `json:"description" openapi:"required"`
	Quantity     int64             `json:"quantity,omitempty"`
	Unit         string            `json:"unit,omitempty"`
	Fields       map[string]string `json:"fields,omitempty"`
	Urgency      string            `json:"urgency,omitempty"`
}

func (s *Server) createDemand(w http.ResponseWriter, r *http.Request) error {
	var req demandRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	d := fugong.Demand{EnterpriseID: req.EnterpriseID, Category: req.Category, Description: req.Description, Quantity: req.Quantity, Unit: req.Unit,
		Fields: req.Fields, Urgency: req.Urgency, Channel: fugong.ChannelAPI}
	if c, ok := auth.CallerFrom(r.Context()); ok {
		d.RaisedByName = c.User.DisplayName
	}
	if err := s.demands().Create(r.Context(), sc, &d); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/demands/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, s.toDemandJSON(d, i18n.Pick(r)))
}

func demandFilter(r *http.Request) (fugong.DemandFilter, error) {
	limit, offset, err := paging(r)
	if err != nil {
		return fugong.DemandFilter{}, err
	}
	q := r.URL.Query()
	f := fugong.DemandFilter{Query: q.Get("q"), State: q.Get("state"), Category: q.Get("category"), Township: q.Get("township"), Day: q.Get("day"),
		From: q.Get("from"), To: q.Get("to"), Limit: limit, Offset: offset}
	if f.Open, err = queryBool(r, "open"); err != nil {
		return f, err
	}
	if f.Late, err = queryBool(r, "late"); err != nil {
		return f, err
	}
	if v := q.Get("enterprise_id"); v != "" {
		f.EnterpriseID, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := q.Get("department"); v != "" {
		f.Department, _ = strconv.ParseInt(v, 10, 64)
	}
	return f, nil
}

func (s *Server) listDemands(w http.ResponseWriter, r *http.Request) error {
	f, err := demandFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.demands().List(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	lang := i18n.Pick(r)
	return writeList(w, items, total, func(d fugong.Demand) demandJSON { return s.toDemandJSON(d, lang) })
}

func (s *Server) getDemand(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ds := s.demands()
	d, err := ds.Find(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := s.toDemandJSON(d, i18n.Pick(r))
	events, err := ds.Events(r.Context(), d.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		out.Timeline = append(out.Timeline, eventJSON{At: s.rfc3339(e.At), Username: e.Username, Name: e.Name, Action: e.Action, From: e.From, To: e.To, Note: e.Note})
	}
	notes, err := s.DB.FindNotificationsFor(r.Context(), "demands", strconv.FormatInt(d.ID, 10))
	if err != nil {
		return err
	}
	for _, n := range notes {
		out.Notifications = append(out.Notifications, noticeJSON{Channel: n.Channel, UserID: n.UserID, Body: n.Body, State: n.State, Attempts: n.Attempts,
			CreatedAt: s.rfc3339(n.CreatedAt), SentAt: s.rfc3339(n.SentAt)})
	}
	return writeJSON(w, http.StatusOK, out)
}

// transitionRequest is one step of the workflow, or "urge".
type transitionRequest struct {
	Action      string  `json:"action"`
	Note        string  `json:"note,omitempty"`
	Departments []int64 `json:"departments,omitempty"`
	Rating      int     `json:"rating,omitempty"`
	Comment     string  `json:"comment,omitempty"`
	Version     int64   `json:"version,omitempty"`
}

func (s *Server) transitionDemand(w http.ResponseWriter, r *http.Request) error {
	var req transitionRequest
	id, err := decodeFor(w, r, &req)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	var d fugong.Demand
	if req.Action == "urge" {
		d, err = s.demands().Urge(r.Context(), sc, id, req.Note)
	} else {
		d, err = s.demands().Step(r.Context(), sc, id, fugong.DemandStep{Action: req.Action, Note: req.Note, Departments: req.Departments,
			Rating: req.Rating, Comment: req.Comment, Version: req.Version})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toDemandJSON(d, i18n.Pick(r)))
}

// actionRequest coordinates many demands into one action.
type actionRequest struct {
	Title      string  `json:"title"`
	Note       string  `json:"note,omitempty"`
	OwnerOrgID int64   `json:"owner_org_id"`
	DemandIDs  []int64 `json:"demand_ids"`
}

type actionJSON struct {
	ID         int64        `json:"id"`
	Title      string       `json:"title"`
	OwnerOrgID int64        `json:"owner_org_id"`
	OwnerName  string       `json:"owner_name"`
	State      string       `json:"state"`
	Demands    []demandJSON `json:"demands"`
}

func (s *Server) toActionJSON(x fugong.DemandAction, lang string) actionJSON {
	out := actionJSON{ID: x.ID, Title: x.Title, OwnerOrgID: x.OwnerOrgID, OwnerName: x.OwnerName, State: x.State, Demands: []demandJSON{}}
	for _, d := range x.Demands {
		out.Demands = append(out.Demands, s.toDemandJSON(d, lang))
	}
	return out
}

func (s *Server) coordinateDemands(w http.ResponseWriter, r *http.Request) error {
	var req actionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	x := fugong.DemandAction{Title: req.Title, Note: req.Note, OwnerOrgID: req.OwnerOrgID}
	if err := s.demands().Coordinate(r.Context(), auth.ScopeFrom(r.Context()), &x, req.DemandIDs); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toActionJSON(x, i18n.Pick(r)))
}

type solveActionRequest struct {
	Note string `json:"note"`
}

func (s *Server) solveAction(w http.ResponseWriter, r *http.Request) error {
	var req solveActionRequest
	id, err := decodeFor(w, r, &req)
	if err != nil {
		return err
	}
	x, err := s.demands().SolveAction(r.Context(), auth.ScopeFrom(r.Context()), id, req.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toActionJSON(x, i18n.Pick(r)))
}

// figuresJSON is one row of the demand figures; rates are fractions 0–1.
type figuresJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Total int    `json:"total"`
	// The rates are fractions (0–1); null when there is nothing to take them of (no
	// demand, none due, none solved, none rated) rather than a misleading 0 or 100 %.
	ResponseRate       *float64 `json:"response_rate"`
	SameDayRate        *float64 `json:"same_day_rate"`
	OnTimeSolutionRate *float64 `json:"on_time_solution_rate"`
	SolutionRate       *float64 `json:"solution_rate"`
	Satisfaction       *float64 `json:"satisfaction"`
	Rated              int      `json:"rated"`
	Solved             int      `json:"solved"`
	SolvedOnSite       int      `json:"solved_on_site"`
	Late               int      `json:"late"`
	MedianResponseMin  int      `json:"median_response_minutes"`
	MedianSolutionMin  int      `json:"median_solution_minutes"`
}

type demandStatsJSON struct {
	By     string        `json:"by"`
	From   string        `json:"from,omitempty"`
	To     string        `json:"to,omitempty"`
	All    figuresJSON   `json:"all"`
	Groups []figuresJSON `json:"items"`
}

func toFiguresJSON(f fugong.DemandFigures) figuresJSON {
	rate := func(v float64, den int) *float64 {
		if den == 0 {
			return nil
		}
		v = float64(int(v*10000+0.5)) / 10000
		return &v
	}
	return figuresJSON{Key: f.Key, Label: f.Label, Total: f.Total, ResponseRate: rate(f.ResponseRate(), f.Total), SameDayRate: rate(f.SameDayRate(), f.SameDayDue),
		OnTimeSolutionRate: rate(f.OnTimeRate(), f.Solved), SolutionRate: rate(f.SolutionRate(), f.Total), Satisfaction: rate(f.Satisfaction(), f.Rated), Rated: f.Rated,
		Solved: f.Solved, SolvedOnSite: f.OnSite, Late: f.Late, MedianResponseMin: f.ResponseMedian, MedianSolutionMin: f.SolutionMedian}
}

func (s *Server) demandStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	by := q.Get("by")
	if by == "" {
		by = "category"
	}
	groups, all, err := store.NewDemands(s.figures(r), s.Loc, s.Cat).Stats(r.Context(), auth.ScopeFrom(r.Context()), by, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	lang := i18n.Pick(r)
	out := demandStatsJSON{By: by, From: q.Get("from"), To: q.Get("to"), All: toFiguresJSON(all), Groups: []figuresJSON{}}
	for _, g := range groups {
		if by == "category" {
			g.Label = s.Cat.T(lang, "dcat."+g.Key)
		}
		out.Groups = append(out.Groups, toFiguresJSON(g))
	}
	return writeJSON(w, http.StatusOK, out)
}

// demandRoutes registers the demand operations.
func (s *Server) demandRoutes() {
	id := []Param{{"id", "path", "integer", ""}}
	s.handle(Op{Method: "POST", Path: "/api/v1/demands", Summary: "Raise a demand (answered once durable)", Tag: "demands", Request: demandRequest{}, Response: demandJSON{}, Status: 201,
		Roles: fugong.RolesFor(fugong.PermDemandRaise)}, s.createDemand)
	s.handle(Op{Method: "GET", Path: "/api/v1/demands", Summary: "Demands in the caller's scope", Tag: "demands", Response: List[demandJSON]{},
		Params: []Param{{"q", "query", "string", "number, description or enterprise contains"}, {"state", "query", "string", ""}, {"open", "query", "boolean", ""},
			{"late", "query", "boolean", ""}, {"category", "query", "string", ""}, {"township", "query", "string", ""}, {"enterprise_id", "query", "integer", ""},
			{"department", "query", "integer", "org unit id"}, {"day", "query", "string", "YYYY-MM-DD"}, {"from", "query", "string", "day"}, {"to", "query", "string", "day"},
			{"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listDemands)
	s.handle(Op{Method: "GET", Path: "/api/v1/demands/{id}", Summary: "One demand with its timeline and notifications", Tag: "demands", Response: demandJSON{}, Params: id}, s.getDemand)
	s.handle(Op{Method: "POST", Path: "/api/v1/demands/{id}/transitions", Summary: "Act on a demand: solve_on_site, accept, escalate, dispatch, wait, resume, solve, confirm, reopen, close, urge",
		Tag: "demands", Request: transitionRequest{}, Response: demandJSON{}, Params: id}, s.transitionDemand)
	s.handle(Op{Method: "POST", Path: "/api/v1/demand-actions", Summary: "Coordinate demands into one action with one owner", Tag: "demands",
		Roles: fugong.RolesFor(fugong.PermDemandCoordinate), Request: actionRequest{}, Response: actionJSON{}, Status: 201}, s.coordinateDemands)
	s.handle(Op{Method: "POST", Path: "/api/v1/demand-actions/{id}/solve", Summary: "Solve an action and every demand it groups", Tag: "demands",
		Roles: fugong.RolesFor(fugong.PermDemandActionSolve), Request: solveActionRequest{}, Response: actionJSON{}, Params: id}, s.solveAction)
	s.handle(Op{Method: "GET", Path: "/api/v1/stats/demands", Summary: "Demand figures by category, township, liaison, department or day (a province or city: by county, category or day)", Tag: "demands", Response: demandStatsJSON{}, Replica: true,
		Params: []Param{{"by", "query", "string", "category, township, liaison, department or day; county for a province"}, {"from", "query", "string", "day"}, {"to", "query", "string", "day"}}}, s.demandStats)
}
