package web

import (
	"context"
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

// People's accounts made by the office (admin): each new or reset account gets an
// initial password shown on the printable hand-out list, changed at first login.

type accountFormData struct {
	U        fugong.User
	Action   string
	Roles    []string
	OrgUnits []Option
	Regions  []Option
}

// accountOptions lists the county's org units in use and its townships and villages.
func (s *Server) accountOptions(ctx context.Context, sc fugong.Scope) (units, regions []Option, err error) {
	all, err := s.DB.FindOrgUnits(ctx, sc.County)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range all {
		if !o.Retired {
			units = append(units, Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
		}
	}
	towns, err := s.DB.FindRegions(ctx, sc.County)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range towns {
		regions = append(regions, Option{Value: t.Code, Label: t.Name})
		villages, err := s.DB.FindRegions(ctx, t.Code)
		if err != nil {
			return nil, nil, err
		}
		for _, v := range villages {
			regions = append(regions, Option{Value: v.Code, Label: t.Name + " · " + v.Name})
		}
	}
	return units, regions, nil
}

func (s *Server) accountFormPage(r *http.Request, u fugong.User) (*Page, error) {
	units, regions, err := s.accountOptions(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "account.new")
	d := accountFormData{U: u, Action: "/users", OrgUnits: units, Regions: regions}
	for _, role := range fugong.Roles {
		d.Roles = append(d.Roles, string(role))
	}
	if u.ID != 0 {
		p.Title = u.DisplayName
		d.Action = "/users/" + strconv.FormatInt(u.ID, 10)
	}
	p.Data = d
	return p, nil
}

func (s *Server) accountNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountFormPage(r, fugong.User{Role: fugong.RoleLiaison})
	if err != nil {
		return err
	}
	return s.render(w, r, "user/form", p)
}

func (s *Server) accountEditPage(r *http.Request, id int64) (*Page, error) {
	u, err := s.DB.FindAccount(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return s.accountFormPage(r, u)
}

func (s *Server) accountEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "user/form", s.accountEditPage)
}

// readAccount copies the form onto u. The username, when left empty on a new account,
// is the phone number.
func readAccount(f *form, u *fugong.User) {
	u.DisplayName, u.Phone, u.Rank, u.Title = f.str("display_name"), fugong.NormalizePhone(f.str("phone")), f.str("rank"), f.str("title")
	u.Role, u.Region = fugong.Role(f.str("role")), f.str("region")
	u.OrgUnitID, u.EnterpriseID = f.int64("org_unit_id"), f.int64("enterprise_id")
	if u.ID == 0 {
		u.Username = f.str("username")
		if u.Username == "" {
			u.Username = u.Phone
		}
	}
	if k := fugong.CheckPhone(u.Phone); k != "" {
		f.err.Add("phone", k)
	}
}

func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var u fugong.User
	readAccount(f, &u)
	err = f.merge(nil)
	if err == nil {
		var hash, sealed string
		if hash, sealed, err = s.newInitialPassword(); err == nil {
			err = s.DB.AddAccount(r.Context(), auth.ScopeFrom(r.Context()), &u, hash, sealed)
		}
	}
	return s.afterSave(w, r, err, "/users/handout?id="+strconv.FormatInt(u.ID, 10), "account.created", "user/form",
		func() (*Page, error) { return s.accountFormPage(r, u) })
}

func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	u, err := s.DB.UpdateAccount(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"), func(u *fugong.User) error {
		readAccount(f, u)
		return f.merge(nil)
	})
	return s.afterSave(w, r, err, "/users?q="+u.Username, "form.saved", "user/form", func() (*Page, error) { return s.accountEditPage(r, id) })
}

// accountReset gives an account a new initial password and shows it on the hand-out list.
func (s *Server) accountReset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	hash, sealed, err := s.newInitialPassword()
	if err != nil {
		return err
	}
	if err := s.DB.ResetPassword(r.Context(), auth.ScopeFrom(r.Context()), id, hash, sealed); err != nil {
		return err
	}
	return redirect(w, r, "/users/handout?id="+strconv.FormatInt(id, 10), "account.reset")
}

type handoutLine struct {
	U                 fugong.User
	OrgUnit, Region   string
	Password, Problem string
}

// accountHandout is the printable list of initial passwords the office hands out: every
// account not yet logged in with its own, or one (?id=) or one role (?role=). Each
// showing is written to the audit log.
func (s *Server) accountHandout(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	items, err := s.DB.FindHandouts(r.Context(), sc, fugong.Role(q.Get("role")))
	if err != nil {
		return err
	}
	units, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	unitNames := map[int64]string{}
	for _, o := range units {
		unitNames[o.ID] = o.Name
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	only, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	var lines []handoutLine
	for _, h := range items {
		if only != 0 && h.User.ID != only {
			continue
		}
		l := handoutLine{U: h.User, OrgUnit: unitNames[h.User.OrgUnitID], Region: names[h.User.Region]}
		if l.Password, err = s.Keys.Open(h.Sealed); err != nil {
			l.Password = ""
		}
		lines = append(lines, l)
	}
	if err := s.DB.AuditHandout(r.Context(), sc, len(lines), q.Get("role"), only); err != nil {
		return err
	}
	p := s.newPage(r, "account.handout")
	p.Data = struct {
		Lines []handoutLine
		URL   string
	}{lines, s.PublicURL}
	return s.render(w, r, "user/handout", p)
}
