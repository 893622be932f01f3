package app_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"fugong/app/apptest"
)

// The OpenAPI document loads and validates with kin-openapi as a client's tooling would
// read it: servers, an operationId, security and 4xx answers on every operation, times as
// date-time strings, a request's required fields only those the server needs, and the
// Open311 part as Open311 answers. (Every API test's answers are checked against it too:
// apptest.Client.)
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{NoDemo: true})
	status, b := env.Anonymous(t).JSON("GET", "/api/v1/openapi.json", nil)
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("not valid OpenAPI: %v", err)
	}
	redoclyLint(t, b)
	if !doc.IsOpenAPI31OrLater() || len(doc.Servers) == 0 {
		t.Errorf("want OpenAPI 3.1 with servers: %s, %d servers", doc.OpenAPI, len(doc.Servers))
	}
	ids := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s: operationId %q missing or repeated", where, op.OperationID)
			}
			ids[op.OperationID] = true
			if op.Security == nil {
				t.Errorf("%s: no security declared", where)
			}
			has4xx := false
			for code := range op.Responses.Map() {
				has4xx = has4xx || code[0] == '4'
			}
			if !has4xx {
				t.Errorf("%s: no 4xx answer", where)
			}
		}
	}
	op := func(method, path string) *openapi3.Operation {
		t.Helper()
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Fatalf("no %s %s", method, path)
		}
		return item.GetOperation(method)
	}
	req := op("POST", "/api/v1/enterprises").RequestBody.Value.Content.Get("application/json").Schema.Value
	if got := slices.Sorted(slices.Values(req.Required)); !slices.Equal(got, []string{"name", "township", "uscc"}) {
		t.Errorf("POST /enterprises requires %v; the server needs name, uscc, township", got)
	}
	dash := op("GET", "/api/v1/stats/dashboard").Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	if at := dash.Properties["computed_at"]; at == nil || !at.Value.Type.Is("string") || at.Value.Format != "date-time" {
		t.Errorf("a time is not documented as a date-time string")
	}
	for _, path := range []string{"/api/v1/stats/dashboard", "/api/v1/reports/daily", "/api/v1/workers/export"} {
		if h := op("GET", path).Responses.Status(200).Value.Headers; h["X-Fugong-Replica-Lag"] == nil || h["X-Fugong-Data-As-Of"] == nil {
			t.Errorf("GET %s reads the replica but does not document X-Fugong-Replica-Lag and X-Fugong-Data-As-Of", path)
		}
	}
	if op("POST", "/open311/v2/requests.json").Responses.Status(201) == nil || op("GET", "/open311/v2/requests.xml").Responses.Status(200).Value.Content.Get("text/xml") == nil {
		t.Errorf("Open311: want 201 for a created request and text/xml for .xml")
	}
	errs := op("GET", "/open311/v2/requests.json").Responses.Status(404).Value.Content.Get("application/json").Schema.Value
	if !errs.Type.Is("array") || errs.Items.Value.Properties["code"] == nil || errs.Items.Value.Properties["description"] == nil {
		t.Errorf("Open311 errors are not documented as [{code, description}]")
	}
	if op("POST", "/api/v1/workers/import").RequestBody == nil || op("GET", "/api/v1/workers/export").Responses.Status(200).Value.Content.Get("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") == nil {
		t.Errorf("the workers ledger's import body or export content type is not documented")
	}
}

// redoclyLint lints the document with Redocly's recommended rules, an outside validator,
// when its CLI is installed (FUGONG_REDOCLY or redocly on the PATH; CI installs it from
// npm and fails without it).
func redoclyLint(t *testing.T, doc []byte) {
	t.Helper()
	path := os.Getenv("FUGONG_REDOCLY")
	if path == "" {
		path, _ = exec.LookPath("redocly")
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("redocly is missing (npm package @redocly/cli)")
		}
		t.Log("redocly not installed: the document is not linted")
		return
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "lint", "--format=stylish", file)
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("redocly lint: %v\n%s", err, out)
	}
}
