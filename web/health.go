package web

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

// healthRoutes are the workforce-health pages: county totals, an enterprise's board,
// a worker's page on the liaison's phone, and supplies.
func (s *Server) healthRoutes() {
	s.page("GET /health", fugong.RolesFor(fugong.PermEnterpriseView), s.healthCounty)
	s.page("GET /health/enterprises/{id}", Any, s.healthBoard)
	s.page("POST /health/enterprises/{id}/workers", Any, s.workerCreate)
	s.page("POST /health/enterprises/{id}/import", Any, s.workerImport)
	s.page("GET /health/enterprises/{id}/export", Any, s.workerExport)
	s.page("POST /health/enterprises/{id}/supplies", Any, s.supplyRecord)
	s.page("POST /health/enterprises/{id}/supply-settings", Any, s.supplySettings)
	s.page("GET /health/alerts/{id}", Any, s.alertShow)
	s.page("GET /workers/{id}", Any, s.workerShow)
	s.page("GET /workers/template.xlsx", Any, s.importTemplate("workers"))
	s.page("POST /workers/{id}/unmask", Any, s.workerUnmask)
	s.page("POST /workers/{id}/gates", Any, s.workerGate)
	s.page("POST /workers/{id}/checks", Any, s.workerCheck)
}

type healthCountyData struct {
	Totals    []fugong.HealthTotal
	All       fugong.HealthTotal
	Summaries []fugong.SupplySummary
	Names     map[string]string
	Statuses  []string
}

// healthCounty sums workers, today's alerts, supplies and TCM coverage by township, and
// lists the enterprises in scope with their days of cover.
func (s *Server) healthCounty(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "health.title")
	totals, err := s.DB.HealthTotals(r.Context(), sc, p.Today)
	if err != nil {
		return err
	}
	sums, err := s.DB.SupplySummaries(r.Context(), sc, 0)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	d := healthCountyData{Totals: totals, Summaries: sums, Names: names, Statuses: fugong.WorkerStatuses}
	for _, t := range totals {
		d.All.Add(t)
	}
	p.Data = d
	return s.render(w, r, "health/county", p)
}

type healthBoardData struct {
	E        fugong.Enterprise
	Counts   map[string]int
	Lists    map[string][]fugong.Worker
	Statuses []string
	Alerts   []fugong.Alert
	Supply   fugong.SupplySummary
	Items    []string
	Kinds    []string
	Import   *store.ImportResult
	Errors   []string // the import's bad cells in words
	Token    string
	CanWrite bool
	// NoTCM lists the workers on duty without a preventive TCM dose, and NoTCMTotal
	// counts them (the list stops at 200).
	NoTCM      []fugong.Worker
	NoTCMTotal int
}

func (s *Server) healthBoardData(r *http.Request, id int64) (healthBoardData, *Page, error) {
	sc := auth.ScopeFrom(r.Context())
	var d healthBoardData
	e, err := s.DB.FindEnterprise(r.Context(), sc, id)
	if err != nil {
		return d, nil, err
	}
	p := s.newPage(r, "health.board")
	p.Title = e.Name
	counts, err := s.DB.WorkerCounts(r.Context(), sc, id)
	if err != nil {
		return d, nil, err
	}
	d = healthBoardData{E: e, Counts: counts[id], Lists: map[string][]fugong.Worker{}, Statuses: fugong.WorkerStatuses[:3],
		Items: fugong.SupplyItems, Kinds: fugong.SupplyKinds, CanWrite: sc.Can(fugong.PermHealthWrite)}
	for _, st := range d.Statuses {
		ws, _, err := s.Health.FindWorkers(r.Context(), sc, fugong.WorkerFilter{EnterpriseID: id, Status: st, Limit: 200})
		if err != nil {
			return d, nil, err
		}
		d.Lists[st] = ws
	}
	if d.NoTCM, d.NoTCMTotal, err = s.Health.FindWorkers(r.Context(), sc, fugong.WorkerFilter{EnterpriseID: id, Status: fugong.WorkerOnDuty, NoTCM: true, Limit: 200}); err != nil {
		return d, nil, err
	}
	if d.Alerts, err = s.Health.FindAlerts(r.Context(), sc, p.Today, id, 100); err != nil {
		return d, nil, err
	}
	sums, err := s.DB.SupplySummaries(r.Context(), sc, id)
	if err != nil {
		return d, nil, err
	}
	if len(sums) == 1 {
		d.Supply = sums[0]
	}
	return d, p, nil
}

