package fugong

import (
	"strings"
	"time"
)

// User is a person who logs in: a cadre, an officer, an enterprise's contact person.
type User struct {
	ID           int64
	County       string // region_code: the county the account belongs to
	Username     string
	DisplayName  string
	Role         Role
	OrgUnitID    int64  // 0 when none
	Region       string // township or village code for township and village roles
	EnterpriseID int64  // for the enterprise role
	Rank         string // e.g. 副科级, for liaisons
	Phone        string
	Disabled     bool
	CreatedAt    time.Time
	Version      int64
}

// Validate checks a user before it is saved.
func (u *User) Validate() error {
	f := FieldErrors{}
	u.Username = strings.TrimSpace(u.Username)
	if len(u.Username) < 2 || len(u.Username) > 64 || strings.ContainsAny(u.Username, " \t\r\n/") {
		f.Add("username", "user.username")
	}
	if strings.TrimSpace(u.DisplayName) == "" {
		f.Add("display_name", "field.required")
	}
	if !u.Role.Valid() {
		f.Add("role", "user.role")
	}
	switch {
	case len(u.County) != 6:
		f.Add("region_code", "field.required")
	case u.Role == RoleProvince && !AreaCode(u.County):
		f.Add("region_code", "user.area_required")
	case u.Role != RoleProvince && u.Role.Valid() && !CountyCode(u.County):
		f.Add("region_code", "user.county_required")
	}
	if u.Role != RoleProvince && AreaCode(u.Region) {
		f.Add("region", "user.region_area")
	}
	switch u.Role {
	case RoleTownship, RoleVillage:
		if u.Region == "" {
			f.Add("region", "user.region_required")
		}
	case RoleEnterprise:
		if u.EnterpriseID == 0 {
			f.Add("enterprise_id", "user.enterprise_required")
		}
	case RoleDepartment:
		if u.OrgUnitID == 0 {
			f.Add("org_unit_id", "user.org_unit_required")
		}
	}
	return f.Err()
}

// UserFilter selects users.
type UserFilter struct {
	Role   Role
	Query  string
	Limit  int
	Offset int
}

// CheckPassword returns a catalogue key when a new password is too weak, else "".
func CheckPassword(p string) string {
	if len([]rune(p)) < 8 {
		return "password.short"
	}
	return ""
}

// OrgUnit is the command, a department, a township office, or another body that owns work.
type OrgUnit struct {
	ID     int64
	County string
	Kind   string // command, department, township, court, procuratorate
	Name   string
	// Region is the township code for a township office.
	Region string
	// FocusAreas lists the sectors a department supervises, comma separated.
	FocusAreas string
}

// Org unit kinds.
const (
	OrgCommand    = "command"
	OrgDepartment = "department"
	OrgTownship   = "township"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID       int64
	County   string
	At       time.Time
	UserID   int64
	Username string
	IP       string
	Action   string // create, update, delete, login, unmask, ...
	Entity   string // table-like name: users, enterprises, demands...
	EntityID string
	Before   string // JSON, empty for create
	After    string // JSON, empty for delete
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Username string
	Entity   string
	Action   string
	From, To time.Time
	Limit    int
	Offset   int
}
