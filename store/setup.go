package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

// SetupCounts is what a county has of each thing the set-up checklist asks for.
type SetupCounts struct {
	Townships, Villages                int
	Command, Departments, TownshipUnit int // org units by kind, retired ones left out
	People, Liaisons, Leaders          int // accounts that are not disabled
	Enterprises                        int
	EnterprisesWithoutAccount          int
	LiaisonLinks, LeaderLinks          int // current ones
	Channels                           int // group robots in use
	Standards                          int // the resumption checklist's items (列清单、定标准)
	MustChange                         int // accounts whose initial password is unchanged
}

// FindSetupCounts counts, for the set-up checklist, what the caller's county has (admin
// and command).
func (db *DB) FindSetupCounts(ctx context.Context, sc fugong.Scope) (SetupCounts, error) {
	var c SetupCounts
	if err := sc.Allow(fugong.PermSetupView); err != nil {
		return c, err
	}
	for _, q := range []struct {
		into *int
		sql  string
		args []any
	}{
		{&c.Townships, `SELECT COUNT(*) FROM regions WHERE region_code = $1 AND level = $2`, []any{fugong.LevelTownship}},
		{&c.Villages, `SELECT COUNT(*) FROM regions WHERE region_code = $1 AND level = $2`, []any{fugong.LevelVillage}},
		{&c.Command, `SELECT COUNT(*) FROM org_units WHERE region_code = $1 AND kind = $2 AND NOT retired`, []any{fugong.OrgCommand}},
		{&c.Departments, `SELECT COUNT(*) FROM org_units WHERE region_code = $1 AND kind = $2 AND NOT retired`, []any{fugong.OrgDepartment}},
		{&c.TownshipUnit, `SELECT COUNT(*) FROM org_units WHERE region_code = $1 AND kind = $2 AND NOT retired`, []any{fugong.OrgTownship}},
		{&c.People, `SELECT COUNT(*) FROM users WHERE region_code = $1 AND NOT disabled AND role <> $2`, []any{string(fugong.RoleEnterprise)}},
		{&c.Liaisons, `SELECT COUNT(*) FROM users WHERE region_code = $1 AND NOT disabled AND role = $2`, []any{string(fugong.RoleLiaison)}},
		{&c.Leaders, `SELECT COUNT(*) FROM users WHERE region_code = $1 AND NOT disabled AND role = $2`, []any{string(fugong.RoleLeader)}},
		{&c.MustChange, `SELECT COUNT(*) FROM users WHERE region_code = $1 AND NOT disabled AND must_change_password = $2`, []any{true}},
		{&c.Enterprises, `SELECT COUNT(*) FROM enterprises WHERE region_code = $1`, nil},
		{&c.EnterprisesWithoutAccount, `SELECT COUNT(*) FROM enterprises e WHERE e.region_code = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = e.id)`, nil},
		{&c.LiaisonLinks, `SELECT COUNT(*) FROM liaison_assignments WHERE region_code = $1 AND to_date = ''`, nil},
		{&c.LeaderLinks, `SELECT COUNT(*) FROM leader_links WHERE region_code = $1 AND to_date = ''`, nil},
		{&c.Channels, `SELECT COUNT(*) FROM notify_channels WHERE region_code = $1 AND NOT retired`, nil},
		{&c.Standards, `SELECT COUNT(*) FROM checklist_items WHERE region_code = $1`, nil},
	} {
		if err := db.R.QueryRowContext(ctx, q.sql, append([]any{sc.County}, q.args...)...).Scan(q.into); err != nil {
			return c, fmt.Errorf("set-up counts: %w", err)
		}
	}
	return c, nil
}

// MoveEmptyCounty moves the accounts of the caller's county to another county code —
// the first admin's choice on the set-up page — as long as the county holds nothing
// else yet (no regions, org units or enterprises): there is nothing to carry over.
func (db *DB) MoveEmptyCounty(ctx context.Context, sc fugong.Scope, to string) error {
	if err := sc.Allow(fugong.PermSetupEdit); err != nil {
		return err
	}
	if to == sc.County {
		return nil
	}
	defer db.authEpoch.Add(1)
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM regions WHERE region_code = $1) + (SELECT COUNT(*) FROM org_units WHERE region_code = $1)
			+ (SELECT COUNT(*) FROM enterprises WHERE region_code = $1)`, sc.County).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fugong.Invalid(map[string]fugong.Msg{"county": fugong.M("setup.county_fixed")})
		}
		// The accounts and what hangs on them: their sessions, tokens and recovery codes.
		children := []string{"sessions", "api_tokens", "calendar_tokens", "recovery_codes"}
		if db.Dialect.Name == "postgres" {
			// In one statement: the keys (user_id, region_code) → users (id, region_code)
			// (00421) are checked at its end, once the accounts and their rows have all
			// moved; a row left behind fails the move instead of pointing at no account.
			moves := make([]string, len(children))
			for i, t := range children {
				moves[i] = fmt.Sprintf("m%d AS (UPDATE %s SET region_code = $1 WHERE region_code = $2)", i, t)
			}
			q := "WITH " + strings.Join(moves, ", ") + " UPDATE users SET region_code = $1 WHERE region_code = $2"
			if _, err := tx.ExecContext(ctx, q, to, sc.County); err != nil {
				return fmt.Errorf("move users to county %s: %w", to, err)
			}
		} else {
			for _, t := range append([]string{"users"}, children...) {
				if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET region_code = $1 WHERE region_code = $2`, to, sc.County); err != nil {
					return fmt.Errorf("move %s to county %s: %w", t, to, err)
				}
			}
		}
		return db.Audit(ctx, tx, to, "update", "counties", to, map[string]string{"county": sc.County}, map[string]string{"county": to})
	})
}
