package web

import (
	"net/http"
	"strconv"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

var (
	// judicialReaders see the visits: the county offices and the visiting bodies.
	judicialReaders = fugong.RolesFor(fugong.PermJudicialView)
	// judicialRecorders record them (the store refuses a body that is not judicial).
	judicialRecorders = fugong.RolesFor(fugong.PermJudicialRecord)
)

type judicialData struct {
	Items       []fugong.JudicialVisit
	Pager       Pager
	CanRecord   bool
	Bodies      []fugong.OrgUnit
	Enterprises []fugong.Enterprise
	// Own is the caller's own body when a department records (no choice).
	Own int64
}

func (s *Server) judicialPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	offset := intQuery(r, "offset", 0)
	items, total, err := s.DB.FindJudicialVisits(r.Context(), sc, 50, offset)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.judicial")
	d := judicialData{Items: items, Pager: newPager(r, p, total, 50, offset)}
	if sc.Can(fugong.PermJudicialRecord) && (sc.Role != fugong.RoleDepartment || sc.Judicial) {
		d.CanRecord = true
		if sc.Role == fugong.RoleDepartment {
			d.Own = sc.OrgUnitID
		} else if d.Bodies, err = s.DB.JudicialBodies(r.Context(), sc.County); err != nil {
			return nil, err
		}
		if d.Enterprises, _, err = s.DB.FindEnterprises(r.Context(), store.JudicialScope(sc), fugong.EnterpriseFilter{Limit: 1000}); err != nil {
			return nil, err
		}
	}
	p.Data = d
	return p, nil
}

// judicialList shows the court's and procuratorate's visits and the demands their needs
// became, with the form to record one for the judicial bodies and the county offices.
func (s *Server) judicialList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.judicialPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "judicial/list", p)
}

// judicialCreate records a visit; a need becomes a 司法 demand dispatched to the body.
func (s *Server) judicialCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	v := fugong.JudicialVisit{OrgUnitID: f.int64("org_unit_id"), EnterpriseID: f.int64("enterprise_id"), Day: f.str("day"), Visitor: f.str("visitor"),
		Note: f.str("note"), Need: f.str("need"), Matter: f.str("matter")}
	err = f.save(nil, func() error {
		return s.DB.RecordJudicialVisit(r.Context(), auth.ScopeFrom(r.Context()), s.demands(), &v)
	})
	return s.afterSave(w, r, err, "/judicial-visits#v"+strconv.FormatInt(v.ID, 10), "judicial.recorded", "judicial/list",
		func() (*Page, error) { return s.judicialPage(r) })
}
