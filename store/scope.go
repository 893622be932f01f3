package store

import (
	"context"
	"slices"
	"strings"

	"fugong"
)

// This file is the one place where data scope is decided (DESIGN.md, "Data scope").
// Every finder adds one of these clauses; every write first finds its target through a
// scoped finder, so that anything out of scope answers not_found, never someone else's data.

// EnterpriseScope returns the clause that limits rows of the enterprises table, aliased
// as alias, to what sc may see.
func EnterpriseScope(sc fugong.Scope, alias string, a *args) string {
	p := alias + "."
	// Only add a value that the clause uses: PostgreSQL refuses an unused parameter.
	county := func() string { return p + "region_code = " + a.add(sc.County) }
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return county()
	case fugong.RoleTownship:
		return county() + " AND " + p + "township = " + a.add(sc.Region)
	case fugong.RoleVillage:
		return county() + " AND " + p + "village = " + a.add(sc.Region)
	case fugong.RoleEnterprise:
		return p + "id = " + a.add(sc.EnterpriseID)
	case fugong.RoleLiaison:
		return p + "id IN (SELECT enterprise_id FROM liaison_assignments WHERE user_id = " + a.add(sc.UserID) + " AND to_date = '')"
	case fugong.RoleDepartment:
		if len(sc.FocusAreas) == 0 {
			return "1 = 0"
		}
		ph := make([]string, len(sc.FocusAreas))
		for i, f := range sc.FocusAreas {
			ph[i] = a.add(f)
		}
		areas := p + "focus_area IN (" + strings.Join(ph, ", ") + ")"
		if slices.Contains(sc.FocusAreas, fugong.WorkshopArea) {
			areas = "(" + areas + " OR " + p + "workshop = TRUE)" // workshops have no focus area
		}
		return county() + " AND " + areas
	}
	return "1 = 0"
}

// EnterpriseIDScope limits rows that carry an enterprise id column (col, e.g.
// "d.enterprise_id") to the enterprises sc may see. countyCol is the row's own
// region_code column, used for county-wide roles so that no subquery is needed.
func EnterpriseIDScope(sc fugong.Scope, col, countyCol string, a *args) string {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return countyCol + " = " + a.add(sc.County)
	case fugong.RoleEnterprise:
		return col + " = " + a.add(sc.EnterpriseID)
	case fugong.RoleLiaison:
		return col + " IN (SELECT enterprise_id FROM liaison_assignments WHERE user_id = " + a.add(sc.UserID) + " AND to_date = '')"
	}
	return col + " IN (SELECT e.id FROM enterprises e WHERE " + EnterpriseScope(sc, "e", a) + ")"
}

// DemandScope limits rows of the demands table, aliased as alias, to what sc may see: a
// department sees only what is dispatched to it (or to an action it owns); everyone
// else sees the demands of the enterprises in their scope.
func DemandScope(sc fugong.Scope, alias string, a *args) string {
	p := alias + "."
	if sc.Role == fugong.RoleDepartment {
		if sc.OrgUnitID == 0 {
			return "1 = 0"
		}
		return p + "id IN (SELECT demand_id FROM demand_assignments WHERE org_unit_id = " + a.add(sc.OrgUnitID) + ")"
	}
	if sc.Role == fugong.RoleVillage {
		return "1 = 0"
	}
	return EnterpriseIDScope(sc, p+"enterprise_id", p+"region_code", a)
}

// RegionScope limits rows that carry a region column (a township or village code) to
// what sc may see: the county for county-wide roles, their township or village for
// township and village officers, and nothing for the others.
func RegionScope(sc fugong.Scope, col, countyCol string, a *args) string {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader, fugong.RoleDepartment:
		return countyCol + " = " + a.add(sc.County)
	case fugong.RoleTownship:
		// A township's villages share its first nine digits.
		return col + " LIKE " + a.add(sc.Region[:min(9, len(sc.Region))]+"%")
	case fugong.RoleVillage:
		return col + " = " + a.add(sc.Region)
	}
	return "1 = 0"
}

