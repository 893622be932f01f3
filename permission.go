package fugong

import (
	"fmt"
	"strings"
)

// Action is one thing a person may do in the county's work. Who may is said once, in
// Permissions; the web routes, the API routes, the menus, the store's checks and the
// README's table all read it, so that they cannot drift apart. The scope check
// (store/scope.go) still decides which rows: a permission says what, never whose.
type Action string

// The actions, grouped by capability. To add one: a constant here and a line in
// Permissions; TestReadmePermissions then shows the README table to paste.
const (
	// Registry and resumption.
	PermEnterpriseView    Action = "enterprise.view"
	PermEnterpriseEdit    Action = "enterprise.edit"
	PermProjectView       Action = "project.view"
	PermProjectReport     Action = "project.report"
	PermDeclare           Action = "declaration.declare"
	PermDeclarationReview Action = "declaration.review"
	PermDailyReport       Action = "report.daily"
	PermWorkshopReport    Action = "workshop.report"
	PermChecklistEdit     Action = "checklist.edit"

	// Demands.
	PermDemandView        Action = "demand.view"
	PermDemandRaise       Action = "demand.raise"
	PermDemandImport      Action = "demand.import"
	PermDemandQueue       Action = "demand.queue"
	PermDemandUrge        Action = "demand.urge"
	PermDemandCoordinate  Action = "demand.coordinate"
	PermDemandStats       Action = "demand.stats"
	PermDemandActionView  Action = "demand.action_view"
	PermDemandActionSolve Action = "demand.action_solve"
	PermDemandSolveOnSite Action = "demand.solve_on_site"
	PermDemandAccept      Action = "demand.accept"
	PermDemandEscalate    Action = "demand.escalate"
	PermDemandDispatch    Action = "demand.dispatch"
	PermDemandWait        Action = "demand.wait"
	PermDemandResume      Action = "demand.resume"
	PermDemandSolve       Action = "demand.solve"
	PermDemandConfirm     Action = "demand.confirm"
	PermDemandReopen      Action = "demand.reopen"
	PermDemandClose       Action = "demand.close"

	// Liaison work.
	PermVisitView       Action = "visit.view"
	PermVisitLog        Action = "visit.log"
	PermLiaisonBoard    Action = "liaison.board"
	PermLiaisonDispatch Action = "liaison.dispatch"
	PermResponsibility  Action = "responsibility.edit"
	PermInspectionView  Action = "inspection.view"
	PermInspect         Action = "inspection.inspect"

	// Workforce health.
	PermHealthWrite      Action = "health.write"
	PermCheckpointScreen Action = "checkpoint.screen"

	// Policies.
	PermPolicyView        Action = "policy.view"
	PermPolicyEdit        Action = "policy.edit"
	PermPolicyApply       Action = "policy.apply"
	PermEntitlementReview Action = "entitlement.review"
	PermEntitlementPay    Action = "entitlement.pay"

	// Employment.
	PermJobPost        Action = "job.post"
	PermSeekerView     Action = "seeker.view"
	PermSeekerRegister Action = "seeker.register"
	PermReferral       Action = "seeker.refer"
	PermReferralStep   Action = "referral.step"
	PermBroadcast      Action = "job.broadcast"

	// Command centre.
	PermDashboardView Action = "dashboard.screen"
	PermDashboard     Action = "dashboard.view"
	PermProvince      Action = "province.view"
	PermPowerLoad     Action = "power.load"

	// The rest of the crisis work.
	PermTargetView     Action = "target.view"
	PermTargetEdit     Action = "target.edit"
	PermHazardView     Action = "hazard.view"
	PermHazardEdit     Action = "hazard.edit"
	PermHazardPatrol   Action = "hazard.patrol"
	PermPartyView      Action = "party.view"
	PermPartyEdit      Action = "party.edit"
	PermJudicialView   Action = "judicial.view"
	PermJudicialRecord Action = "judicial.record"

	// Administration.
	PermSetupView    Action = "setup.view"
	PermSetupEdit    Action = "setup.edit"
	PermChannelEdit  Action = "channel.edit"
	PermSettingEdit  Action = "setting.edit"
	PermRegionView   Action = "region.view"
	PermRegionImport Action = "region.import"
	PermUserView     Action = "user.view"
	PermUserDisable  Action = "user.disable"
	PermUserEdit     Action = "user.edit"
	PermAuditView    Action = "audit.view"

	// Personal data (DESIGN.md: shown masked unless the role may see it).
	PermUnmasked   Action = "personal.unmasked"
	PermBulkUnmask Action = "personal.bulk_unmask"
)

// Permission is one row of the table: an action, what it means, and who may.
type Permission struct {
	Action  Action
	Summary string // English, for the README's table
	Roles   []Role
}

// Short names for the role sets the table repeats.
var (
	rA, rC, rL, rD = RoleAdmin, RoleCommand, RoleLeader, RoleDepartment
	rT, rI, rE, rV = RoleTownship, RoleLiaison, RoleEnterprise, RoleVillage
	rP             = RoleProvince
)

