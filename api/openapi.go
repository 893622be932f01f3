package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// openAPI answers the OpenAPI 3.1 document, generated from the registered operations and
// their Go types so that it cannot drift from what the handlers do.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.OpenAPIDoc())
}

// OpenAPIDoc builds the document.
func (s *Server) OpenAPIDoc() map[string]any {
	paths := map[string]any{}
	errSchema := schemaOf(reflect.TypeOf(ErrorBody{}))
	for _, op := range s.Ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		status := op.Status
		if status == 0 {
			status = 200
		}
		resp := map[string]any{"description": http.StatusText(status)}
		if op.Response != nil {
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(op.Response))}}
		}
		errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": errSchema}}}
		o := map[string]any{
			"summary":   op.Summary,
			"tags":      []string{op.Tag},
			"responses": map[string]any{strconv.Itoa(status): resp, "default": errResp},
		}
		if !op.Public {
			o["security"] = []map[string][]string{{"bearer": {}}}
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
		if op.Request != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(op.Request))}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "fugong 复工复产服务平台 API", "version": "1",
			"description": "JSON API of fugong. Errors: {\"error\": {\"code\", \"message\", \"fields\"}}. Lists: {\"items\", \"total\"} with limit and offset. Times are RFC 3339 with offset; money is integer fen."},
		"paths":      paths,
		"components": map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
	}
}

// schemaOf describes a Go type as JSON Schema, following json tags.
func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
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
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type)
			if !strings.Contains(opts, "omitempty") {
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
