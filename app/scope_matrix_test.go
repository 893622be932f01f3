package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fugong"
	"fugong/app/apptest"
	"fugong/auth"
)

// owner says where the object behind a route's {id} lives and who owns it: query gives
// (id, key) rows, and kind says what key is — an enterprise id, a region code, a user id —
// so that the test can tell, independently of the store's scope code, whom it belongs to.
type owner struct {
	kind  string // "enterprise", "region", "user", "county", "uploader"
	query string
	// params fills path parameters that are not the object's id, e.g. {kind}.
	params map[string]string
}

// owners must name every route with an {id}: a new route without an entry fails the
// matrix, so a route cannot be forgotten.
var owners = map[string]owner{
	"/api/v1/inspections/{id}":                 {kind: "inspection", query: `SELECT i.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM inspections i`},
	"/inspections/{id}":                        {kind: "inspection", query: `SELECT i.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM inspections i`},
	"/inspections/{id}/rectification":          {kind: "inspection", query: `SELECT i.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM inspections i`},
	"/api/v1/rectifications/{id}":              {kind: "inspection", query: `SELECT r.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM rectifications r JOIN inspections i ON i.id = r.inspection_id`},
	"/api/v1/rectifications/{id}/report":       {kind: "inspection", query: `SELECT r.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM rectifications r JOIN inspections i ON i.id = r.inspection_id`},
	"/api/v1/rectifications/{id}/return":       {kind: "inspection", query: `SELECT r.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM rectifications r JOIN inspections i ON i.id = r.inspection_id`},
	"/api/v1/rectifications/{id}/verify":       {kind: "inspection", query: `SELECT r.id, i.target_kind || ':' || CAST(COALESCE(i.target_user_id, 0) AS TEXT) || ':' || CAST(COALESCE(i.enterprise_id, 0) AS TEXT) FROM rectifications r JOIN inspections i ON i.id = r.inspection_id`},
	"/api/v1/visits/{id}":                      {kind: "visit", query: `SELECT id, CAST(enterprise_id AS TEXT) || ':' || CAST(user_id AS TEXT) FROM visits`},
	"/visits/{id}":                             {kind: "visit", query: `SELECT id, CAST(enterprise_id AS TEXT) || ':' || CAST(user_id AS TEXT) FROM visits`},
	"/api/v1/workers/{id}":                     {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/api/v1/workers/{id}/checks":              {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/api/v1/workers/{id}/gates":               {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/workers/{id}":                            {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/health/alerts/{id}":                      {kind: "enterprise", query: `SELECT id, enterprise_id FROM health_alerts`},
	"/workers/{id}/checks":                     {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/workers/{id}/gates":                      {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/workers/{id}/unmask":                     {kind: "enterprise", query: `SELECT id, enterprise_id FROM workers`},
	"/health/enterprises/{id}":                 {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/health/enterprises/{id}/export":          {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/health/enterprises/{id}/import":          {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/health/enterprises/{id}/supplies":        {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/health/enterprises/{id}/supply-settings": {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/health/enterprises/{id}/workers":         {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/responsibilities/{id}":                   {kind: "county", query: `SELECT id, id FROM enterprises`},
	"/policies/{id}":                           {kind: "policy", query: `SELECT id, status FROM policies`},
	"/policies/{id}/edit":                      {kind: "policy", query: `SELECT id, status FROM policies`},
	"/policies/{id}/publish":                   {kind: "policy", query: `SELECT id, status FROM policies`},
	"/policies/{id}/apply":                     {kind: "policy", query: `SELECT id, status FROM policies`},
	"/api/v1/policies/{id}":                    {kind: "policy", query: `SELECT id, status FROM policies`},
	"/api/v1/policies/{id}/publish":            {kind: "policy", query: `SELECT id, status FROM policies`},
	"/api/v1/policies/{id}/apply":              {kind: "policy", query: `SELECT id, status FROM policies`},
	"/entitlements/{id}":                       {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/review":                {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/pay":                   {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/dispute":               {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}":                {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/review":         {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/payment":        {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/dispute":        {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/recompute":             {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/recompute":      {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/reverse":               {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/entitlements/{id}/declared":              {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/reversal":       {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/api/v1/entitlements/{id}/declared":       {kind: "entitlement", query: `SELECT e.id, CAST(e.enterprise_id AS TEXT) || ':' || CAST(p.department_id AS TEXT) || ':' || CAST(p.payer_id AS TEXT) FROM entitlements e JOIN policies p ON p.id = e.policy_id`},
	"/enterprises/{id}":                        {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/edit":                   {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/declare":                {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/declarations":           {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/report":                 {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/reports":                {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/api/v1/enterprises/{id}":                 {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/users/{id}/disabled":                     {kind: "user", query: `SELECT id, id FROM users`},
	"/users/{id}/totp/reset":                   {kind: "user", query: `SELECT id, id FROM users`},
	"/users/{id}":                              {kind: "user", query: `SELECT id, id FROM users`},
	"/users/{id}/edit":                         {kind: "user", query: `SELECT id, id FROM users`},
	"/users/{id}/password":                     {kind: "user", query: `SELECT id, id FROM users`},
	"/declarations/{id}":                       {kind: "enterprise", query: `SELECT id, enterprise_id FROM declarations`},
	"/declarations/{id}/review":                {kind: "enterprise", query: `SELECT id, enterprise_id FROM declarations`},
	"/api/v1/declarations/{id}":                {kind: "enterprise", query: `SELECT id, enterprise_id FROM declarations`},
	"/api/v1/declarations/{id}/reviews":        {kind: "enterprise", query: `SELECT id, enterprise_id FROM declarations`},
	"/projects/{id}":                           {kind: "project", query: `SELECT id, township FROM key_projects`},
	"/projects/{id}/edit":                      {kind: "project", query: `SELECT id, township FROM key_projects`},
	"/projects/{id}/reports":                   {kind: "project", query: `SELECT id, township FROM key_projects`},
	"/api/v1/key-projects/{id}":                {kind: "project", query: `SELECT id, township FROM key_projects`},
	"/checklist/{id}":                          {kind: "county", query: `SELECT id, id FROM checklist_items`},
	"/checklist/{id}/delete":                   {kind: "county", query: `SELECT id, id FROM checklist_items`},
	"/links/{kind}/{id}/end":                   {kind: "enterprise", query: `SELECT id, enterprise_id FROM liaison_assignments`, params: map[string]string{"kind": "liaison"}},
	"/api/v1/org-units/{id}":                   {kind: "admin", query: `SELECT id, id FROM org_units`},
	"/api/v1/users/{id}":                       {kind: "user", query: `SELECT id, id FROM users`},
	"/api/v1/users/{id}/password-reset":        {kind: "user", query: `SELECT id, id FROM users`},
	"/api/v1/channels/{id}/test":               {kind: "county", query: `SELECT id, id FROM notify_channels`},
	"/channels/{id}":                           {kind: "county", query: `SELECT id, id FROM notify_channels`},
	"/channels/{id}/edit":                      {kind: "county", query: `SELECT id, id FROM notify_channels`},
	"/channels/{id}/test":                      {kind: "county", query: `SELECT id, id FROM notify_channels`},
	"/org-units/{id}":                          {kind: "admin", query: `SELECT id, id FROM org_units`},
	"/org-units/{id}/edit":                     {kind: "admin", query: `SELECT id, id FROM org_units`},
	"/org-units/{id}/retired":                  {kind: "admin", query: `SELECT id, id FROM org_units`},
	"/setup/import/{kind}/{token}":             {kind: "uploader", query: `SELECT token, user_id FROM ledger_uploads`, params: map[string]string{"kind": "people"}},
	"/ledgers/uploads/{token}/commit":          {kind: "uploader", query: `SELECT token, user_id FROM ledger_uploads`},
	"/power/uploads/{token}/commit":            {kind: "uploader", query: `SELECT token, user_id FROM ledger_uploads`},
	"/demands/import/{token}/commit":           {kind: "uploader", query: `SELECT token, user_id FROM ledger_uploads`},
	"/liaison/dispatch/{token}/commit":         {kind: "uploader", query: `SELECT token, user_id FROM ledger_uploads`},
	// Not objects: a ledger's kind is one of a fixed list.
	"/ledgers/{kind}/export":             {kind: "list", params: map[string]string{"kind": "enterprises"}},
	"/ledgers/{kind}/upload":             {kind: "list", params: map[string]string{"kind": "enterprises"}},
	"/ledgers/{kind}/template.xlsx":      {kind: "list", params: map[string]string{"kind": "enterprises"}},
	"/setup/import/{kind}":               {kind: "list", params: map[string]string{"kind": "people"}},
	"/setup/import/{kind}/template.xlsx": {kind: "list", params: map[string]string{"kind": "people"}},

	"/demands/{id}":                     {kind: "demand", query: `SELECT id, id FROM demands`},
	"/demands/{id}/step":                {kind: "demand", query: `SELECT id, id FROM demands`},
	"/demands/{id}/urge":                {kind: "demand", query: `SELECT id, id FROM demands`},
	"/api/v1/demands/{id}":              {kind: "demand", query: `SELECT id, id FROM demands`},
	"/api/v1/demands/{id}/transitions":  {kind: "demand", query: `SELECT id, id FROM demands`},
	"/demand-actions/{id}":              {kind: "action", query: `SELECT id, owner_org_id FROM demand_actions`},
	"/demand-actions/{id}/solve":        {kind: "action", query: `SELECT id, owner_org_id FROM demand_actions`},
	"/api/v1/demand-actions/{id}/solve": {kind: "action", query: `SELECT id, owner_org_id FROM demand_actions`},
	"/enterprises/{id}/qr":              {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/enterprises/{id}/qr.png":          {kind: "enterprise", query: `SELECT id, id FROM enterprises`},
	"/e/{id}":                           {kind: "enterprise", query: `SELECT id, id FROM enterprises`},

	"/job-postings/{id}":                      {kind: "enterprise", query: `SELECT id, enterprise_id FROM job_postings`},
	"/job-postings/{id}/close":                {kind: "enterprise", query: `SELECT id, enterprise_id FROM job_postings`},
	"/api/v1/job-postings/{id}":               {kind: "enterprise", query: `SELECT id, enterprise_id FROM job_postings`},
	"/api/v1/job-postings/{id}/matches":       {kind: "enterprise", query: `SELECT id, enterprise_id FROM job_postings`},
	"/job-seekers/{id}":                       {kind: "seeker", query: `SELECT id, village FROM job_seekers`},
	"/api/v1/job-seekers/{id}":                {kind: "seeker", query: `SELECT id, village FROM job_seekers`},
	"/villagers/{id}/edit":                    {kind: "villager", query: `SELECT id, village FROM villagers`},
	"/villagers/{id}":                         {kind: "villager", query: `SELECT id, village FROM villagers`},
	"/villagers/{id}/retire":                  {kind: "villager", query: `SELECT id, village FROM villagers`},
	"/api/v1/villagers/{id}":                  {kind: "villager", query: `SELECT id, village FROM villagers`},
	"/api/v1/villagers/{id}/retire":           {kind: "villager", query: `SELECT id, village FROM villagers`},
	"/api/v1/job-seekers/{id}/matches":        {kind: "seeker", query: `SELECT id, village FROM job_seekers`},
	"/referrals/{id}/advance":                 {kind: "referral", query: `SELECT id, village || ':' || CAST(enterprise_id AS TEXT) FROM referrals`},
	"/api/v1/referrals/{id}/advance":          {kind: "referral", query: `SELECT id, village || ':' || CAST(enterprise_id AS TEXT) FROM referrals`},
	"/api/v1/broadcasts/{id}":                 {kind: "broadcast", query: `SELECT id, CAST(sender_id AS TEXT) || ':' || villages FROM broadcasts`},
	"/workshops/{id}/days":                    {kind: "enterprise", query: `SELECT id, id FROM enterprises WHERE workshop = TRUE`},
	"/api/v1/targets/{id}":                    {kind: "target", query: `SELECT id, CAST(COALESCE(org_unit_id, 0) AS TEXT) || ':' || region_code FROM targets`},
	"/api/v1/targets/{id}/reports":            {kind: "target", query: `SELECT id, CAST(COALESCE(org_unit_id, 0) AS TEXT) || ':' || region_code FROM targets`},
	"/targets/{id}/reports":                   {kind: "target", query: `SELECT id, CAST(COALESCE(org_unit_id, 0) AS TEXT) || ':' || region_code FROM targets`},
	"/hazard-points/{id}":                     {kind: "hazard", query: `SELECT id, village FROM hazard_points`},
	"/hazard-points/{id}/patrols":             {kind: "hazard", query: `SELECT id, village FROM hazard_points`},
	"/hazard-points/{id}/notices":             {kind: "hazard", query: `SELECT id, village FROM hazard_points`},
	"/api/v1/hazard-points/{id}":              {kind: "hazard", query: `SELECT id, village FROM hazard_points`},
	"/api/v1/hazard-points/{id}/patrols":      {kind: "hazard", query: `SELECT id, village FROM hazard_points`},
	"/checkpoints/{id}":                       {kind: "checkpoint", query: `SELECT id, township FROM checkpoints`},
	"/checkpoints/entries/{id}":               {kind: "checkpoint", query: `SELECT x.id, c.township FROM checkpoint_entries x JOIN checkpoints c ON c.id = x.checkpoint_id`},
	"/checkpoints/{id}/entries":               {kind: "checkpoint", query: `SELECT id, township FROM checkpoints`},
	"/api/v1/checkpoints/{id}/entries":        {kind: "checkpoint", query: `SELECT id, township FROM checkpoints`},
	"/screenings/{id}/checks":                 {kind: "hazard", query: `SELECT id, village FROM screenings`},
	"/api/v1/screenings/{id}/checks":          {kind: "hazard", query: `SELECT id, village FROM screenings`},
	"/party-applications/{id}/advance":        {kind: "party", query: `SELECT id, region_code FROM party_applications`},
	"/api/v1/party-applications/{id}/advance": {kind: "party", query: `SELECT id, region_code FROM party_applications`},
	"/party-applications/{id}/edit":           {kind: "party", query: `SELECT id, region_code FROM party_applications`},
	"/party-applications/{id}":                {kind: "party", query: `SELECT id, region_code FROM party_applications`},
	"/party-applications/{id}/delete":         {kind: "party", query: `SELECT id, region_code FROM party_applications`},
	"/api/v1/party-applications/{id}":         {kind: "party", query: `SELECT id, region_code FROM party_applications`},
}

// demRow is what the test knows of a demand: its enterprise and the departments it is
// dispatched to (a department sees a demand only when it is dispatched to it).
type demRow struct {
	ent  int64
	orgs map[int64]bool
}

// visibleDemand is the test's own statement of a demand's scope.
func (s subject) visibleDemand(d demRow, ents map[int64]entRow) bool {
	switch s.role {
	case fugong.RoleDepartment:
		return d.orgs[s.org]
	case fugong.RoleVillage:
		return false
	}
	return s.visibleEnterprise(ents[d.ent])
}

// subject is one user of each role, with what the test knows of them from the rows.
type subject struct {
	username string
	role     fugong.Role
	id       int64
	region   string
	ent      int64
	areas    map[string]bool
	stations map[int64]bool
	org      int64
	orgName  string
}

// visibleEnterprise is the test's own statement of DESIGN.md's data scope.
func (s subject) visibleEnterprise(e entRow) bool {
	switch s.role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return true
	case fugong.RoleTownship:
		return e.township == s.region
	case fugong.RoleVillage:
		return e.village == s.region
	case fugong.RoleEnterprise:
		return e.id == s.ent
	case fugong.RoleLiaison:
		return s.stations[e.id]
	case fugong.RoleDepartment:
		return s.areas[e.focus]
	}
	return false
}

// The sectors of a department beyond its enterprises, as the test states them: key
// projects for those supervising 重点项目; job seekers and referrals for the one
// supervising the poverty workshops (人社局) and the organisation department (the
// county's matchmaker); party applications for the organisation department; targets
// for the department that owns them.
func (s subject) departmentSees(kind, key string) bool {
	switch kind {
	case "project":
		return s.areas["重点项目"]
	case "seeker":
		return s.orgName == "县委组织部" || s.areas[fugong.WorkshopArea]
	case "party":
		return s.orgName == "县委组织部"
	case "target":
		org, _, _ := strings.Cut(key, ":")
		return org == strconv.FormatInt(s.org, 10)
	}
	return true
}

func (s subject) visibleRegion(code string) bool {
	switch s.role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader, fugong.RoleDepartment:
		return true
	case fugong.RoleTownship:
		return strings.HasPrefix(code, s.region[:9])
	case fugong.RoleVillage:
		return code == s.region
	}
	return false
}

type entRow struct {
	id                       int64
	township, village, focus string
}

var paramRe = regexp.MustCompile(`\{[a-z_]+\}`)

// TestScopeMatrix requests every route as every role, for an object in the role's scope
// and one outside it. Out of scope must never answer 2xx or 3xx: zero leaks.
func TestScopeMatrix(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB
		ents := map[int64]entRow{}
		rows, err := db.R.Query(`SELECT id, township, village, focus_area FROM enterprises`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var e entRow
			rows.Scan(&e.id, &e.township, &e.village, &e.focus)
			ents[e.id] = e
		}
		rows.Close()
		demands := map[int64]demRow{}
		rows, err = db.R.Query(`SELECT d.id, d.enterprise_id, COALESCE(a.org_unit_id, 0) FROM demands d LEFT JOIN demand_assignments a ON a.demand_id = d.id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, ent, org int64
			rows.Scan(&id, &ent, &org)
			d, ok := demands[id]
			if !ok {
				d = demRow{ent: ent, orgs: map[int64]bool{}}
				demands[id] = d
			}
			d.orgs[org] = true
		}
		rows.Close()

		// A province's command over the demo county's province (Hunan, 43): it reads its
		// counties' figures and no record of theirs.
		h, err := auth.HashPassword(apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		hq := fugong.User{Username: "province", DisplayName: "湖南省指挥部", Role: fugong.RoleProvince, County: "430000", Region: "430000"}
		if err := db.CreateUser(fugong.WithActor(context.Background(), fugong.Actor{Username: "test"}), &hq, h); err != nil {
			t.Fatal(err)
		}
		var subjects []subject
		for _, name := range []string{"admin", "command", "leader01", "dept02", "township01", "liaison001", "enterprise001", "village001", "province"} {
			var s subject
			var role, areas string
			err := db.R.QueryRow(`SELECT u.id, u.role, u.region, COALESCE(u.enterprise_id, 0), COALESCE(o.focus_areas, ''), COALESCE(u.org_unit_id, 0), COALESCE(o.name, '') FROM users u LEFT JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1`, name).
				Scan(&s.id, &role, &s.region, &s.ent, &areas, &s.org, &s.orgName)
			if err != nil {
				t.Fatal(name, err)
			}
			s.username, s.role, s.areas, s.stations = name, fugong.Role(role), map[string]bool{}, map[int64]bool{}
			for _, a := range strings.Split(areas, ",") {
				s.areas[a] = true
			}
			r, _ := db.R.Query(`SELECT enterprise_id FROM liaison_assignments WHERE user_id = $1 AND to_date = ''`, s.id)
			for r.Next() {
				var id int64
				r.Scan(&id)
				s.stations[id] = true
			}
			r.Close()
			subjects = append(subjects, s)
		}

		type route struct{ method, path string }
		var routes []route
		for _, r := range env.App.Web.Routes {
			m, p, _ := strings.Cut(r.Pattern, " ")
			routes = append(routes, route{m, p})
		}
		for _, op := range env.App.API.Ops {
			if !op.Public {
				routes = append(routes, route{op.Method, op.Path})
			}
		}
		checked := 0
		for _, rt := range routes {
			path := strings.TrimSuffix(rt.path, "{$}")
			if !strings.Contains(path, "{") {
				if rt.method == "GET" {
					for _, s := range subjects {
						status, body := get(t, env, s.username, path)
						if status >= 500 {
							t.Errorf("%s %s as %s: %d", rt.method, path, s.username, status)
						}
						checkListItems(t, s, ents, demands, path, body)
						checked++
					}
				}
				continue
			}
			o, ok := owners[rt.path]
			if !ok {
				t.Errorf("route %s %s has no entry in owners: say where its {id} lives", rt.method, rt.path)
				continue
			}
			for k, v := range o.params {
				path = strings.ReplaceAll(path, "{"+k+"}", v)
			}
			if o.kind == "list" {
				if rt.method == "GET" {
					for _, s := range subjects {
						if status, _ := get(t, env, s.username, path); status >= 500 {
							t.Errorf("%s %s as %s: %d", rt.method, path, s.username, status)
						}
						checked++
					}
				}
				continue
			}
			objs := map[string]string{}
			r, err := db.R.Query(o.query)
			if err != nil {
				t.Fatalf("%s: %v", rt.path, err)
			}
			for r.Next() {
				var id, key string
				r.Scan(&id, &key)
				objs[id] = key
			}
			r.Close()
			for _, s := range subjects {
				var in, out string
				for id, key := range objs {
					if visible(s, o.kind, key, ents, demands) {
						if in == "" {
							in = id
						}
					} else if out == "" {
						out = id
					}
				}
				if out != "" {
					p := paramRe.ReplaceAllString(path, out)
					status := request(t, env, s.username, rt.method, p)
					if status < 400 {
						t.Errorf("LEAK: %s %s as %s (out of scope) answered %d", rt.method, p, s.username, status)
					}
					checked++
				}
				if in != "" && rt.method == "GET" {
					p := paramRe.ReplaceAllString(path, in)
					if status := request(t, env, s.username, rt.method, p); status >= 500 || status == http.StatusNotFound {
						t.Errorf("%s %s as %s (in scope) answered %d", rt.method, p, s.username, status)
					}
					checked++
				}
			}
		}
		t.Logf("%d routes, %d requests checked, 0 leaks allowed", len(routes), checked)
	})
}

func visible(s subject, kind, key string, ents map[int64]entRow, demands map[int64]demRow) bool {
	if s.role == fugong.RoleProvince {
		return false // figures of whole counties, never one of their records
	}
	var id int64
	fmt.Sscan(key, &id)
	switch kind {
	case "demand":
		return s.visibleDemand(demands[id], ents)
	case "action":
		return s.role.CountyWide() || (s.role == fugong.RoleDepartment && s.org == id)
	case "enterprise":
		var id int64
		fmt.Sscan(key, &id)
		return s.visibleEnterprise(ents[id])
	case "region":
		return s.visibleRegion(key)
	case "project", "seeker", "party":
		if s.role == fugong.RoleDepartment && !s.departmentSees(kind, key) {
			return false
		}
		return s.visibleRegion(key)
	case "target":
		if s.role == fugong.RoleDepartment {
			return s.departmentSees(kind, key)
		}
		_, region, _ := strings.Cut(key, ":")
		return s.visibleRegion(region)
	case "checkpoint":
		// key: the checkpoint's township; a village cadre stands at their township's.
		if s.role == fugong.RoleVillage {
			return key[:9] == s.region[:9]
		}
		return s.role != fugong.RoleLiaison && s.role != fugong.RoleEnterprise && s.visibleRegion(key)
	case "villager":
		// key: the villager's village; the contact lists are kept by those who send job news
		// (the village, its township, the county's command and admin).
		switch s.role {
		case fugong.RoleVillage, fugong.RoleTownship, fugong.RoleCommand, fugong.RoleAdmin:
			return s.visibleRegion(key)
		}
		return false
	case "hazard":
		// key: the point's village; a township sees its villages, a village cadre their own.
		return (s.role != fugong.RoleLiaison && s.role != fugong.RoleEnterprise) && s.visibleRegion(key)
	case "user", "admin":
		return s.role == fugong.RoleAdmin
	case "county":
		return s.role.CountyWide()
	case "uploader":
		return key == strconv.FormatInt(s.id, 10)
	case "visit":
		// key: enterprise:liaison who made it
		var ent, by int64
		fmt.Sscanf(key, "%d:%d", &ent, &by)
		return s.visibleEnterprise(ents[ent]) || (s.role == fugong.RoleLiaison && by == s.id)
	case "inspection":
		// key: target kind:target user:enterprise. Inspectors are county staff and the
		// organisation department (not among the subjects' departments).
		var tkind string
		var user, ent int64
		parts := strings.Split(key, ":")
		tkind = parts[0]
		fmt.Sscan(parts[1], &user)
		fmt.Sscan(parts[2], &ent)
		switch s.role {
		case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
			return true
		case fugong.RoleLiaison:
			return user == s.id
		case fugong.RoleEnterprise, fugong.RoleTownship:
			return tkind == "enterprise" && s.visibleEnterprise(ents[ent])
		}
		return false
	case "policy":
		// A published policy is public to the county; a draft only to county staff and departments.
		return key == "published" || s.role.CountyWide() || s.role == fugong.RoleDepartment
	case "referral":
		// key: the seeker's village:the enterprise. The employer's side sees its own
		// enterprises' referrals, the matchmakers' side those of its villages.
		village, ent, _ := strings.Cut(key, ":")
		if s.role == fugong.RoleEnterprise || s.role == fugong.RoleLiaison {
			var id int64
			fmt.Sscan(ent, &id)
			return s.visibleEnterprise(ents[id])
		}
		if s.role == fugong.RoleDepartment && !s.departmentSees("seeker", village) {
			return false
		}
		return s.visibleRegion(village)
	case "broadcast":
		// key: sender:villages. The sender and county-wide roles see it; a village or
		// township the broadcasts sent to its villages.
		sender, villages, _ := strings.Cut(key, ":")
		if s.role.CountyWide() || sender == strconv.FormatInt(s.id, 10) {
			return true
		}
		if s.role == fugong.RoleVillage || s.role == fugong.RoleTownship {
			for _, v := range strings.Split(villages, ",") {
				if s.visibleRegion(v) {
					return true
				}
			}
		}
		return false
	case "entitlement":
		// key: enterprise:issuing department:paying department
		var ent, dept, payer int64
		fmt.Sscanf(key, "%d:%d:%d", &ent, &dept, &payer)
		if s.role == fugong.RoleDepartment {
			return s.org == dept || s.org == payer
		}
		return s.visibleEnterprise(ents[ent])
	}
	return false
}

// clients keeps one logged-in client per server, kind and user; the dialects' runs share it.
var (
	clientsMu sync.Mutex
	clients   = map[string]*apptest.Client{}
)

func client(t *testing.T, env *apptest.Env, username, kind string) *apptest.Client {
	k := env.URL + kind + username
	clientsMu.Lock()
	defer clientsMu.Unlock()
	if c, ok := clients[k]; ok {
		return c
	}
	var c *apptest.Client
	if kind == "api" {
		c = env.APIClient(t, username)
	} else {
		c = env.Login(t, username)
	}
	clients[k] = c
	return c
}

func request(t *testing.T, env *apptest.Env, username, method, path string) int {
	if strings.HasPrefix(path, "/api/") {
		status, _ := client(t, env, username, "api").JSON(method, path, nil)
		return status
	}
	c := client(t, env, username, "web")
	if method == "GET" {
		status, _ := c.Page(path)
		return status
	}
	status, _, _ := c.Form(path, url.Values{})
	return status
}

func get(t *testing.T, env *apptest.Env, username, path string) (int, []byte) {
	if strings.HasPrefix(path, "/api/") {
		return client(t, env, username, "api").JSON("GET", path, nil)
	}
	status, body := client(t, env, username, "web").Page(path)
	return status, []byte(body)
}

// checkListItems looks at an API list's items: any enterprise they name must be visible.
func checkListItems(t *testing.T, s subject, ents map[int64]entRow, demands map[int64]demRow, path string, body []byte) {
	if !strings.HasPrefix(path, "/api/") {
		return
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if json.Unmarshal(body, &list) != nil {
		return
	}
	// Lists of a department's sectors beyond its enterprises: every item must be one it sees.
	sectorLists := map[string]struct{ kind, field string }{
		"/api/v1/job-seekers": {"seeker", "village"}, "/api/v1/key-projects": {"project", "township"},
		"/api/v1/party-applications": {"party", ""}, "/api/v1/targets": {"target", "org_unit_id"},
	}
	for _, it := range list.Items {
		if sl, ok := sectorLists[path]; ok && s.role == fugong.RoleDepartment {
			key := fmt.Sprint(it[sl.field])
			if sl.kind == "target" {
				key = fmt.Sprintf("%.0f:", it[sl.field])
			}
			if !s.departmentSees(sl.kind, key) {
				t.Errorf("LEAK: %s lists %v to %s", path, it["id"], s.username)
			}
			continue
		}
		if path == "/api/v1/demands" {
			if id, _ := it["id"].(float64); !s.visibleDemand(demands[int64(id)], ents) {
				t.Errorf("LEAK: %s lists demand %d to %s", path, int64(id), s.username)
			}
			continue
		}
		if path == "/api/v1/referrals" {
			ent, _ := it["enterprise_id"].(float64)
			village, _ := it["village"].(string)
			if !visible(s, "referral", village+":"+strconv.FormatInt(int64(ent), 10), ents, demands) {
				t.Errorf("LEAK: %s lists referral %v to %s", path, it["id"], s.username)
			}
			continue
		}
		id, ok := it["enterprise_id"].(float64)
		if !ok && path == "/api/v1/enterprises" {
			id, ok = it["id"].(float64)
		}
		if ok && !s.visibleEnterprise(ents[int64(id)]) {
			t.Errorf("LEAK: %s lists enterprise %d to %s", path, int64(id), s.username)
		}
	}
}
