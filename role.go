package fugong

// Role is what a user is in the county's work; it decides their scope and their menu.
type Role string

// The roles of DESIGN.md.
const (
	RoleAdmin      Role = "admin"
	RoleCommand    Role = "command"
	RoleLeader     Role = "leader"
	RoleDepartment Role = "department"
	RoleTownship   Role = "township"
	RoleLiaison    Role = "liaison"
	RoleEnterprise Role = "enterprise"
	RoleVillage    Role = "village"
)

// Roles lists every role in menu order.
var Roles = []Role{RoleAdmin, RoleCommand, RoleLeader, RoleDepartment, RoleTownship, RoleLiaison, RoleEnterprise, RoleVillage}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// CountyWide reports whether the role sees the whole county.
func (r Role) CountyWide() bool {
	return r == RoleAdmin || r == RoleCommand || r == RoleLeader
}

// Scope is what one caller may see and touch. It is built once per request from the
// user and checked in one place, the store's scope filters, for every read and write.
type Scope struct {
	UserID   int64
	Username string
	Role     Role
	// County is the county region code every row of the caller's belongs to.
	County string
	// Region is the township or village code for township and village roles.
	Region string
	// EnterpriseID is set for the enterprise role.
	EnterpriseID int64
	// OrgUnitID is the caller's org unit (a department, township office, the command).
	OrgUnitID int64
	// FocusAreas are the sectors a department supervises.
	FocusAreas []string
	// Organisation is set for the county's organisation department (组织部, the setting
	// employment.broadcast_org): it keeps the party applications and, as the county's
	// matchmaker (就业红娘), sees the job seekers.
	Organisation bool
	// Judicial is set for the court and the procuratorate (the setting judicial.org_units):
	// they visit any enterprise of the county to take in its judicial needs.
	Judicial bool
}

// Supervises reports whether a department's sectors include area.
func (s Scope) Supervises(area string) bool {
	for _, a := range s.FocusAreas {
		if a == area {
			return true
		}
	}
	return false
}

// CanSeeUnmasked reports whether the role may see personal data in clear.
func (s Scope) CanSeeUnmasked() bool {
	return s.Role == RoleCommand || s.Role == RoleAdmin || s.Role == RoleEnterprise || s.Role == RoleLiaison || s.Role == RoleVillage
}

// Is reports whether the caller has one of the roles.
func (s Scope) Is(roles ...Role) bool {
	for _, r := range roles {
		if s.Role == r {
			return true
		}
	}
	return false
}

// Require returns a forbidden error unless the caller has one of the roles.
func (s Scope) Require(roles ...Role) error {
	if s.Is(roles...) {
		return nil
	}
	return Errorf(EFORBIDDEN, "error.forbidden")
}
