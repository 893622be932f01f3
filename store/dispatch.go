package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fugong"
)

// DispatchLine is a checked dispatch row: who goes where, and what changes.
type DispatchLine struct {
	fugong.DispatchRow
	EnterpriseID   int64
	EnterpriseName string
	// UserID is the cadre's account; 0 when one is to be made as Username.
	UserID int64
	// Replaces names the liaisons now stationed there who will be recalled.
	Replaces string
	// Unchanged is set when the cadre is stationed there already.
	Unchanged bool
}

// PlanDispatch checks a dispatch ledger against the registry and says what it would do;
// any bad cell makes the whole ledger invalid, each one named by row and column.
func (db *DB) PlanDispatch(ctx context.Context, sc fugong.Scope, rows []fugong.DispatchRow) ([]DispatchLine, error) {
	if err := sc.Allow(fugong.PermLiaisonDispatch); err != nil {
		return nil, err
	}
	return db.planDispatch(ctx, db.R, sc, rows)
}

func (db *DB) planDispatch(ctx context.Context, q Querier, sc fugong.Scope, rows []fugong.DispatchRow) ([]DispatchLine, error) {
	f := fugong.FieldErrors{}
	if len(rows) == 0 {
		f.Add("file", "dispatch.empty")
		return nil, f.Err()
	}
	var next int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'liaison' AND region_code = $1`, sc.County).Scan(&next); err != nil {
		return nil, err
	}
	byEnterprise := map[int64]int{}       // enterprise → first line
	byPhone := map[string]*DispatchLine{} // a cadre named twice gets one account
	out := make([]DispatchLine, 0, len(rows))
	for _, r := range rows {
		r.Check(f)
		l := DispatchLine{DispatchRow: r}
		if r.USCC != "" && fugong.CheckUSCC(r.USCC) == "" {
			err := q.QueryRowContext(ctx, `SELECT id, name FROM enterprises WHERE uscc = $1 AND region_code = $2`, r.USCC, sc.County).Scan(&l.EnterpriseID, &l.EnterpriseName)
			if err != nil {
				f.Add(fugong.CellKey(r.Line, fugong.ColUSCC), "dispatch.enterprise_unknown", r.USCC)
			} else if first, dup := byEnterprise[l.EnterpriseID]; dup {
				f.Add(fugong.CellKey(r.Line, fugong.ColUSCC), "dispatch.enterprise_twice", first)
			} else {
				byEnterprise[l.EnterpriseID] = r.Line
			}
		}
		if prev, ok := byPhone[r.Phone]; ok && r.Phone != "" {
			l.UserID, l.Username = prev.UserID, prev.Username
		} else if err := db.findCadre(ctx, q, sc, &l, f); err != nil {
			return nil, err
		}
		if l.UserID == 0 && l.Username == "" {
			next++
			l.Username = fmt.Sprintf("liaison%03d", next)
			for taken := true; taken; {
				var n int
				q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, l.Username).Scan(&n)
				if taken = n > 0; taken {
					next++
					l.Username = fmt.Sprintf("liaison%03d", next)
				}
			}
		}
		if l.EnterpriseID != 0 {
			var names []string
			rs, err := q.QueryContext(ctx, `SELECT u.id, u.display_name FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE a.enterprise_id = $1 AND a.to_date = ''`, l.EnterpriseID)
			if err != nil {
				return nil, err
			}
			for rs.Next() {
				var id int64
				var n string
				rs.Scan(&id, &n)
				if id == l.UserID && id != 0 {
					l.Unchanged = true
				} else {
					names = append(names, n)
				}
			}
			rs.Close()
			l.Replaces = strings.Join(names, "、")
		}
		out = append(out, l)
		byPhone[r.Phone] = &out[len(out)-1]
	}
	return out, f.Err()
}

// findCadre finds the account of a ledger's cadre: by the account named, else a liaison
// with the same phone number. A named account of another role is an error.
func (db *DB) findCadre(ctx context.Context, q Querier, sc fugong.Scope, l *DispatchLine, f fugong.FieldErrors) error {
	var role, county string
	var id int64
	var err error
	if l.Username != "" {
		err = q.QueryRowContext(ctx, `SELECT id, role, region_code FROM users WHERE username = $1`, l.Username).Scan(&id, &role, &county)
	} else {
		role, county = string(fugong.RoleLiaison), sc.County
		err = q.QueryRowContext(ctx, `SELECT MIN(id) FROM users WHERE role = 'liaison' AND region_code = $1 AND phone = $2 HAVING COUNT(*) > 0`, sc.County, l.Phone).Scan(&id)
	}
	if fugong.ErrorCode(mapErr(err)) == fugong.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if role != string(fugong.RoleLiaison) || county != sc.County {
		f.Add(fugong.CellKey(l.Line, fugong.ColUsername), "dispatch.not_liaison", l.Username)
		return nil
	}
	l.UserID = id
	return nil
}

// Dispatch stations the ledger's cadres at their enterprises from day: it makes the
// accounts that do not exist (each with an initial password from newPassword, hashed and
// sealed, for the hand-out list and a change at first login), recalls
// the liaisons they replace, and records each cadre's rank — all in one transaction, or
// nothing when any cell is bad.
func (db *DB) Dispatch(ctx context.Context, sc fugong.Scope, rows []fugong.DispatchRow, day string, newPassword func() (hash, sealed string, err error)) ([]DispatchLine, error) {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	if err := sc.Allow(fugong.PermLiaisonDispatch); err != nil {
		return nil, err
	}
	var out []DispatchLine
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		db.Count(tx, EventImport, "liaison_assignments")
		lines, err := db.planDispatch(ctx, tx, sc, rows)
		if err != nil {
			return err
		}
		made := map[string]int64{}
		for i := range lines {
			l := &lines[i]
			if l.UserID == 0 {
				if id, ok := made[l.Username]; ok {
					l.UserID = id
				} else {
					u := fugong.User{County: sc.County, Username: l.Username, DisplayName: l.Name, Role: fugong.RoleLiaison, Rank: l.Rank, Phone: l.Phone}
					hash, sealed, err := newPassword()
					if err != nil {
						return err
					}
					if err := db.CreateUserTx(ctx, tx, &u, hash); err != nil {
						return err
					}
					if err := setInitialPassword(ctx, tx, u.ID, sealed); err != nil {
						return err
					}
					l.UserID, made[l.Username] = u.ID, u.ID
				}
			} else if _, err := tx.ExecContext(ctx, `UPDATE users SET rank = $1, version = version + 1 WHERE id = $2`, l.Rank, l.UserID); err != nil {
				return err
			}
			if l.Unchanged {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE liaison_assignments SET to_date = $1 WHERE enterprise_id = $2 AND to_date = '' AND user_id <> $3`, day, l.EnterpriseID, l.UserID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				if err := db.Audit(ctx, tx, sc.County, "recall", "liaison_assignments", l.EnterpriseID, nil, map[string]any{"enterprise_id": l.EnterpriseID, "to_date": day}); err != nil {
					return err
				}
			}
			if err := db.AssignLiaisonTx(ctx, tx, sc.County, l.EnterpriseID, l.UserID, day); err != nil {
				return err
			}
		}
		out = lines
		return nil
	})
	return out, err
}
