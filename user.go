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
	Rank         string // 职级, e.g. 副科级, for liaisons (选派)
	Title        string // 职务, the post held, e.g. 副局长 (the staff sheet's column)
	Phone        string
	Disabled     bool
	// MustChangePassword is set on an account the office made or reset: its owner
	// changes the initial password at first login before anything else.
	MustChangePassword bool
	CreatedAt          time.Time
	Version            int64
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

// MinPasswordLength is the shortest password accepted (等保 2.0 level 3 asks for
// complexity; ten characters of two classes resist an offline guess far longer than eight).
const MinPasswordLength = 10

// commonPasswords are passwords that guessing lists try first; a password equal to one
// of them (ignoring case) is refused even when it passes the other rules.
var commonPasswords = map[string]bool{
	"1234567890": true, "12345678910": true, "0123456789": true, "1qaz2wsx3edc": true,
	"1q2w3e4r5t": true, "1q2w3e4r5t6y": true, "a123456789": true, "a1234567890": true,
	"abc1234567": true, "abcd123456": true, "admin12345": true, "admin123456": true,
	"admin@1234": true, "admin@123456": true, "password1": true, "password12": true,
	"password123": true, "password1234": true, "p@ssw0rd123": true, "passw0rd123": true,
	"qwerty1234": true, "qwerty123456": true, "qwertyuiop1": true, "woaini1314": true,
	"woaini520520": true, "iloveyou12": true, "zxcvbnm123": true, "asdf123456": true,
	"123456abcd": true, "123456qwer": true, "aa12345678": true, "qq123456789": true,
	"test123456": true, "fugong12345": true, "fugong@123": true, "fugong@2020": true,
}

// CheckPassword returns a catalogue key when a new password for the account username
// is too weak, else "". The rule, for every path that sets a password (CLI, pages, API):
// at least MinPasswordLength characters, characters of at least two classes (lower case,
// upper case, digits, others), not the username (nor holding it, for names of four or
// more characters), and not in a list of common passwords.
// username may be empty when one password is set for many accounts (the demo).
func CheckPassword(username, p string) string {
	if len([]rune(p)) < MinPasswordLength {
		return "password.short"
	}
	var lower, upper, digit, other int
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < 2 {
		return "password.one_class"
	}
	l := strings.ToLower(p)
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" && (l == u || len(u) >= 4 && strings.Contains(l, u)) {
		return "password.username"
	}
	if commonPasswords[l] {
		return "password.common"
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
	// Retired marks a unit no longer in use: kept for the records that name it, gone
	// from every choice.
	Retired bool
	Version int64
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
