package store

import (
	"context"

	"fugong"
)

// FindEnterprisesWithoutAccount lists the enterprises of the caller's county (admin) that
// no account belongs to yet, by township and name: those the registry can give one in bulk.
func (db *DB) FindEnterprisesWithoutAccount(ctx context.Context, sc fugong.Scope) ([]fugong.Enterprise, error) {
	if err := sc.Allow(fugong.PermUserEdit); err != nil {
		return nil, err
	}
	return queryEnterprises(ctx, db.R, "find enterprises without an account",
		` WHERE e.region_code = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = e.id) ORDER BY e.township, e.name, e.id`, sc.County)
}