// CountyScope limits rows by their county column col to the counties sc sees whole: its
// own county for the county-wide roles, every county under its province or city for the
// province role (a range of codes, which an index serves), none for anyone else.
func CountyScope(sc fugong.Scope, col string, a *args) string {
	switch sc.Role {
	case fugong.RoleAdmin, fugong.RoleCommand, fugong.RoleLeader:
		return col + " = " + a.add(sc.County)
	case fugong.RoleProvince:
		if !fugong.AreaCode(sc.County) {
			return "1 = 0"
		}
		p := fugong.AreaPrefix(sc.County)
		return col + " >= " + a.add(p) + " AND " + col + " < " + a.add(p[:len(p)-1]+string(p[len(p)-1]+1))
	}
	return "1 = 0"
}

// CanSeeEnterprise reports whether sc may see enterprise id; the answer to "no" is not_found.
func (db *DB) CanSeeEnterprise(ctx context.Context, sc fugong.Scope, id int64) error {
	var a args
	q := "SELECT 1 FROM enterprises e WHERE e.id = " + a.add(id) + " AND " + EnterpriseScope(sc, "e", &a)
	var one int
	return mapErr(db.R.QueryRowContext(ctx, q, a.vals...).Scan(&one))
}

// A department's sector, beyond the enterprises of its focus areas (DESIGN.md: "a
// department what is dispatched to it and its sector"):
//   - key projects: the departments that supervise the focus area 重点项目;
//   - job seekers and their referrals: the department that supervises the poverty
//     workshops (人社局, the employment office) and the organisation department, the
//     county's matchmaker;
//   - party applications: the organisation department;
//   - targets: the ones the department owns.
// The other roles keep their regional scope (RegionScope).

// ProjectScope limits key projects (their township column, their county column).
func ProjectScope(sc fugong.Scope, col, countyCol string, a *args) string {
	if sc.Role == fugong.RoleDepartment && !sc.Supervises("重点项目") {
		return "1 = 0"
	}
	return RegionScope(sc, col, countyCol, a)
}

// SeekerScope limits rows that belong to a job seeker's village (col): seekers,
// referrals.
func SeekerScope(sc fugong.Scope, col, countyCol string, a *args) string {
	if sc.Role == fugong.RoleDepartment && !sc.Organisation && !sc.Supervises(fugong.WorkshopArea) {
		return "1 = 0"
	}
	return RegionScope(sc, col, countyCol, a)
}

// PartyScope limits party applications (their county column).
func PartyScope(sc fugong.Scope, countyCol string, a *args) string {
	if !KeepsParty(sc) {
		return "1 = 0"
	}
	return RegionScope(sc, countyCol, countyCol, a)
}

// KeepsParty reports whether a department may see and record party applications: the
// organisation department only. Other roles are decided by their regional scope.
func KeepsParty(sc fugong.Scope) bool {
	return sc.Role != fugong.RoleDepartment || sc.Organisation
}

// TargetScope limits targets, aliased as alias: a department sees and reports on the
// ones it owns.
func TargetScope(sc fugong.Scope, alias string, a *args) string {
	if sc.Role == fugong.RoleDepartment {
		return alias + ".org_unit_id = " + a.add(sc.OrgUnitID)
	}
	return RegionScope(sc, alias+".region_code", alias+".region_code", a)
}

// JudicialScope is the scope in which a judicial visit finds its enterprise: the whole
// county for the court, the procuratorate and the county offices, the department's own
// sector for any other department.
func JudicialScope(sc fugong.Scope) fugong.Scope {
	if sc.Role == fugong.RoleDepartment && !sc.Judicial {
		return sc
	}
	return fugong.Scope{UserID: sc.UserID, Username: sc.Username, Role: fugong.RoleCommand, County: sc.County}
}
