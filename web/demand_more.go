package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/store"
	"fugong/xlsx"

	qrcode "github.com/skip2/go-qrcode"
)

type demandQueueData struct {
	Items       []demandRow
	Actions     []fugong.DemandAction
	Departments []fugong.OrgUnit
	CanCoord    bool
}

// demandQueue is the command's queue: every open demand, the late ones first, with the
// form that coordinates several into one action.
func (s *Server) demandQueue(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	ds := s.demands()
	items, _, err := ds.List(r.Context(), sc, fugong.DemandFilter{Open: true, Category: r.URL.Query().Get("category"), Limit: 500})
	if err != nil {
		return err
	}
	sort.SliceStable(items, func(i, j int) bool {
		li := items[i].ResponseLate || items[i].SameDayLate || items[i].SolutionLate
		lj := items[j].ResponseLate || items[j].SameDayLate || items[j].SolutionLate
		if li != lj {
			return li
		}
		return items[i].SameDayDue.Before(items[j].SameDayDue)
	})
	actions, err := ds.FindActions(r.Context(), sc)
	if err != nil {
		return err
	}
	units, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	var depts []fugong.OrgUnit
	for _, u := range units {
		if u.Kind == fugong.OrgDepartment && !u.Retired {
			depts = append(depts, u)
		}
	}
	p := s.newPage(r, "demand.queue")
	p.Data = demandQueueData{Items: s.rows(items), Actions: actions, Departments: depts, CanCoord: sc.Can(fugong.PermDemandCoordinate)}
	return s.render(w, r, "demand/queue", p)
}

func (s *Server) demandCoordinate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fugong.Invalid(map[string]fugong.Msg{"form": fugong.M("error.bad_request")})
	}
	x := fugong.DemandAction{Title: r.PostForm.Get("title"), Note: r.PostForm.Get("note")}
	x.OwnerOrgID, _ = strconv.ParseInt(r.PostForm.Get("owner_org_id"), 10, 64)
	var ids []int64
	for _, v := range r.PostForm["demand"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, n)
		}
	}
	if err := s.demands().Coordinate(r.Context(), auth.ScopeFrom(r.Context()), &x, ids); err != nil {
		return err
	}
	return redirect(w, r, "/demand-actions/"+strconv.FormatInt(x.ID, 10), "demand.coordinated_ok")
}

type actionShowData struct {
	X        fugong.DemandAction
	Items    []demandRow
	CanSolve bool
}

func (s *Server) actionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	x, err := s.demands().FindAction(r.Context(), sc, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "demand.action")
	p.Title = x.Title
	p.Data = actionShowData{X: x, Items: s.rows(x.Demands), CanSolve: x.State == "open" && sc.Can(fugong.PermDemandActionSolve)}
	return s.render(w, r, "demand/action", p)
}

func (s *Server) actionSolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.demands().SolveAction(r.Context(), auth.ScopeFrom(r.Context()), id, r.PostFormValue("note")); err != nil {
		return err
	}
	return redirect(w, r, "/demand-actions/"+strconv.FormatInt(id, 10), "demand.step_ok")
}

// minutesText writes a median in minutes, — for none.
func minutesText(p *Page, m int) string {
	if m < 0 {
		return "—"
	}
	return p.T("demand.minutes", m)
}

type statsRow struct {
	fugong.DemandFigures
	Response, SameDay, OnTime, Solution, Satisfaction, ResponseMedian, SolutionMedian string
}

type demandStatsData struct {
	By, From, To string
	Dims         []string
	All          statsRow
	Items        []statsRow
}

