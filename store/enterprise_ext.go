package store

import (
	"context"

	"fugong"
)

// FindEnterpriseIDByUSCC returns the id of the enterprise in the caller's scope with
// that credit code.
func (db *DB) FindEnterpriseIDByUSCC(ctx context.Context, sc fugong.Scope, uscc string) (int64, error) {
	var a args
	var id int64
	err := db.R.QueryRowContext(ctx, `SELECT e.id FROM enterprises e WHERE e.uscc = `+a.add(uscc)+` AND `+EnterpriseScope(sc, "e", &a), a.vals...).Scan(&id)
	return id, mapErr(err)
}