// healthBoard is an enterprise's board: workers pending, in isolation and on duty, the
// day's alerts, supplies and TCM coverage.
func (s *Server) healthBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, p, err := s.healthBoardData(r, id)
	if err != nil {
		return err
	}
	p.Data = d
	return s.render(w, r, "health/board", p)
}

// boardError re-renders the board with the form's errors.
func (s *Server) boardError(w http.ResponseWriter, r *http.Request, id int64, err error, fill func(d *healthBoardData, p *Page)) error {
	d, p, e2 := s.healthBoardData(r, id)
	if e2 != nil {
		return e2
	}
	if err := s.invalid(p, err); err != nil {
		return err
	}
	p.Form = r.PostForm
	if fill != nil {
		fill(&d, p)
	}
	p.Data = d
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, "health/board", p)
}

func (s *Server) workerCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x := fugong.Worker{EnterpriseID: id, Name: r.FormValue("name"), IDNumber: r.FormValue("id_number"), Phone: r.FormValue("phone"),
		HomeRegion: r.FormValue("home_region"), Poor: r.FormValue("poor") == "on"}
	if err := s.Health.CreateWorker(r.Context(), auth.ScopeFrom(r.Context()), &x); err != nil {
		return s.boardError(w, r, id, err, nil)
	}
	return redirect(w, r, "/workers/"+strconv.FormatInt(x.ID, 10), "form.saved")
}

// importDir keeps an uploaded ledger between its preview and its confirmation, sealed
// (secret.SealStream). It is under the server's own temporary folder, which `fugong
// serve` empties at start.
func importDir() string { return filepath.Join(os.TempDir(), "fugong-imports") }

// importKept is how long a previewed ledger waits for its confirmation; one left longer
// was abandoned and is removed when the next is uploaded.
const importKept = time.Hour

// sweepImports removes the previewed ledgers older than importKept.
func sweepImports(now time.Time) {
	entries, _ := os.ReadDir(importDir())
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > importKept {
			os.Remove(filepath.Join(importDir(), e.Name()))
		}
	}
}

// uploadExpired is what a confirmation finds when its preview is gone: expired, already
// imported, someone else's, or a token changed on the way. The page says so in words.
func uploadExpired() error { return fugong.Errorf(fugong.ENOTFOUND, "sheet.upload_expired") }

// stageWorkers keeps an uploaded ledger (up to 1 GiB) for its confirmation: streamed to
// a file of its own under a random token, sealed as it is written, so that its ID numbers
// and phones are never on disk in clear. Nothing half-written is kept.
func (s *Server) stageWorkers(userID int64, file io.Reader) (token, path string, err error) {
	b := make([]byte, 16)
	rand.Read(b)
	token = hex.EncodeToString(b)
	sweepImports(time.Now())
	os.MkdirAll(importDir(), 0o700)
	path = stagedWorkers(userID, token)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", err
	}
	sw, err := s.Keys.SealStream(out)
	if err == nil {
		_, err = io.Copy(sw, file)
		if e := sw.Close(); err == nil {
			err = e
		}
	}
	if e := out.Close(); err == nil {
		err = e
	}
	if err != nil {
		os.Remove(path)
		return "", "", err
	}
	return token, path, nil
}

// stagedWorkers is the file of a user's staged ledger.
func stagedWorkers(userID int64, token string) string {
	return filepath.Join(importDir(), strconv.FormatInt(userID, 10)+"-"+token+".sealed")
}

