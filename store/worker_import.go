package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"fugong"
	"fugong/xlsx"
)

// ImportResult is what reading a workers ledger found.
type ImportResult struct {
	Rows       int
	Preview    []fugong.Worker // the first rows, masked
	Errors     []RowError      // the first MaxImportErrors, in row order
	ErrorCount int
}

// RowSource streams a ledger: head gets the column names, row each data row with its
// line number and its cells in column order (xlsx.EachRow fits it). row may keep cells.
type RowSource func(head func(headers []string) error, row func(line int, cells []string) error) error

// Limits of an import's answer.
const (
	PreviewRows     = 20
	MaxImportErrors = 200
	// importBatch rows travel together from the reader to the checkers and the writer.
	importBatch = 1000
)

var workerFieldColumn = map[string]string{"name": "姓名", "id_number": "身份证号", "phone": "手机号", "home_region": "户籍地", "status": "状态", "poor": "贫困户"}

// importRow is one data row on its way through an import.
type importRow struct {
	line  int
	cells []string
	w     fugong.Worker
	errs  []RowError
	key   uint64 // the first 8 bytes of the ID number's keyed hash, for duplicates in the file
	s     sealed // set when the row is to be written
}

// importBatchOf is importBatch rows; done closes when the checkers are through with it.
type importBatchOf struct {
	rows []importRow
	done chan struct{}
}

