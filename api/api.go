// Package api serves fugong's JSON API under /api/v1, its OpenAPI document, and the
// Open311 GeoReport v2 endpoints, for integrations that hold a bearer token.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
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

// Server holds the API's dependencies.
type Server struct {
	DB    *store.DB
	Keys  *secret.Keys
	Auth  *auth.Auth
	Cat   *i18n.Catalog
	Log   *slog.Logger
	Loc   *time.Location
	Clock fugong.Clock
	// Policies is the policy workflow's rule engine, time zone and notification texts.
	Policies store.PolicyEnv
	// Health runs the workforce-health workflows (sealed personal data, alerts, supplies).
	Health *store.Health
	// Demands raises the demand written on a liaison's visit; nil keeps it on the visit.
	Demands store.DemandRaiser
	// TestChannel sends a text to a group robot at once and answers the robot's reply.
	TestChannel func(ctx context.Context, ch fugong.NotifyChannel, text string) (string, error)
	// PublicURL is the base address people reach fugong at ("" when not configured), for
	// the absolute links of Open311's discovery document.
	PublicURL string

	mux *http.ServeMux
	// Ops lists every operation, for the OpenAPI document and the scope matrix test.
	Ops []Op
}

// Op describes one operation.
type Op struct {
	Method, Path string
	Summary      string
	Tag          string
	Roles        []fugong.Role // nil: any authenticated caller
	Public       bool
	Request      any // a value of the request body's type, or nil
	Response     any // a value of the response body's type, or nil
	Params       []Param
	Status       int // success status; 200 when 0
	// Also lists further success statuses with the same answer (200 for a resent create
	// that answers the first one).
	Also []int
	// Invalid is the answer's shape when the request is refused as invalid (422), when it
	// is not the usual error (a ledger's row and column list); nil for the usual.
	Invalid any
	// RequestType is the content type of a body that is a file (an .xlsx ledger), not JSON.
	RequestType string
	// Produces lists the content types of a file answer (an .xlsx export), besides the
	// JSON of Response when there is one.
	Produces []string
	// Replica marks an answer of figures or an export: it reads the read replica when
	// fugong runs with one (--db-read) and says how far behind it is in the headers
	// X-Fugong-Replica-Lag and X-Fugong-Data-As-Of (server.ReadReplica).
	Replica bool
}

// Param is a query or path parameter.
type Param struct {
	Name, In, Type, Description string
}

// New builds the API's routes.
func New(s *Server) *Server {
	s.mux = http.NewServeMux()
	s.routes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, fugong.NotFound())
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type figuresKey struct{}

// figures is the database an operation marked Replica reads: the read replica when there
// is one; else, and for every other operation, the database.
func (s *Server) figures(r *http.Request) *store.DB {
	if db, ok := r.Context().Value(figuresKey{}).(*store.DB); ok {
		return db
	}
	return s.DB
}

// handler is an API handler; it returns an error instead of writing one.
type handler func(w http.ResponseWriter, r *http.Request) error

// handle registers an operation. Every call passes the one gate: authenticated (unless
// public), a permitted role, and — for POST creates — the Idempotency-Key rule.
func (s *Server) handle(op Op, h handler) {
	s.Ops = append(s.Ops, op)
	pattern := op.Method + " " + op.Path
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		server.SetRoute(r.Context(), pattern)
		if !op.Public {
			c, ok := auth.CallerFrom(r.Context())
			if !ok {
				s.fail(w, r, fugong.Errorf(fugong.EUNAUTH, "error.unauthorized"))
				return
			}
			if op.Roles != nil && !c.Scope.Is(op.Roles...) {
				s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.forbidden"))
				return
			}
			// A token from before a password reset opens nothing until the new initial
			// password is changed; it may still be revoked.
			if c.User.MustChangePassword && pattern != "DELETE /api/v1/auth/token" {
				s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "account.must_change_api"))
				return
			}
			// A read-only role (a province's command) reads; it may only end its own token.
			if c.Scope.Role.ReadOnly() && r.Method != http.MethodGet && pattern != "DELETE /api/v1/auth/token" {
				s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.read_only"))
				return
			}
			if !auth.CheckCSRF(r, c) {
				s.fail(w, r, fugong.Errorf(fugong.EFORBIDDEN, "error.csrf"))
				return
			}
			if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
				s.idempotent(w, r, c, pattern, h)
				return
			}
		}
		if op.Replica {
			r = r.WithContext(context.WithValue(r.Context(), figuresKey{}, server.ReadReplica(w, r, s.DB, s.Log)))
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// idempotent runs h at most once per (caller, route, key): a retry gets the first answer.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, c *auth.Caller, pattern string, h handler) {
	key := store.IdempotencyHash(c.User.ID, pattern, r.Header.Get("Idempotency-Key"))
	ctx := r.Context()
	req, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, fugong.Errorf(fugong.EMALFORMED, "error.bad_request"))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(req))
	hash := store.RequestHash(req)
	for i := 0; ; i++ {
		ok, status, body, err := s.DB.ReserveIdempotent(ctx, c.User.County, c.User.ID, key, hash)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if ok {
			break
		}
		if status != 0 {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(status)
			io.WriteString(w, s.openAnswer(body))
			return
		}
		// A reservation left by a process that died before answering is taken over once
		// it is IdempotencyStale old; a live one answers "still running" after 5 s.
		if i == 0 || i >= 100 {
			if took, err := s.DB.TakeOverIdempotent(ctx, key, store.IdempotencyStale); err == nil && took {
				i = 0
				continue
			}
		}
		if i >= 100 {
			s.fail(w, r, fugong.Conflict("error.idempotency_in_progress"))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	rec := &recorder{ResponseWriter: w}
	if err := h(rec, r); err != nil {
		s.fail(rec, r, err)
	}
	if rec.status >= 500 || rec.status == 0 {
		s.DB.ReleaseIdempotent(ctx, key)
		return
	}
	if err := s.DB.CompleteIdempotent(ctx, key, rec.status, s.Keys.Seal(rec.body.String())); err != nil {
		s.Log.Error("store idempotent answer", "err", err)
	}
}

// openAnswer opens a kept answer: sealed, since an answer may carry a health record (a
// check's reading) that the database keeps nowhere in clear; one kept before sealing is
// clear JSON and served as it is.
func (s *Server) openAnswer(body string) string {
	if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
		return body
	}
	plain, err := s.Keys.Open(body)
	if err != nil {
		return body
	}
	return plain
}

