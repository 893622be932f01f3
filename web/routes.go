package web

import (
	"io/fs"
	"net/http"
	"strings"

	"fugong"
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
	s.page("POST /account/totp/recovery", Any, s.totpRecovery)
	s.page("POST /users/{id}/totp/reset", fugong.RolesFor(fugong.PermUserEdit), s.totpReset)

	s.page("GET /enterprises", fugong.RolesFor(fugong.PermEnterpriseView), s.enterpriseList)
	s.page("GET /enterprises/{id}", Any, s.enterpriseShow)
	s.resumptionRoutes()

	s.policyRoutes()

	s.liaisonRoutes()

	s.page("GET /regions", fugong.RolesFor(fugong.PermRegionView), s.regionList)
	s.page("POST /regions/import", fugong.RolesFor(fugong.PermRegionImport), s.regionImport)
	s.page("GET /regions/template.csv", fugong.RolesFor(fugong.PermRegionImport), s.regionTemplate)
	s.page("GET /regions/template.xlsx", fugong.RolesFor(fugong.PermRegionImport), s.regionSheetTemplate)
	s.page("GET /users", fugong.RolesFor(fugong.PermUserView), s.userList)
	s.page("POST /users/{id}/disabled", fugong.RolesFor(fugong.PermUserDisable), s.userSetDisabled)
	s.page("GET /audit", fugong.RolesFor(fugong.PermAuditView), s.auditList)
	s.setupRoutes()
	s.demandRoutes()
	s.healthRoutes()
	s.employmentRoutes()
	s.crisisRoutes()
	s.dashboardRoutes()
	s.provinceRoutes()
}

// navLink is one entry of the menu; perm empty means every role.
type navLink struct {
	href, key string
	perm      fugong.Action
}

// navGroups is the menu by task: at most seven groups, each shown only with the entries
// the caller's role may use (the permission table decides), a group of one as its entry.
var navGroups = []struct {
	key   string
	links []navLink
}{
	{"nav.g_command", []navLink{
		{"/dashboard", "nav.dashboard", fugong.PermDashboardView},
		{"/province", "nav.province", fugong.PermProvince},
		{"/province/demands", "nav.province_demands", fugong.PermProvince},
		{"/dashboard/leaders", "nav.leader_view", fugong.PermDashboard},
		{"/reports/daily", "nav.report_daily", fugong.PermDashboard},
		{"/reports/weekly", "nav.report_weekly", fugong.PermDashboard},
		{"/power", "nav.power", fugong.PermDashboard},
		{"/targets", "nav.targets", fugong.PermTargetView},
	}},
	{"nav.g_demands", []navLink{
		{"/demands", "nav.demands", fugong.PermDemandView},
		{"/demands/new", "demand.raise", fugong.PermDemandRaise},
		{"/demands/queue", "nav.demand_queue", fugong.PermDemandQueue},
		{"/demands/stats", "nav.demand_stats", fugong.PermDemandStats},
	}},
	{"nav.g_enterprises", []navLink{
		{"/enterprises", "nav.enterprises", fugong.PermEnterpriseView},
		{"/projects", "nav.projects", fugong.PermProjectView},
		{"/declarations", "nav.declarations", fugong.PermEnterpriseView},
		{"/stats/resumption", "nav.stats", fugong.PermEnterpriseView},
	}},
	{"nav.g_liaison", []navLink{
		{"/visits", "nav.visits", fugong.PermVisitView},
		{"/liaison/boards", "nav.liaison_boards", fugong.PermLiaisonBoard},
		{"/liaison/scorecard", "nav.scorecard", fugong.PermLiaisonBoard},
		{"/inspections", "nav.inspections", fugong.PermInspectionView},
		{"/responsibilities", "nav.responsibilities", fugong.PermLiaisonBoard},
		{"/liaison/dispatch", "nav.dispatch", fugong.PermLiaisonDispatch},
	}},
	{"nav.g_safety", []navLink{
		{"/health", "nav.health", fugong.PermEnterpriseView},
		{"/checkpoints", "nav.checkpoints", fugong.PermHazardView},
		{"/hazard-points", "nav.hazards", fugong.PermHazardView},
		{"/party-applications", "nav.party", fugong.PermPartyView},
		{"/judicial-visits", "nav.judicial", fugong.PermJudicialView},
	}},
	{"nav.g_support", []navLink{
		{"/policies", "nav.policies", fugong.PermEnterpriseView},
		{"/entitlements", "nav.entitlements", fugong.PermEnterpriseView},
		{"/employment", "nav.employment", ""},
		{"/job-seekers", "nav.job_seekers", fugong.PermSeekerView},
		{"/broadcasts", "nav.broadcasts", fugong.PermBroadcast},
	}},
	{"nav.g_admin", []navLink{
		{"/setup", "nav.setup", fugong.PermSetupView},
		{"/org-units", "nav.org_units", fugong.PermSetupView},
		{"/channels", "nav.channels", fugong.PermChannelEdit},
		{"/settings", "nav.settings", fugong.PermSettingEdit},
		{"/regions", "nav.regions", fugong.PermRegionView},
		{"/users", "nav.users", fugong.PermUserView},
		{"/audit", "nav.audit", fugong.PermAuditView},
	}},
}

// nav is the caller's menu: the groups of navGroups with what the role may use.
func (s *Server) nav(p *Page, sc fugong.Scope) []NavItem {
	var out []NavItem
	for _, g := range navGroups {
		group := NavItem{Label: p.T(g.key)}
		for _, l := range g.links {
			if l.perm != "" && !sc.Can(l.perm) || l.perm == "" && sc.Role.ReadOnly() {
				continue // a province's command reads its counties' figures, not their records
			}
			active := p.Path == l.href || strings.HasPrefix(p.Path, l.href+"/")
			group.Active = group.Active || active
			group.Links = append(group.Links, NavItem{Href: l.href, Label: p.T(l.key), Active: active})
		}
		switch len(group.Links) {
		case 0:
		case 1:
			out = append(out, group.Links[0])
		default:
			out = append(out, group)
		}
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
