package web

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/roster"
	"fugong/store"
	"fugong/xlsx"
)

// The set-up imports: the office's own sheets of org units and of staff, read by the
// roster package (.xlsx, or CSV in UTF-8 or GBK), every column the sheet has shown in the
// preview, every bad cell named, then written all or nothing. Each has a template to
// download: the headers and one example row.

type setupImportData struct {
	Kind    string
	Columns []roster.Column
	Sheet   *roster.Sheet
	Upload  string // the staged upload's token
	Count   int
}

func (s *Server) roster() roster.Reader { return roster.Reader{DB: s.DB, Cat: s.Cat, Keys: s.Keys} }

func (s *Server) setupImportPage(r *http.Request, kind string) (*Page, *setupImportData, error) {
	cols, ok := roster.Imports[kind]
	if !ok {
		return nil, nil, fugong.NotFound()
	}
	p := s.newPage(r, "import."+kind)
	d := &setupImportData{Kind: kind, Columns: cols}
	p.Data = d
	return p, d, nil
}

func (s *Server) setupImportForm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.setupImportPage(r, r.PathValue("kind"))
	if err != nil {
		return err
	}
	return s.render(w, r, "setup/import", p)
}

// setupImportTemplate answers the import's template, typed like the other imports'
// (xlsx.Template): the header alone on its first sheet, the phone column formatted as
// text, drop-downs of the kinds and roles the import takes, and a sheet of notes.
func (s *Server) setupImportTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	cols, ok := roster.Imports[kind]
	if !ok {
		return fugong.NotFound()
	}
	var kinds, roles []string
	for _, k := range fugong.OrgKinds {
		kinds = append(kinds, s.Cat.T(i18n.Chinese, "orgunit.kind."+k))
	}
	// The county's own people: enterprises' accounts come with their enterprises, a
	// province's from the command line.
	for _, r := range []fugong.Role{fugong.RoleLiaison, fugong.RoleLeader, fugong.RoleDepartment, fugong.RoleTownship, fugong.RoleVillage, fugong.RoleCommand, fugong.RoleAdmin} {
		roles = append(roles, s.Cat.T(i18n.Chinese, "role."+string(r)))
	}
	var out []xlsx.Column
	for _, c := range cols {
		x := xlsx.Column{Header: c.Header, Required: c.Required, Example: c.Example, Note: c.Note}
		switch c.Field {
		case "phone":
			x.Kind = xlsx.KindCode
		case "kind":
			x.Choices = kinds
		case "role":
			x.Choices = roles
		}
		out = append(out, x)
	}
	return sendTemplate(w, kind+"-template.xlsx", s.Cat.T(i18n.Chinese, "import."+kind), out)
}

// setupImportUpload reads a sheet and shows its preview — every column read, every row —
// or every bad cell, keeping nothing.
func (s *Server) setupImportUpload(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	p, d, err := s.setupImportPage(r, kind)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	filename, body, err := readUpload(w, r)
	if err != nil {
		return err
	}
	sheet, err := s.roster().Read(r.Context(), sc, kind, filename, body)
	if err != nil {
		if e := s.invalid(p, err); e != nil {
			return e
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	d.Sheet = sheet
	if len(sheet.Bad) > 0 {
		p.Message = p.T("ledger.bad_rows", len(sheet.Bad))
		p.Errors = s.cellErrors(p, sheet.Bad)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	up := store.LedgerUpload{Kind: "setup-" + kind, Filename: filename, Body: body}
	if err := s.DB.SaveUpload(r.Context(), sc, s.Keys, &up); err != nil {
		return err
	}
	d.Upload, d.Count = up.Token, len(sheet.Preview)
	return s.render(w, r, "setup/import", p)
}

// setupImportCommit writes a previewed sheet, read and checked again, all rows or none.
// New accounts get their initial passwords, on the hand-out list.
func (s *Server) setupImportCommit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	kind := r.PathValue("kind")
	up, err := s.findUpload(r, r.PathValue("token"), func(k string) bool { return k == "setup-"+kind })
	if err != nil {
		return err
	}
	p, _, err := s.setupImportPage(r, kind)
	if err != nil {
		return err
	}
	sheet, err := s.roster().Read(r.Context(), sc, kind, up.Filename, up.Body)
	if err == nil {
		err = s.roster().Write(r.Context(), sc, sheet)
	}
	if ie, ok := err.(*store.ImportError); ok {
		p.Message = p.T("ledger.bad_rows", len(ie.Rows))
		p.Errors = s.cellErrors(p, ie.Rows)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	if err != nil {
		return err
	}
	if err := s.DB.DeleteUpload(r.Context(), sc, up.Token); err != nil {
		return err
	}
	if kind == roster.People {
		return redirect(w, r, "/users/handout", "ledger.imported")
	}
	return redirect(w, r, "/org-units", "ledger.imported")
}