// Permissions is the one permission table (role × action). Leaders oversee: they read
// the county and urge, they do not take a department's work into their own hands.
var Permissions = []Permission{
	{PermEnterpriseView, "see enterprises, declarations, resumption, health, policies and entitlements", []Role{rA, rC, rL, rD, rT, rI, rE}},
	{PermEnterpriseEdit, "register enterprises, projects, links and ledgers", []Role{rA, rC, rT}},
	{PermProjectView, "see the key projects", []Role{rA, rC, rL, rD, rT}},
	{PermProjectReport, "report a key project's week", []Role{rA, rC, rT, rL}},
	{PermDeclare, "declare an enterprise's resumption", []Role{rE, rI, rC}},
	{PermDeclarationReview, "review declarations", []Role{rT, rD, rC}},
	{PermDailyReport, "file an enterprise's daily report", []Role{rE, rI, rC}},
	{PermWorkshopReport, "report a poverty workshop's work", []Role{rE, rI, rV, rT, rC, rA}},
	{PermChecklistEdit, "edit the checklist standards", []Role{rA, rC}},

	{PermDemandView, "see demands in scope", []Role{rA, rC, rL, rD, rT, rI, rE}},
	{PermDemandRaise, "raise a demand", []Role{rA, rC, rT, rI, rE}},
	{PermDemandImport, "import a demand ledger", []Role{rA, rC, rT, rI}},
	{PermDemandQueue, "see the county's demand queue", []Role{rA, rC, rL}},
	{PermDemandUrge, "urge a demand (督办)", []Role{rA, rC, rL}},
	{PermDemandCoordinate, "coordinate demands into one action", []Role{rA, rC}},
	{PermDemandStats, "demand figures", []Role{rA, rC, rL, rD, rT, rI}},
	{PermDemandActionView, "see a coordinated action", []Role{rA, rC, rL, rD}},
	{PermDemandActionSolve, "solve a coordinated action", []Role{rA, rC, rD}},
	{PermDemandSolveOnSite, "solve a demand on site", []Role{rI, rT, rC, rA}},
	{PermDemandAccept, "accept a demand", []Role{rI, rT, rC, rA, rD}},
	{PermDemandEscalate, "escalate a demand to command", []Role{rI, rT, rA}},
	{PermDemandDispatch, "dispatch a demand to departments", []Role{rC, rA}},
	{PermDemandWait, "wait for the enterprise", []Role{rI, rT, rC, rA, rD}},
	{PermDemandResume, "resume after waiting", []Role{rE, rI, rT, rC, rA, rD}},
	{PermDemandSolve, "solve a demand", []Role{rI, rT, rC, rA, rD}},
	{PermDemandConfirm, "confirm and rate a solution (the enterprise, or command on its behalf)", []Role{rE, rC}},
	{PermDemandReopen, "reopen a demand", []Role{rE, rI, rC, rA}},
	{PermDemandClose, "close a demand", []Role{rC, rI, rA}},

	{PermVisitView, "see visit logs", []Role{rA, rC, rL, rT, rD, rI}},
	{PermVisitLog, "log a visit", []Role{rI}},
	{PermLiaisonBoard, "liaison boards and scorecards", []Role{rA, rC, rL, rT, rD}},
	{PermLiaisonDispatch, "station liaisons (dispatch ledger)", []Role{rA, rC}},
	{PermResponsibility, "set the four responsibilities", []Role{rA, rC}},
	{PermInspectionView, "see inspections and rectifications", []Role{rA, rC, rL, rD, rT, rI, rE}},
	{PermInspect, "inspect and order rectification", []Role{rA, rC, rD}},

	{PermHealthWrite, "register workers, gates, checks and supplies", []Role{rA, rC, rT, rI, rE}},
	{PermCheckpointScreen, "screen at a checkpoint", []Role{rA, rC, rT, rV}},

	{PermPolicyView, "see policies and preview a measure", []Role{rA, rC, rL, rD}},
	{PermPolicyEdit, "write policies (a department: its own)", []Role{rA, rC, rD}},
	{PermPolicyApply, "apply for a policy, dispute an entitlement", []Role{rE}},
	{PermEntitlementReview, "review entitlements (a department: of the policies it issues)", []Role{rA, rC, rD}},
	{PermEntitlementPay, "pay entitlements (a department: those it pays)", []Role{rA, rC, rD}},

	{PermJobPost, "post and close jobs", []Role{rE, rI, rT, rC, rA}},
	{PermSeekerView, "see job seekers", []Role{rV, rT, rC, rA, rL, rD}},
	{PermSeekerRegister, "register job seekers", []Role{rV, rT, rC, rA}},
	{PermReferral, "refer a seeker to a job", []Role{rV, rT, rC, rA, rD}},
	{PermReferralStep, "record a referral's step (the matchmaker or the employer)", []Role{rV, rT, rC, rA, rD, rE, rI}},
	{PermBroadcast, "broadcast job news to villages", []Role{rV, rT, rC, rA, rD}},

	{PermDashboardView, "the dashboard and wall screen (a township: its own)", []Role{rA, rC, rL, rT}},
	{PermDashboard, "leader view, daily and weekly reports, power index", []Role{rA, rC, rL}},
	{PermProvince, "a province's or city's figures across its counties (reads only)", []Role{rP}},
	{PermPowerLoad, "load power readings", []Role{rA, rC}},

	{PermTargetView, "see targets", []Role{rA, rC, rL, rD}},
	{PermTargetEdit, "set targets", []Role{rA, rC, rD}},
	{PermHazardView, "see hazard points, checkpoints", []Role{rA, rC, rL, rD, rT, rV}},
	{PermHazardEdit, "edit hazard points and the duty roster", []Role{rA, rC, rD, rT}},
	{PermHazardPatrol, "patrol a hazard point", []Role{rA, rC, rD, rT, rV}},
	{PermPartyView, "see party applications (a department: the organisation department)", []Role{rA, rC, rL, rD}},
	{PermPartyEdit, "move party applications", []Role{rA, rC, rD}},
	{PermJudicialView, "see judicial services", []Role{rA, rC, rL, rD}},
	{PermJudicialRecord, "record judicial services", []Role{rD, rC, rA}},

	{PermSetupView, "see the set-up pages: the county, org units", []Role{rA, rC}},
	{PermSetupEdit, "set up the county and its org units", []Role{rA}},
	{PermChannelEdit, "set up and test notification channels", []Role{rA, rC}},
	{PermSettingEdit, "read and change the county's settings (clocks, risk regions, mask norms, SMS gateway)", []Role{rA, rC}},
	{PermRegionView, "see regions", []Role{rA, rC}},
	{PermRegionImport, "import regions", []Role{rA}},
	{PermUserView, "see accounts", []Role{rA, rC}},
	{PermUserDisable, "disable accounts", []Role{rA}},
	{PermUserEdit, "create and edit accounts, reset passwords, print the hand-out", []Role{rA}},
	{PermAuditView, "read the audit log", []Role{rA, rC}},

	{PermUnmasked, "see ID numbers, phones and health records in clear (each view audited)", []Role{rC, rA, rE, rI, rV}},
	{PermBulkUnmask, "export personal data in clear beyond the hourly limit, with a reason", []Role{rC}},
}

