// Package web serves fugong's pages: server-rendered HTML in the user's language,
// progressively enhanced with htmx, usable on a 375 px phone.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/secret"
	"fugong/server"
	"fugong/store"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Server holds the pages' dependencies.
type Server struct {
	DB    *store.DB
	Keys  *secret.Keys
	Auth  *auth.Auth
	Cat   *i18n.Catalog
	Log   *slog.Logger
	Loc   *time.Location
	Clock fugong.Clock
	// Health runs the workforce-health workflows (sealed personal data, alerts, supplies).
	Health *store.Health
	// Demo shows the demo-data banner.
	Demo bool
	// PublicURL is the base address people reach fugong at (https://fugong.example.gov.cn,
	// no trailing slash), for the links printed in QR codes; "" when not configured.
	PublicURL string
	// Policies is the policy workflow's rule engine, time zone and notification texts.
	Policies store.PolicyEnv
	// Demands raises the demand written on a liaison's visit; nil keeps it on the visit.
	Demands store.DemandRaiser
	// TestChannel sends a text to a group robot at once and answers the robot's reply,
	// for the channel page's "send a test message" button.
	TestChannel func(ctx context.Context, ch fugong.NotifyChannel, text string) (string, error)

	mux   *http.ServeMux
	pages map[string]*template.Template
	// Routes lists every page route, for the scope matrix test.
	Routes []Route
}

// Route is one registered page route.
type Route struct {
	Pattern string
	Roles   []fugong.Role // nil: any logged-in user; public routes are not listed
}

// New parses the templates and builds the site map.
func New(s *Server) (*Server, error) {
	if err := s.parse(); err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// parse builds one template set per page: the layout, the shared partials, and the page.
func (s *Server) parse() error {
	s.pages = map[string]*template.Template{}
	base := template.New("").Funcs(funcs)
	base, err := base.ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	return fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "templates/layout.html" || strings.HasPrefix(p, "templates/partials/") {
			return err
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(templateFiles, p); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		s.pages[strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")] = t
		return nil
	})
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"pct": func(num, den int) string {
		if den == 0 {
			return "—"
		}
		return strconv.FormatFloat(float64(num)*100/float64(den), 'f', 1, 64) + "%"
	},
	"yuan": fenYuan,
	"join": strings.Join,
	// celsius shows a temperature kept in tenths of a degree, with its unit: 37.3 °C;
	// temp is its older name.
	"celsius": celsius,
	"temp":    celsius,
	// kwh writes watt-hours as kWh.
	"kwh": func(wh int64) string { return strconv.FormatFloat(float64(wh)/1000, 'f', -1, 64) },
	// args passes several values to a partial template; list makes a slice of ints.
	"args": func(v ...any) []any { return v },
	"list": func(v ...int) []int { return v },
	// cover formats days of cover given in tenths (-1: no need).
	"cover": func(tenths int) string {
		if tenths < 0 {
			return "—"
		}
		return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	},
	// div100 turns fen into whole yuan for a form field.
	"div100": func(fen int64) int64 { return fen / 100 },
}

// fenYuan shows an amount kept in fen as yuan with two decimals: 1860000 → "18600.00".
func fenYuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, abs(fen%100)) }

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// handler is a page handler: it returns an error instead of writing one.
type handler func(w http.ResponseWriter, r *http.Request) error

// Any lets any logged-in role through.
var Any []fugong.Role

// maxBody bounds what a page's form may send: the largest upload, a workers ledger.
const maxBody = 512 << 20

// page registers a route that needs a login and one of roles (nil: any role). Unsafe
// methods must carry the session's CSRF token.
func (s *Server) page(pattern string, roles []fugong.Role, h handler) {
	s.Routes = append(s.Routes, Route{Pattern: pattern, Roles: roles})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		server.SetRoute(r.Context(), pattern)
		c, ok := auth.CallerFrom(r.Context())
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, fugong.Errorf(fugong.EUNAUTH, "error.unauthorized"))
			return
		}
		if roles != nil && !c.Scope.Is(roles...) {
			s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden"))
			return
		}
		if c.Scope.Role.ReadOnly() && r.Method != http.MethodGet && !ownAccount[pattern] {
			s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.read_only"))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// The CSRF check reads the whole form, before a handler can apply its own limit.
			if r.ContentLength > maxBody {
				s.fail(w, r, fugong.Errorf(fugong.EINVALID, "error.too_large"))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		defer dropForm(r)
		if !auth.CheckCSRF(r, c) {
			s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.csrf"))
			return
		}
		if c.MustEnrol && !enrolRoutes[pattern] {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
				return
			}
			s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "totp.enrol_first"))
			return
		}
		if c.User.MustChangePassword && !firstLoginRoutes[pattern] {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/password", http.StatusSeeOther)
				return
			}
			s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "account.must_change"))
			return
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// firstLoginRoutes are the pages an account with an initial password may open before it
// has changed it: the change itself, and logging out.
var firstLoginRoutes = map[string]bool{"GET /password": true, "POST /password": true, "POST /logout": true, "GET /static/": true}