// ImportWorkers reads an enterprise's workers ledger row by row, validating every row.
// With commit false it is the preview: nothing is written. With commit true every row is
// written in one transaction — a person already on the enterprise's books is updated,
// not doubled — or, when any row is bad, none is. Either way the answer names the bad
// cells by row and column (the first MaxImportErrors, and how many in all).
//
// A ledger of a million rows is never held in memory: one goroutine reads the rows in
// batches, the checkers validate, hash and seal batches on every core, and this goroutine
// takes the batches in file order — finding an ID number twice in the file, keeping the
// preview and the errors — and writes them with prepared multi-row statements. At most a
// few batches are in flight at once.
func (h *Health) ImportWorkers(ctx context.Context, sc fugong.Scope, enterpriseID int64, src RowSource, commit bool) (ImportResult, error) {
	var res ImportResult
	if err := sc.Require(healthWriters...); err != nil {
		return res, err
	}
	if sc.Role == fugong.RoleEnterprise {
		enterpriseID = sc.EnterpriseID
	}
	db := h.DB
	ent, err := db.FindEnterprise(ctx, sc, enterpriseID)
	if err != nil {
		return res, err
	}
	var tx *sql.Tx
	var conn *sql.Conn
	if commit {
		conn, err = db.W.Conn(ctx)
		if err != nil {
			return res, fmt.Errorf("begin import: %w", err)
		}
		defer conn.Close()
		if db.Dialect.Name == "sqlite" {
			// The index of ID hashes takes a million rows in random order: with the writer's
			// usual 32 MiB of page cache SQLite spends most of the import spilling pages and
			// reading them back. 64 MiB for the import keeps much of it (the server stays well under 512 MiB), then the cache shrinks back.
			var was int64
			if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&was); err != nil {
				return res, fmt.Errorf("begin import: %w", err)
			}
			if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
				return res, fmt.Errorf("begin import: %w", err)
			}
			defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.FormatInt(was, 10))
		}
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return res, fmt.Errorf("begin import: %w", err)
		}
		defer tx.Rollback()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// col[i] is the index of fugong.WorkerColumns[i] in the sheet, or -1.
	col := make([]int, len(fugong.WorkerColumns))
	head := func(headers []string) error {
		for i, c := range fugong.WorkerColumns {
			col[i] = -1
			for j, h := range headers {
				if h == c {
					col[i] = j
					break
				}
			}
		}
		var missing []string
		for i, c := range fugong.WorkerColumns[:2] {
			if col[i] < 0 {
				missing = append(missing, c)
			}
		}
		if missing != nil {
			return fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("worker.import_columns", strings.Join(missing, "、"))})
		}
		return nil
	}

	// The reader: batches go to the checkers and, in file order, to the writer.
	checkers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *importBatchOf, checkers)
	order := make(chan *importBatchOf, 2*checkers)
	var readErr error
	var anyBad atomic.Bool // once a row is bad nothing is written, so nothing more is sealed
	go func() {
		defer close(order)
		defer close(work)
		b := &importBatchOf{rows: make([]importRow, 0, importBatch), done: make(chan struct{})}
		send := func() bool {
			select {
			case work <- b:
			case <-ctx.Done():
				return false
			}
			select {
			case order <- b:
			case <-ctx.Done():
				return false
			}
			b = &importBatchOf{rows: make([]importRow, 0, importBatch), done: make(chan struct{})}
			return true
		}
		readErr = src(head, func(line int, cells []string) error {
			b.rows = append(b.rows, importRow{line: line, cells: cells})
			if len(b.rows) == importBatch && !send() {
				return ctx.Err()
			}
			return nil
		})
		if readErr == nil && len(b.rows) > 0 {
			send()
		}
	}()
	var wg sync.WaitGroup
	for range checkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for i := range b.rows {
					h.checkImportRow(&b.rows[i], col, ent, commit && !anyBad.Load(), &anyBad)
				}
				close(b.done)
			}
		}()
	}

	// The writer, in file order.
	seen := map[uint64]int32{} // the first 8 bytes of each ID hash → its line
	bad := func(e RowError) {
		res.ErrorCount++
		if len(res.Errors) < MaxImportErrors {
			res.Errors = append(res.Errors, e)
		}
	}
	var iw *importWriter
	if commit {
		iw = newImportWriter(ctx, db, conn, tx, ent)
	}
	var dbErr error
	for b := range order {
		<-b.done
		if dbErr != nil {
			continue // drain what the reader already sent
		}
		iw.reset()
		for i := range b.rows {
			r := &b.rows[i]
			res.Rows++
			for _, e := range r.errs {
				bad(e)
			}
			if r.key == 0 { // the ID number is wrong: no duplicate check
				continue
			}
			if first, dup := seen[r.key]; dup {
				bad(RowError{Line: r.line, Column: "身份证号", Msg: fugong.M("worker.duplicate_in_file", first)})
				continue
			}
			seen[r.key] = int32(r.line)
			if r.errs != nil {
				continue
			}
			if len(res.Preview) < PreviewRows {
				p := r.w
				p.IDNumber, p.Phone, p.Masked = fugong.MaskIDNumber(r.w.IDNumber), fugong.MaskPhone(r.w.Phone), true
				res.Preview = append(res.Preview, p)
			}
			if commit && res.ErrorCount == 0 {
				iw.add(r)
			}
		}
		if commit && res.ErrorCount == 0 {
			if err := iw.flush(); err != nil {
				dbErr = fmt.Errorf("insert workers: %w", err)
				cancel()
			}
		}
	}
	wg.Wait()
	if dbErr != nil {
		return res, dbErr
	}
	if readErr != nil {
		if fugong.ErrorCode(readErr) == fugong.EINVALID {
			return res, readErr
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("worker.import_file")})
	}
	if res.Rows == 0 {
		return res, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("worker.import_empty")})
	}
	if res.ErrorCount > 0 {
		return res, &fugong.Error{Code: fugong.EINVALID, Message: fugong.M("worker.import_invalid", res.ErrorCount)}
	}
	if !commit {
		return res, nil
	}
	if err := iw.finish(); err != nil {
		return res, fmt.Errorf("insert workers: %w", err)
	}
	if err := db.Audit(ctx, tx, ent.County, "import", "workers", ent.ID, nil, map[string]any{"enterprise_id": ent.ID, "rows": res.Rows}); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		db.settle(tx, false)
		return res, fmt.Errorf("commit import: %w", err)
	}
	db.settle(tx, true)
	return res, nil
}

