package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"fugong/xlsx"
)

// spec is the API's OpenAPI document as kin-openapi loads and validates it, with a
// router to find the operation of a request.
type spec struct {
	once   sync.Once
	router routers.Router
	err    error
}

func init() {
	openapi3filter.RegisterBodyDecoder(xlsx.ContentType, openapi3filter.FileBodyDecoder)
}

// load reads the document the running fugong serves, checks it is valid OpenAPI, and
// routes requests to env's address.
func (s *spec) load(env *Env) (routers.Router, error) {
	s.once.Do(func() {
		b, err := json.Marshal(env.App.API.OpenAPIDoc())
		if err != nil {
			s.err = err
			return
		}
		ctx := context.Background()
		doc, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			s.err = err
			return
		}
		if s.err = doc.Validate(ctx); s.err != nil {
			return
		}
		doc.Servers = openapi3.Servers{{URL: env.URL}}
		s.router, s.err = legacy.NewRouter(doc)
	})
	return s.router, s.err
}

// underAPI reports whether the OpenAPI document describes path.
func underAPI(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/open311/v2/")
}

// checkAPI fails the test when an exchange with the API does not match the document: an
// answer of a status, content type or shape it does not describe, or a request the server
// accepted that the document would refuse. A request the server refused (4xx) is not
// checked, as tests send bad ones on purpose; its answer is.
func (c *Client) checkAPI(req *http.Request, reqBody []byte, res *http.Response) {
	c.t.Helper()
	router, err := c.env.spec.load(c.env)
	if err != nil {
		c.t.Fatalf("the OpenAPI document does not load: %v", err)
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if err != nil {
		return
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		c.t.Errorf("OpenAPI: %s %s is in no operation of the document: %v", req.Method, req.URL.Path, err)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	ctx := context.Background()
	if res.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			c.t.Errorf("OpenAPI: the server accepted %s %s, which the document refuses: %v", req.Method, req.URL.Path, err)
		}
	}
	ro := *opts
	if strings.Contains(res.Header.Get("Content-Type"), "xml") {
		ro.ExcludeResponseBody = true // the document describes the XML by its JSON twin
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(resBody)), Options: &ro}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		msg := err.Error()
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		c.t.Errorf("OpenAPI: the answer %d to %s %s does not match the document: %s", res.StatusCode, req.Method, req.URL.Path, msg)
	}
}
