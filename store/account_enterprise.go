package store

import (
	"context"
	"fmt"

	"fugong"
)

// FindEnterprisesWithoutAccount lists the enterprises of the caller's county (admin) that
// no account belongs to yet, by township and name: those the registry can give one in bulk.
func (db *DB) FindEnterprisesWithoutAccount(ctx context.Context, sc fugong.Scope) ([]fugong.Enterprise, error) {
	if err := sc.Require(fugong.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+enterpriseCols+` FROM enterprises e
		WHERE e.region_code = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = e.id) ORDER BY e.township, e.name, e.id`, sc.County)
	if err != nil {
		return nil, fmt.Errorf("find enterprises without an account: %w", err)
	}
	defer rows.Close()
	var out []fugong.Enterprise
	for rows.Next() {
		var e fugong.Enterprise
		if err := scanEnterprise(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