// OwnOnly narrows rows of Permissions: these roles may take the action only on what
// belongs to their own org unit (a department writes its own policies, reviews the
// entitlements of the policies it issues and pays those it pays). Scope.CanOn applies
// it; the README's table shows "own" for them.
var OwnOnly = map[Action][]Role{
	PermPolicyEdit:        {rD},
	PermEntitlementReview: {rD},
	PermEntitlementPay:    {rD},
}

// RolesFor lists the roles that may take action, in the table's order. An action missing
// from the table is a programming error and panics at start, where tests see it.
func RolesFor(a Action) []Role {
	for _, p := range Permissions {
		if p.Action == a {
			return p.Roles
		}
	}
	panic(fmt.Sprintf("fugong: action %q is not in Permissions", a))
}

// Can reports whether the role may take action.
func (r Role) Can(a Action) bool { return oneOfRole(r, RolesFor(a)) }

// Can reports whether the caller's role may take action.
func (s Scope) Can(a Action) bool { return s.Role.Can(a) }

// Allow returns a forbidden error unless the caller's role may take action.
func (s Scope) Allow(a Action) error {
	if s.Can(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "error.forbidden")
}

// CanOn reports whether the caller may take action on a thing that belongs to org unit
// owner (a policy's issuing department, its payer): the table's roles may, except that a
// role of OwnOnly may only when owner is the caller's own org unit.
func (s Scope) CanOn(a Action, owner int64) bool {
	if !s.Can(a) {
		return false
	}
	return !oneOfRole(s.Role, OwnOnly[a]) || s.OrgUnitID != 0 && s.OrgUnitID == owner
}

// AllowOn returns a forbidden error unless CanOn.
func (s Scope) AllowOn(a Action, owner int64) error {
	if s.CanOn(a, owner) {
		return nil
	}
	return Errorf(EFORBIDDEN, "error.forbidden")
}

// PermissionTable renders Permissions as the Markdown table the README carries.
func PermissionTable() string {
	var b strings.Builder
	b.WriteString("| action | what |")
	for _, r := range Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString("\n|---|---|")
	for range Roles {
		b.WriteString(":-:|")
	}
	b.WriteString("\n")
	for _, p := range Permissions {
		fmt.Fprintf(&b, "| `%s` | %s |", p.Action, p.Summary)
		for _, r := range Roles {
			if oneOfRole(r, OwnOnly[p.Action]) {
				b.WriteString(" own |")
			} else if oneOfRole(r, p.Roles) {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString("  |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Narrow returns the scope of a county-wide caller looking at one township (the
// dashboard's drill-down); anyone else keeps their own scope, so narrowing never widens.
func (s Scope) Narrow(township string) Scope {
	// A township's code is the county's six digits, three of its own and 000.
	if !s.Role.CountyWide() || len(township) != 12 || township[:6] != s.County || township[6:9] == "000" || township[9:] != "000" {
		return s
	}
	n := s
	n.Role, n.Region = RoleTownship, township
	return n
}
