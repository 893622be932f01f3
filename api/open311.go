package api

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/server"
)

// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under /open311/v2, so that
// an existing Open311 client can raise a demand and follow it. Services are the demand
// categories, with their form fields as service definitions; a request is a demand, its
// id the demand's number. The api_key is a bearer token of /api/v1/auth/token: the
// enterprise is the key's owner, or is named by account_id or attribute[enterprise]
// (its id or credit code). JSON and XML; errors are the spec's [{code, description}].

// open311Routes registers the Open311 endpoints for both formats.
func (s *Server) open311Routes() {
	for _, f := range []string{"json", "xml"} {
		s.handle(Op{Method: "GET", Path: "/open311/v2/services." + f, Summary: "Open311: demand categories as services", Tag: "open311", Public: true,
			Response: []o311Service{}}, s.o311(s.o311Services))
		s.handle(Op{Method: "GET", Path: "/open311/v2/discovery." + f, Summary: "Open311: the discovery document (endpoint, formats, how to get a key)", Tag: "open311", Public: true,
			Response: o311Discovery{}}, s.o311(s.o311Discovery))
		s.handle(Op{Method: "POST", Path: "/open311/v2/requests." + f, Summary: "Open311: raise a demand (form fields; api_key in the form, the query or as a bearer token)", Tag: "open311", Public: true,
			Request: o311CreateForm{}, Response: []o311Created{}, Status: 201, Params: []Param{{"api_key", "query", "string", "a bearer token"}}}, s.o311(s.o311Create))
		s.handle(Op{Method: "GET", Path: "/open311/v2/requests." + f, Summary: "Open311: demands in the key's scope", Tag: "open311", Public: true,
			Response: []o311Request{}, Params: []Param{{"api_key", "query", "string", "a bearer token"}, {"service_request_id", "query", "string", "numbers, comma separated"},
				{"service_code", "query", "string", ""}, {"status", "query", "string", "open or closed"}, {"start_date", "query", "string", ""}, {"end_date", "query", "string", ""}}},
			s.o311(s.o311List))
	}
	s.handle(Op{Method: "GET", Path: "/open311/v2/services/{code}", Summary: "Open311: a service definition (code.json or code.xml)", Tag: "open311", Public: true,
		Response: o311Definition{}, Params: []Param{{"code", "path", "string", ""}}}, s.o311(s.o311Definition))
	s.handle(Op{Method: "GET", Path: "/open311/v2/requests/{id}", Summary: "Open311: one demand by number (id.json or id.xml)", Tag: "open311", Public: true,
		Response: []o311Request{}, Params: []Param{{"id", "path", "string", ""}, {"api_key", "query", "string", "a bearer token"}}}, s.o311(s.o311Get))
}

type o311Service struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	Metadata    bool     `json:"metadata" xml:"metadata"`
	Type        string   `json:"type" xml:"type"`
	Keywords    string   `json:"keywords" xml:"keywords"`
	Group       string   `json:"group" xml:"group"`
}

type o311Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

type o311Attribute struct {
	Variable            bool        `json:"variable" xml:"variable"`
	Code                string      `json:"code" xml:"code"`
	Datatype            string      `json:"datatype" xml:"datatype"`
	Required            bool        `json:"required" xml:"required"`
	DatatypeDescription string      `json:"datatype_description" xml:"datatype_description"`
	Order               int         `json:"order" xml:"order"`
	Description         string      `json:"description" xml:"description"`
	Values              []o311Value `json:"values,omitempty" xml:"values>value,omitempty"`
}

type o311Definition struct {
	XMLName     xml.Name        `json:"-" xml:"service_definition"`
	ServiceCode string          `json:"service_code" xml:"service_code"`
	Attributes  []o311Attribute `json:"attributes" xml:"attributes>attribute"`
}