// checkImportRow validates one row and hashes its ID number; with seal it also seals the
// personal data for writing. A bad row sets anyBad.
func (h *Health) checkImportRow(r *importRow, col []int, ent fugong.Enterprise, seal bool, anyBad *atomic.Bool) {
	cell := func(i int) string {
		if j := col[i]; j >= 0 && j < len(r.cells) {
			return r.cells[j]
		}
		return ""
	}
	// WorkerColumns: 姓名, 身份证号, 手机号, 户籍地, 贫困户, 状态.
	w := fugong.Worker{EnterpriseID: ent.ID, Name: cell(0), HomeRegion: cell(3), Status: strings.TrimSpace(cell(5))}
	// A code typed into a number cell is read as its digits, or named when the sheet has
	// already lost some of them; the check of that field is then not repeated.
	idOK, phoneOK := true, true
	if w.IDNumber, idOK = xlsx.Code(cell(1)); !idOK {
		r.errs = append(r.errs, RowError{Line: r.line, Column: "身份证号", Msg: fugong.M("sheet.code_lost", w.IDNumber)})
	}
	if w.Phone, phoneOK = xlsx.Code(cell(2)); !phoneOK {
		r.errs = append(r.errs, RowError{Line: r.line, Column: "手机号", Msg: fugong.M("sheet.code_lost", w.Phone)})
	}
	switch strings.TrimSpace(cell(4)) {
	case "是", "Y", "y", "1", "true", "TRUE":
		w.Poor = true
	case "否", "N", "n", "0", "false", "FALSE", "":
	default:
		r.errs = append(r.errs, RowError{Line: r.line, Column: "贫困户", Msg: fugong.M("worker.poor")})
	}
	r.cells = nil
	if !idOK {
		anyBad.Store(true)
		return
	}
	if err := w.Validate(); err != nil {
		fields := fugong.AsError(err).Fields
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names) // the same order every time
		for _, f := range names {
			if f != "phone" || phoneOK {
				r.errs = append(r.errs, RowError{Line: r.line, Column: workerFieldColumn[f], Msg: fields[f]})
			}
		}
		anyBad.Store(true)
		if _, idBad := fields["id_number"]; idBad {
			return
		}
	}
	w.County, w.Township = ent.County, ent.Township
	r.w = w
	hash := h.Keys.Hash(w.IDNumber)
	var k [8]byte
	hex.Decode(k[:], []byte(hash[:16]))
	for _, c := range k {
		r.key = r.key<<8 | uint64(c)
	}
	r.key |= 1 // never 0, which marks a wrong ID number
	if r.errs != nil {
		anyBad.Store(true)
		return
	}
	if seal {
		r.s = sealed{h.Keys.Seal(w.IDNumber), hash, fugong.MaskIDNumber(w.IDNumber), h.Keys.Seal(w.Phone), fugong.MaskPhone(w.Phone)}
	}
}

// importWriter writes an import's rows. On SQLite: multi-row statements (multiRow) with
// anonymous parameters. On PostgreSQL: COPY (pgx CopyFrom) into a temporary table, moved
// into workers by one INSERT … SELECT … ON CONFLICT every 50,000 rows, within the
// import's transaction; what every row shares — county, enterprise, township, time — is
// bound once per move, not copied per row.
type importWriter struct {
	ctx    context.Context
	conn   *sql.Conn
	tx     *sql.Tx
	made   bool // the temporary table exists (PostgreSQL)
	copied int  // rows copied into the temporary table and not yet moved (PostgreSQL)
	copy   bool // PostgreSQL: COPY, else SQLite: multi-row statements
	db     *DB
	m      *multiRow // SQLite
	// full is the statement of a full chunk (maxChunk rows), prepared once per import on
	// SQLite: a million rows are 15,625 such statements, each of 960 parameters, and
	// parsing them again each time was a tenth of the commit. The transaction closes it.
	full   *sql.Stmt
	shared []any
	vals   []any
	args   []any
}

const importRowCols = 9

