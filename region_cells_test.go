package fugong_test

import (
	"testing"

	"fugong"
	"fugong/xlsx"
)

// A regions list that went through a spreadsheet holds its codes as numbers: an exact
// one is taken; one the spreadsheet showed in fewer digits than the code has (4.30821E+11
// for 430821108000) is named with what to do.
func TestRegionsFromLinesReadsCodesTypedAsNumbers(t *testing.T) {
	lines := []fugong.RegionLine{
		{Line: 2, Code: "430821108000", Name: "苗市镇", ParentCode: "430821", Level: "township"},
		{Line: 3, Code: "4.30821108903E+11", Name: "新村", ParentCode: "430821108000.0", Level: "village"},
		{Line: 4, Code: "4.30821E+11", Name: "坏镇", ParentCode: "430821", Level: "township"},
		{Line: 5, Code: "430821108904", Name: "坏村", ParentCode: "4.30821E+11", Level: "village"},
		{Line: 6, Code: "4.3082110890512E+17", Name: "太长", ParentCode: "430821108000", Level: "village"},
	}
	_, _, err := fugong.RegionsFromLines(lines, xlsx.Code, nil)
	e := fugong.AsError(err)
	want := map[string]string{
		fugong.CellKey(4, "code"):        "4.30821E+11",
		fugong.CellKey(5, "parent_code"): "4.30821E+11",
		fugong.CellKey(6, "code"):        "4.3082110890512E+17",
	}
	if len(e.Fields) != len(want) {
		t.Errorf("named %v, want %v", e.Fields, want)
	}
	for k, v := range want {
		if m := e.Fields[k]; m.Key != "sheet.code_lost" || len(m.Args) != 1 || m.Args[0] != v {
			t.Errorf("%s: %v, want sheet.code_lost %s", k, m, v)
		}
	}
	rs, nums, err := fugong.RegionsFromLines(lines[:2], xlsx.Code, nil)
	if err != nil || len(rs) != 2 || rs[1].Code != "430821108903" || rs[1].ParentCode != "430821108000" || nums[1] != 3 {
		t.Fatalf("exact numbers: %+v %v %v", rs, nums, err)
	}
}

func FuzzRegionsFromLines(f *testing.F) {
	f.Add("4.30821108903E+11", "430821108000", "village")
	f.Add("4.30821E+11", "430821", "township")
	f.Add(" 430821 ", "430800", "county")
	f.Fuzz(func(t *testing.T, code, parent, level string) {
		rs, _, err := fugong.RegionsFromLines([]fugong.RegionLine{{Line: 2, Code: code, Name: "x", ParentCode: parent, Level: level}}, xlsx.Code, nil)
		if err != nil {
			if e := fugong.AsError(err); e.Code != fugong.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("%q %q %q: %v, not a cell named", code, parent, level, err)
			}
			return
		}
		if len(rs) != 1 || fugong.CheckRegionCode(rs[0].Code, rs[0].Level) != "" {
			t.Fatalf("%q %q %q taken as %+v", code, parent, level, rs)
		}
	})
}
