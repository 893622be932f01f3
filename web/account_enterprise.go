package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/roster"
	"fugong/store"
)

// Enterprise accounts made from the registry in bulk (admin): every enterprise ticked
// that has no account yet gets one — its credit code as the username, its name and
// contact phone — with an initial password on the hand-out list, changed at first login.

type enterpriseAccountsData struct {
	Items  []fugong.Enterprise
	Names  map[string]string
	Errors []string
}

func (s *Server) enterpriseAccountsPage(r *http.Request) (*Page, *enterpriseAccountsData, error) {
	sc := auth.ScopeFrom(r.Context())
	items, err := s.DB.FindEnterprisesWithoutAccount(r.Context(), sc)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return nil, nil, err
	}
	p := s.newPage(r, "account.enterprises")
	d := &enterpriseAccountsData{Items: items, Names: names}
	p.Data = d
	return p, d, nil
}

func (s *Server) enterpriseAccountsForm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.enterpriseAccountsPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "user/enterprises", p)
}

// enterpriseAccountsCreate makes the accounts of the ticked enterprises still without
// one, all or none; a credit code already taken as a username is named by enterprise.
func (s *Server) enterpriseAccountsCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fugong.Errorf(fugong.EMALFORMED, "error.bad_request")
	}
	p, d, err := s.enterpriseAccountsPage(r)
	if err != nil {
		return err
	}
	ticked := map[string]bool{}
	for _, id := range r.PostForm["enterprise"] {
		ticked[id] = true
	}
	var people []store.ImportRow[fugong.User]
	var chosen []fugong.Enterprise
	for _, e := range d.Items {
		if !ticked[strconv.FormatInt(e.ID, 10)] {
			continue
		}
		chosen = append(chosen, e)
		u := fugong.User{Username: e.USCC, DisplayName: e.Name, Role: fugong.RoleEnterprise, EnterpriseID: e.ID, Phone: e.ContactPhone}
		people = append(people, store.ImportRow[fugong.User]{Line: len(chosen), V: u, Columns: map[string]string{"username": p.T("ledger.col.uscc")}})
	}
	if len(people) == 0 {
		p.Message = p.T("account.enterprises_none_ticked")
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "user/enterprises", p)
	}
	rows, err := roster.WithPasswords(s.Keys, people)
	if err == nil {
		err = s.DB.ImportAccounts(r.Context(), auth.ScopeFrom(r.Context()), rows)
	}
	if ie, ok := err.(*store.ImportError); ok {
		p.Message = p.T("ledger.bad_rows", len(ie.Rows))
		for _, row := range ie.Rows {
			d.Errors = append(d.Errors, chosen[row.Line-1].Name+" · "+row.Column+"："+s.Cat.Msg(p.Lang, row.Msg))
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "user/enterprises", p)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/users/handout?role=enterprise", "account.enterprises_made")
}