func newImportWriter(ctx context.Context, db *DB, conn *sql.Conn, tx *sql.Tx, ent fugong.Enterprise) *importWriter {
	now := db.now()
	iw := &importWriter{ctx: ctx, conn: conn, tx: tx, db: db, copy: db.Dialect.Name == "postgres", shared: []any{ent.County, ent.ID, ent.Township, now}}
	if !iw.copy {
		iw.m = newMultiRow("workers", workerInsertTail, append(append([]string{"region_code", "enterprise_id", "township"}, importCopyColumns...), "created_at", "updated_at")...)
	}
	return iw
}

// importCopyColumns are the temporary table's columns, in importWriter.add's order.
var importCopyColumns = []string{"name", "id_sealed", "id_hash", "id_masked", "phone_sealed", "phone_masked", "home_region", "poor", "status"}

// copyRows sends the rows added since the last reset to the temporary table, creating it
// first, and moves them into workers every 50,000 rows.
func (iw *importWriter) copyRows() error {
	rows := len(iw.vals) / importRowCols
	err := iw.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if !iw.made {
			if _, err := c.Exec(iw.ctx, `CREATE TEMPORARY TABLE import_workers (name TEXT, id_sealed TEXT, id_hash TEXT, id_masked TEXT, phone_sealed TEXT,
				phone_masked TEXT, home_region TEXT, poor BOOLEAN, status TEXT) ON COMMIT DROP`); err != nil {
				return err
			}
			iw.made = true
		}
		i := 0
		_, err := c.CopyFrom(iw.ctx, pgx.Identifier{"import_workers"}, importCopyColumns, pgx.CopyFromFunc(func() ([]any, error) {
			if i == rows {
				return nil, nil
			}
			i++
			return iw.vals[(i-1)*importRowCols : i*importRowCols], nil
		}))
		return err
	})
	if err != nil {
		return err
	}
	iw.copied += rows
	if iw.copied >= 50_000 {
		return iw.move()
	}
	return nil
}

// move inserts the copied rows into workers and empties the temporary table.
func (iw *importWriter) move() error {
	if iw.copied == 0 {
		return nil
	}
	if _, err := iw.tx.ExecContext(iw.ctx, `INSERT INTO workers (region_code, enterprise_id, township, `+strings.Join(importCopyColumns, ", ")+`, created_at, updated_at)
		SELECT $1, $2, $3, `+strings.Join(importCopyColumns, ", ")+`, $4, $4 FROM import_workers `+workerInsertTail, iw.shared...); err != nil {
		return err
	}
	if _, err := iw.tx.ExecContext(iw.ctx, `TRUNCATE import_workers`); err != nil {
		return err
	}
	iw.copied = 0
	return nil
}

// finish writes what is still pending.
func (iw *importWriter) finish() error {
	if iw.copy {
		return iw.move()
	}
	return nil
}

func (iw *importWriter) reset() {
	if iw != nil {
		iw.vals = iw.vals[:0]
	}
}

func (iw *importWriter) add(r *importRow) {
	w, s := r.w, r.s
	iw.vals = append(iw.vals, w.Name, s.idSealed, s.idHash, s.idMasked, s.phoneSealed, s.phoneMasked, w.HomeRegion, w.Poor, w.Status)
}

// flush writes the rows added since the last reset.
func (iw *importWriter) flush() error {
	if iw.copy {
		return iw.copyRows()
	}
	rows := len(iw.vals) / importRowCols
	args := iw.args[:0]
	for r := 0; r < rows; r++ {
		args = append(append(append(args, iw.shared[:3]...), iw.vals[r*importRowCols:(r+1)*importRowCols]...), iw.shared[3], iw.shared[3])
	}
	iw.args = args
	return iw.m.chunks(iw.db, args, func(query string, a []any) error {
		if len(a) != maxChunk*iw.m.ncol {
			_, err := iw.tx.ExecContext(iw.ctx, query, a...)
			return err
		}
		if iw.full == nil {
			st, err := iw.tx.PrepareContext(iw.ctx, query)
			if err != nil {
				return err
			}
			iw.full = st
		}
		_, err := iw.full.ExecContext(iw.ctx, a...)
		return err
	})
}
