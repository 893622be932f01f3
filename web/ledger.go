package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/server"
	"fugong/store"
	"fugong/xlsx"
)

// Ledgers (台账): enterprises, key projects and links, exported as the caller sees them
// and imported after a preview, all rows or none. The column headers are the offices' own
// (catalogue keys ledger.col.*, always in Chinese) and the same both ways.
var ledgerColumns = map[string][]string{
	"enterprises": {"name", "uscc", "township", "village", "address", "industry", "focus_area", "above_scale", "park_tenant", "monthly_rent", "payroll",
		"contact_name", "contact_phone", "workshop", "status", "resumed_on"},
	"projects": {"project_name", "township", "investment", "stage", "progress"},
	"links":    {"kind", "username", "display_name", "uscc", "enterprise_name", "project_name", "from_date", "to_date"},
}

// ledgerRequired are the columns an import cannot do without.
var ledgerRequired = map[string][]string{
	"enterprises": {"name", "uscc", "township"},
	"projects":    {"project_name", "township"},
	"links":       {"kind", "username", "from_date"},
}

// col is a column's header.
func (s *Server) col(field string) string { return s.Cat.T(i18n.Chinese, "ledger.col."+field) }

func (s *Server) headers(kind string) []string {
	var out []string
	for _, f := range ledgerColumns[kind] {
		out = append(out, s.col(f))
	}
	return out
}

func (s *Server) columnMap(kind string) map[string]string {
	m := map[string]string{}
	for _, f := range ledgerColumns[kind] {
		m[f] = s.col(f)
	}
	m["user"], m["enterprise"], m["project"], m["target"] = s.col("username"), s.col("uscc"), s.col("project_name"), s.col("uscc")
	m["monthly_rent"] = s.col("monthly_rent")
	return m
}

// ledgerRows reads the export's rows for a kind in the caller's scope with the request's filters.
func (s *Server) ledgerRows(r *http.Request, db *store.DB, kind string) ([][]any, error) {
	ctx, sc := r.Context(), auth.ScopeFrom(r.Context())
	names, err := db.RegionNames(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	yes := func(b bool) string {
		if b {
			return s.Cat.T(i18n.Chinese, "yes")
		}
		return s.Cat.T(i18n.Chinese, "no")
	}
	var out [][]any
	switch kind {
	case "enterprises":
		q := r.URL.Query()
		f := fugong.EnterpriseFilter{Query: q.Get("q"), Township: q.Get("township"), FocusArea: q.Get("focus_area"), Status: q.Get("status"), Limit: 1000}
		for {
			items, total, err := db.FindEnterprises(ctx, sc, f)
			if err != nil {
				return nil, err
			}
			for _, e := range items {
				var rent any
				if e.MonthlyRent != 0 {
					rent = xlsx.Money(e.MonthlyRent)
				}
				out = append(out, []any{e.Name, xlsx.Text(e.USCC), names[e.Township], names[e.Village], e.Address, e.Industry, e.FocusArea, yes(e.AboveScale), yes(e.ParkTenant),
					rent, e.Payroll, e.ContactName, xlsx.Text(fugong.MaskPhone(e.ContactPhone)), yes(e.Workshop), e.Status, xlsx.Date(e.ResumedOn)})
			}
			f.Offset += len(items)
			if len(items) == 0 || f.Offset >= total {
				return out, nil
			}
		}
	case "projects":
		f := projectFilter(r)
		f.Limit, f.Offset = 1000, 0
		for {
			items, total, err := db.FindKeyProjects(ctx, sc, f)
			if err != nil {
				return nil, err
			}
			for _, p := range items {
				out = append(out, []any{p.Name, names[p.Township], p.Investment, p.Stage, p.Progress})
			}
			f.Offset += len(items)
			if len(items) == 0 || f.Offset >= total {
				return out, nil
			}
		}
	case "links":
		f := linkFilter(r)
		f.Limit, f.Offset = 1000, 0
		for {
			items, total, err := db.FindLinks(ctx, sc, f)
			if err != nil {
				return nil, err
			}
			for _, l := range items {
				var uscc, ent, proj string
				if l.EnterpriseID != 0 {
					ent = l.Target
					uscc, _ = db.EnterpriseUSCC(ctx, l.EnterpriseID)
				} else {
					proj = l.Target
				}
				out = append(out, []any{s.Cat.T(i18n.Chinese, "link.kind."+l.Kind), l.Username, l.DisplayName, xlsx.Text(uscc), ent, proj, xlsx.Date(l.FromDate), xlsx.Date(l.ToDate)})
			}
			f.Offset += len(items)
			if len(items) == 0 || f.Offset >= total {
				return out, nil
			}
		}
	}
	return nil, fugong.NotFound()
}

// ledgerExport answers the ledger as .xlsx (streamed) or, with format=csv, as CSV.
func (s *Server) ledgerExport(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if _, ok := ledgerColumns[kind]; !ok {
		return fugong.NotFound()
	}
	// An export reads the replica when there is one; its headers say how far behind.
	rows, err := s.ledgerRows(r, server.ReadReplica(w, r, s.DB, s.Log), kind)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s", kind, fugong.Day(s.Clock.Now(), s.Loc))
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		return xlsx.WriteCSV(w, s.headers(kind), rows)
	}
	xw, err := xlsx.NewWriter(s.Cat.T(i18n.Chinese, "ledger.sheet."+kind), s.headers(kind))
	if err != nil {
		return err
	}
	for _, row := range rows {
		if err := xw.Add(row...); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	return xw.Finish(w)
}

type ledgerData struct {
	Kinds   []string
	Kind    string
	Preview [][]string
	Headers []string
	Upload  string // the staged upload's token
	Count   int
}

func (s *Server) ledgerIndex(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "nav.ledgers")
	p.Data = ledgerData{Kinds: []string{"enterprises", "projects", "links"}}
	return s.render(w, r, "ledger/index", p)
}