type o311Created struct {
	XMLName          xml.Name `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string   `json:"service_notice" xml:"service_notice"`
	AccountID        string   `json:"account_id" xml:"account_id"`
}

// o311CreateForm is the form of a POST to requests: the spec's fields, and the service's
// attributes as attribute[code] (attribute[enterprise], attribute[item]…), which the
// document allows as further string fields.
type o311CreateForm struct {
	APIKey        string  `json:"api_key"`
	ServiceCode   string  `json:"service_code" openapi:"required"`
	Lat           float64 `json:"lat"`
	Long          float64 `json:"long"`
	AddressString string  `json:"address_string"`
	AddressID     string  `json:"address_id"`
	Email         string  `json:"email"`
	DeviceID      string  `json:"device_id"`
	AccountID     string  `json:"account_id"`
	FirstName     string  `json:"first_name"`
	LastName      string  `json:"last_name"`
	Phone         string  `json:"phone"`
	Description   string  `json:"description" openapi:"required"`
	MediaURL      string  `json:"media_url"`
}

type o311Request struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	// Lat, Long and MediaURL are null when unknown (XML: the element is left out).
	Lat      *float64 `json:"lat" xml:"lat,omitempty"`
	Long     *float64 `json:"long" xml:"long,omitempty"`
	MediaURL *string  `json:"media_url" xml:"media_url,omitempty"`
}

// o311Discovery is the spec's discovery document: where the endpoint is, what it speaks,
// and how to get a key.
type o311Discovery struct {
	XMLName    xml.Name       `json:"-" xml:"discovery"`
	Changeset  string         `json:"changeset" xml:"changeset"`
	Contact    string         `json:"contact" xml:"contact"`
	KeyService string         `json:"key_service" xml:"key_service"`
	Endpoints  []o311Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type o311Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type o311Error struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

// o311Handler answers in the format the path asks for.
type o311Handler func(w http.ResponseWriter, r *http.Request, format string) error

// o311 adapts an Open311 handler: the format from the path's extension, and every error
// as the spec's list of {code, description} with the matching HTTP status.
func (s *Server) o311(h o311Handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		format := "json"
		if strings.HasSuffix(r.URL.Path, ".xml") {
			format = "xml"
		}
		if err := h(w, r, format); err != nil {
			e := fugong.AsError(s.DB.Classify(err))
			status := server.Status(e.Code)
			if status == http.StatusInternalServerError {
				s.Log.Error("open311", "path", r.URL.Path, "err", err)
				e = fugong.Errorf(fugong.EINTERNAL, "error.internal")
			}
			if status == http.StatusUnprocessableEntity {
				status = http.StatusBadRequest // the spec knows 400, not 422
			}
			lang := i18n.Pick(r)
			var errs []o311Error
			for _, f := range sortedKeys(e.Fields) {
				errs = append(errs, o311Error{Code: status, Description: o311Field(f) + ": " + s.Cat.Msg(lang, e.Fields[f])})
			}
			if errs == nil {
				errs = []o311Error{{Code: status, Description: s.Cat.Msg(lang, e.Message)}}
			}
			return writeO311(w, status, format, "errors", errs)
		}
		return nil
	}
}

// o311Field names a field of the demand as an Open311 client posted it: the category's
// fields and the extras are attribute[code], the place is lat, long and address_string.
func o311Field(f string) string {
	if name, ok := strings.CutPrefix(f, "fields."); ok {
		return "attribute[" + name + "]"
	}
	switch f {
	case "category":
		return "service_code"
	case "lng":
		return "long"
	case "address":
		return "address_string"
	case "quantity", "urgency":
		return "attribute[" + f + "]"
	case "enterprise_id":
		return "attribute[enterprise]"
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeO311 writes v as JSON, or as XML inside a root element (none when root is "").
func writeO311(w http.ResponseWriter, status int, format, root string, v any) error {
	w.Header().Set("Cache-Control", "no-store")
	if format == "xml" {
		var x any = v
		if root != "" {
			x = struct {
				XMLName xml.Name
				Items   any
			}{XMLName: xml.Name{Local: root}, Items: v}
		}
		b, err := xml.MarshalIndent(x, "", " ")
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		w.Write([]byte(xml.Header))
		_, err = w.Write(b)
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// o311Discovery answers the discovery document. The endpoint's address is under the
// configured public base URL when there is one, else relative to this server.
func (s *Server) o311Discovery(w http.ResponseWriter, r *http.Request, format string) error {
	lang := i18n.Pick(r)
	d := o311Discovery{Changeset: o311Changeset, Contact: s.Cat.T(lang, "open311.contact"), KeyService: s.Cat.T(lang, "open311.key_service"),
		Endpoints: []o311Endpoint{{Specification: "http://wiki.open311.org/GeoReport_v2", URL: s.PublicURL + "/open311/v2", Changeset: o311Changeset,
			Type: "production", Formats: []string{"text/xml", "application/json"}}}}
	return writeO311(w, http.StatusOK, format, "", d)
}

// o311Changeset is when the Open311 endpoint last changed in what it offers.
const o311Changeset = "2026-12-06T00:00:00Z"

func (s *Server) o311Services(w http.ResponseWriter, r *http.Request, format string) error {
	lang := i18n.Pick(r)
	out := []o311Service{}
	for _, c := range fugong.DemandCategories {
		out = append(out, o311Service{ServiceCode: c.Key, ServiceName: s.Cat.T(lang, "dcat."+c.Key), Description: s.Cat.T(lang, "dcat."+c.Key+".hint"),
			Metadata: true, Type: "realtime", Keywords: c.Name, Group: s.Cat.T(lang, "demand.title")})
	}
	return writeO311(w, http.StatusOK, format, "services", out)
}

func (s *Server) o311Definition(w http.ResponseWriter, r *http.Request, _ string) error {
	code, format := splitExt(r.PathValue("code"))
	c, ok := fugong.FindCategory(code)
	if !ok || c.Key != code {
		return fugong.NotFound()
	}
	lang := i18n.Pick(r)
	def := o311Definition{ServiceCode: c.Key}
	add := func(a o311Attribute) {
		a.Variable, a.Order = true, len(def.Attributes)+1
		def.Attributes = append(def.Attributes, a)
	}
	add(o311Attribute{Code: "enterprise", Datatype: "string", DatatypeDescription: s.Cat.T(lang, "open311.enterprise_hint"), Description: s.Cat.T(lang, "demand.enterprise")})
	for _, f := range c.Fields {
		a := o311Attribute{Code: f.Name, Datatype: "string", Required: f.Required, Description: s.Cat.T(lang, "dfield."+f.Name)}
		if f.Choices != nil {
			a.Datatype = "singlevaluelist"
			for _, ch := range f.Choices {
				a.Values = append(a.Values, o311Value{Key: ch, Name: ch})
			}
		}
		add(a)
	}
	if c.Unit != "" {
		add(o311Attribute{Code: "quantity", Datatype: "number", Description: s.Cat.T(lang, "demand.quantity") + " (" + c.Unit + ")"})
	}
	urg := o311Attribute{Code: "urgency", Datatype: "singlevaluelist", Description: s.Cat.T(lang, "demand.urgency")}
	for _, u := range fugong.Urgencies {
		urg.Values = append(urg.Values, o311Value{Key: u, Name: s.Cat.T(lang, "urgency."+u)})
	}
	add(urg)
	return writeO311(w, http.StatusOK, format, "", def)
}

func splitExt(v string) (string, string) {
	if s, ok := strings.CutSuffix(v, ".xml"); ok {
		return s, "xml"
	}
	return strings.TrimSuffix(v, ".json"), "json"
}

// o311Caller is the caller named by the api_key parameter, else the Authorization header
// or the session cookie. The Open311 routes are public to the API's gate (an api_key is
// checked here), so the CSRF rule is applied here too: a caller known only by the
// session cookie must send the session's CSRF token on a POST, or a page elsewhere could
// raise demands in the user's name.
func (s *Server) o311Caller(r *http.Request) (*http.Request, fugong.Scope, error) {
	key := r.URL.Query().Get("api_key")
	if key == "" && r.Method == http.MethodPost {
		key = r.PostFormValue("api_key")
	}
	if key == "" {
		c, ok := auth.CallerFrom(r.Context())
		if !ok {
			return r, fugong.Scope{}, fugong.Errorf(fugong.EUNAUTH, "open311.api_key")
		}
		if !auth.CheckCSRF(r, c) {
			return r, fugong.Scope{}, fugong.Errorf(fugong.EFORBIDDEN, "error.csrf")
		}
		return r, c.Scope, nil
	}
	u, err := s.DB.FindTokenUser(r.Context(), auth.TokenHash(key), s.Clock.Now())
	if err != nil {
		if fugong.ErrorCode(err) == fugong.ENOTFOUND {
			return r, fugong.Scope{}, fugong.Errorf(fugong.EFORBIDDEN, "open311.api_key")
		}
		return r, fugong.Scope{}, err
	}
	sc, err := s.DB.ScopeOf(r.Context(), u)
	if err != nil {
		return r, sc, err
	}
	c := &auth.Caller{User: u, Scope: sc}
	return r.WithContext(auth.WithCaller(r.Context(), c, auth.ClientIP(r))), sc, nil
}

func (s *Server) o311Create(w http.ResponseWriter, r *http.Request, format string) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return malformed("form")
	}
	r, sc, err := s.o311Caller(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	d := fugong.Demand{Category: f.Get("service_code"), Description: f.Get("description"), Channel: fugong.ChannelOpen311,
		Urgency: f.Get("attribute[urgency]"), Fields: map[string]string{}}
	if c, ok := fugong.FindCategory(d.Category); !ok || c.Key != d.Category {
		return fugong.Invalid(map[string]fugong.Msg{"service_code": fugong.M("demand.category_invalid")})
	}
	c, _ := fugong.FindCategory(d.Category)
	for _, cf := range c.Fields {
		d.Fields[cf.Name] = f.Get("attribute[" + cf.Name + "]")
	}
	if v := f.Get("attribute[quantity]"); v != "" {
		if d.Quantity, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fugong.Invalid(map[string]fugong.Msg{"attribute[quantity]": fugong.M("field.number")})
		}
	}
	fe := fugong.FieldErrors{}
	for name, dst := range map[string]*float64{"lat": &d.Lat, "long": &d.Lng} {
		if v := strings.TrimSpace(f.Get(name)); v != "" {
			if *dst, err = strconv.ParseFloat(v, 64); err != nil {
				fe.Add(name, "field.number")
			}
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	d.Address, d.MediaURL = f.Get("address_string"), f.Get("media_url")
	who := f.Get("attribute[enterprise]")
	if who == "" {
		who = f.Get("account_id")
	}
	if sc.Role != fugong.RoleEnterprise {
		if d.EnterpriseID, err = s.enterpriseRef(r, sc, who); err != nil {
			return err
		}
	}
	if name := strings.TrimSpace(f.Get("first_name") + f.Get("last_name")); name != "" {
		d.RaisedByName = name
	}
	if err := s.demands().Create(r.Context(), sc, &d); err != nil {
		return err
	}
	lang := i18n.Pick(r)
	return writeO311(w, http.StatusCreated, format, "service_requests", []o311Created{{ServiceRequestID: d.Number,
		ServiceNotice: s.Cat.T(lang, "open311.notice", fugong.FormatDeadline(d.SameDayDue, s.Loc, "2006-01-02 15:04")), AccountID: strconv.FormatInt(d.EnterpriseID, 10)}})
}

// enterpriseRef finds the enterprise named by id or credit code, in scope.
func (s *Server) enterpriseRef(r *http.Request, sc fugong.Scope, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	bad := fugong.Invalid(map[string]fugong.Msg{"attribute[enterprise]": fugong.M("demand.enterprise_unknown")})
	if ref == "" {
		return 0, bad
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return id, nil
	}
	items, _, err := s.DB.FindEnterprises(r.Context(), sc, fugong.EnterpriseFilter{Query: fugong.NormalizeUSCC(ref), Limit: 2})
	if err != nil {
		return 0, err
	}
	for _, e := range items {
		if e.USCC == fugong.NormalizeUSCC(ref) {
			return e.ID, nil
		}
	}
	return 0, bad
}

func (s *Server) o311List(w http.ResponseWriter, r *http.Request, format string) error {
	r, sc, err := s.o311Caller(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.DemandFilter{Category: q.Get("service_code"), Limit: 1000}
	switch q.Get("status") {
	case "open":
		f.Open = true
	case "closed":
		f.Done = true
	}
	day := func(v string) (string, error) {
		if v == "" {
			return "", nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return "", fugong.Invalid(map[string]fugong.Msg{"date": fugong.M("open311.date")})
		}
		return fugong.Day(t, s.Loc), nil
	}
	if f.From, err = day(q.Get("start_date")); err != nil {
		return err
	}
	if f.To, err = day(q.Get("end_date")); err != nil {
		return err
	}
	ds := s.demands()
	var items []fugong.Demand
	if ids := q.Get("service_request_id"); ids != "" {
		for _, n := range strings.Split(ids, ",") {
			d, err := ds.FindByNumber(r.Context(), sc, strings.TrimSpace(n))
			if err == nil {
				items = append(items, d)
			} else if fugong.ErrorCode(err) != fugong.ENOTFOUND {
				return err
			}
		}
	} else if items, _, err = ds.List(r.Context(), sc, f); err != nil {
		return err
	}
	out := []o311Request{}
	for _, d := range items {
		x, err := s.toO311(r, d)
		if err != nil {
			return err
		}
		out = append(out, x)
	}
	return writeO311(w, http.StatusOK, format, "service_requests", out)
}

func (s *Server) o311Get(w http.ResponseWriter, r *http.Request, _ string) error {
	r, sc, err := s.o311Caller(r)
	if err != nil {
		return err
	}
	number, format := splitExt(r.PathValue("id"))
	d, err := s.demands().FindByNumber(r.Context(), sc, number)
	if err != nil {
		return err
	}
	x, err := s.toO311(r, d)
	if err != nil {
		return err
	}
	return writeO311(w, http.StatusOK, format, "service_requests", []o311Request{x})
}

// toO311 maps a demand to a request: closed once solved; the status notes are the last
// note on the timeline; the agency is the departments it is dispatched to, or the rung of
// the ladder that owns it; expected is the solution clock's deadline.
func (s *Server) toO311(r *http.Request, d fugong.Demand) (o311Request, error) {
	lang := i18n.Pick(r)
	x := o311Request{ServiceRequestID: d.Number, Status: "open", ServiceName: s.Cat.T(lang, "dcat."+d.Category), ServiceCode: d.Category,
		Description: d.Description, RequestedDatetime: s.rfc3339(d.ReceivedAt), UpdatedDatetime: s.rfc3339(d.UpdatedAt),
		ExpectedDatetime: s.rfc3339(d.SolutionDue), Address: d.Address, AddressID: strconv.FormatInt(d.EnterpriseID, 10),
		ServiceNotice: s.Cat.T(lang, "open311.notice", fugong.FormatDeadline(d.SameDayDue, s.Loc, "2006-01-02 15:04"))}
	if x.Address == "" {
		x.Address = d.EnterpriseAddress
	}
	if d.Lat != 0 || d.Lng != 0 {
		x.Lat, x.Long = &d.Lat, &d.Lng
	}
	if d.MediaURL != "" {
		x.MediaURL = &d.MediaURL
	}
	if !fugong.DemandOpen(d.State) {
		x.Status = "closed"
	}
	events, err := s.demands().Events(r.Context(), d.ID)
	if err != nil {
		return x, err
	}
	x.StatusNotes = s.Cat.T(lang, "dstate."+d.State)
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Note != "" && events[i].Action != "create" {
			x.StatusNotes += "：" + events[i].Note
			break
		}
	}
	x.AgencyResponsible = s.Cat.T(lang, "demand.level."+d.Level)
	if len(d.Departments) > 0 {
		units, err := s.DB.FindOrgUnits(r.Context(), d.County)
		if err != nil {
			return x, err
		}
		var names []string
		for _, u := range units {
			for _, id := range d.Departments {
				if u.ID == id {
					names = append(names, u.Name)
				}
			}
		}
		x.AgencyResponsible = strings.Join(names, "、")
	}
	return x, nil
}
