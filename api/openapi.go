package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fugong/server"
)

// openAPI answers the OpenAPI 3.1 document, generated from the registered operations and
// their Go types so that it cannot drift from what the handlers do; the test suite checks
// every answer of the API tests against it (app/apptest).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.OpenAPIDoc())
}

// Content types the document names besides .xlsx (xlsx.ContentType).
const (
	contentJSON = "application/json"
	contentXML  = "text/xml"
	contentForm = "application/x-www-form-urlencoded"
)

var timeType = reflect.TypeOf(time.Time{})

// OpenAPIDoc builds the document.
func (s *Server) OpenAPIDoc() map[string]any {
	paths := map[string]any{}
	seen := map[string]bool{}
	for _, op := range s.Ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		id := operationID(op)
		if seen[id] {
			panic("openapi: two operations named " + id)
		}
		seen[id] = true
		o := map[string]any{
			"operationId": id,
			"summary":     op.Summary,
			"tags":        []string{op.Tag},
			"responses":   responses(op),
			"security":    security(op),
		}
		if len(op.Roles) > 0 {
			var rs []string
			for _, r := range op.Roles {
				rs = append(rs, string(r))
			}
			o["description"] = "Roles: " + strings.Join(rs, ", ")
		}
		var params []map[string]any
		for _, p := range op.Params {
			params = append(params, map[string]any{"name": p.Name, "in": p.In, "required": p.In == "path", "description": p.Description, "schema": map[string]any{"type": p.Type}})
		}
		if op.Method == "POST" && !op.Public {
			params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false, "schema": map[string]any{"type": "string"},
				"description": "a retry with the same key returns the first answer and creates nothing"})
		}
		if params != nil {
			o["parameters"] = params
		}
		switch {
		case op.RequestType != "":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{op.RequestType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
		case op.Request != nil:
			ct, sch := contentJSON, requestSchema(reflect.TypeOf(op.Request))
			if op.Tag == "open311" {
				ct = contentForm
				sch["additionalProperties"] = map[string]any{"type": "string", "description": "attribute[code]: the service definition's attributes"}
			}
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": sch}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "fugong 复工复产服务平台 API", "version": "1",
			"license":     map[string]any{"name": "Proprietary: the county's own", "identifier": "LicenseRef-county"},
			"description": "JSON API of fugong. Errors: {\"error\": {\"code\", \"message\", \"fields\"}}, in the language of Accept-Language (Chinese by default); for invalid input (422) message names every field at fault by its label with its message (请检查：名称：必填。单位：必填。) and fields keeps each field's message alone, keyed by its JSON name. Lists: {\"items\", \"total\"} with limit and offset. Times are RFC 3339 with offset; money is integer fen. Open311 GeoReport v2 under /open311/v2 (JSON or XML by the path's extension; errors are [{code, description}]; the api_key goes in the query or the form body, or a bearer token in Authorization)."},
		"servers":  []map[string]any{{"url": "/", "description": "this fugong"}},
		"security": []map[string][]string{{"bearer": {}}},
		"paths":    paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "a token from POST /api/v1/auth/token"},
			"api_key": map[string]any{"type": "apiKey", "in": "query", "name": "api_key", "description": "Open311's api_key: the same bearer token, in the query or in the form body of a POST"},
		}},
	}
}

// operationID names an operation after its method and path: GET /api/v1/enterprises/{id}
// is getEnterprisesById, GET /open311/v2/services.json getOpen311V2ServicesJson.
func operationID(op Op) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.Method))
	for _, seg := range strings.Split(op.Path, "/") {
		if seg == "" || seg == "api" || seg == "v1" {
			continue
		}
		if p, ok := strings.CutPrefix(seg, "{"); ok {
			b.WriteString("By")
			seg = strings.TrimSuffix(p, "}")
		}
		up := true
		for _, r := range seg {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				up = true
				continue
			}
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		}
	}
	return b.String()
}

// security is who may call op: a bearer token, or for Open311 also its api_key, or no one
// in particular for the public operations.
func security(op Op) []map[string][]string {
	switch {
	case op.Tag == "open311" && op.Public && len(op.Params) > 0 && hasParam(op, "api_key"):
		return []map[string][]string{{"bearer": {}}, {"api_key": {}}}
	case op.Public:
		return []map[string][]string{}
	}
	return []map[string][]string{{"bearer": {}}}
}

