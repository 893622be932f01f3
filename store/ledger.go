package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"

	"fugong"
	"fugong/secret"
)

// LedgerUpload is an uploaded ledger kept between its preview and its commit. It is
// found by its Token — random, bound to the user who uploaded it — and is sealed at rest
// with the data key, as every other piece of personal data is: a ledger holds phones
// and ID numbers in clear.
type LedgerUpload struct {
	Token    string
	Kind     string
	Filename string
	Body     []byte
}

// UploadKept is how long an upload waits for its confirmation. One left longer was
// abandoned: it is no longer found, and the next upload removes it.
const UploadKept = time.Hour

// SaveUpload keeps an uploaded file, sealed, for the caller until they confirm the
// import, and sets its token. Uploads older than UploadKept are removed on the way.
func (db *DB) SaveUpload(ctx context.Context, sc fugong.Scope, keys *secret.Keys, u *LedgerUpload) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	u.Token = hex.EncodeToString(b)
	now := db.now()
	if _, err := db.W.ExecContext(ctx, `DELETE FROM ledger_uploads WHERE created_at < $1`, now-UploadKept.Milliseconds()); err != nil {
		return fmt.Errorf("sweep uploads: %w", err)
	}
	_, err := db.W.ExecContext(ctx, `INSERT INTO ledger_uploads (region_code, user_id, token, kind, filename, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		sc.County, sc.UserID, u.Token, u.Kind, u.Filename, keys.Seal(string(u.Body)), now)
	return err
}

// FindUpload returns one of the caller's own uploads by its token, opened; one of
// someone else or older than UploadKept is not found. The caller checks its kind.
func (db *DB) FindUpload(ctx context.Context, sc fugong.Scope, keys *secret.Keys, token string) (LedgerUpload, error) {
	u := LedgerUpload{Token: token}
	var body string
	err := db.R.QueryRowContext(ctx, `SELECT kind, filename, body FROM ledger_uploads WHERE token = $1 AND user_id = $2 AND region_code = $3 AND created_at >= $4`,
		token, sc.UserID, sc.County, db.now()-UploadKept.Milliseconds()).Scan(&u.Kind, &u.Filename, &body)
	if err != nil {
		return u, mapErr(err)
	}
	plain, err := keys.Open(body)
	if err != nil {
		return u, fmt.Errorf("open upload: %w", err)
	}
	u.Body = []byte(plain)
	return u, nil
}

// DeleteUpload removes one of the caller's uploads, once it is imported.
func (db *DB) DeleteUpload(ctx context.Context, sc fugong.Scope, token string) error {
	_, err := db.W.ExecContext(ctx, `DELETE FROM ledger_uploads WHERE token = $1 AND user_id = $2 AND region_code = $3`, token, sc.UserID, sc.County)
	return err
}

// RowError names a bad cell of an import: its sheet row and column and what is wrong.
type RowError struct {
	Line   int
	Column string
	Msg    fugong.Msg
}

// ImportError is the answer to an import with bad rows: every one of them, nothing written.
type ImportError struct{ Rows []RowError }

func (e *ImportError) Error() string { return fmt.Sprintf("import: %d bad cells", len(e.Rows)) }

// ImportRow is one row to import with its sheet line.
type ImportRow[T any] struct {
	Line int
	V    T
	// Columns names the sheet column of a field ("uscc", "township", "user"…), so that
	// an error found while writing names the cell the office must fix.
	Columns map[string]string
}

// badCells adds the field errors of an invalid err to bad as cells of row r and answers
// nil; any other error it answers as it is.
func badCells[T any](bad *ImportError, r ImportRow[T], err error) error {
	if err == nil {
		return nil
	}
	e := fugong.AsError(err)
	if e.Code != fugong.EINVALID {
		return err
	}
	for f, m := range e.Fields {
		bad.Rows = append(bad.Rows, r.cell(f, m))
	}
	return nil
}

func (r ImportRow[T]) cell(field string, m fugong.Msg) RowError {
	if c, ok := r.Columns[field]; ok {
		field = c
	}
	return RowError{Line: r.Line, Column: field, Msg: m}
}

// ImportEnterprises writes every row in one transaction, or none: a credit code already
// registered in the caller's scope updates that enterprise, a new one creates it, and one
// registered outside the scope is refused. Each row's status stays unless given.
func (db *DB) ImportEnterprises(ctx context.Context, sc fugong.Scope, rows []ImportRow[fugong.Enterprise]) (created, updated int, err error) {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	if err := sc.Require(registryEditors...); err != nil {
		return 0, 0, err
	}
	bad := &ImportError{}
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		db.Count(tx, EventImport, "enterprises")
		for _, r := range rows {
			e := r.V
			e.County = sc.County
			if sc.Role == fugong.RoleTownship && e.Township != sc.Region {
				bad.Rows = append(bad.Rows, r.cell("township", fugong.M("ledger.other_township")))
				continue
			}
			var id int64
			var a args
			err := tx.QueryRowContext(ctx, `SELECT e.id FROM enterprises e WHERE e.uscc = `+a.add(e.USCC)+` AND `+EnterpriseScope(sc, "e", &a), a.vals...).Scan(&id)
			switch {
			case err == sql.ErrNoRows:
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE uscc = $1`, e.USCC).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					bad.Rows = append(bad.Rows, r.cell("uscc", fugong.M("uscc.duplicate")))
					continue
				}
				if e.Status == "" {
					e.Status = fugong.StatusNotResumed
				}
				if !importResumption(r, &e, fugong.Enterprise{}, false, db.Today(), bad) {
					continue
				}
				if err := db.CreateEnterpriseTx(ctx, tx, &e); err != nil {
					return err
				}
				created++
			case err != nil:
				return err
			default:
				before, err := db.findEnterprise(ctx, tx, sc, id)
				if err != nil {
					return err
				}
				e.ID, e.Version, e.Demo, e.CreatedAt = id, before.Version, before.Demo, before.CreatedAt
				if e.Status == "" {
					e.Status, e.StatusDate = before.Status, before.StatusDate
				}
				if e.ResumedOn == "" {
					e.ResumedOn = before.ResumedOn
				}
				if e.ContactPhone == "" {
					e.ContactPhone = before.ContactPhone
				}
				approved, err := db.approvedDeclaration(ctx, tx, id)
				if err != nil {
					return err
				}
				if !importResumption(r, &e, before, approved, db.Today(), bad) {
					continue
				}
				if _, err := tx.ExecContext(ctx, `UPDATE enterprises SET name = $1, township = $2, village = $3, address = $4, industry = $5, focus_area = $6,
					above_scale = $7, park_tenant = $8, monthly_rent = $9, payroll = $10, contact_name = $11, contact_phone = $12, workshop = $13, status = $14,
					status_date = $15, resumed_on = $16, version = version + 1, updated_at = $17 WHERE id = $18`,
					e.Name, e.Township, e.Village, e.Address, e.Industry, e.FocusArea, e.AboveScale, e.ParkTenant, e.MonthlyRent, e.Payroll,
					e.ContactName, e.ContactPhone, e.Workshop, e.Status, e.StatusDate, e.ResumedOn, db.now(), id); err != nil {
					return fmt.Errorf("import enterprise: %w", err)
				}
				if err := db.Audit(ctx, tx, e.County, "import", "enterprises", id, before, e); err != nil {
					return err
				}
				updated++
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return nil
	})
	return created, updated, err
}

