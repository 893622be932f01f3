package store

import (
	"context"
	"fmt"
	"slices"

	"fugong"
)

// MatchPostingsFor ranks the postings open on today for a seeker in the caller's scope.
func (db *DB) MatchPostingsFor(ctx context.Context, sc fugong.Scope, seekerID int64, today string) (fugong.JobSeeker, []fugong.Match, error) {
	s, err := db.FindJobSeeker(ctx, sc, seekerID)
	if err != nil {
		return s, nil, err
	}
	ps, _, err := db.FindPublicJobPostings(ctx, s.County, fugong.JobPostingFilter{OpenOn: today, Limit: 1000})
	if err != nil {
		return s, nil, err
	}
	return s, fugong.RankPostings(s, ps), nil
}

// MatchSeekersFor ranks the seekers in the caller's scope for a posting it may see.
func (db *DB) MatchSeekersFor(ctx context.Context, sc fugong.Scope, postingID int64) (fugong.JobPosting, []fugong.Match, error) {
	p, err := db.FindJobPosting(ctx, sc, postingID)
	if err != nil {
		return p, nil, err
	}
	ss, _, err := db.FindJobSeekers(ctx, sc, fugong.JobSeekerFilter{Limit: 1000})
	if err != nil {
		return p, nil, err
	}
	placed, err := db.placedSeekers(ctx, sc.County)
	if err != nil {
		return p, nil, err
	}
	ss = slices.DeleteFunc(ss, func(s fugong.JobSeeker) bool { return placed[s.ID] })
	return p, fugong.RankSeekers(p, ss), nil
}

// placedSeekerIDs is the clause of the seekers who have a job (fugong.PlacedStates).
func placedSeekerIDs(a *args) string {
	return `SELECT seeker_id FROM referrals WHERE state IN (` + a.add(fugong.PlacedStates[0]) + `, ` + a.add(fugong.PlacedStates[1]) + `)`
}

// placedSeekers lists the county's seekers who have a job.
func (db *DB) placedSeekers(ctx context.Context, county string) (map[int64]bool, error) {
	var a args
	rows, err := db.R.QueryContext(ctx, placedSeekerIDs(&a)+` AND region_code = `+a.add(county), a.vals...)
	if err != nil {
		return nil, fmt.Errorf("placed seekers: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