func hasParam(op Op, name string) bool {
	for _, p := range op.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// responses are op's success answer and the errors it may give, each with its body.
func responses(op Op) map[string]any {
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	content := map[string]any{}
	errContent := map[string]any{contentJSON: map[string]any{"schema": responseSchema(reflect.TypeOf(ErrorBody{}))}}
	if op.Tag == "open311" {
		errs := map[string]any{"schema": map[string]any{"type": "array", "items": responseSchema(reflect.TypeOf(o311Error{}))}}
		errContent = map[string]any{contentJSON: errs, contentXML: errs}
	}
	if op.Response != nil {
		sch := map[string]any{"schema": responseSchema(reflect.TypeOf(op.Response))}
		content[contentJSON] = sch
		if op.Tag == "open311" && !strings.HasSuffix(op.Path, ".json") {
			content[contentXML] = sch
		}
		if op.Tag == "open311" && strings.HasSuffix(op.Path, ".xml") {
			delete(content, contentJSON)
		}
	}
	for _, ct := range op.Produces {
		content[ct] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if len(content) > 0 {
		ok["content"] = content
	}
	if op.Replica {
		ok["headers"] = map[string]any{
			server.ReplicaLagHeader: map[string]any{"description": "Present when fugong reads figures from a read replica (--db-read): how far behind the primary they are, " +
				"in whole seconds (0: the replica has applied all it received), or unknown when the replica did not say",
				"schema": map[string]any{"type": "string", "pattern": "^([0-9]+|unknown)$"}},
			server.DataAsOfHeader: map[string]any{"description": "Present with " + server.ReplicaLagHeader + " when the lag is known: the time the figures are as of (RFC 3339, UTC)",
				"schema": map[string]any{"type": "string", "format": "date-time"}},
		}
	}
	out := map[string]any{strconv.Itoa(status): ok}
	for _, st := range op.Also {
		out[strconv.Itoa(st)] = ok
	}
	errResp := func(code int, why string) {
		out[strconv.Itoa(code)] = map[string]any{"description": why, "content": errContent}
	}
	open311 := op.Tag == "open311"
	if op.Request != nil || op.RequestType != "" || len(op.Params) > 0 {
		errResp(http.StatusBadRequest, "malformed: a body or parameter that cannot be read")
		if !open311 {
			errResp(http.StatusUnprocessableEntity, "invalid fields: error.message names each by its label, error.fields gives each one's message by its JSON name")
		}
	}
	if !op.Public || hasParam(op, "api_key") || op.Path == "/api/v1/auth/token" {
		errResp(http.StatusUnauthorized, "no valid token")
		errResp(http.StatusForbidden, "the caller's role may not do this")
	}
	errResp(http.StatusNotFound, "not found, or out of the caller's scope")
	if op.Method != http.MethodGet && !open311 {
		errResp(http.StatusConflict, "conflicts with the stored state (a stale version, a duplicate)")
	}
	if op.Invalid != nil {
		out[strconv.Itoa(http.StatusUnprocessableEntity)] = map[string]any{"description": "invalid rows, each named by line and column, or the usual error",
			"content": map[string]any{contentJSON: map[string]any{"schema": map[string]any{"anyOf": []any{responseSchema(reflect.TypeOf(op.Invalid)), responseSchema(reflect.TypeOf(ErrorBody{}))}}}}}
	}
	if op.Path == "/api/v1/auth/token" && op.Method == http.MethodPost {
		errResp(http.StatusTooManyRequests, "too many attempts from this address")
	}
	out["default"] = map[string]any{"description": "internal error", "content": errContent}
	return out
}

// responseSchema describes a Go type as an answer: fields without omitempty are always
// there, and what Go may write as null (a nil pointer, slice or map) may be null.
func responseSchema(t reflect.Type) map[string]any { return schemaOf(t, true) }

// requestSchema describes a Go type as a request body: only the fields tagged
// openapi:"required" are required — those the server cannot do without; the others may
// be left out, and the server says by field what is missing or wrong.
func requestSchema(t reflect.Type) map[string]any { return schemaOf(t, false) }

// schemaOf describes a Go type as JSON Schema (2020-12, as OpenAPI 3.1 has it), following
// json tags; answer says whether it describes an answer or a request.
func schemaOf(t reflect.Type, answer bool) map[string]any {
	nullable := false
	for t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), true
	}
	s := schemaOfType(t, answer)
	if answer && (nullable || t.Kind() == reflect.Slice || t.Kind() == reflect.Map) {
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
	}
	return s
}

func schemaOfType(t reflect.Type, answer bool) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), answer)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), answer)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) { // encoding/json promotes an unexported embedded struct's fields
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				emb := schemaOf(f.Type, answer)
				embProps, _ := emb["properties"].(map[string]any)
				for k, v := range embProps {
					props[k] = v
				}
				if r, ok := emb["required"].([]string); ok {
					required = append(required, r...)
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, answer)
			if answer && !strings.Contains(opts, "omitempty") || !answer && f.Tag.Get("openapi") == "required" {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props}
		if required != nil {
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}