// ImportKeyProjects writes every row in one transaction, or none: a project of the same
// name in the caller's scope is updated, another is created.
func (db *DB) ImportKeyProjects(ctx context.Context, sc fugong.Scope, rows []ImportRow[fugong.KeyProject]) (created, updated int, err error) {
	if err := sc.Require(registryEditors...); err != nil {
		return 0, 0, err
	}
	bad := &ImportError{}
	err = db.WithTx(ctx, func(tx *sql.Tx) error {
		db.Count(tx, EventImport, "key_projects")
		for _, r := range rows {
			p := r.V
			p.County = sc.County
			if sc.Role == fugong.RoleTownship && p.Township != sc.Region {
				bad.Rows = append(bad.Rows, r.cell("township", fugong.M("ledger.other_township")))
				continue
			}
			var a args
			var before fugong.KeyProject
			err := scanProject(tx.QueryRowContext(ctx, `SELECT `+projectCols+` FROM key_projects p WHERE p.name = `+a.add(p.Name)+` AND `+projectScope(sc, &a)+
				` ORDER BY p.id LIMIT 1`, a.vals...), &before)
			switch {
			case err == sql.ErrNoRows:
				if err := db.CreateKeyProjectTx(ctx, tx, &p); err != nil {
					return err
				}
				created++
			case err != nil:
				return err
			default:
				p.ID, p.Demo = before.ID, before.Demo
				if err := db.updateKeyProjectTx(ctx, tx, &p, before.Version); err != nil {
					return err
				}
				if err := db.Audit(ctx, tx, p.County, "import", "key_projects", p.ID, before, p); err != nil {
					return err
				}
				updated++
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return nil
	})
	return created, updated, err
}

// ImportLinks creates every link in one transaction, or none.
func (db *DB) ImportLinks(ctx context.Context, sc fugong.Scope, rows []ImportRow[fugong.Link]) (int, error) {
	defer db.enterprises.forget() // intake's view of enterprises in scope
	if err := sc.Require(registryEditors...); err != nil {
		return 0, err
	}
	bad := &ImportError{}
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		db.Count(tx, EventImport, "links")
		for _, r := range rows {
			l := r.V
			if l.Kind == fugong.LinkLeader && sc.Role == fugong.RoleTownship {
				bad.Rows = append(bad.Rows, r.cell("kind", fugong.M("error.forbidden")))
				continue
			}
			if err := badCells(bad, r, db.createLinkTx(ctx, tx, sc, &l)); err != nil {
				return err
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return nil
	})
	return len(rows), err
}

// importResumption applies the rule of 已复工 to an imported row that sets it anew (or
// changes its date), adding its failures to bad; it reports whether the row may be written.
func importResumption(r ImportRow[fugong.Enterprise], e *fugong.Enterprise, before fugong.Enterprise, approved bool, today string, bad *ImportError) bool {
	if e.Status != fugong.StatusResumed || (before.Status == fugong.StatusResumed && e.ResumedOn == before.ResumedOn) {
		return true
	}
	err := e.CheckResumption(today, approved)
	if err == nil {
		return true
	}
	fields := fugong.AsError(err).Fields
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		bad.Rows = append(bad.Rows, r.cell(f, fields[f]))
	}
	return false
}