func (s *Server) demandStatsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	by := q.Get("by")
	if by == "" {
		by = "category"
	}
	p := s.newPage(r, "demand.stats")
	groups, all, err := store.NewDemands(s.readOnly(r, p), s.Loc, s.Cat).Stats(r.Context(), auth.ScopeFrom(r.Context()), by, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	pct := func(v float64, den int) string {
		if den == 0 {
			return "—"
		}
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	row := func(f fugong.DemandFigures) statsRow {
		if by == "category" && f.Key != "" {
			f.Label = p.T("dcat." + f.Key)
		}
		sat := "—"
		if f.Rated > 0 {
			sat = strconv.FormatFloat(f.Satisfaction(), 'f', 2, 64)
		}
		return statsRow{DemandFigures: f, Response: pct(f.ResponseRate(), f.Total), SameDay: pct(f.SameDayRate(), f.SameDayDue), OnTime: pct(f.OnTimeRate(), f.Solved),
			Solution: pct(f.SolutionRate(), f.Total), Satisfaction: sat, ResponseMedian: minutesText(p, f.ResponseMedian), SolutionMedian: minutesText(p, f.SolutionMedian)}
	}
	data := demandStatsData{By: by, From: q.Get("from"), To: q.Get("to"), Dims: fugong.DemandStatDims, All: row(all)}
	for _, g := range groups {
		data.Items = append(data.Items, row(g))
	}
	p.Data = data
	return s.render(w, r, "demand/stats", p)
}

// The columns of a demand ledger collected in a WeChat group.
const (
	colUSCC        = "统一社会信用代码"
	colEnterprise  = "企业名称"
	colCategory    = "诉求类别"
	colDescription = "诉求内容"
	colQuantity    = "数量"
	colDetail      = "明细"
	colUrgency     = "紧急程度"
)

type importRow struct {
	Line                                      int
	Enterprise, Category, Description, Detail string
	Quantity                                  int64
	EnterpriseID                              int64
	Urgency                                   string
}

type demandImportData struct {
	Rows    []importRow
	Token   string // the checked rows, staged sealed on the server for the commit
	Columns []string
}

func (s *Server) demandImportForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "demand.import")
	p.Data = demandImportData{Columns: []string{colUSCC, colEnterprise, colCategory, colDescription, colQuantity, colDetail, colUrgency}}
	return s.render(w, r, "demand/import", p)
}

var urgencyWords = map[string]string{"": fugong.UrgencyNormal, "一般": fugong.UrgencyNormal, "紧急": fugong.UrgencyUrgent, "特急": fugong.UrgencyCritical}

// parseImport validates every row of a ledger into demands, naming each bad cell as
// "第 N 行 · 列名".
func (s *Server) parseImport(r *http.Request, rows []importRow) ([]*fugong.Demand, []store.RowError, error) {
	sc := auth.ScopeFrom(r.Context())
	ents, _, err := s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Limit: 1000})
	if err != nil {
		return nil, nil, err
	}
	byName, byUSCC := map[string]int64{}, map[string]int64{}
	for _, e := range ents {
		byName[e.Name], byUSCC[e.USCC] = e.ID, e.ID
	}
	ds := s.demands()
	pol, err := ds.Policy(r.Context(), sc.County)
	if err != nil {
		return nil, nil, err
	}
	var out []*fugong.Demand
	var errs []store.RowError
	bad := func(line int, col string, m fugong.Msg) {
		errs = append(errs, store.RowError{Line: line, Column: col, Msg: m})
	}
	for i := range rows {
		row := &rows[i]
		id := byUSCC[fugong.NormalizeUSCC(row.Enterprise)]
		if id == 0 {
			id = byName[row.Enterprise]
		}
		if id == 0 {
			bad(row.Line, colEnterprise, fugong.M("demand.enterprise_unknown"))
			continue
		}
		row.EnterpriseID = id
		d := &fugong.Demand{EnterpriseID: id, Category: row.Category, Description: row.Description, Quantity: row.Quantity, Channel: fugong.ChannelImport,
			Urgency: urgencyWords[row.Urgency], Fields: map[string]string{}}
		if d.Urgency == "" {
			d.Urgency = row.Urgency
		}
		if c, ok := fugong.FindCategory(row.Category); ok && len(c.Fields) > 0 {
			d.Fields[c.Fields[0].Name] = row.Detail
		}
		if err := ds.Prepare(r.Context(), sc, d, pol); err != nil {
			e := fugong.AsError(err)
			if e.Code != fugong.EINVALID {
				return nil, nil, err
			}
			cols := map[string]string{"category": colCategory, "description": colDescription, "quantity": colQuantity, "urgency": colUrgency, "enterprise_id": colEnterprise}
			keys := make([]string, 0, len(e.Fields))
			for k := range e.Fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				col := cols[k]
				if col == "" {
					col = colDetail
				}
				bad(row.Line, col, e.Fields[k])
			}
			continue
		}
		out = append(out, d)
	}
	return out, errs, nil
}

