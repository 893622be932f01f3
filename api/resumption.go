package api

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

// enterpriseInput is the body of an enterprise create or update; version is required on
// update (optimistic locking: a stale one answers 409).
type enterpriseInput struct {
	Name           string `json:"name" openapi:"required"`
	USCC           string `json:"uscc" openapi:"required"`
	Township       string `json:"township" openapi:"required"`
	Village        string `json:"village"`
	Address        string `json:"address"`
	Industry       string `json:"industry"`
	FocusArea      string `json:"focus_area"`
	AboveScale     bool   `json:"above_scale"`
	ParkTenant     bool   `json:"park_tenant"`
	MonthlyRentFen int64  `json:"monthly_rent_fen"`
	Payroll        int    `json:"payroll"`
	ContactName    string `json:"contact_name"`
	ContactPhone   string `json:"contact_phone"`
	Workshop       bool   `json:"workshop"`
	Status         string `json:"status"`
	ResumedOn      string `json:"resumed_on"`
	Version        int64  `json:"version"`
}

func (in enterpriseInput) apply(e *fugong.Enterprise) {
	e.Name, e.USCC, e.Township, e.Village, e.Address, e.Industry, e.FocusArea = in.Name, in.USCC, in.Township, in.Village, in.Address, in.Industry, in.FocusArea
	e.AboveScale, e.ParkTenant, e.MonthlyRent, e.Payroll, e.Workshop = in.AboveScale, in.ParkTenant, in.MonthlyRentFen, in.Payroll, in.Workshop
	e.ContactName, e.ContactPhone = in.ContactName, in.ContactPhone
	if in.Status != "" {
		e.Status = in.Status
	}
	if in.ResumedOn != "" {
		e.ResumedOn = in.ResumedOn
	}
}

func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	var in enterpriseInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var e fugong.Enterprise
	in.apply(&e)
	if err := s.DB.CreateEnterprise(r.Context(), auth.ScopeFrom(r.Context()), &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toEnterpriseJSON(e))
}

func (s *Server) updateEnterprise(w http.ResponseWriter, r *http.Request) error {
	var in enterpriseInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	if in.Version == 0 {
		return fugong.Invalid(map[string]fugong.Msg{"version": fugong.M("field.required")})
	}
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.UpdateEnterprise(r.Context(), sc, id, in.Version, func(e *fugong.Enterprise) error {
		if err := sc.Allow(fugong.PermEnterpriseEdit); err != nil {
			return err
		}
		in.apply(e)
		return nil
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toEnterpriseJSON(e))
}

// keyProjectJSON is a key project; investment is in 万元 (10,000 CNY), as the offices count it.
type keyProjectJSON struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Name       string `json:"name"`
	Township   string `json:"township"`
	Investment int64  `json:"investment"`
	Stage      string `json:"stage"`
	Progress   int    `json:"progress"`
	Demo       bool   `json:"demo"`
	Version    int64  `json:"version"`
}

func toKeyProjectJSON(p fugong.KeyProject) keyProjectJSON {
	return keyProjectJSON{ID: p.ID, RegionCode: p.County, Name: p.Name, Township: p.Township, Investment: p.Investment, Stage: p.Stage, Progress: p.Progress, Demo: p.Demo, Version: p.Version}
}

// keyProjectInput is the body of a key project create or update.
type keyProjectInput struct {
	Name       string `json:"name"`
	Township   string `json:"township"`
	Investment int64  `json:"investment"`
	Stage      string `json:"stage"`
	Progress   int    `json:"progress"`
	Version    int64  `json:"version"`
}

