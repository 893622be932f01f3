package web

import (
	"context"
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
)

type enterpriseFormData struct {
	E         fugong.Enterprise
	Action    string
	Townships []Option
	IsNew     bool
	// Rent is the monthly rent in yuan, as the form shows it.
	Rent                 string
	FocusAreas, Statuses []string
}

// townshipOptions lists the townships the caller may put a record in.
func (s *Server) townshipOptions(ctx context.Context, sc fugong.Scope) ([]Option, error) {
	towns, err := s.DB.FindRegions(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	var out []Option
	for _, t := range towns {
		if sc.Role == fugong.RoleTownship && t.Code != sc.Region {
			continue
		}
		out = append(out, Option{Value: t.Code, Label: t.Name})
	}
	return out, nil
}

func (s *Server) enterpriseFormPage(r *http.Request, e fugong.Enterprise) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	towns, err := s.townshipOptions(r.Context(), sc)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "enterprise.new")
	d := enterpriseFormData{E: e, Action: "/enterprises", Townships: towns, IsNew: e.ID == 0, Rent: fen2yuan(e.MonthlyRent),
		FocusAreas: fugong.FocusAreas, Statuses: fugong.EnterpriseStatuses}
	if e.ID != 0 {
		p.Title = e.Name
		d.Action = "/enterprises/" + strconv.FormatInt(e.ID, 10)
	}
	p.Data = d
	return p, nil
}

func (s *Server) enterpriseNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.enterpriseFormPage(r, fugong.Enterprise{Status: fugong.StatusNotResumed})
	if err != nil {
		return err
	}
	return s.render(w, r, "enterprise/form", p)
}

// enterpriseEditPage is the form of an enterprise as it is stored.
func (s *Server) enterpriseEditPage(r *http.Request, id int64) (*Page, error) {
	e, err := s.DB.FindEnterprise(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return s.enterpriseFormPage(r, e)
}

func (s *Server) enterpriseEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "enterprise/form", s.enterpriseEditPage)
}

// readEnterprise copies the form's fields onto e.
func readEnterprise(f *form, e *fugong.Enterprise) {
	e.Name, e.USCC, e.Township, e.Village = f.str("name"), f.str("uscc"), f.str("township"), f.str("village")
	e.Address, e.Industry, e.FocusArea = f.str("address"), f.str("industry"), f.str("focus_area")
	e.AboveScale, e.ParkTenant, e.Workshop = f.bool("above_scale"), f.bool("park_tenant"), f.bool("workshop")
	e.MonthlyRent, e.Payroll = f.yuan("monthly_rent"), f.int("payroll")
	e.ContactName, e.ContactPhone = f.str("contact_name"), f.str("contact_phone")
	if st := f.str("status"); st != "" {
		e.Status = st
	}
	if d := f.str("resumed_on"); d != "" {
		e.ResumedOn = d
	}
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	var e fugong.Enterprise
	readEnterprise(f, &e)
	if f.str("status") == "" {
		e.Status = fugong.StatusNotResumed
	}
	sc := auth.ScopeFrom(r.Context())
	err = f.save(e.Validate(), func() error { return s.DB.CreateEnterprise(r.Context(), sc, &e) })
	return s.afterSave(w, r, err, "/enterprises/"+strconv.FormatInt(e.ID, 10), "form.saved", "enterprise/form",
		func() (*Page, error) { return s.enterpriseFormPage(r, e) })
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.UpdateEnterprise(r.Context(), sc, id, f.int64("version"), func(e *fugong.Enterprise) error {
		readEnterprise(f, e)
		return f.merge(nil)
	})
	return s.afterSave(w, r, err, "/enterprises/"+strconv.FormatInt(e.ID, 10), "form.saved", "enterprise/form",
		func() (*Page, error) { return s.enterpriseEditPage(r, id) })
}