// enrolRoutes are the pages an account that must enrol a second factor may open first.
var enrolRoutes = map[string]bool{"GET /account/totp": true, "POST /account/totp": true, "POST /logout": true, "GET /static/": true}

// ownAccount are the writes a read-only role may make: to its own session, password
// and inbox.
var ownAccount = map[string]bool{"POST /logout": true, "POST /password": true, "POST /notifications/read": true}

// public registers a route anyone may open.
func (s *Server) public(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		server.SetRoute(r.Context(), pattern)
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail renders an error page in the user's language; internal errors are logged, and the
// user sees a generic message, never err.Error().
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := fugong.AsError(s.DB.Classify(err))
	if e.Code == fugong.EUNAVAILABLE {
		s.Log.Error("page: disk full", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "60")
	}
	status := server.Status(e.Code)
	if status == http.StatusInternalServerError {
		s.Log.Error("page", "method", r.Method, "path", r.URL.Path, "err", err)
		e = fugong.Errorf(fugong.EINTERNAL, "error.internal")
	}
	p := s.newPage(r, "error.page_title")
	p.Status = status
	p.Message = s.Cat.Msg(p.Lang, e.Message)
	for _, m := range e.Fields {
		p.Errors = append(p.Errors, s.Cat.Msg(p.Lang, m))
	}
	s.renderStatus(w, r, status, "error", p)
}

// Page is what every template gets: the layout's needs and the page's own Data.
type Page struct {
	Lang    string
	Title   string
	Caller  *auth.Caller
	CSRF    string
	Nav     []NavItem
	Path    string
	Demo    bool
	Today   string
	Flash   string
	Status  int
	Message string
	Errors  []string
	// FieldErrors holds the message for each form field that failed.
	FieldErrors map[string]string
	Form        url.Values
	Data        any
	// Stale says how far behind the read replica a page of figures came from is (empty
	// when it read the primary).
	Stale string

	cat *i18n.Catalog
	loc *time.Location
	// fields are the invalid error's fields as the domain named them; shown, those a
	// template has drawn (Err, NamedErrors), so that render can name the others.
	fields map[string]fugong.Msg
	shown  map[string]bool
}

// Clock writes a time in the county's zone, as every page shows times.
func (p *Page) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.loc).Format("2006-01-02 15:04")
}

// NavItem is one entry of the role's menu.
type NavItem struct {
	Href, Label string
	Active      bool
	// Links are a group's entries; a group has no Href.
	Links []NavItem
}

// T translates a key in the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// Err returns the message of a field, or "".
func (p *Page) Err(field string) string {
	if _, ok := p.FieldErrors[field]; ok {
		p.shown[field] = true
	}
	return p.FieldErrors[field]
}

// NamedErrors lists every field error, each naming its field (or its ledger row and
// column) by its label, for a page that lists them rather than drawing each beside its
// control.
func (p *Page) NamedErrors() []string {
	for f := range p.fields {
		p.shown[f] = true
	}
	return p.cat.FieldLines(p.Lang, p.fields, p.label)
}

// label names a field for a person: by its catalogue label, an imported cell by its row
// and column; a field with no label is not named, its message alone being better than
// the form's internal name.
func (p *Page) label(field string) string {
	if l := p.cat.Label(p.Lang, field); l != field {
		return l
	}
	return ""
}

// unshown are the fields of the page's error that no control drew.
func (p *Page) unshown() map[string]fugong.Msg {
	out := map[string]fugong.Msg{}
	for f, m := range p.fields {
		if !p.shown[f] {
			out[f] = m
		}
	}
	return out
}

// Val returns a submitted form value, to refill a form after an error.
func (p *Page) Val(field string) string { return p.Form.Get(field) }

