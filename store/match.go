package store

import (
	"context"

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
	return p, fugong.RankSeekers(p, ss), nil
}
