package fugong

import "testing"

func TestAbout(t *testing.T) {
	for _, tt := range []struct {
		n    int
		key  string
		want int
	}{
		{196, "about.near", 200}, {195, "about.near", 200}, {200, "about.exact", 200}, {201, "about.over", 200},
		{204, "about.over", 200}, {205, "about.near", 210}, {7, "about.exact", 7}, {0, "about.exact", 0},
	} {
		if key, v := About(tt.n); key != tt.key || v != tt.want {
			t.Errorf("About(%d) = %s %d, want %s %d", tt.n, key, v, tt.key, tt.want)
		}
	}
}

func TestMayReportWorkshop(t *testing.T) {
	w := Workshop{EnterpriseID: 5, Township: "430821100000", Village: "430821100201"}
	for _, tt := range []struct {
		sc   Scope
		want bool
	}{
		{Scope{Role: RoleEnterprise, EnterpriseID: 5}, true},
		{Scope{Role: RoleEnterprise, EnterpriseID: 6}, false},
		{Scope{Role: RoleVillage, Region: "430821100201"}, true},
		{Scope{Role: RoleVillage, Region: "430821100202"}, false},
		{Scope{Role: RoleTownship, Region: "430821100000"}, true},
		{Scope{Role: RoleTownship, Region: "430821101000"}, false},
		{Scope{Role: RoleCommand}, true},
		{Scope{Role: RoleDepartment}, false},
	} {
		if got := MayReportWorkshop(tt.sc, w); got != tt.want {
			t.Errorf("%s %d %s: %v, want %v", tt.sc.Role, tt.sc.EnterpriseID, tt.sc.Region, got, tt.want)
		}
	}
}
