package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fugong"
	"fugong/i18n"
	"fugong/jobs"
	"fugong/rules"
	"fugong/store"
)

// policyEnv builds the policy workflow's dependencies and registers the job that
// recomputes an enterprise's entitlements after its facts change.
func policyEnv(db *store.DB, runner *jobs.Runner, cat *i18n.Catalog, loc *time.Location) (store.PolicyEnv, error) {
	eng, err := rules.New()
	if err != nil {
		return store.PolicyEnv{}, err
	}
	env := store.PolicyEnv{Rules: eng, Loc: loc, Text: store.Chinese(cat)}
	runner.Handle(store.JobRecompute, func(ctx context.Context, j fugong.Job) error {
		id, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			return fmt.Errorf("recompute payload %q: %w", j.Payload, err)
		}
		_, err = db.RecomputeEnterprise(ctx, env, j.County, id)
		return err
	})
	return env, nil
}