func (s *Server) listKeyProjects(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, total, err := s.DB.FindKeyProjects(r.Context(), auth.ScopeFrom(r.Context()), fugong.KeyProjectFilter{Query: q.Get("q"), Township: q.Get("township"),
		Stage: q.Get("stage"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeList(w, items, total, toKeyProjectJSON)
}

func (s *Server) getKeyProject(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindKeyProject, toKeyProjectJSON)
}

func (s *Server) createKeyProject(w http.ResponseWriter, r *http.Request) error {
	var in keyProjectInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := fugong.KeyProject{Name: in.Name, Township: in.Township, Investment: in.Investment, Stage: in.Stage, Progress: in.Progress}
	if err := s.DB.CreateKeyProject(r.Context(), auth.ScopeFrom(r.Context()), &p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toKeyProjectJSON(p))
}

func (s *Server) updateKeyProject(w http.ResponseWriter, r *http.Request) error {
	var in keyProjectInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	if in.Version == 0 {
		return fugong.Invalid(map[string]fugong.Msg{"version": fugong.M("field.required")})
	}
	p, err := s.DB.UpdateKeyProject(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, func(p *fugong.KeyProject) error {
		p.Name, p.Township, p.Investment, p.Stage, p.Progress = in.Name, in.Township, in.Investment, in.Stage, in.Progress
		return nil
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toKeyProjectJSON(p))
}

// declarationJSON is a declaration; answers maps checklist item ids to whether they are met.
type declarationJSON struct {
	ID           int64           `json:"id"`
	EnterpriseID int64           `json:"enterprise_id"`
	Enterprise   string          `json:"enterprise"`
	PlannedOn    string          `json:"planned_on"`
	Answers      map[string]bool `json:"answers"`
	Note         string          `json:"note"`
	State        string          `json:"state"`
	Declarer     string          `json:"declarer"`
	DeclaredAt   string          `json:"declared_at"`
	Version      int64           `json:"version"`
	Reviews      []reviewJSON    `json:"reviews,omitempty"`
}

type reviewJSON struct {
	Stage    string `json:"stage"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Username string `json:"username"`
	At       string `json:"at"`
}

func (s *Server) toDeclarationJSON(d fugong.Declaration, reviews []fugong.Review) declarationJSON {
	out := declarationJSON{ID: d.ID, EnterpriseID: d.EnterpriseID, Enterprise: d.Enterprise, PlannedOn: d.PlannedOn, Answers: map[string]bool{}, Note: d.Note,
		State: d.State, Declarer: d.Declarer, DeclaredAt: s.rfc3339(d.DeclaredAt), Version: d.Version}
	for k, v := range d.Answers {
		out.Answers[strconv.FormatInt(k, 10)] = v
	}
	for _, r := range reviews {
		out.Reviews = append(out.Reviews, reviewJSON{Stage: r.Stage, Decision: r.Decision, Reason: r.Reason, Username: r.Username, At: s.rfc3339(r.At)})
	}
	return out
}

// declarationInput is the body of a declaration.
type declarationInput struct {
	EnterpriseID int64           `json:"enterprise_id"`
	PlannedOn    string          `json:"planned_on"`
	Answers      map[string]bool `json:"answers"`
	Note         string          `json:"note"`
}

// reviewInput is a decision on a declaration at its current stage.
type reviewInput struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Version  int64  `json:"version"`
}

func (s *Server) listDeclarations(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.DeclarationFilter{State: q.Get("state"), Limit: limit, Offset: offset}
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise_id"), 10, 64)
	items, total, err := s.DB.FindDeclarations(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total, func(d fugong.Declaration) declarationJSON { return s.toDeclarationJSON(d, nil) })
}

func (s *Server) writeDeclaration(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	sc := auth.ScopeFrom(r.Context())
	d, err := s.DB.FindDeclaration(r.Context(), sc, id)
	if err != nil {
		return err
	}
	reviews, err := s.DB.FindReviews(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, status, s.toDeclarationJSON(d, reviews))
}

func (s *Server) getDeclaration(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeDeclaration(w, r, http.StatusOK, id)
}

func (s *Server) createDeclaration(w http.ResponseWriter, r *http.Request) error {
	var in declarationInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d := fugong.Declaration{EnterpriseID: in.EnterpriseID, PlannedOn: in.PlannedOn, Note: in.Note, Answers: map[int64]bool{}}
	for k, v := range in.Answers {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"answers": fugong.M("error.json_type", k)})
		}
		d.Answers[id] = v
	}
	if err := s.DB.CreateDeclaration(r.Context(), auth.ScopeFrom(r.Context()), &d); err != nil {
		return err
	}
	return s.writeDeclaration(w, r, http.StatusCreated, d.ID)
}

func (s *Server) reviewDeclaration(w http.ResponseWriter, r *http.Request) error {
	var in reviewInput
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	rv := fugong.Review{Decision: in.Decision, Reason: in.Reason}
	if _, err := s.DB.ReviewDeclaration(r.Context(), auth.ScopeFrom(r.Context()), id, in.Version, &rv); err != nil {
		return err
	}
	return s.writeDeclaration(w, r, http.StatusCreated, id)
}

// dailyReportJSON is an enterprise's report for one day.
type dailyReportJSON struct {
	ID              int64  `json:"id"`
	EnterpriseID    int64  `json:"enterprise_id"`
	Enterprise      string `json:"enterprise,omitempty"`
	Day             string `json:"day"`
	OnDuty          int    `json:"on_duty"`
	Capacity        int    `json:"capacity"`
	MaskStock       int    `json:"mask_stock"`
	MasksUsed       int    `json:"masks_used"`
	ReturnedOutside int    `json:"returned_outside"`
	ReportedAt      string `json:"reported_at,omitempty"`
	Version         int64  `json:"version,omitempty"`
}

func (s *Server) listDailyReports(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.DailyReportFilter{Day: q.Get("day"), Limit: limit, Offset: offset}
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise_id"), 10, 64)
	items, total, err := s.DB.FindDailyReports(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toDailyReportJSON)
}

func (s *Server) toDailyReportJSON(d fugong.DailyReport) dailyReportJSON {
	return dailyReportJSON{ID: d.ID, EnterpriseID: d.EnterpriseID, Enterprise: d.Enterprise, Day: d.Day, OnDuty: d.OnDuty, Capacity: d.Capacity, MaskStock: d.MaskStock,
		MasksUsed: d.MasksUsed, ReturnedOutside: d.ReturnedOutside, ReportedAt: s.rfc3339(d.ReportedAt), Version: d.Version}
}

// saveDailyReport answers 201 for the day's first report and 200 when it edits it.
func (s *Server) saveDailyReport(w http.ResponseWriter, r *http.Request) error {
	var in dailyReportJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	in.Day = s.orToday(in.Day)
	d := fugong.DailyReport{EnterpriseID: in.EnterpriseID, Day: in.Day, OnDuty: in.OnDuty, Capacity: in.Capacity, MaskStock: in.MaskStock, MasksUsed: in.MasksUsed,
		ReturnedOutside: in.ReturnedOutside}
	if err := s.DB.SaveDailyReport(r.Context(), auth.ScopeFrom(r.Context()), &d); err != nil {
		return err
	}
	status := http.StatusCreated
	if d.Version > 1 {
		status = http.StatusOK
	}
	return writeJSON(w, status, s.toDailyReportJSON(d))
}

// countJSON is one group of the resumption statistics.
type countJSON struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"`
	ratesJSON
}

// ratesJSON is the resumption and attendance of a group or a day; rates are percentages
// to one decimal, null when nothing was due (no enterprise, no payroll).
type ratesJSON struct {
	Total          int      `json:"total"`
	Resumed        int      `json:"resumed"`
	Rate           *float64 `json:"rate"`
	OnDuty         int      `json:"on_duty"`
	Payroll        int      `json:"payroll"`
	AttendanceRate *float64 `json:"attendance_rate"`
}

func rates(total, resumed, onDuty, payroll int) ratesJSON {
	return ratesJSON{Total: total, Resumed: resumed, Rate: percentOf(resumed, total), OnDuty: onDuty, Payroll: payroll, AttendanceRate: percentOf(onDuty, payroll)}
}

// statsJSON answers GET /api/v1/stats/resumption.
type statsJSON struct {
	Date           string      `json:"date"`
	Total          int         `json:"total"`
	Resumed        int         `json:"resumed"`
	Rate           *float64    `json:"rate"`
	AttendanceRate *float64    `json:"attendance_rate"`
	ByTownship     []countJSON `json:"by_township"`
	ByFocusArea    []countJSON `json:"by_focus_area"`
	ByAboveScale   []countJSON `json:"by_above_scale"`
	Workshops      countJSON   `json:"workshops"`
}

func toCountJSON(c fugong.ResumptionCount, names map[string]string) countJSON {
	return countJSON{Key: c.Key, Name: names[c.Key], ratesJSON: rates(c.Total, c.Resumed, c.OnDuty, c.Payroll)}
}

func (s *Server) resumptionStats(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	day := r.URL.Query().Get("date")
	if day == "" {
		day = fugong.Day(s.Clock.Now(), s.Loc)
	} else if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"date": fugong.M("field.date")})
	}
	st, err := s.figures(r).ResumptionStats(r.Context(), sc, day)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	out := statsJSON{Date: day, Total: st.All.Total, Resumed: st.All.Resumed, Rate: percentOf(st.All.Resumed, st.All.Total), AttendanceRate: percentOf(st.All.OnDuty, st.All.Payroll),
		Workshops: toCountJSON(st.Workshops, nil), ByTownship: []countJSON{}, ByFocusArea: []countJSON{}, ByAboveScale: []countJSON{}}
	for _, c := range st.ByTownship {
		out.ByTownship = append(out.ByTownship, toCountJSON(c, names))
	}
	for _, c := range st.ByFocusArea {
		out.ByFocusArea = append(out.ByFocusArea, toCountJSON(c, nil))
	}
	for _, c := range st.ByAboveScale {
		out.ByAboveScale = append(out.ByAboveScale, toCountJSON(c, nil))
	}
	return writeJSON(w, http.StatusOK, out)
}

// percentOf is num ÷ den in percent to one decimal, or nil (JSON null) when nothing was
// due: a rate of nothing is neither 0 % nor 100 %.
func percentOf(num, den int) *float64 {
	if den <= 0 {
		return nil
	}
	v := fugong.Percent(num, den)
	return &v
}
