package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"fugong"
)

// CellError names one bad cell of a ledger: 第 N 行 · 列名: message.
type CellError struct {
	Line   int
	Column string
	Msg    fugong.Msg
}

// ImportResult is what reading a workers ledger found.
type ImportResult struct {
	Rows       int
	Preview    []fugong.Worker // the first rows, masked
	Errors     []CellError     // the first MaxImportErrors
	ErrorCount int
}

// RowSource streams a ledger: head gets the column names, row each data row with its
// line number and a cell getter by column name (xlsx.EachXLSX fits it).
type RowSource func(head func(headers []string) error, row func(line int, cell func(col string) string) error) error

// Limits of an import's answer.
const (
	PreviewRows     = 20
	MaxImportErrors = 200
	importBatch     = 200
)

var workerFieldColumn = map[string]string{"name": "姓名", "id_number": "身份证号", "phone": "手机号", "home_region": "户籍地", "status": "状态", "poor": "贫困户"}

// ImportWorkers reads an enterprise's workers ledger row by row (never all of it in
// memory), validating every row. With commit false it is the preview: nothing is
// written. With commit true every row is written in one transaction — a person already
// on the enterprise's books is updated, not doubled — or, when any row is bad, none is.
// Either way the answer names every bad cell by row and column.
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
	if commit {
		if tx, err = db.W.BeginTx(ctx, nil); err != nil {
			return res, fmt.Errorf("begin import: %w", err)
		}
		defer tx.Rollback()
	}
	var dbErr error
	seen := map[uint64]int32{} // the first 8 bytes of each ID hash → its line
	var batch []fugong.Worker
	flush := func() error {
		if len(batch) == 0 || res.ErrorCount > 0 {
			batch = batch[:0]
			return nil
		}
		err := h.InsertWorkersTx(ctx, tx, batch)
		batch = batch[:0]
		return err
	}
	bad := func(line int, col string, m fugong.Msg) {
		res.ErrorCount++
		if len(res.Errors) < MaxImportErrors {
			res.Errors = append(res.Errors, CellError{Line: line, Column: col, Msg: m})
		}
	}
	head := func(headers []string) error {
		have := map[string]bool{}
		for _, h := range headers {
			have[h] = true
		}
		var missing []string
		for _, c := range fugong.WorkerColumns[:2] {
			if !have[c] {
				missing = append(missing, c)
			}
		}
		if missing != nil {
			return fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("worker.import_columns", strings.Join(missing, "、"))})
		}
		return nil
	}
	row := func(line int, cell func(string) string) error {
		res.Rows++
		w := fugong.Worker{EnterpriseID: ent.ID, Name: cell("姓名"), IDNumber: cell("身份证号"), Phone: cell("手机号"), HomeRegion: cell("户籍地"), Status: strings.TrimSpace(cell("状态"))}
		ok := true
		switch strings.TrimSpace(cell("贫困户")) {
		case "是", "Y", "y", "1", "true":
			w.Poor = true
		case "否", "N", "n", "0", "false", "":
		default:
			bad(line, "贫困户", fugong.M("worker.poor"))
			ok = false
		}
		if err := w.Validate(); err != nil {
			for f, m := range fugong.AsError(err).Fields {
				bad(line, workerFieldColumn[f], m)
			}
			return nil
		}
		hash := h.Keys.Hash(w.IDNumber)
		hb, _ := hex.DecodeString(hash[:16])
		k := binary.BigEndian.Uint64(hb)
		if first, dup := seen[k]; dup {
			bad(line, "身份证号", fugong.M("worker.duplicate_in_file", first))
			return nil
		}
		seen[k] = int32(line)
		if !ok {
			return nil
		}
		if len(res.Preview) < PreviewRows {
			p := w
			p.IDNumber, p.Phone, p.Masked = fugong.MaskIDNumber(w.IDNumber), fugong.MaskPhone(w.Phone), true
			res.Preview = append(res.Preview, p)
		}
		if !commit || res.ErrorCount > 0 {
			return nil
		}
		w.County, w.Township = ent.County, ent.Township
		batch = append(batch, w)
		if len(batch) >= importBatch {
			dbErr = flush()
			return dbErr
		}
		return nil
	}
	if err := src(head, row); err != nil {
		if dbErr != nil {
			return res, dbErr
		}
		if fugong.ErrorCode(err) == fugong.EINVALID {
			return res, err
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
	if err := flush(); err != nil {
		return res, err
	}
	if err := db.Audit(ctx, tx, ent.County, "import", "workers", ent.ID, nil, map[string]any{"enterprise_id": ent.ID, "rows": res.Rows}); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit import: %w", err)
	}
	return res, nil
}
