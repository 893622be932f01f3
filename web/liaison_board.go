package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/server"
	"fugong/store"
	"fugong/xlsx"
)

type boardData struct {
	Day, VisitBy string
	// Before is set while the set hour has not yet come today.
	Before    bool
	NoVisit   []fugong.Liaison
	Liaisons  int
	StaleDays int
	Cutoff    string
	Stale     []fugong.StaleEnterprise
	Names     map[string]string
}

// midnight is the start of day (YYYY-MM-DD) in the county's time zone.
func (s *Server) midnight(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, s.Loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// liaisonBoards answers the command's two morning questions: which liaisons have not
// checked in anywhere by the set hour, and which enterprises nobody has visited for N days.
func (s *Server) liaisonBoards(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	ctx := r.Context()
	set, err := s.DB.FindLiaisonSettings(ctx, sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "board.title")
	d := boardData{Day: p.Today, VisitBy: set.VisitByText, StaleDays: intQuery(r, "days", set.StaleDays)}
	d.StaleDays = max(1, d.StaleDays)
	by := s.midnight(d.Day).Add(set.VisitBy)
	d.Before = s.Clock.Now().Before(by)
	if d.NoVisit, err = s.DB.LiaisonsWithoutVisit(ctx, sc, d.Day, by); err != nil {
		return err
	}
	all, err := s.DB.FindLiaisons(ctx, sc)
	if err != nil {
		return err
	}
	d.Liaisons = len(all)
	d.Cutoff = s.midnight(d.Day).AddDate(0, 0, -d.StaleDays).Format(time.DateOnly)
	if d.Stale, err = s.DB.StaleEnterprises(ctx, sc, d.Cutoff); err != nil {
		return err
	}
	if d.Names, err = s.DB.RegionNames(ctx, sc.County); err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "liaison/boards", p)
}

type weekData struct {
	Days []string
	Rows []fugong.WeekRow
	Prev string
	Next string
}

// liaisonWeek shows each liaison's visits on the seven days ending ?end (today by default).
func (s *Server) liaisonWeek(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "board.week")
	end := r.URL.Query().Get("end")
	if _, err := time.Parse(time.DateOnly, end); err != nil {
		end = p.Today
	}
	last := s.midnight(end)
	var days []string
	for i := 6; i >= 0; i-- {
		days = append(days, last.AddDate(0, 0, -i).Format(time.DateOnly))
	}
	rows, err := s.DB.LiaisonWeeks(r.Context(), sc, days)
	if err != nil {
		return err
	}
	p.Data = weekData{Days: days, Rows: rows, Prev: last.AddDate(0, 0, -7).Format(time.DateOnly), Next: last.AddDate(0, 0, 7).Format(time.DateOnly)}
	return s.render(w, r, "liaison/week", p)
}

type scorecardData struct {
	From, To string
	Sort     string
	Desc     bool
	Rows     []fugong.Score
	Sorts    []string
	Query    string
}

// scorecardQuery reads the period and order of the scorecard: from 11 February (the day
// the liaisons went out) or the first of the month, to today.
func (s *Server) scorecardQuery(r *http.Request, today string) (from, to, key string, desc bool) {
	q := r.URL.Query()
	from, to, key = q.Get("from"), q.Get("to"), q.Get("sort")
	if _, err := time.Parse(time.DateOnly, to); err != nil {
		to = today
	}
	if _, err := time.Parse(time.DateOnly, from); err != nil || from > to {
		from = s.midnight(to).AddDate(0, 0, -27).Format(time.DateOnly)
	}
	return from, to, key, q.Get("dir") == "desc"
}

func (s *Server) scores(r *http.Request, db *store.DB, today string) (scorecardData, error) {
	sc := auth.ScopeFrom(r.Context())
	from, to, key, desc := s.scorecardQuery(r, today)
	set, err := db.FindLiaisonSettings(r.Context(), sc.County)
	if err != nil {
		return scorecardData{}, err
	}
	_, off := s.midnight(from).Zone()
	rows, err := db.Scorecard(r.Context(), sc, from, to, set.VisitBy, time.Duration(off)*time.Second)
	if err != nil {
		return scorecardData{}, err
	}
	fugong.SortScores(rows, key, desc)
	return scorecardData{From: from, To: to, Sort: key, Desc: desc, Rows: rows, Sorts: fugong.ScoreSorts,
		Query: "from=" + from + "&to=" + to}, nil
}

func (s *Server) scorecard(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "scorecard.title")
	d, err := s.scores(r, s.DB, p.Today)
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "liaison/scorecard", p)
}

// scorecardExport writes the scorecard, in the order shown, as an .xlsx ledger.
func (s *Server) scorecardExport(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "scorecard.title")
	d, err := s.scores(r, server.ReadReplica(w, r, s.DB, s.Log), p.Today)
	if err != nil {
		return err
	}
	var heads []string
	for _, k := range []string{"scorecard.username", "scorecard.name", "scorecard.rank", "scorecard.phone", "scorecard.enterprises", "scorecard.visits",
		"scorecard.on_time", "scorecard.demands", "scorecard.on_site", "scorecard.findings", "scorecard.last_visit"} {
		heads = append(heads, p.T(k))
	}
	xw, err := xlsx.NewWriter(p.T("scorecard.title"), heads)
	if err != nil {
		return err
	}
	for _, x := range d.Rows {
		if err := xw.Add(x.Username, x.Name, x.Rank, xlsx.Text(x.Phone), x.Enterprises, x.Visits, x.OnTime, x.Demands, x.OnSite, x.Findings, xlsx.Date(x.LastVisit)); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="scorecard-%s-%s.xlsx"`, d.From, d.To))
	return xw.Finish(w)
}

// sortLink is the scorecard's column header link: a second click reverses the order.
func (d scorecardData) SortLink(key string) string {
	dir := "desc"
	if d.Sort == key && d.Desc {
		dir = "asc"
	}
	return "?" + d.Query + "&sort=" + key + "&dir=" + dir
}

// ExportLink is the scorecard's .xlsx export of the period and order shown. It is built
// whole here: a template escapes what it puts after a '?', so that "from=…&to=…" given to
// it there arrives as one mangled value and the export falls back to its default period.
func (d scorecardData) ExportLink() string {
	dir := "asc"
	if d.Desc {
		dir = "desc"
	}
	return "/liaison/scorecard.xlsx?" + url.Values{"from": {d.From}, "to": {d.To}, "sort": {d.Sort}, "dir": {dir}}.Encode()
}

// Arrow marks the column the scorecard is sorted by.
func (d scorecardData) Arrow(key string) string {
	if d.Sort != key {
		return ""
	}
	if d.Desc {
		return " ↓"
	}
	return " ↑"
}
