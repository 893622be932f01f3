package fugong

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// Every transition of the demand state machine has its row in the permission table, and
// every row names known roles once each.
func TestPermissionsComplete(t *testing.T) {
	for _, tr := range DemandTransitions {
		if len(tr.Roles()) == 0 {
			t.Errorf("transition %s: nobody may take it", tr.Action)
		}
	}
	seen := map[Action]bool{}
	for _, p := range Permissions {
		if seen[p.Action] {
			t.Errorf("%s twice in Permissions", p.Action)
		}
		seen[p.Action] = true
		roles := map[Role]bool{}
		for _, r := range p.Roles {
			if !r.Valid() || roles[r] {
				t.Errorf("%s: role %q unknown or repeated", p.Action, r)
			}
			roles[r] = true
		}
	}
	for a, own := range OwnOnly {
		for _, r := range own {
			if !r.Can(a) {
				t.Errorf("OwnOnly narrows %s for %s, whom the table does not let take it at all", a, r)
			}
		}
	}
}

// A department writes its own policies and pays what it pays, not another department's;
// the county's command may do either for any; a leader neither.
func TestCanOnOwnOrgUnit(t *testing.T) {
	dept := Scope{Role: RoleDepartment, OrgUnitID: 7}
	for _, c := range []struct {
		sc    Scope
		a     Action
		owner int64
		want  bool
	}{
		{dept, PermPolicyEdit, 7, true},
		{dept, PermPolicyEdit, 8, false},
		{dept, PermEntitlementPay, 0, false},
		{Scope{Role: RoleDepartment}, PermEntitlementReview, 0, false},
		{Scope{Role: RoleCommand}, PermEntitlementPay, 8, true},
		{Scope{Role: RoleLeader}, PermPolicyEdit, 0, false},
		{dept, PermReferral, 99, true}, // a row OwnOnly does not narrow
	} {
		if got := c.sc.CanOn(c.a, c.owner); got != c.want {
			t.Errorf("%s %s on org unit %d: %v, want %v", c.sc.Role, c.a, c.owner, got, c.want)
		}
		if err := c.sc.AllowOn(c.a, c.owner); (err == nil) != c.want {
			t.Errorf("AllowOn disagrees with CanOn: %v", err)
		}
	}
}

// Leaders oversee: they urge, they do not solve or dispatch a department's demand.
func TestLeaderOnlyUrges(t *testing.T) {
	if !RoleLeader.Can(PermDemandUrge) {
		t.Fatal("a leader cannot urge")
	}
	for _, st := range DemandStates {
		if acts := ActionsFor(st, RoleLeader); len(acts) != 0 {
			t.Errorf("leader may %v a demand in state %s", acts, st)
		}
	}
	if _, err := FindTransition(ActSolve, DemandDispatched, RoleLeader); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("leader solving a dispatched demand: %v, want forbidden", err)
	}
}

var update = flag.Bool("update", false, "rewrite the README's permission table from Permissions")

// The README's permission table is the one generated from Permissions, so the document
// cannot say something the code does not do.
func TestReadmePermissions(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const open, end = "-->\n", "<!-- /permissions -->"
	s := string(b)
	i := strings.Index(s, "<!-- permissions:")
	j := strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the <!-- permissions: … --> … <!-- /permissions --> section")
	}
	i += strings.Index(s[i:], open) + len(open)
	want := PermissionTable()
	if s[i:j] == want {
		return
	}
	if *update {
		if err := os.WriteFile("README.md", []byte(s[:i]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's permission table differs from permission.go; run go test -run TestReadmePermissions -update")
}

// The dashboard's drill-down narrows a county-wide caller to one township of their county
// and never widens anyone.
func TestNarrow(t *testing.T) {
	county := Scope{Role: RoleCommand, County: "430821"}
	if n := county.Narrow("430821101000"); n.Role != RoleTownship || n.Region != "430821101000" {
		t.Errorf("command narrowed to a township: %+v", n)
	}
	for _, code := range []string{"", "430821", "430821000000", "430822101000", "430821101001", "4308211010"} {
		if n := county.Narrow(code); n.Role != RoleCommand {
			t.Errorf("Narrow(%q) changed the scope: %+v", code, n)
		}
	}
	town := Scope{Role: RoleTownship, County: "430821", Region: "430821001000"}
	if n := town.Narrow("430821101000"); n.Role != town.Role || n.Region != town.Region {
		t.Errorf("a township officer looked at another township: %+v", n)
	}
}
