package web

import (
	"io/fs"
	"net/http"

	"fugong"
)

// Role sets used by the routes.
var (
	countyStaff = []fugong.Role{fugong.RoleAdmin, fugong.RoleCommand}
	adminOnly   = []fugong.Role{fugong.RoleAdmin}
)

// routes is the whole site map.
func (s *Server) routes() {
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	s.public("GET /login", s.loginForm)
	s.public("POST /login", s.login)
	s.public("GET /lang/{lang}", s.setLang)
	s.public("/", s.notFound)

	s.page("GET /{$}", Any, s.home)
	s.page("POST /logout", Any, s.logout)
	s.page("GET /password", Any, s.passwordForm)
	s.page("POST /password", Any, s.changePassword)
	s.public("GET /login/totp", s.totpForm)
	s.public("POST /login/totp", s.totpLogin)
	s.page("GET /account/totp", Any, s.totpEnrolForm)
	s.page("POST /account/totp", Any, s.totpEnrol)
	s.page("POST /users/{id}/totp/reset", adminOnly, s.totpReset)

	s.page("GET /enterprises", Any, s.enterpriseList)
	s.page("GET /enterprises/{id}", Any, s.enterpriseShow)
	s.resumptionRoutes()

	s.policyRoutes()

	s.liaisonRoutes()

	s.page("GET /regions", countyStaff, s.regionList)
	s.page("POST /regions/import", adminOnly, s.regionImport)
	s.page("GET /users", countyStaff, s.userList)
	s.page("POST /users/{id}/disabled", adminOnly, s.userSetDisabled)
	s.page("GET /audit", countyStaff, s.auditList)
	s.setupRoutes()
	s.demandRoutes()
	s.healthRoutes()
	s.employmentRoutes()
	s.crisisRoutes()
	s.dashboardRoutes()
	s.provinceRoutes()
}

// nav is each role's menu.
func (s *Server) nav(p *Page, sc fugong.Scope) []NavItem {
	items := []struct {
		href, key string
		roles     []fugong.Role
	}{
		{"/", "nav.home", nil},
		{"/dashboard", "nav.dashboard", commandRoles},
		{"/province", "nav.province", provinceRoles},
		{"/province/demands", "nav.province_demands", provinceRoles},
		{"/enterprises", "nav.enterprises", nil},
		{"/projects", "nav.projects", projectReaders},
		{"/declarations", "nav.declarations", nil},
		{"/stats/resumption", "nav.stats", nil},
		{"/policies", "nav.policies", nil},
		{"/entitlements", "nav.entitlements", nil},
		{"/demands", "nav.demands", demandRoles},
		{"/demands/queue", "nav.demand_queue", queueRoles},
		{"/demands/stats", "nav.demand_stats", statsRoles},
		{"/employment", "nav.employment", nil},
		{"/job-seekers", "nav.job_seekers", seekerViewers},
		{"/targets", "nav.targets", targetReaders},
		{"/hazard-points", "nav.hazards", hazardReaders},
		{"/checkpoints", "nav.checkpoints", hazardReaders},
		{"/party-applications", "nav.party", hazardReaders},
		{"/judicial-visits", "nav.judicial", judicialReaders},
		{"/notifications", "nav.notifications", nil},
		{"/health", "nav.health", nil},
		{"/visits", "nav.visits", visitRoles},
		{"/liaison/boards", "nav.liaison_boards", boardRoles},
		{"/liaison/scorecard", "nav.scorecard", boardRoles},
		{"/inspections", "nav.inspections", inspectionRoles},
		{"/responsibilities", "nav.responsibilities", boardRoles},
		{"/liaison/dispatch", "nav.dispatch", countyStaff},
		{"/setup", "nav.setup", countyStaff},
		{"/org-units", "nav.org_units", countyStaff},
		{"/channels", "nav.channels", countyStaff},
		{"/settings", "nav.settings", countyStaff},
		{"/regions", "nav.regions", countyStaff},
		{"/users", "nav.users", countyStaff},
		{"/audit", "nav.audit", countyStaff},
	}
	var out []NavItem
	for _, it := range items {
		if it.roles != nil && !sc.Is(it.roles...) {
			continue
		}
		if sc.Role.ReadOnly() && it.roles == nil && it.href != "/" {
			continue // a province's command reads its counties' figures, not their records
		}
		active := p.Path == it.href || (it.href != "/" && len(p.Path) > len(it.href) && p.Path[:len(it.href)+1] == it.href+"/")
		out = append(out, NavItem{Href: it.href, Label: p.T(it.key), Active: active})
	}
	return out
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error { return fugong.NotFound() }