// parsed is a ledger read and checked: the rows ready to write, or what is wrong.
type parsed struct {
	enterprises []store.ImportRow[fugong.Enterprise]
	projects    []store.ImportRow[fugong.KeyProject]
	links       []store.ImportRow[fugong.Link]
	bad         []store.RowError
	preview     [][]string
}

func (s *Server) parseLedger(ctx context.Context, sc fugong.Scope, kind, filename string, body []byte) (*parsed, error) {
	out := &parsed{}
	sheet, err := xlsx.Read(filename, bytes.NewReader(body), xlsx.Limits{})
	if err != nil {
		return nil, xlsx.FileError(err, "ledger.unreadable")
	}
	var missing []string
	for _, f := range ledgerRequired[kind] {
		missing = append(missing, s.col(f))
	}
	if m := sheet.Missing(missing...); len(m) > 0 {
		return nil, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("ledger.missing_columns", strings.Join(m, "、"))})
	}
	towns := map[string]string{}
	names, err := s.DB.RegionNames(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	for code, n := range names {
		towns[n], towns[code] = code, code
	}
	cols := s.columnMap(kind)
	seen := map[string]int{}
	for _, row := range sheet.Rows {
		get := func(f string) string { return row.Get(s.col(f)) }
		bad := func(f string, m fugong.Msg) {
			c := cols[f]
			if c == "" {
				c = f
			}
			out.bad = append(out.bad, store.RowError{Line: row.Line, Column: c, Msg: m})
		}
		fe := fugong.FieldErrors{}
		boolOf := func(f string) bool {
			switch strings.ToLower(get(f)) {
			case "", "否", "no", "n", "0", "false":
				return false
			case "是", "yes", "y", "1", "true":
				return true
			}
			fe.Add(f, "ledger.bool")
			return false
		}
		intOf := func(f string) int {
			v := xlsx.Decimal(strings.ReplaceAll(get(f), ",", ""), 0)
			if v == "" {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				fe.Add(f, "field.number")
			}
			return n
		}
		dateOf := func(f string) string {
			v := get(f)
			if v == "" {
				return ""
			}
			day, ok := row.Day(s.col(f))
			if !ok {
				fe.Add(f, "sheet.date")
			}
			return day
		}
		// code reads a credit code or phone, which a sheet may hold as a number.
		code := func(f string) string {
			v, ok := xlsx.Code(get(f))
			if !ok {
				fe.Add(f, "sheet.code_lost", v)
			}
			return v
		}
		township := func() string {
			c, ok := towns[get("township")]
			if !ok && get("township") != "" {
				fe.Add("township", "ledger.unknown_township", get("township"))
			}
			return c
		}
		switch kind {
		case "enterprises":
			e := fugong.Enterprise{Name: get("name"), USCC: code("uscc"), Township: township(), Address: get("address"), Industry: get("industry"),
				FocusArea: get("focus_area"), AboveScale: boolOf("above_scale"), ParkTenant: boolOf("park_tenant"), Payroll: intOf("payroll"),
				ContactName: get("contact_name"), ContactPhone: code("contact_phone"), Workshop: boolOf("workshop"), Status: get("status"), ResumedOn: dateOf("resumed_on")}
			if v := get("village"); v != "" {
				e.Village = towns[v]
			}
			if strings.Contains(e.ContactPhone, "*") {
				e.ContactPhone = "" // a masked export keeps the registered number
			}
			if v := get("monthly_rent"); v != "" {
				fen, ok := parseYuan(xlsx.Decimal(v, 2))
				if !ok {
					fe.Add("monthly_rent", "field.money")
				}
				e.MonthlyRent = fen
			}
			status := e.Status
			if err := e.Validate(); err != nil {
				for f, m := range fugong.AsError(err).Fields {
					fe.Add(f, m.Key, m.Args...)
				}
			}
			e.Status = status
			// 已复工 needs its date here; its approved declaration is checked on commit.
			if err := e.CheckResumption(s.DB.Today(), true); err != nil {
				for f, m := range fugong.AsError(err).Fields {
					fe.Add(f, m.Key, m.Args...)
				}
			}
			if first, dup := seen[e.USCC]; dup && e.USCC != "" {
				fe.Add("uscc", "ledger.duplicate_row", first)
			}
			seen[e.USCC] = row.Line
			out.enterprises = append(out.enterprises, store.ImportRow[fugong.Enterprise]{Line: row.Line, V: e, Columns: cols})
			out.preview = append(out.preview, []string{strconv.Itoa(row.Line), e.Name, e.USCC, names[e.Township]})
		case "projects":
			p := fugong.KeyProject{Name: get("project_name"), Township: township(), Investment: int64(intOf("investment")), Stage: get("stage"), Progress: intOf("progress")}
			if err := p.Validate(); err != nil {
				for f, m := range fugong.AsError(err).Fields {
					if f == "name" {
						f = "project_name"
					}
					fe.Add(f, m.Key, m.Args...)
				}
			}
			out.projects = append(out.projects, store.ImportRow[fugong.KeyProject]{Line: row.Line, V: p, Columns: cols})
			out.preview = append(out.preview, []string{strconv.Itoa(row.Line), p.Name, names[p.Township], strconv.Itoa(p.Progress) + "%"})
		case "links":
			l := fugong.Link{FromDate: dateOf("from_date"), ToDate: dateOf("to_date")}
			switch get("kind") {
			case s.Cat.T(i18n.Chinese, "link.kind.leader"), fugong.LinkLeader:
				l.Kind = fugong.LinkLeader
			case s.Cat.T(i18n.Chinese, "link.kind.liaison"), fugong.LinkLiaison:
				l.Kind = fugong.LinkLiaison
			default:
				fe.Add("kind", "link.kind")
			}
			if err := s.resolveLink(ctx, sc, &l, get("username"), code("uscc")); err != nil {
				for f, m := range fugong.AsError(err).Fields {
					fe.Add(f, m.Key, m.Args...)
				}
			}
			if pn := get("project_name"); pn != "" {
				id, err := s.DB.FindKeyProjectIDByName(ctx, sc, pn)
				if err != nil {
					fe.Add("project", "link.no_project")
				}
				l.ProjectID = id
			}
			if len(fe) == 0 {
				if err := l.Validate(); err != nil {
					for f, m := range fugong.AsError(err).Fields {
						fe.Add(f, m.Key, m.Args...)
					}
				}
			}
			out.links = append(out.links, store.ImportRow[fugong.Link]{Line: row.Line, V: l, Columns: cols})
			out.preview = append(out.preview, []string{strconv.Itoa(row.Line), get("kind"), get("username"), get("enterprise_name") + get("project_name")})
		}
		for f, m := range fe {
			bad(f, m)
		}
	}
	if len(sheet.Rows) == 0 {
		return nil, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("ledger.empty")})
	}
	return out, nil
}

