package fugong

import (
	"strings"
	"testing"
)

func TestCheckRegionCode(t *testing.T) {
	tests := []struct{ code, level, want string }{
		{"430000", LevelProvince, ""},
		{"430800", LevelCity, ""},
		{"430821", LevelCounty, ""},
		{"430821108000", LevelTownship, ""},
		{"430821108201", LevelVillage, ""},
		{"430800", LevelProvince, "region.code_province"},
		{"430821", LevelCity, "region.code_city"},
		{"430800", LevelCounty, "region.code_county"},
		{"430821108", LevelTownship, "region.code_township"},
		{"430821108000", LevelVillage, "region.code_village"},
		{"43082a", LevelCounty, "region.code_digits"},
		{"", LevelCounty, "region.code_digits"},
		{"430821", "town", "region.level"},
	}
	for _, tt := range tests {
		if got := CheckRegionCode(tt.code, tt.level); got != tt.want {
			t.Errorf("CheckRegionCode(%q, %q) = %q, want %q", tt.code, tt.level, got, tt.want)
		}
	}
}

func TestIsParentOf(t *testing.T) {
	county := Region{Code: "430821", Level: LevelCounty}
	town := Region{Code: "430821108000", Level: LevelTownship}
	village := Region{Code: "430821108201", Level: LevelVillage}
	other := Region{Code: "430822100000", Level: LevelTownship}
	if !county.IsParentOf(town) || !town.IsParentOf(village) {
		t.Error("a county is the parent of its townships, a township of its villages")
	}
	if county.IsParentOf(other) || county.IsParentOf(village) || town.IsParentOf(town) {
		t.Error("parenthood across counties or levels")
	}
}

func TestParseRegionsCSVNamesEveryBadLine(t *testing.T) {
	in := "code,name,parent_code,level\n430821,慈利县,430800,county\n43082,坏,430821,township\n430821108000,苗市镇,430821,township\n430821108000,多一列,430821,township,x\n"
	_, _, err := ParseRegionsCSV(strings.NewReader(in))
	e := AsError(err)
	if e.Code != EINVALID {
		t.Fatalf("want invalid, got %v", err)
	}
	if _, ok := e.Fields[CellKey(3, "code")]; !ok {
		t.Errorf("line 3 (a five-digit code) not named: %v", e.Fields)
	}
	if _, ok := e.Fields[CellKey(5, "")]; !ok {
		t.Errorf("line 5 (an extra column) not named: %v", e.Fields)
	}
	if len(e.Fields) != 2 {
		t.Errorf("only the bad lines should be named: %v", e.Fields)
	}
	rs, lines, err := ParseRegionsCSV(strings.NewReader("\ufeffcode,name,parent_code,level\n430821,慈利县,430800,county\n"))
	if err != nil || len(rs) != 1 || lines[0] != 2 || rs[0].Name != "慈利县" {
		t.Fatalf("a good file with a BOM: %v %v %v", rs, lines, err)
	}
	if _, _, err := ParseRegionsCSV(strings.NewReader("a,b\n")); AsError(err).Fields["file"].Key != "region.columns" {
		t.Errorf("a wrong header should be named: %v", err)
	}
}

func FuzzParseRegionsCSV(f *testing.F) {
	f.Add("code,name,parent_code,level\n430821,慈利县,430800,county\n")
	f.Add("code,name,parent_code,level\n\"43\n0821\",x,,county\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		rs, lines, err := ParseRegionsCSV(strings.NewReader(in))
		if err != nil {
			if AsError(err).Code != EINVALID {
				t.Fatalf("a bad file gave %v, not a clear invalid error", err)
			}
			return
		}
		if len(rs) != len(lines) {
			t.Fatal("regions and line numbers differ in length")
		}
		for _, r := range rs {
			if CheckRegionCode(r.Code, r.Level) != "" {
				t.Fatalf("accepted a bad code %q", r.Code)
			}
		}
	})
}

// FuzzCheckRegionCode: any text at any level gets an answer, never a panic, and a code
// taken as well formed has the shape GB/T 2260 gives its level.
func FuzzCheckRegionCode(f *testing.F) {
	for _, s := range []struct{ code, level string }{
		{"430000", LevelProvince}, {"430800", LevelCity}, {"430821", LevelCounty}, {"430821108000", LevelTownship},
		{"430821108201", LevelVillage}, {"43082a", LevelCounty}, {"", LevelVillage}, {"４３０８２１", LevelCounty}, {"430821", "town"},
	} {
		f.Add(s.code, s.level)
	}
	f.Fuzz(func(t *testing.T, code, level string) {
		key := CheckRegionCode(code, level)
		if key != "" {
			if !strings.HasPrefix(key, "region.") {
				t.Fatalf("CheckRegionCode(%q, %q) = %q: not a region message", code, level, key)
			}
			return
		}
		want := map[string]int{LevelProvince: 6, LevelCity: 6, LevelCounty: 6, LevelTownship: 12, LevelVillage: 12}[level]
		if len(code) != want || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("CheckRegionCode(%q, %q) accepted a code of the wrong shape", code, level)
		}
	})
}
