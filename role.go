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
	// RoleProvince is a provincial or city command (省、市指挥部) over many counties: it
	// reads the figures of every county whose region code starts with its own code's
	// prefix (43 for Hunan, 4308 for Zhangjiajie), and writes nothing.
	RoleProvince Role = "province"
)

// Roles lists every role in menu order.
var Roles = []Role{RoleAdmin, RoleCommand, RoleLeader, RoleDepartment, RoleTownship, RoleLiaison, RoleEnterprise, RoleVillage, RoleProvince}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// NeedsSecondFactor reports whether the role must log in with a second factor (TOTP):
// the accounts that manage accounts and the county's whole work (等保 2.0 level 3).
func (r Role) NeedsSecondFactor() bool {
	return r == RoleAdmin || r == RoleCommand
}

// CountyWide reports whether the role sees the whole county.
func (r Role) CountyWide() bool {
	return r == RoleAdmin || r == RoleCommand || r == RoleLeader
}

// ReadOnly reports whether the role only reads: a province or city command looks at its
// counties' figures and changes nothing in them.
func (r Role) ReadOnly() bool { return r == RoleProvince }

// CountyCode reports whether code is a county-level region code (GB/T 2260: six digits,
// the last two not 00; xx0000 is a province, xxxx00 a prefecture-level city).
func CountyCode(code string) bool {
	return len(code) == 6 && allDigits(code) && code[4:] != "00"
}

// AreaCode reports whether code is a province's (xx0000) or a prefecture-level city's
// (xxxx00) region code: what a province role is scoped by.
func AreaCode(code string) bool {
	return len(code) == 6 && allDigits(code) && code[:2] != "00" && code[4:] == "00"
}

// AreaPrefix is the prefix every county code under an area code shares: "43" for
// 430000, "4308" for 430800.
func AreaPrefix(code string) string {
	if len(code) == 6 && code[2:] == "0000" {
		return code[:2]
	}
	if len(code) == 6 && code[4:] == "00" {
		return code[:4]
	}
	return code
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Scope is what one caller may see and touch. It is built once per request from the
// user and checked in one place, the store's scope filters, for every read and write.
type Scope struct {
	UserID   int64
	Username string
	Role     Role
	// County is the county region code every row of the caller's belongs to; for the
	// province role, the province's or city's own code (AreaPrefix gives its counties).
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

// CanSeeUnmasked reports whether the role may see personal data in clear (the row
// personal.unmasked of Permissions).
func (s Scope) CanSeeUnmasked() bool { return s.Can(PermUnmasked) }

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