// formFile opens the file of an upload form's "file" field, of at most limit bytes;
// without one, the field is required. The form is read before the handler runs (the CSRF
// check), so the limit is the file's own size, not the body's.
func formFile(r *http.Request, limit int64) (multipart.File, *multipart.FileHeader, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, nil, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("field.required")})
	}
	if hdr.Size > limit {
		file.Close()
		return nil, nil, fugong.Errorf(fugong.EINVALID, "error.too_large")
	}
	return file, hdr, nil
}

// dropForm removes the files a multipart form spilled to the temporary folder (an upload
// over 32 MiB). net/http removes them only for the request it made, and the handlers see
// a copy (with the caller in its context), so without this every large upload — a workers
// ledger, ID numbers in clear — stayed there.
func dropForm(r *http.Request) {
	if r.MultipartForm != nil {
		r.MultipartForm.RemoveAll()
	}
}

// readUpload reads the spreadsheet of an upload form (field "file", at most 32 MiB), for
// a preview before it is committed.
func readUpload(w http.ResponseWriter, r *http.Request) (filename string, body []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	file, hdr, err := formFile(r, 32<<20)
	if err != nil {
		return "", nil, err
	}
	defer file.Close()
	body, err = io.ReadAll(file)
	if err != nil {
		return "", nil, fugong.Errorf(fugong.EINVALID, "error.too_large")
	}
	return hdr.Filename, body, nil
}

