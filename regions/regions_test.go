package regions

import (
	"testing"

	"fugong"
)

// Every shipped village sits under a township of the shipped list, and a county's
// villages are its own: 慈利县 has the bureau's 430 villages and communities.
func TestVillagesSitUnderShippedTownships(t *testing.T) {
	all, err := Hunan()
	if err != nil {
		t.Fatal(err)
	}
	towns := map[string]fugong.Region{}
	for _, r := range all {
		if r.Level == fugong.LevelTownship {
			towns[r.Code] = r
		}
	}
	vs, err := Villages("430821")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 430 {
		t.Errorf("慈利县 has %d villages, want the bureau's 430", len(vs))
	}
	for _, v := range vs {
		p, ok := towns[v.ParentCode]
		if v.Level != fugong.LevelVillage || !ok || !p.IsParentOf(v) || v.Code[:6] != "430821" {
			t.Fatalf("village %+v is not under a township of 慈利县", v)
		}
	}
	province, err := Villages("43")
	if err != nil {
		t.Fatal(err)
	}
	orphans := 0
	for _, v := range province {
		if _, ok := towns[v.ParentCode]; !ok {
			orphans++
		}
	}
	if len(province) < 29000 || orphans != 0 {
		t.Errorf("%d villages in 湖南省, %d under no shipped township", len(province), orphans)
	}
}
