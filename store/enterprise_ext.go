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

// EnterpriseUSCC returns an enterprise's credit code, for ledgers that name enterprises by it.
func (db *DB) EnterpriseUSCC(ctx context.Context, id int64) (string, error) {
	var uscc string
	err := db.R.QueryRowContext(ctx, `SELECT uscc FROM enterprises WHERE id = $1`, id).Scan(&uscc)
	return uscc, mapErr(err)
}

// FindKeyProjectIDByName returns the id of the key project in the caller's scope with that name.
func (db *DB) FindKeyProjectIDByName(ctx context.Context, sc fugong.Scope, name string) (int64, error) {
	var a args
	var id int64
	err := db.R.QueryRowContext(ctx, `SELECT p.id FROM key_projects p WHERE p.name = `+a.add(name)+` AND `+projectScope(sc, &a)+` ORDER BY p.id LIMIT 1`, a.vals...).Scan(&id)
	return id, mapErr(err)
}
