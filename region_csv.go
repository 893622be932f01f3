package fugong

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// RegionLine is one line of a regions list as read, with its line number: the cells of
// the columns code, name, parent_code and level.
type RegionLine struct {
	Line                          int
	Code, Name, ParentCode, Level string
}

// ParseRegionsCSV reads regions from CSV with the header code,name,parent_code,level
// (the layout of the statistics bureau's list as the project keeps it). It returns the
// regions and, for each, its line number; every malformed line is named in an invalid
// error and nothing is returned then.
func ParseRegionsCSV(r io.Reader) ([]Region, []int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, nil, Invalid(map[string]Msg{"file": M("region.columns")})
	}
	want := []string{"code", "name", "parent_code", "level"}
	if len(head) < 4 {
		return nil, nil, Invalid(map[string]Msg{"file": M("region.columns")})
	}
	for i, w := range want {
		if strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff")) != w {
			return nil, nil, Invalid(map[string]Msg{"file": M("region.columns")})
		}
	}
	var lines []RegionLine
	f := FieldErrors{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				f.Add(CellKey(pe.Line, ""), "region.bad_line")
				break
			}
			return nil, nil, err
		}
		if len(rec) != 4 {
			f.Add(CellKey(line, ""), "region.bad_line")
			continue
		}
		lines = append(lines, RegionLine{Line: line, Code: rec[0], Name: rec[1], ParentCode: rec[2], Level: rec[3]})
	}
	return RegionsFromLines(lines, nil, f)
}

// RegionHeaders are the headers a regions sheet may give each of its columns: the
// project's own (code, name, parent_code, level) or the Chinese an office types, as the
// statistics bureau's list names them (统计用区划代码, 名称, 上级区划代码, 级别).
var RegionHeaders = map[string][]string{
	"code":        {"code", "区划代码", "统计用区划代码", "代码"},
	"name":        {"name", "名称", "区划名称", "村（社区）名称"},
	"parent_code": {"parent_code", "上级区划代码", "上级代码", "所属乡镇代码"},
	"level":       {"level", "级别", "层级", "类别"},
}

// regionLevelWords are the words an office writes for a level.
var regionLevelWords = map[string]string{
	"省": LevelProvince, "市": LevelCity, "州": LevelCity, "县": LevelCounty, "区": LevelCounty, "县市区": LevelCounty,
	"乡": LevelTownship, "镇": LevelTownship, "乡镇": LevelTownship, "街道": LevelTownship, "乡镇街道": LevelTownship, "乡镇（街道）": LevelTownship,
	"村": LevelVillage, "社区": LevelVillage, "村社区": LevelVillage, "村（社区）": LevelVillage, "居委会": LevelVillage, "村委会": LevelVillage,
}

// RegionLevelOf reads a level cell: province, city, county, township or village, or the
// Chinese word for one (乡镇, 街道, 村, 社区…). Anything else is answered as written, for
// the check to name.
func RegionLevelOf(cell string) string {
	cell = strings.TrimSpace(cell)
	if l, ok := regionLevelWords[cell]; ok {
		return l
	}
	return cell
}

// RegionsFromLines checks the lines of a regions list and answers their regions and line
// numbers, or an invalid error naming every bad cell (with those already in f). code
// reads a code cell, nil taking it as it is: a sheet saved by a spreadsheet may hold a
// code as a number (430821108000, or 4.30821108E+11), which code gives back as its
// digits, and false when digits are known lost. A code that was a number is taken only
// when its digits make a code of the right shape — 4.30821E+11, what a spreadsheet shows
// of 430821108000 in a narrow column, makes none — and otherwise named, the column to be
// made text and the codes typed again.
func RegionsFromLines(lines []RegionLine, code func(cell string) (string, bool), f FieldErrors) ([]Region, []int, error) {
	if f == nil {
		f = FieldErrors{}
	}
	var out []Region
	var nums []int
	for _, l := range lines {
		rg := Region{Code: strings.TrimSpace(l.Code), Name: strings.TrimSpace(l.Name), ParentCode: strings.TrimSpace(l.ParentCode), Level: RegionLevelOf(l.Level)}
		bad := false
		if code != nil {
			var exact bool
			for _, c := range []struct {
				col string
				v   *string
			}{{"code", &rg.Code}, {"parent_code", &rg.ParentCode}} {
				raw := *c.v
				if *c.v, exact = code(raw); !exact || *c.v != raw && !wellFormedCode(*c.v, rg.Level, c.col == "parent_code") {
					f.Add(CellKey(l.Line, c.col), "sheet.code_lost", raw)
					bad = true
				}
			}
		}
		if bad {
			continue
		}
		if !ValidLevel(rg.Level) {
			f.Add(CellKey(l.Line, "level"), "region.level")
			continue
		}
		if k := CheckRegionCode(rg.Code, rg.Level); k != "" {
			f.Add(CellKey(l.Line, "code"), k)
			continue
		}
		out = append(out, rg)
		nums = append(nums, l.Line)
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	return out, nums, nil
}

// wellFormedCode tells whether code is of the right shape for a region of level or, for
// a parent, for a region of any level.
func wellFormedCode(code, level string, parent bool) bool {
	if !parent {
		return CheckRegionCode(code, level) == ""
	}
	for l := range levelOrder {
		if CheckRegionCode(code, l) == "" {
			return true
		}
	}
	return false
}
