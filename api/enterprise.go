package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
)

// enterpriseJSON is an enterprise as the API shows it. Money is integer fen.
type enterpriseJSON struct {
	ID             int64  `json:"id"`
	RegionCode     string `json:"region_code"`
	Name           string `json:"name"`
	USCC           string `json:"uscc"`
	Township       string `json:"township"`
	Village        string `json:"village,omitempty"`
	Address        string `json:"address"`
	Industry       string `json:"industry"`
	FocusArea      string `json:"focus_area"`
	AboveScale     bool   `json:"above_scale"`
	ParkTenant     bool   `json:"park_tenant"`
	MonthlyRentFen int64  `json:"monthly_rent_fen"`
	Payroll        int    `json:"payroll"`
	ContactName    string `json:"contact_name"`
	Workshop       bool   `json:"workshop"`
	Status         string `json:"status"`
	StatusDate     string `json:"status_date,omitempty"`
	ResumedOn      string `json:"resumed_on,omitempty"`
	Demo           bool   `json:"demo"`
	Version        int64  `json:"version"`
}

func toEnterpriseJSON(e fugong.Enterprise) enterpriseJSON {
	return enterpriseJSON{ID: e.ID, RegionCode: e.County, Name: e.Name, USCC: e.USCC, Township: e.Township, Village: e.Village, Address: e.Address,
		Industry: e.Industry, FocusArea: e.FocusArea, AboveScale: e.AboveScale, ParkTenant: e.ParkTenant, MonthlyRentFen: e.MonthlyRent,
		Payroll: e.Payroll, ContactName: e.ContactName, Workshop: e.Workshop, Status: e.Status, StatusDate: e.StatusDate, ResumedOn: e.ResumedOn,
		Demo: e.Demo, Version: e.Version}
}

func (s *Server) listEnterprises(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.EnterpriseFilter{Query: q.Get("q"), Township: q.Get("township"), FocusArea: q.Get("focus_area"), Status: q.Get("status"), Limit: limit, Offset: offset}
	if f.AboveScale, err = queryOptBool(r, "above_scale"); err != nil {
		return err
	}
	items, total, err := s.DB.FindEnterprises(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total, toEnterpriseJSON)
}

func (s *Server) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindEnterprise, toEnterpriseJSON)
}