// recorder passes an answer through while keeping a copy of it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names what went wrong, in the request's language. For invalid input,
// Message names every field at fault by its label with its message ("请检查：名称：必填。");
// Fields keeps each field's message alone, keyed by the request's field name.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := fugong.AsError(s.DB.Classify(err))
	if e.Code == fugong.EUNAVAILABLE {
		s.Log.Error("api: disk full", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "60")
	}
	status := server.Status(e.Code)
	if status == http.StatusInternalServerError {
		s.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		e = fugong.Errorf(fugong.EINTERNAL, "error.internal")
	}
	lang := i18n.Pick(r)
	body := ErrorBody{Error: ErrorDetail{Code: e.Code, Message: s.Cat.Msg(lang, e.Message)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, m := range e.Fields {
			body.Error.Fields[f] = s.Cat.Msg(lang, m)
		}
		// A client that shows one line shows message: for bad input it names every field
		// at fault by its label, as the form beside the field would.
		if e.Code == fugong.EINVALID {
			body.Error.Message = s.Cat.Invalid(lang, e.Fields)
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="fugong"`)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// List is the shape of every list answer.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func list[T any](items []T, total int) List[T] {
	return List[T]{Items: nonNil(items), Total: total}
}

// nonNil keeps an empty list a JSON [] rather than null.
func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

// writeList answers a list: each item as show makes it, and the total the filter matched.
func writeList[T, J any](w http.ResponseWriter, items []T, total int, show func(T) J) error {
	out := make([]J, len(items))
	for i, x := range items {
		out[i] = show(x)
	}
	return writeJSON(w, http.StatusOK, list(out, total))
}

// writeFound answers one record: the one find finds in the caller's scope by the id in
// the path, as show makes it.
func writeFound[T, J any](w http.ResponseWriter, r *http.Request, find func(context.Context, fugong.Scope, int64) (T, error), show func(T) J) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return writeStored(w, r, http.StatusOK, id, find, show)
}

// writeStored answers with a record as it is stored: the one find finds by id in the
// caller's scope (after a create, with what the store filled in), as show makes it.
func writeStored[T, J any](w http.ResponseWriter, r *http.Request, status int, id int64, find func(context.Context, fugong.Scope, int64) (T, error), show func(T) J) error {
	x, err := find(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, status, show(x))
}

// queryInt64s reads the optional numeric filters of a list into dst (by query name),
// answering invalid with a field error for each that is not a number.
func queryInt64s(r *http.Request, dst map[string]*int64) error {
	q, fe := r.URL.Query(), fugong.FieldErrors{}
	for name, p := range dst {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				fe.Add(name, "field.number")
			}
			*p = n
		}
	}
	return fe.Err()
}

// malformed is the error for a body that is not the JSON asked for.
func malformed(detail string) error {
	return &fugong.Error{Code: fugong.EMALFORMED, Message: fugong.M("error.bad_request"), Fields: map[string]fugong.Msg{"body": fugong.M("error.json", detail)}}
}

// decode reads a JSON body of at most 1 MiB into v, refusing unknown fields.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &te):
			return &fugong.Error{Code: fugong.EINVALID, Message: fugong.M("error.invalid"), Fields: map[string]fugong.Msg{te.Field: fugong.M("error.json_type", te.Value)}}
		case errors.As(err, &se):
			return malformed("offset " + strconv.FormatInt(se.Offset, 10))
		case errors.As(err, &mbe):
			return &fugong.Error{Code: fugong.EMALFORMED, Message: fugong.M("error.too_large")}
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return malformed(strings.TrimPrefix(err.Error(), "json: "))
		}
		return malformed(err.Error())
	}
	if dec.More() {
		return malformed("trailing data")
	}
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

// decodeFor reads the id of the record a request is about, then its JSON body into v.
func decodeFor(w http.ResponseWriter, r *http.Request, v any) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, decode(w, r, v)
}

// queryBool reads a true/false query flag as strconv.ParseBool does (1, t, true, 0, f,
// false…): false when absent, a message naming it when it is neither.
func queryBool(r *http.Request, name string) (bool, error) {
	b, err := queryOptBool(r, name)
	return b != nil && *b, err
}

// queryOptBool reads a query flag that filters only when given: nil when absent.
func queryOptBool(r *http.Request, name string) (*bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, fugong.Invalid(map[string]fugong.Msg{name: fugong.M("error.bool")})
	}
	return &b, nil
}

// paging reads limit and offset.
func paging(r *http.Request) (int, int, error) {
	q := r.URL.Query()
	limit, offset := 50, 0
	var f fugong.FieldErrors = map[string]fugong.Msg{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			f.Add("limit", "error.limit")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			f.Add("offset", "field.not_negative")
		}
		offset = n
	}
	return limit, offset, f.Err()
}

// rfc3339 formats a time with the county's offset, or "" for the zero time.
func (s *Server) rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.Loc).Format(time.RFC3339)
}
