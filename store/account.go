package store

import (
	"context"
	"database/sql"
	"fmt"

	"fugong"
)

// Accounts the office makes (admin): each gets an initial password, kept sealed for the
// printable hand-out list until its owner changes it at first login.

// checkAccount validates u against the county: its org unit, township or village and
// enterprise must be the county's own.
func (db *DB) checkAccount(ctx context.Context, q Querier, u *fugong.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	if u.OrgUnitID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units WHERE id = $1 AND region_code = $2 AND NOT retired`, u.OrgUnitID, u.County).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("org_unit_id", "user.org_unit_unknown")
		}
	}
	if u.Region != "" {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code = $1 AND region_code = $2 AND level IN ($3, $4)`,
			u.Region, u.County, fugong.LevelTownship, fugong.LevelVillage).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("region", "setup.township_missing", u.Region)
		}
	}
	if u.EnterpriseID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = $1 AND region_code = $2`, u.EnterpriseID, u.County).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("enterprise_id", "user.enterprise_required")
		}
	}
	return f.Err()
}

// AddAccount saves an account the office makes, with the hash of its initial password
// and the password sealed for the hand-out list; its owner must change it at first login.
func (db *DB) AddAccount(ctx context.Context, sc fugong.Scope, u *fugong.User, hash, sealedInitial string) error {
	if err := sc.Require(fugong.RoleAdmin); err != nil {
		return err
	}
	u.County = sc.County
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.addAccountTx(ctx, tx, u, hash, sealedInitial) })
}

func (db *DB) addAccountTx(ctx context.Context, tx Querier, u *fugong.User, hash, sealedInitial string) error {
	if err := db.checkAccount(ctx, tx, u); err != nil {
		return err
	}
	var n int // asked first: on PostgreSQL a refused INSERT would end the transaction
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fugong.Invalid(map[string]fugong.Msg{"username": fugong.M("user.username_taken")})
	}
	if err := db.CreateUserTx(ctx, tx, u, hash); err != nil {
		return err
	}
	u.MustChangePassword = true
	return setInitialPassword(ctx, tx, u.ID, sealedInitial)
}

// setInitialPassword marks an account's password as initial: kept sealed for the
// hand-out list, to be changed at the next login.
func setInitialPassword(ctx context.Context, q Querier, id int64, sealed string) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET must_change_password = TRUE, initial_password = $1 WHERE id = $2`, sealed, id)
	return err
}

// FindAccount returns one account of the caller's county (admin and command).
func (db *DB) FindAccount(ctx context.Context, sc fugong.Scope, id int64) (fugong.User, error) {
	if err := sc.Require(fugong.RoleAdmin, fugong.RoleCommand); err != nil {
		return fugong.User{}, fugong.NotFound()
	}
	u, err := db.FindUser(ctx, id)
	if err != nil || u.County != sc.County {
		return fugong.User{}, fugong.NotFound()
	}
	return u, nil
}

// UpdateAccount applies fn to an account of the caller's county (admin) and saves it at
// the version read; the username, password and disabled flag are changed elsewhere.
func (db *DB) UpdateAccount(ctx context.Context, sc fugong.Scope, id, version int64, fn func(u *fugong.User) error) (fugong.User, error) {
	if err := sc.Require(fugong.RoleAdmin); err != nil {
		return fugong.User{}, err
	}
	var out fugong.User
	defer db.authEpoch.Add(1) // the role, org unit and region are the account's scope
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.findUserTx(ctx, tx, id)
		if err != nil || before.County != sc.County {
			return fugong.NotFound()
		}
		if version != 0 && version != before.Version {
			return fugong.Conflict("error.stale")
		}
		u := before
		if err := fn(&u); err != nil {
			return err
		}
		u.ID, u.County, u.Username, u.Disabled = before.ID, before.County, before.Username, before.Disabled
		if err := db.checkAccount(ctx, tx, &u); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, org_unit_id = $3, region = $4, enterprise_id = $5, rank = $6, phone = $7,
			title = $8, version = version + 1 WHERE id = $9 AND version = $10`, u.DisplayName, string(u.Role), nullID(u.OrgUnitID), u.Region, nullID(u.EnterpriseID), u.Rank, u.Phone, u.Title,
			id, before.Version)
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fugong.Conflict("error.stale")
		}
		u.Version = before.Version + 1
		out = u
		return db.Audit(ctx, tx, u.County, "update", "users", id, before, u)
	})
	return out, err
}

// ResetPassword gives an account of the caller's county (admin) a new initial password:
// its sessions and tokens end, and its owner must change it at the next login.
func (db *DB) ResetPassword(ctx context.Context, sc fugong.Scope, id int64, hash, sealedInitial string) error {
	if _, err := db.FindAccount(ctx, sc, id); err != nil || sc.Role != fugong.RoleAdmin {
		return fugong.NotFound()
	}
	if err := db.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	return setInitialPassword(ctx, db.W, id, sealedInitial)
}

// Handout is one line of the printable list of initial passwords.
type Handout struct {
	User   fugong.User
	Sealed string // the initial password, sealed
}

// FindHandouts lists the accounts of the caller's county (admin) whose initial password
// is still unchanged, with it sealed, ordered by org unit and name; role filters when set.
func (db *DB) FindHandouts(ctx context.Context, sc fugong.Scope, role fugong.Role) ([]Handout, error) {
	if err := sc.Require(fugong.RoleAdmin); err != nil {
		return nil, err
	}
	var a args
	c := []string{"region_code = " + a.add(sc.County), "must_change_password", "initial_password <> ''", "NOT disabled"}
	if role != "" {
		c = append(c, "role = "+a.add(string(role)))
	}
	rows, err := db.R.QueryContext(ctx, `SELECT `+userCols+`, initial_password FROM users`+where(c)+` ORDER BY COALESCE(org_unit_id, 0), region, role, display_name`, a.vals...)
	if err != nil {
		return nil, fmt.Errorf("find hand-outs: %w", err)
	}
	defer rows.Close()
	var out []Handout
	for rows.Next() {
		var h Handout
		var created int64
		var role string
		u := &h.User
		if err := rows.Scan(&u.ID, &u.County, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.Region, &u.EnterpriseID, &u.Rank, &u.Phone, &u.Disabled,
			&u.MustChangePassword, &u.Version, &created, &u.Title, &h.Sealed); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt = fugong.Role(role), fromMS(created)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ImportAccounts adds every account of a staff sheet in one transaction, or none: each
// row's bad cells (an unknown org unit, a username already taken …) are named.
func (db *DB) ImportAccounts(ctx context.Context, sc fugong.Scope, rows []ImportRow[NewAccount]) error {
	if err := sc.Require(fugong.RoleAdmin); err != nil {
		return err
	}
	bad := &ImportError{}
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			a := r.V
			a.User.County = sc.County
			if err := badCells(bad, r, db.addAccountTx(ctx, tx, &a.User, a.Hash, a.Sealed)); err != nil {
				return err
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return nil
	})
	return err
}

// NewAccount is an account to add with its initial password, hashed and sealed.
type NewAccount struct {
	User         fugong.User
	Hash, Sealed string
}

// AuditHandout writes to the audit log that the caller was shown n initial passwords.
func (db *DB) AuditHandout(ctx context.Context, sc fugong.Scope, n int, role string, id int64) error {
	return db.Audit(ctx, db.W, sc.County, "unmask", "users", id, nil, map[string]any{"initial_passwords": n, "role": role})
}
