package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

const userCols = `id, region_code, username, display_name, role, COALESCE(org_unit_id, 0), region, COALESCE(enterprise_id, 0), rank, phone, disabled, must_change_password, version, created_at, title`

func scanUser(row interface{ Scan(...any) error }, u *fugong.User) error {
	var created int64
	var role string
	if err := row.Scan(&u.ID, &u.County, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.Region, &u.EnterpriseID, &u.Rank, &u.Phone, &u.Disabled, &u.MustChangePassword, &u.Version, &created, &u.Title); err != nil {
		return err
	}
	u.Role = fugong.Role(role)
	u.CreatedAt = fromMS(created)
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateUser saves a new user with a password hash made by the auth package.
func (db *DB) CreateUser(ctx context.Context, u *fugong.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreateUserTx(ctx, tx, u, passwordHash) })
}

// CreateUserTx is CreateUser inside the caller's transaction.
func (db *DB) CreateUserTx(ctx context.Context, tx Querier, u *fugong.User, passwordHash string) error {
	now := db.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO users (region_code, username, display_name, role, org_unit_id, region, enterprise_id, rank, phone, password_hash, created_at, title)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		u.County, u.Username, u.DisplayName, string(u.Role), nullID(u.OrgUnitID), u.Region, nullID(u.EnterpriseID), u.Rank, u.Phone, passwordHash, now, u.Title).Scan(&u.ID)
	if err != nil {
		err = mapErr(err)
		if fugong.ErrorCode(err) == fugong.ECONFLICT {
			return fugong.Invalid(map[string]fugong.Msg{"username": fugong.M("user.username_taken")})
		}
		return fmt.Errorf("create user: %w", err)
	}
	u.CreatedAt, u.Version = fromMS(now), 1
	return db.Audit(ctx, tx, u.County, "create", "users", u.ID, nil, u)
}

// FindUserByUsername returns a user and their password hash, for login.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (fugong.User, string, error) {
	var u fugong.User
	var hash string
	var failed int
	var locked int64
	row := db.R.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash, failed_logins, locked_until FROM users WHERE username = $1`, username)
	var created int64
	var role string
	err := row.Scan(&u.ID, &u.County, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.Region, &u.EnterpriseID, &u.Rank, &u.Phone, &u.Disabled, &u.MustChangePassword, &u.Version, &created, &u.Title, &hash, &failed, &locked)
	u.Role, u.CreatedAt = fugong.Role(role), fromMS(created)
	return u, hash, mapErr(err)
}

// LoginState is what the lockout rule needs to know about an account.
type LoginState struct {
	Failed      int
	LockedUntil int64 // ms
}

// FindLoginState returns the failure count and lock of an account.
func (db *DB) FindLoginState(ctx context.Context, userID int64) (LoginState, error) {
	var s LoginState
	err := db.W.QueryRowContext(ctx, `SELECT failed_logins, locked_until FROM users WHERE id = $1`, userID).Scan(&s.Failed, &s.LockedUntil)
	return s, mapErr(err)
}

// SetLoginState records failures and a lock, or clears them after a good login.
func (db *DB) SetLoginState(ctx context.Context, userID int64, s LoginState) error {
	_, err := db.W.ExecContext(ctx, `UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3`, s.Failed, s.LockedUntil, userID)
	return err
}

// RecordLoginFailure saves an account's failure count and lock after a failed login and
// writes it to the audit log (等保 2.0 level 3 asks for failed logins and lockouts there):
// action login_failed with the count and the step that failed (password, second_factor,
// locked: tried while locked), and lockout when this failure locked the account.
func (db *DB) RecordLoginFailure(ctx context.Context, u fugong.User, s LoginState, step string, lockedNow bool, ip string) error {
	ctx = fugong.WithActor(ctx, fugong.Actor{UserID: u.ID, Username: u.Username, IP: ip})
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3`, s.Failed, s.LockedUntil, u.ID); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, u.County, "login_failed", "users", u.ID, nil, map[string]any{"step": step, "failed": s.Failed}); err != nil {
			return err
		}
		if lockedNow {
			return db.Audit(ctx, tx, u.County, "lockout", "users", u.ID, nil, map[string]any{"failed": s.Failed, "locked_until": fromMS(s.LockedUntil)})
		}
		return nil
	})
}

// FindUser returns one user by id (no scope: callers are the auth layer and admin pages).
func (db *DB) FindUser(ctx context.Context, id int64) (fugong.User, error) {
	var u fugong.User
	err := scanUser(db.R.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id), &u)
	return u, mapErr(err)
}

