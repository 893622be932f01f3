package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fugong"
	"fugong/app/apptest"
)

// checkJobPostingLD checks JSON-LD against schema.org's JobPosting as search engines read
// it: the required properties (title, description, datePosted, hiringOrganization with a
// name, jobLocation with a PostalAddress and its country) and the recommended ones
// (validThrough as a date-time, employmentType from schema.org's list, identifier,
// directApply, baseSalary with currency and unit).
func checkJobPostingLD(t *testing.T, ld map[string]any) {
	t.Helper()
	obj := func(v any, typ string) map[string]any {
		m, _ := v.(map[string]any)
		if m == nil || m["@type"] != typ {
			t.Errorf("want a %s, got %v", typ, v)
			return map[string]any{}
		}
		return m
	}
	if ld["@context"] != "https://schema.org/" || ld["@type"] != "JobPosting" {
		t.Errorf("@context %v @type %v", ld["@context"], ld["@type"])
	}
	for _, k := range []string{"title", "description", "datePosted", "validThrough"} {
		if s, _ := ld[k].(string); s == "" {
			t.Errorf("JobPosting.%s is missing", k)
		}
	}
	if org := obj(ld["hiringOrganization"], "Organization"); org["name"] == "" || org["name"] == nil {
		t.Errorf("hiringOrganization has no name")
	}
	addr := obj(obj(ld["jobLocation"], "Place")["address"], "PostalAddress")
	if addr["addressCountry"] != "CN" || addr["addressLocality"] == "" {
		t.Errorf("jobLocation.address: %v", addr)
	}
	if et, _ := ld["employmentType"].(string); !slices.Contains(fugong.EmploymentTypes, et) {
		t.Errorf("employmentType %v is not one of schema.org's", ld["employmentType"])
	}
	if id := obj(ld["identifier"], "PropertyValue"); id["name"] == "" || id["value"] == "" || id["value"] == nil {
		t.Errorf("identifier: %v", id)
	}
	if _, ok := ld["directApply"].(bool); !ok {
		t.Errorf("directApply is not a boolean: %v", ld["directApply"])
	}
	sal := obj(ld["baseSalary"], "MonetaryAmount")
	if val := obj(sal["value"], "QuantitativeValue"); sal["currency"] != "CNY" || val["unitText"] != "MONTH" || val["minValue"] == nil {
		t.Errorf("baseSalary: %v", sal)
	}
}

// jobPostingLD reads the JSON-LD of a public posting page.
func jobPostingLD(t *testing.T, env *apptest.Env, id string) map[string]any {
	t.Helper()
	status, page := env.Anonymous(t).Page("/jobs/" + id)
	m := ldRe.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("/jobs/%s: %d, JSON-LD found: %v", id, status, m != nil)
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	return ld
}

// A posting's JobPosting data says what the posting says: its employment type, its
// number, where it is on the map.
func TestJobPostingLDFromThePosting(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite", apptest.Options{})
	e := env.APIClient(t, "enterprise003")
	var township string
	env.App.DB.R.QueryRow(`SELECT e.township FROM enterprises e JOIN users u ON u.enterprise_id = e.id WHERE u.username = 'enterprise003'`).Scan(&township)
	req := map[string]any{"title": "采茶工", "openings": 20, "wage_min_yuan": 120, "wage_max_yuan": 150, "township": township, "address": "江垭镇茶园",
		"employment_type": "SEASONAL", "lat": 29.4291, "lng": 111.1213, "valid_until": "2020-04-15"}
	if status, body := e.JSON("POST", "/api/v1/job-postings", req); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"employment_type"`) {
		t.Errorf("an employment type schema.org does not know: %d %s", status, body)
	}
	req["employment_type"] = "TEMPORARY"
	status, body := e.JSON("POST", "/api/v1/job-postings", req)
	var p struct{ ID int64 }
	if json.Unmarshal(body, &p); status != http.StatusCreated || p.ID == 0 {
		t.Fatalf("post: %d %s", status, body)
	}
	ld := jobPostingLD(t, env, strconv.FormatInt(p.ID, 10))
	checkJobPostingLD(t, ld)
	if ld["employmentType"] != "TEMPORARY" {
		t.Errorf("employmentType %v, the posting says TEMPORARY", ld["employmentType"])
	}
	if id, _ := ld["identifier"].(map[string]any); id["value"] != strconv.FormatInt(p.ID, 10) {
		t.Errorf("identifier %v", ld["identifier"])
	}
	geo, _ := ld["jobLocation"].(map[string]any)["geo"].(map[string]any)
	if geo["@type"] != "GeoCoordinates" || geo["latitude"] != 29.4291 || geo["longitude"] != 111.1213 {
		t.Errorf("jobLocation.geo %v, the posting is at 29.4291, 111.1213", geo)
	}
	if ld["directApply"] != false {
		t.Errorf("directApply %v: no one applies on the page", ld["directApply"])
	}
}
