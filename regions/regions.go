// Package regions ships the official region codes fugong needs without a network:
// 湖南省, its cities, counties, townships and villages (GB/T 2260 and the statistics
// bureau's 2023 division codes), for the set-up page, the demo county and the
// province-scale generator.
package regions

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"

	"fugong"
)

//go:embed hunan.csv
var hunan []byte

// hunanVillages are the province's villages and communities (村/社区, the bureau's 2023
// codes), made by villages.sh: the set-up page loads a county's with its townships.
//
//go:embed hunan-villages.csv.gz
var hunanVillages []byte

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

// Villages returns the villages and communities of county (a 6-digit code), each under
// its township.
func Villages(county string) ([]fugong.Region, error) {
	zr, err := gzip.NewReader(bytes.NewReader(hunanVillages))
	if err != nil {
		return nil, err
	}
	all, _, err := fugong.ParseRegionsCSV(zr)
	if err != nil {
		return nil, err
	}
	var out []fugong.Region
	for _, r := range all {
		if strings.HasPrefix(r.Code, county) {
			out = append(out, r)
		}
	}
	return out, nil
}
