package api

import (
	"io"
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/roster"
	"fugong/store"
	"fugong/xlsx"
)

// The set-up imports in the API (admin): the office's sheet of org units or of staff as
// the request's .xlsx body, read and checked as on the import pages (package roster);
// dry_run=true answers the preview, else every row is written or none. New accounts get
// their initial passwords on the hand-out list (/users/handout), as from the page.

type rosterImportJSON struct {
	Rows      int  `json:"rows"`
	Committed bool `json:"committed"`
	// Columns are the sheet's headers read, in the template's order; Other its others.
	Columns   []string          `json:"columns"`
	Other     []string          `json:"other_columns"`
	Preview   [][]string        `json:"preview"`
	Errors    []importErrorJSON `json:"errors"`
	ErrorRows int               `json:"error_count"`
}

func (s *Server) rosterRoutes() {
	edit := fugong.RolesFor(fugong.PermSetupEdit)
	dry := []Param{{"dry_run", "query", "boolean", "true: check and preview only, write nothing"}}
	s.handle(Op{Method: "POST", Path: "/api/v1/org-units/import", Summary: "Import the office's sheet of org units (.xlsx): all rows or none",
		Tag: "setup", Roles: edit, Response: rosterImportJSON{}, Invalid: rosterImportJSON{}, RequestType: xlsx.ContentType, Params: dry}, s.importRoster(roster.OrgUnits))
	s.handle(Op{Method: "POST", Path: "/api/v1/users/import", Summary: "Import the office's staff sheet (.xlsx): all rows or none, initial passwords on the hand-out list",
		Tag: "setup", Roles: fugong.RolesFor(fugong.PermUserEdit), Response: rosterImportJSON{}, Invalid: rosterImportJSON{}, RequestType: xlsx.ContentType,
		Params: dry}, s.importRoster(roster.People))
}

func (s *Server) importRoster(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sc := auth.ScopeFrom(r.Context())
		r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return fugong.Errorf(fugong.EINVALID, "error.too_large")
		}
		rd := roster.Reader{DB: s.DB, Cat: s.Cat, Keys: s.Keys}
		sheet, err := rd.Read(r.Context(), sc, kind, kind+".xlsx", body)
		if err != nil {
			return err
		}
		dry := r.URL.Query().Get("dry_run") == "true"
		if !dry || len(sheet.Bad) > 0 {
			err = rd.Write(r.Context(), sc, sheet)
		}
		out := rosterImportJSON{Rows: len(sheet.Preview), Committed: err == nil && !dry, Columns: sheet.Columns, Other: sheet.Other, Preview: sheet.Preview,
			Errors: []importErrorJSON{}}
		ie, bad := err.(*store.ImportError)
		if err != nil && !bad {
			return err
		}
		if bad {
			for _, e := range ie.Rows {
				out.Errors = append(out.Errors, importErrorJSON{Line: e.Line, Column: e.Column, Message: s.Cat.Msg(langOf(r), e.Msg)})
			}
			out.ErrorRows = len(ie.Rows)
			return writeJSON(w, http.StatusUnprocessableEntity, out)
		}
		return writeJSON(w, http.StatusOK, out)
	}
}
