package fugong

import (
	"math"
	"sort"
	"strings"
)

// Fit weights: how much each part of a match counts, out of 100.
const (
	FitSkill    = 40 // a skill the job asks for
	FitWanted   = 15 // the work the seeker wants
	FitWage     = 20 // the wage meets what the seeker hopes for
	FitDistance = 25 // the same village; less the farther away
)

// Match is one candidate with its fit and the reasons, in the user's language.
type Match struct {
	Posting JobPosting
	Seeker  JobSeeker
	Score   int
	Reasons []Msg
}

// Fit scores how well a posting suits a seeker, 0 to 100, with the reason for each part:
// skills, the work wanted, the wage, and the distance from the seeker's village to the
// workplace — by coordinates when both are known, else by region (same village, same
// township, same county). A seeker who can start only after the posting closes loses points.
func Fit(s JobSeeker, p JobPosting) (int, []Msg) { return fit(s, p, postingText(p)) }

// postingText is what a seeker's skills are looked for in.
func postingText(p JobPosting) string {
	return p.Title + " " + p.Requirements + " " + strings.Join(p.Skills, " ")
}

func fit(s JobSeeker, p JobPosting, text string) (int, []Msg) {
	score := 0
	why := make([]Msg, 0, 5)
	var hit []string
	for _, k := range s.Skills {
		if strings.Contains(text, k) {
			hit = append(hit, k)
		}
	}
	switch {
	case len(hit) > 0:
		score += FitSkill
		why = append(why, M("match.skill", strings.Join(hit, "、")))
	case len(p.Skills) == 0:
		score += FitSkill / 2
		why = append(why, M("match.no_skill_needed"))
	}
	for _, w := range SplitWords(s.Wanted) {
		if strings.Contains(p.Title, w) || strings.Contains(w, p.Title) {
			score += FitWanted
			why = append(why, M("match.wanted", w))
			break
		}
	}
	switch {
	case s.WageExpect == 0:
		score += FitWage * 3 / 4
		why = append(why, M("match.wage", p.WageMin, p.WageMax))
	case p.WageMax >= s.WageExpect:
		score += FitWage
		why = append(why, M("match.wage_meets", p.WageMax, s.WageExpect))
	default:
		score += FitWage * p.WageMax / s.WageExpect / 2
		why = append(why, M("match.wage_below", p.WageMax, s.WageExpect))
	}
	d, m := distanceFit(s, p)
	score += d
	why = append(why, m)
	if s.Available != "" && p.ValidUntil != "" && s.Available > p.ValidUntil {
		score -= 10
		why = append(why, M("match.available_late", s.Available))
	}
	return max(0, score), why
}

func distanceFit(s JobSeeker, p JobPosting) (int, Msg) {
	if s.Lat != 0 && s.Lng != 0 && p.Lat != 0 && p.Lng != 0 {
		km := Kilometres(s.Lat, s.Lng, p.Lat, p.Lng)
		pts := 0
		switch {
		case km <= 5:
			pts = FitDistance
		case km <= 15:
			pts = FitDistance * 7 / 10
		case km <= 40:
			pts = FitDistance * 4 / 10
		}
		return pts, M("match.distance_km", int(math.Round(km)))
	}
	switch {
	case p.Village != "" && p.Village == s.Village:
		return FitDistance, M("match.same_village")
	case p.Township != "" && p.Township == s.Township:
		return FitDistance * 7 / 10, M("match.same_township")
	case p.County != "" && p.County == s.County:
		return FitDistance * 4 / 10, M("match.same_county")
	}
	return 0, M("match.far")
}

// Kilometres is the great-circle distance between two points.
func Kilometres(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// RankPostings orders postings for a seeker: the better fit first; on an equal fit, the
// posting that is near home, then the higher wage, then the older posting.
func RankPostings(s JobSeeker, ps []JobPosting) []Match {
	out := make([]Match, len(ps))
	for i, p := range ps {
		sc, why := Fit(s, p)
		out[i] = Match{Posting: p, Seeker: s, Score: sc, Reasons: why}
	}
	return rank(out, func(a, b *Match) bool {
		if a.Posting.NearHome != b.Posting.NearHome {
			return a.Posting.NearHome
		}
		if a.Posting.WageMax != b.Posting.WageMax {
			return a.Posting.WageMax > b.Posting.WageMax
		}
		return a.Posting.ID < b.Posting.ID
	})
}

// RankSeekers orders seekers for a posting: the better fit first; on an equal fit, a poor
// household (建档立卡) first — the county's rule of priority for poor households — then
// the earlier registration.
func RankSeekers(p JobPosting, ss []JobSeeker) []Match {
	out := make([]Match, len(ss))
	text := postingText(p)
	for i, s := range ss {
		sc, why := fit(s, p, text)
		if s.Poor {
			why = append(why, M("match.poor"))
		}
		out[i] = Match{Posting: p, Seeker: s, Score: sc, Reasons: why}
	}
	return rank(out, func(a, b *Match) bool {
		if a.Seeker.Poor != b.Seeker.Poor {
			return a.Seeker.Poor
		}
		return a.Seeker.ID < b.Seeker.ID
	})
}

// rank sorts by score, the higher first, and breaks ties with before. It sorts indices,
// not the large Match values, and copies each once.
func rank(ms []Match, before func(a, b *Match) bool) []Match {
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := &ms[idx[i]], &ms[idx[j]]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return before(a, b)
	})
	out := make([]Match, len(ms))
	for i, k := range idx {
		out[i] = ms[k]
	}
	return out
}