// FindUsers lists the users of the caller's county; admin and command only.
func (db *DB) FindUsers(ctx context.Context, sc fugong.Scope, f fugong.UserFilter) ([]fugong.User, int, error) {
	if err := sc.Allow(fugong.PermUserView); err != nil {
		return nil, 0, err
	}
	var a args
	c := []string{"region_code = " + a.add(sc.County)}
	if f.Role != "" {
		c = append(c, "role = "+a.add(string(f.Role)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := a.add(like(q))
		c = append(c, "(lower(username) LIKE "+p+` ESCAPE '\' OR lower(display_name) LIKE `+p+` ESCAPE '\')`)
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.R.QueryContext(ctx, `SELECT `+userCols+`, COUNT(*) OVER() FROM users`+where(c)+` ORDER BY username LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []fugong.User
	total := 0
	for rows.Next() {
		var u fugong.User
		var created int64
		var role string
		if err := rows.Scan(&u.ID, &u.County, &u.Username, &u.DisplayName, &role, &u.OrgUnitID, &u.Region, &u.EnterpriseID, &u.Rank, &u.Phone, &u.Disabled, &u.MustChangePassword, &u.Version, &created, &u.Title, &total); err != nil {
			return nil, 0, err
		}
		u.Role, u.CreatedAt = fugong.Role(role), fromMS(created)
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// SetPassword replaces a user's password hash and ends their sessions and tokens.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	defer db.authEpoch.Add(1)
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		u, err := db.findUserTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = 0, must_change_password = FALSE, initial_password = '',
			version = version + 1 WHERE id = $2`, hash, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0`, db.now(), userID); err != nil {
			return err
		}
		return db.Audit(ctx, tx, u.County, "passwd", "users", userID, nil, nil)
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions and tokens.
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	defer db.authEpoch.Add(1)
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		u, err := db.findUserTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2`, disabled, userID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0`, db.now(), userID); err != nil {
				return err
			}
		}
		after := u
		after.Disabled = disabled
		return db.Audit(ctx, tx, u.County, "update", "users", userID, u, after)
	})
}

func (db *DB) findUserTx(ctx context.Context, q Querier, id int64) (fugong.User, error) {
	var u fugong.User
	err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id), &u)
	return u, mapErr(err)
}

// ScopeOf builds the scope of a user: the one input to every scope check.
func (db *DB) ScopeOf(ctx context.Context, u fugong.User) (fugong.Scope, error) {
	sc := fugong.Scope{UserID: u.ID, Username: u.Username, Role: u.Role, County: u.County, Region: u.Region, EnterpriseID: u.EnterpriseID, OrgUnitID: u.OrgUnitID}
	if u.OrgUnitID != 0 && u.Role == fugong.RoleDepartment {
		var name, areas, organisation, judicial string
		if err := db.R.QueryRowContext(ctx, `SELECT o.name, o.focus_areas,
			COALESCE((SELECT value FROM settings WHERE region_code = o.region_code AND name = $2), $3),
			COALESCE((SELECT value FROM settings WHERE region_code = o.region_code AND name = $4), $5)
			FROM org_units o WHERE o.id = $1`, u.OrgUnitID, BroadcastOrgSetting, DefaultOrganisation, JudicialOrgSetting, DefaultJudicial).Scan(&name, &areas, &organisation, &judicial); err != nil {
			return sc, mapErr(err)
		}
		for _, a := range strings.Split(areas, ",") {
			if a = strings.TrimSpace(a); a != "" {
				sc.FocusAreas = append(sc.FocusAreas, a)
			}
		}
		sc.Organisation = name == organisation
		for _, j := range strings.Split(judicial, ",") {
			sc.Judicial = sc.Judicial || strings.TrimSpace(j) == name
		}
	}
	return sc, nil
}

// CreateOrgUnit saves an org unit inside the caller's transaction.
func (db *DB) CreateOrgUnit(ctx context.Context, q Querier, o *fugong.OrgUnit) error {
	err := q.QueryRowContext(ctx, `INSERT INTO org_units (region_code, kind, name, region, focus_areas) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		o.County, o.Kind, o.Name, o.Region, o.FocusAreas).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("create org unit %s: %w", o.Name, mapErr(err))
	}
	return db.Audit(ctx, q, o.County, "create", "org_units", o.ID, nil, o)
}

// FindOrgUnits lists the org units of a county, the retired ones too (Retired set: they
// still name old records, but no choice offers them).
func (db *DB) FindOrgUnits(ctx context.Context, county string) ([]fugong.OrgUnit, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT `+orgUnitCols+` FROM org_units WHERE region_code = $1 ORDER BY id`, county)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fugong.OrgUnit
	for rows.Next() {
		var o fugong.OrgUnit
		if err := scanOrgUnit(rows, &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// UserPhone returns an account's phone, for the SMS driver as it texts the account.
func (db *DB) UserPhone(ctx context.Context, id int64) (string, error) {
	var phone string
	if err := db.R.QueryRowContext(ctx, `SELECT phone FROM users WHERE id = $1`, id).Scan(&phone); err != nil {
		return "", fmt.Errorf("phone of user %d: %w", id, err)
	}
	return phone, nil
}