// DemandImportRows bounds a demands ledger: what a WeChat group collects in a day, with
// room to spare; the commit raises them all in one transaction.
const DemandImportRows = 5_000

// demandImportPreview reads the uploaded ledger and shows what would be raised, or every
// bad cell; nothing is saved yet.
func (s *Server) demandImportPreview(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	p := s.newPage(r, "demand.import")
	data := demandImportData{Columns: []string{colUSCC, colEnterprise, colCategory, colDescription, colQuantity, colDetail, colUrgency}}
	file, hdr, err := formFile(r, 16<<20)
	if err != nil {
		return err
	}
	defer file.Close()
	sheet, err := xlsx.Read(hdr.Filename, file, xlsx.Limits{Rows: DemandImportRows})
	if err != nil {
		return xlsx.FileError(err, "demand.import_unreadable")
	}
	if miss := sheet.Missing(colCategory, colDescription); len(miss) > 0 {
		return fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("demand.import_columns", strings.Join(miss, "、"))})
	}
	var rows []importRow
	var errs []store.RowError
	for _, x := range sheet.Rows {
		row := importRow{Line: x.Line, Category: x.Get(colCategory), Description: x.Get(colDescription), Detail: x.Get(colDetail), Urgency: x.Get(colUrgency)}
		uscc, ok := xlsx.Code(x.Get(colUSCC))
		if !ok {
			errs = append(errs, store.RowError{Line: x.Line, Column: colUSCC, Msg: fugong.M("sheet.code_lost", uscc)})
		}
		row.Enterprise = uscc
		if row.Enterprise == "" {
			row.Enterprise = x.Get(colEnterprise)
		}
		if v := x.Get(colQuantity); v != "" {
			n, err := strconv.ParseInt(xlsx.Decimal(v, 0), 10, 64)
			if err != nil {
				errs = append(errs, store.RowError{Line: x.Line, Column: colQuantity, Msg: fugong.M("field.number")})
			}
			row.Quantity = n
		}
		rows = append(rows, row)
	}
	_, more, err := s.parseImport(r, rows)
	if err != nil {
		return err
	}
	errs = append(errs, more...)
	data.Rows = rows
	if len(errs) > 0 {
		p.Message, p.Errors = p.T("demand.import_bad", len(errs)), s.cellErrors(p, errs)
		p.Data = data
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "demand/import", p)
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	up := store.LedgerUpload{Kind: demandUpload, Filename: hdr.Filename, Body: b}
	if err := s.DB.SaveUpload(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &up); err != nil {
		return err
	}
	data.Token = up.Token
	p.Data = data
	return s.render(w, r, "demand/import", p)
}

// demandUpload is the kind of a staged demands import: its checked rows as JSON.
const demandUpload = "demands"

// demandImportCommit raises every previewed row in one transaction, or none.
func (s *Server) demandImportCommit(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "demand.import")
	up, err := s.findUpload(r, r.PathValue("token"), func(kind string) bool { return kind == demandUpload })
	if err != nil {
		return err
	}
	var rows []importRow
	if err := json.Unmarshal(up.Body, &rows); err != nil || len(rows) == 0 || len(rows) > DemandImportRows {
		return fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("demand.import_unreadable")})
	}
	ds, errs, err := s.parseImport(r, rows)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p.Message, p.Errors = p.T("demand.import_bad", len(errs)), s.cellErrors(p, errs)
		p.Data = demandImportData{Rows: rows}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "demand/import", p)
	}
	dm := s.demands()
	pol, err := dm.Policy(r.Context(), auth.ScopeFrom(r.Context()).County)
	if err != nil {
		return err
	}
	if err := dm.CreateMany(r.Context(), ds, pol); err != nil {
		return err
	}
	if err := s.DB.DeleteUpload(r.Context(), auth.ScopeFrom(r.Context()), up.Token); err != nil {
		return err
	}
	return redirect(w, r, "/demands", "demand.imported_ok")
}

