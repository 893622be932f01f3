package web

import (
	"encoding/json"
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

type dispatchData struct {
	Lines   []store.DispatchLine
	Token   string // the checked rows, staged sealed on the server for the commit
	Columns []string
	Ranks   []string
}

func (s *Server) dispatchForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "dispatch.title")
	p.Data = dispatchData{Columns: append([]string{fugong.ColUsername}, append(fugong.DispatchColumns, fugong.ColUnit)...), Ranks: fugong.LiaisonRanks}
	return s.render(w, r, "liaison/dispatch", p)
}

// dispatchFail shows a ledger's bad cells, "第 3 行 · 职级：…", in row order.
func (s *Server) dispatchFail(w http.ResponseWriter, r *http.Request, err error) error {
	e := fugong.AsError(err)
	if e.Code != fugong.EINVALID {
		return err
	}
	p := s.newPage(r, "dispatch.title")
	p.Message = s.Cat.Msg(p.Lang, e.Message)
	p.Errors = s.cellErrors(p, fieldCells(e, nil))
	p.Data = dispatchData{Columns: append([]string{fugong.ColUsername}, append(fugong.DispatchColumns, fugong.ColUnit)...), Ranks: fugong.LiaisonRanks}
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, "liaison/dispatch", p)
}

// dispatchPreview reads an uploaded ledger and shows what it would do; nothing is written.
func (s *Server) dispatchPreview(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	file, hdr, err := formFile(r, 16<<20)
	if err != nil {
		return s.dispatchFail(w, r, err)
	}
	defer file.Close()
	sheet, err := xlsx.Read(hdr.Filename, file, xlsx.Limits{})
	if err != nil {
		return s.dispatchFail(w, r, xlsx.FileError(err, "dispatch.unreadable"))
	}
	if miss := sheet.Missing(fugong.DispatchColumns...); len(miss) > 0 {
		return s.dispatchFail(w, r, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("dispatch.columns", joinCols(miss))}))
	}
	rows := make([]fugong.DispatchRow, len(sheet.Rows))
	lost := fugong.FieldErrors{}
	code := func(x xlsx.Row, col string) string {
		v, ok := xlsx.Code(x.Get(col))
		if !ok {
			lost.Add(fugong.CellKey(x.Line, col), "sheet.code_lost", v)
		}
		return v
	}
	for i, x := range sheet.Rows {
		rows[i] = fugong.DispatchRow{Line: x.Line, Username: x.Get(fugong.ColUsername), Name: x.Get(fugong.ColName), Rank: x.Get(fugong.ColRank),
			Phone: code(x, fugong.ColPhone), Unit: x.Get(fugong.ColUnit), USCC: code(x, fugong.ColUSCC)}
	}
	if err := lost.Err(); err != nil {
		return s.dispatchFail(w, r, err)
	}
	lines, err := s.DB.PlanDispatch(r.Context(), sc, rows)
	if err != nil {
		return s.dispatchFail(w, r, err)
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	up := store.LedgerUpload{Kind: dispatchUpload, Filename: hdr.Filename, Body: b}
	if err := s.DB.SaveUpload(r.Context(), sc, s.Keys, &up); err != nil {
		return err
	}
	p := s.newPage(r, "dispatch.preview")
	p.Data = dispatchData{Lines: lines, Token: up.Token}
	return s.render(w, r, "liaison/dispatch_preview", p)
}

// dispatchUpload is the kind of a staged dispatch list: its checked rows (names, phones,
// credit codes) as JSON.
const dispatchUpload = "dispatch"

func joinCols(cs []string) string {
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += "、"
		}
		out += c
	}
	return out
}

// dispatchCommit writes a previewed ledger: checked again, then all of it or nothing.
func (s *Server) dispatchCommit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	up, err := s.findUpload(r, r.PathValue("token"), func(kind string) bool { return kind == dispatchUpload })
	if err != nil {
		return err
	}
	var rows []fugong.DispatchRow
	if err := json.Unmarshal(up.Body, &rows); err != nil {
		return s.dispatchFail(w, r, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("dispatch.unreadable")}))
	}
	if _, err := s.DB.Dispatch(r.Context(), sc, rows, fugong.Day(s.Clock.Now(), s.Loc), s.newInitialPassword); err != nil {
		return s.dispatchFail(w, r, err)
	}
	if err := s.DB.DeleteUpload(r.Context(), sc, up.Token); err != nil {
		return err
	}
	return redirect(w, r, "/responsibilities", "dispatch.done")
}
