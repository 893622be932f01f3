// Package regions ships the official region codes fugong needs without a network:
// 湖南省, its cities, counties and townships (GB/T 2260 and the statistics bureau's 2023
// division codes), for the demo county and the province-scale generator.
package regions

import (
	"bytes"
	_ "embed"

	"fugong"
)

//go:embed hunan.csv
var hunan []byte

// Hunan returns every region of the shipped list, parents before children.
func Hunan() ([]fugong.Region, error) {
	rs, _, err := fugong.ParseRegionsCSV(bytes.NewReader(hunan))
	return rs, err
}

// Subtree returns the province, city and county above county and the county's townships.
func Subtree(all []fugong.Region, county string) []fugong.Region {
	var out []fugong.Region
	for _, r := range all {
		switch {
		case r.Code == county[:2]+"0000", r.Code == county[:4]+"00", r.Code == county:
			out = append(out, r)
		case r.Level == fugong.LevelTownship && r.ParentCode == county:
			out = append(out, r)
		}
	}
	return out
}