type inboxData struct {
	Items  []noticeRow
	Links  []string
	Unread int
	Pager  Pager
}

// inbox is the in-app notification centre.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	offset := intQuery(r, "offset", 0)
	items, total, unread, err := s.DB.FindInbox(r.Context(), sc, 50, offset)
	if err != nil {
		return err
	}
	p := s.newPage(r, "notification.title")
	data := inboxData{Unread: unread, Pager: newPager(r, p, total, 50, offset)}
	for _, n := range items {
		// A subject stored as a catalogue key (a declaration's review) is said in words.
		data.Items = append(data.Items, noticeRow{At: s.clock(n.CreatedAt), Body: n.Body, To: s.label(p, n.Subject, n.Subject), Delivered: !n.ReadAt.IsZero()})
		link := ""
		switch n.Entity {
		case "demands", "declarations":
			link = "/" + n.Entity + "/" + n.EntityID
		case "health_alerts": // a health notice says no reading: its link shows it in scope
			link = "/health/alerts/" + n.EntityID
		case "checkpoint_entries":
			link = "/checkpoints/entries/" + n.EntityID
		case "screenings":
			link = "/screenings"
		}
		data.Links = append(data.Links, link)
	}
	p.Data = data
	return s.render(w, r, "notification/inbox", p)
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	if err := s.DB.MarkInboxRead(r.Context(), auth.ScopeFrom(r.Context())); err != nil {
		return err
	}
	return redirect(w, r, "/notifications", "")
}

type qrData struct {
	E fugong.Enterprise
	// Link is what the code carries; "" when no public base URL is configured.
	Link string
	// Title and Hint are the poster's words in the county's language, whoever prints it.
	Title, Hint string
}

// enterpriseQR is the poster to print and put up in the enterprise: scan, log in, raise.
func (s *Server) enterpriseQR(w http.ResponseWriter, r *http.Request) error {
	e, err := findByID(r, s.DB.FindEnterprise)
	if err != nil {
		return err
	}
	p := s.newPage(r, "demand.qr_title")
	p.Data = qrData{E: e, Link: s.publicLink("/e/" + strconv.FormatInt(e.ID, 10)),
		Title: s.Cat.T(i18n.Chinese, "demand.qr_title"), Hint: s.Cat.T(i18n.Chinese, "demand.qr_hint")}
	return s.render(w, r, "demand/qr", p)
}

func (s *Server) enterpriseQRPNG(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.DB.FindEnterprise(r.Context(), auth.ScopeFrom(r.Context()), id); err != nil {
		return err
	}
	return s.writeQR(w, "/e/"+strconv.FormatInt(id, 10), "private")
}

// publicLink is the absolute address of path under the configured public base URL
// (--public-url), for a printed QR code: never built from the request's Host header,
// which any client can set, so a poster cannot be made to send people elsewhere. It is
// "" when no base URL is configured.
func (s *Server) publicLink(path string) string {
	if s.PublicURL == "" {
		return ""
	}
	return s.PublicURL + path
}

// writeQR answers a PNG QR code of path's public address (cached as cache says:
// "public" or "private"), or a conflict when no public base URL is configured.
func (s *Server) writeQR(w http.ResponseWriter, path, cache string) error {
	link := s.publicLink(path)
	if link == "" {
		return fugong.Conflict("qr.no_public_url")
	}
	png, err := qrcode.Encode(link, qrcode.Medium, 320)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", cache+", max-age="+strconv.Itoa(int(time.Hour.Seconds())))
	_, err = w.Write(png)
	return err
}
