package fugong

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

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
	var out []Region
	var lines []int
	f := FieldErrors{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				f.Add(fmt.Sprintf("line %d", pe.Line), "region.bad_line")
				break
			}
			return nil, nil, err
		}
		if len(rec) != 4 {
			f.Add(fmt.Sprintf("line %d", line), "region.bad_line")
			continue
		}
		rg := Region{Code: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), ParentCode: strings.TrimSpace(rec[2]), Level: strings.TrimSpace(rec[3])}
		if k := CheckRegionCode(rg.Code, rg.Level); k != "" {
			f.Add(fmt.Sprintf("line %d", line), k)
			continue
		}
		out = append(out, rg)
		lines = append(lines, line)
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	return out, lines, nil
}