// findUpload opens the caller's staged upload of the given token, of a kind that ok
// accepts; any other — expired, imported, someone else's, a token changed — is not found,
// and the page says so in words (uploadExpired).
func (s *Server) findUpload(r *http.Request, token string, ok func(kind string) bool) (store.LedgerUpload, error) {
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
		return store.LedgerUpload{}, uploadExpired()
	}
	up, err := s.DB.FindUpload(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, token)
	if err == nil && !ok(up.Kind) {
		err = fugong.NotFound()
	}
	if fugong.ErrorCode(err) == fugong.ENOTFOUND {
		err = uploadExpired()
	}
	return up, err
}

// ledgerUpload reads an upload and shows its preview: every bad cell (nothing is kept),
// or the rows and a button to commit them.
func (s *Server) ledgerUpload(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if _, ok := ledgerColumns[kind]; !ok {
		return fugong.NotFound()
	}
	sc := auth.ScopeFrom(r.Context())
	filename, body, err := readUpload(w, r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.ledgers")
	d := ledgerData{Kinds: []string{"enterprises", "projects", "links"}, Kind: kind}
	res, err := s.parseLedger(r.Context(), sc, kind, filename, body)
	if err != nil {
		return err
	}
	if len(res.bad) > 0 {
		p.Message = p.T("ledger.bad_rows", len(res.bad))
		p.Errors = s.cellErrors(p, res.bad)
		p.Data = d
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "ledger/index", p)
	}
	up := store.LedgerUpload{Kind: kind, Filename: filename, Body: body}
	if err := s.DB.SaveUpload(r.Context(), sc, s.Keys, &up); err != nil {
		return err
	}
	d.Upload, d.Count, d.Preview = up.Token, len(res.preview), res.preview[:min(len(res.preview), 50)]
	p.Data = d
	return s.render(w, r, "ledger/index", p)
}

// ledgerCommit writes a previewed upload, all rows or none.
func (s *Server) ledgerCommit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	up, err := s.findUpload(r, r.PathValue("token"), func(kind string) bool { _, ok := ledgerColumns[kind]; return ok })
	if err != nil {
		return err
	}
	res, err := s.parseLedger(r.Context(), sc, up.Kind, up.Filename, up.Body)
	if err == nil && len(res.bad) > 0 {
		err = &store.ImportError{Rows: res.bad}
	}
	if err == nil {
		switch up.Kind {
		case "enterprises":
			_, _, err = s.DB.ImportEnterprises(r.Context(), sc, res.enterprises)
		case "projects":
			_, _, err = s.DB.ImportKeyProjects(r.Context(), sc, res.projects)
		case "links":
			_, err = s.DB.ImportLinks(r.Context(), sc, res.links)
		}
	}
	if ie, ok := err.(*store.ImportError); ok {
		p := s.newPage(r, "nav.ledgers")
		p.Message = p.T("ledger.bad_rows", len(ie.Rows))
		p.Errors = s.cellErrors(p, ie.Rows)
		p.Data = ledgerData{Kinds: []string{"enterprises", "projects", "links"}, Kind: up.Kind}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "ledger/index", p)
	}
	if err != nil {
		return err
	}
	if err := s.DB.DeleteUpload(r.Context(), sc, up.Token); err != nil {
		return err
	}
	return redirect(w, r, "/ledgers", "ledger.imported")
}