func (s *Server) newPage(r *http.Request, title string) *Page {
	p := &Page{Lang: i18n.Pick(r), Path: r.URL.Path, Demo: s.Demo, cat: s.Cat, loc: s.Loc, FieldErrors: map[string]string{}, Form: url.Values{}, shown: map[string]bool{}}
	p.Title = p.T(title)
	p.Today = fugong.Day(s.Clock.Now(), s.Loc)
	if c, ok := auth.CallerFrom(r.Context()); ok {
		p.Caller, p.CSRF = c, c.CSRF
		p.Nav = s.nav(p, c.Scope)
	}
	if f, err := r.Cookie("flash"); err == nil {
		p.Flash = p.T(f.Value)
	}
	return p
}

// invalid fills a page's field errors from a validation error, or returns the error
// when it is not one.
func (s *Server) invalid(p *Page, err error) error {
	e := fugong.AsError(err)
	if e.Code != fugong.EINVALID && e.Code != fugong.ECONFLICT {
		return err
	}
	p.Message = s.Cat.Msg(p.Lang, e.Message)
	p.fields = e.Fields
	for f, m := range e.Fields {
		p.FieldErrors[f] = s.Cat.Msg(p.Lang, m)
	}
	return nil
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *Page) error {
	status := http.StatusOK
	if p.Message != "" && len(p.FieldErrors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderStatus(w, r, status, name, p)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) error {
	return s.renderBlock(w, status, name, "layout", p)
}

// renderPart answers one block of a page's template alone: the piece of the page a
// script fetches and swaps in (the wall screen's rolling late demands).
func (s *Server) renderPart(w http.ResponseWriter, name, block string, p *Page) error {
	return s.renderBlock(w, http.StatusOK, name, block, p)
}

func (s *Server) renderBlock(w http.ResponseWriter, status int, name, block string, p *Page) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var b strings.Builder
	err := t.ExecuteTemplate(&b, block, p)
	// A field error that no control of the form drew (a field the form does not have,
	// a rule across fields) would leave the page saying only 「填写有误，请按提示修改。」:
	// the page is drawn again with it named in the alert's list.
	if unshown := p.unshown(); err == nil && block == "layout" && len(unshown) > 0 {
		p.Errors = append(p.Errors, s.Cat.FieldLines(p.Lang, unshown, p.label)...)
		b.Reset()
		err = t.ExecuteTemplate(&b, block, p)
	}
	if err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, s.Cat.T(p.Lang, "error.internal"), http.StatusInternalServerError)
		return nil
	}
	if p.Flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: "", Path: "/", MaxAge: -1})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write([]byte(b.String()))
	return err
}

func celsius(tenths int) string { return fugong.Temperature(tenths).Celsius() }

// redirect answers a POST with a redirect (POST-redirect-GET) and a flash message key.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: flash, Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// pathID reads a numeric path value, answering not_found when it is not one.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fugong.NotFound()
	}
	return id, nil
}

// findByID finds, in the caller's scope, the record whose id is in the path.
func findByID[T any](r *http.Request, find func(context.Context, fugong.Scope, int64) (T, error)) (T, error) {
	id, err := pathID(r, "id")
	if err != nil {
		var zero T
		return zero, err
	}
	return find(r.Context(), auth.ScopeFrom(r.Context()), id)
}

// intQuery reads a non-negative integer query value, or def.
func intQuery(r *http.Request, name string, def int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || v < 0 {
		return def
	}
	return v
}

// Pager is the state of a paged list, with its labels in the page's language.
type Pager struct {
	Total, Limit, Offset          int
	Prev, Next                    string
	TotalText, PrevText, NextText string
}

func newPager(r *http.Request, pg *Page, total, limit, offset int) Pager {
	p := Pager{Total: total, Limit: limit, Offset: offset, TotalText: pg.T("list.total", total), PrevText: pg.T("list.prev"), NextText: pg.T("list.next")}
	q := r.URL.Query()
	if offset > 0 {
		q.Set("offset", strconv.Itoa(max(0, offset-limit)))
		p.Prev = r.URL.Path + "?" + q.Encode()
	}
	if offset+limit < total {
		q.Set("offset", strconv.Itoa(offset+limit))
		p.Next = r.URL.Path + "?" + q.Encode()
	}
	return p
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return path.Clean(strings.SplitN(next, "?", 2)[0]) + func() string {
		if i := strings.IndexByte(next, '?'); i >= 0 {
			return next[i:]
		}
		return ""
	}()
}
