package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

// powerCols are the grid company's sheet columns; the baseline column is optional.
var powerCols = []string{"uscc", "day", "kwh", "baseline"}

type powerData struct {
	Day string
	P   fugong.PowerIndex
	// Declared is the county's declared resumption (resumed of all): a rate of no
	// enterprise, like an index of no baseline, shows —.
	Declared fugong.ResumptionCount
	Names    map[string]string
	Columns  []string
	CanLoad  bool
	Upload   string // the staged upload's token
	Count    int
}

// powerParsed is an import read and checked: readings, baselines, bad cells.
type powerParsed struct {
	uses      []fugong.PowerUse
	baselines map[int64]int64
	bad       []store.RowError
}

// parsePower reads the grid company's sheet (.xlsx or CSV) and checks every row.
func (s *Server) parsePower(ctx context.Context, sc fugong.Scope, name string, body []byte) (powerParsed, error) {
	out := powerParsed{baselines: map[int64]int64{}}
	sh, err := xlsx.Read(name, bytes.NewReader(body), xlsx.Limits{})
	if err != nil {
		return out, xlsx.FileError(err, "ledger.unreadable")
	}
	col := func(f string) string { return s.col("power." + f) }
	if miss := sh.Missing(col("uscc"), col("day"), col("kwh")); len(miss) > 0 {
		return out, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("ledger.missing_columns", strings.Join(miss, "、"))})
	}
	if len(sh.Rows) == 0 {
		return out, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("ledger.empty")})
	}
	ids, err := s.DB.EnterpriseIDsByUSCC(ctx, sc)
	if err != nil {
		return out, err
	}
	for _, row := range sh.Rows {
		bad := func(f, key string, args ...any) {
			out.bad = append(out.bad, store.RowError{Line: row.Line, Column: col(f), Msg: fugong.M(key, args...)})
		}
		uscc, okCode := xlsx.Code(row.Get(col("uscc")))
		id, ok := ids[fugong.NormalizeUSCC(uscc)]
		switch {
		case !okCode:
			bad("uscc", "sheet.code_lost", uscc)
		case !ok:
			bad("uscc", "power.unknown_enterprise")
		}
		day, okDay := row.Day(col("day"))
		if !okDay {
			bad("day", "sheet.date")
		}
		wh, okWh := fugong.ParseKWh(xlsx.Decimal(row.Get(col("kwh")), 3))
		if !okWh {
			bad("kwh", "power.bad_kwh")
		}
		if b := row.Get(col("baseline")); b != "" {
			if bw, ok := fugong.ParseKWh(xlsx.Decimal(b, 3)); ok && id != 0 {
				out.baselines[id] = bw
			} else {
				bad("baseline", "power.bad_kwh")
			}
		}
		if ok && okDay && okWh {
			out.uses = append(out.uses, fugong.PowerUse{EnterpriseID: id, Day: day, Wh: wh})
		}
	}
	return out, nil
}

func (s *Server) powerPage(r *http.Request, sc fugong.Scope) (*Page, powerData, error) {
	day := s.day(r)
	d := powerData{Day: day, CanLoad: sc.Can(fugong.PermPowerLoad)}
	var err error
	if d.P, err = s.DB.PowerIndex(r.Context(), sc, day); err != nil {
		return nil, d, err
	}
	st, err := s.DB.ResumptionStats(r.Context(), sc, day)
	if err != nil {
		return nil, d, err
	}
	d.Declared = st.All
	if d.Names, err = s.DB.RegionNames(r.Context(), sc.County); err != nil {
		return nil, d, err
	}
	for _, f := range powerCols {
		d.Columns = append(d.Columns, s.col("power."+f))
	}
	return s.newPage(r, "nav.power"), d, nil
}

func (s *Server) power(w http.ResponseWriter, r *http.Request) error {
	p, d, err := s.powerPage(r, auth.ScopeFrom(r.Context()))
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "dashboard/power", p)
}

// powerUpload checks an uploaded sheet and shows what it would import; nothing is
// written until the preview is confirmed.
func (s *Server) powerUpload(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	filename, body, err := readUpload(w, r)
	if err != nil {
		return err
	}
	res, err := s.parsePower(r.Context(), sc, filename, body)
	if err != nil {
		return err
	}
	p, d, err := s.powerPage(r, sc)
	if err != nil {
		return err
	}
	if len(res.bad) > 0 {
		p.Message = p.T("ledger.bad_rows", len(res.bad))
		p.Errors = s.cellErrors(p, res.bad)
		p.Data = d
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "dashboard/power", p)
	}
	up := store.LedgerUpload{Kind: "power", Filename: filename, Body: body}
	if err := s.DB.SaveUpload(r.Context(), sc, s.Keys, &up); err != nil {
		return err
	}
	d.Upload, d.Count = up.Token, len(res.uses)
	p.Data = d
	return s.render(w, r, "dashboard/power", p)
}

// powerCommit imports a previewed sheet, every row or none.
func (s *Server) powerCommit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	up, err := s.findUpload(r, r.PathValue("token"), func(kind string) bool { return kind == "power" })
	if err != nil {
		return err
	}
	res, err := s.parsePower(r.Context(), sc, up.Filename, up.Body)
	if err != nil {
		return err
	}
	if len(res.bad) > 0 {
		return &store.ImportError{Rows: res.bad}
	}
	if err := s.DB.ImportPower(r.Context(), sc, res.uses, res.baselines); err != nil {
		return err
	}
	if err := s.DB.DeleteUpload(r.Context(), sc, up.Token); err != nil {
		return err
	}
	return redirect(w, r, "/power?date="+r.FormValue("date"), "power.imported")
}