// workerImport previews an uploaded ledger (kept sealed under a random token), or, with
// the token of a preview, imports it all or nothing.
func (s *Server) workerImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	token := r.FormValue("token")
	commit := token != ""
	var path string
	if commit {
		if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
			return uploadExpired()
		}
		path = stagedWorkers(sc.UserID, token)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 512<<20)
		file, _, err := r.FormFile("file")
		if err != nil {
			return s.boardError(w, r, id, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("field.required")}), nil)
		}
		token, path, err = s.stageWorkers(sc.UserID, file)
		file.Close()
		dropForm(r) // the ledger is sealed in importDir now
		if err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return uploadExpired()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || time.Since(st.ModTime()) > importKept {
		os.Remove(path)
		return uploadExpired()
	}
	ledger, err := s.Keys.OpenStream(f, st.Size())
	if err != nil {
		os.Remove(path)
		return uploadExpired()
	}
	src := func(head func([]string) error, row func(int, []string) error) error {
		return xlsx.Explain(xlsx.EachRow(ledger, xlsx.WorkerLimits(), head, row))
	}
	res, err := s.Health.ImportWorkers(r.Context(), sc, id, src, commit)
	if err != nil {
		os.Remove(path)
		return s.boardError(w, r, id, err, func(d *healthBoardData, p *Page) { d.Import, d.Errors = &res, s.cellErrors(p, res.Errors) })
	}
	if !commit {
		// A clean preview is a page like any other: 200, with the confirmation form.
		d, p, err := s.healthBoardData(r, id)
		if err != nil {
			return err
		}
		d.Import, d.Token = &res, token
		p.Data = d
		return s.render(w, r, "health/board", p)
	}
	os.Remove(path)
	return redirect(w, r, "/health/enterprises/"+strconv.FormatInt(id, 10), "worker.imported")
}

// workerExport streams the enterprise's workers ledger, masked.
func (s *Server) workerExport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if _, err := s.DB.FindEnterprise(r.Context(), sc, id); err != nil {
		return err
	}
	xw, err := xlsx.NewWriter("员工", fugong.WorkerColumns)
	if err != nil {
		return err
	}
	err = s.Health.EachWorker(r.Context(), sc, id, func(x fugong.Worker) error {
		return xw.Add(x.Name, xlsx.Text(x.IDNumber), xlsx.Text(x.Phone), x.HomeRegion, xlsx.YesNo(x.Poor), x.Status)
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="workers.xlsx"`)
	return xw.Finish(w)
}

func (s *Server) supplyRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q, _ := strconv.Atoi(r.FormValue("quantity"))
	day := r.FormValue("day")
	if day == "" {
		day = fugong.Day(s.Clock.Now(), s.Loc)
	}
	e := fugong.SupplyEntry{EnterpriseID: id, Item: r.FormValue("item"), Kind: r.FormValue("kind"), Quantity: q, Day: day, Note: r.FormValue("note")}
	if v := r.FormValue("worker_id"); v != "" {
		if e.WorkerID, err = strconv.ParseInt(v, 10, 64); err != nil || e.WorkerID <= 0 {
			return s.boardError(w, r, id, fugong.Invalid(map[string]fugong.Msg{"worker_id": fugong.M("supply.worker")}), nil)
		}
	}
	if err := s.Health.RecordSupply(r.Context(), auth.ScopeFrom(r.Context()), &e); err != nil {
		return s.boardError(w, r, id, err, nil)
	}
	anchor := "#supplies"
	if e.WorkerID != 0 {
		anchor = "#no-tcm"
	}
	return redirect(w, r, "/health/enterprises/"+strconv.FormatInt(id, 10)+anchor, "form.saved")
}

func (s *Server) supplySettings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n := func(k string) int {
		v, err := strconv.Atoi(r.FormValue(k))
		if err != nil {
			return -1
		}
		return v
	}
	set := fugong.SupplySettings{AttendancePct: n("attendance_pct"), MasksPerPerson: n("masks_per_person"), ThresholdDays: n("threshold_days")}
	if err := s.Health.SetSupplySettings(r.Context(), auth.ScopeFrom(r.Context()), id, set); err != nil {
		return s.boardError(w, r, id, err, nil)
	}
	return redirect(w, r, "/health/enterprises/"+strconv.FormatInt(id, 10)+"#supplies", "form.saved")
}

// alertShow opens a health alert from its notification (which carries no reading): the
// worker's page, where those in scope see the checks and steps with their readings.
func (s *Server) alertShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Health.FindAlert(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return redirect(w, r, "/workers/"+strconv.FormatInt(a.WorkerID, 10), "")
}
