package web

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

type reportFormData struct {
	E      fugong.Enterprise
	R      fugong.DailyReport
	Exists bool
}

func (s *Server) reportPage(r *http.Request, id int64, day string) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	e, err := s.DB.FindEnterprise(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	d := reportFormData{E: e, R: fugong.DailyReport{Day: day}}
	got, _, err := s.DB.FindDailyReports(r.Context(), sc, fugong.DailyReportFilter{EnterpriseID: id, Day: day, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(got) > 0 {
		d.R, d.Exists = got[0], true
	}
	p := s.newPage(r, "report.title")
	p.Data = d
	return p, nil
}

func (s *Server) reportNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	day := r.URL.Query().Get("day")
	day = s.orToday(day)
	p, err := s.reportPage(r, id, day)
	if err != nil {
		return err
	}
	return s.render(w, r, "report/form", p)
}

func (s *Server) reportCreate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	d := fugong.DailyReport{EnterpriseID: id, Day: f.str("day"), OnDuty: f.int("on_duty"), Capacity: f.int("capacity"), MaskStock: f.int("mask_stock"),
		MasksUsed: f.int("masks_used"), ReturnedOutside: f.int("returned_outside")}
	err = f.save(d.Validate(), func() error { return s.DB.SaveDailyReport(r.Context(), auth.ScopeFrom(r.Context()), &d) })
	return s.afterSave(w, r, err, "/enterprises/"+strconv.FormatInt(id, 10), "report.saved", "report/form",
		func() (*Page, error) { return s.reportPage(r, id, d.Day) })
}

type missingData struct {
	Day      string
	Hour     int
	Due      bool
	Items    []fugong.Enterprise
	Names    map[string]string
	Reported int
}

// reportHour is the county's cut-off hour for daily reports.
func (s *Server) reportHour(r *http.Request, county string) int {
	v, err := s.DB.Setting(r.Context(), county, "resumption.report_hour", "")
	if h, e := strconv.Atoi(v); err == nil && e == nil && h >= 0 && h < 24 {
		return h
	}
	return fugong.DefaultReportHour
}

// reportMissing lists the resumed enterprises that have not reported on a day; for today
// the list counts only once the cut-off hour has passed.
func (s *Server) reportMissing(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	now := s.Clock.Now().In(s.Loc)
	day := r.URL.Query().Get("day")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		day = now.Format(time.DateOnly)
	}
	items, err := s.DB.FindMissingReports(r.Context(), sc, day)
	if err != nil {
		return err
	}
	if town := r.URL.Query().Get("township"); town != "" {
		// One township's enterprises (the command's workbench links here).
		kept := items[:0]
		for _, e := range items {
			if e.Township == town {
				kept = append(kept, e)
			}
		}
		items = kept
	}
	_, reported, err := s.DB.FindDailyReports(r.Context(), sc, fugong.DailyReportFilter{Day: day, Limit: 1})
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	hour := s.reportHour(r, sc.County)
	p := s.newPage(r, "nav.missing_reports")
	p.Data = missingData{Day: day, Hour: hour, Due: day < now.Format(time.DateOnly) || now.Hour() >= hour, Items: items, Names: names, Reported: reported}
	return s.render(w, r, "report/missing", p)
}
