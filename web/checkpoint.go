package web

import (
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
)

// Who registers at checkpoints and screens villages (the store decides the same).
var screeners = fugong.RolesFor(fugong.PermCheckpointScreen)

func (s *Server) checkpointList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := fugong.CheckpointFilter{Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindCheckpoints(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.checkpoints")
	p.Data = struct {
		Items []fugong.Checkpoint
		Names map[string]string
		Pager Pager
	}{items, names, newPager(r, p, total, f.Limit, f.Offset)}
	return s.render(w, r, "checkpoint/list", p)
}

type checkpointShowData struct {
	C           fugong.Checkpoint
	Shifts      []fugong.CheckpointShift
	Entries     []fugong.CheckpointEntry
	Names       map[string]string
	CanRegister bool
	Pager       Pager
}

func (s *Server) checkpointShowPage(r *http.Request, id int64) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	c, err := s.DB.FindCheckpoint(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	shifts, err := s.DB.FindShifts(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	offset := intQuery(r, "offset", 0)
	entries, total, err := s.DB.FindCheckpointEntries(r.Context(), sc, s.Keys, id, false, 50, offset)
	if err != nil {
		return nil, err
	}
	// Personal data in clear counts against the caller's hourly unmask limit, as exports do.
	if r.URL.Query().Get("unmask") == "1" && sc.CanSeeUnmasked() && len(entries) > 0 {
		if err := s.Health.AllowBulkUnmask(r.Context(), sc, "checkpoint_entries", len(entries), r.URL.Query().Get("reason")); err != nil {
			return nil, err
		}
		if entries, total, err = s.DB.FindCheckpointEntries(r.Context(), sc, s.Keys, id, true, 50, offset); err != nil {
			return nil, err
		}
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.checkpoints")
	p.Title = c.Name
	p.Data = checkpointShowData{C: c, Shifts: shifts, Entries: entries, Names: names, CanRegister: sc.Is(screeners...), Pager: newPager(r, p, total, 50, offset)}
	return p, nil
}

func (s *Server) checkpointShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "checkpoint/show", s.checkpointShowPage)
}

func (s *Server) checkpointRegister(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	e := fugong.CheckpointEntry{CheckpointID: id, Plate: f.str("plate"), Name: f.str("name"), IDNumber: f.str("id_number"), Phone: f.str("phone"), Origin: f.str("origin")}
	t, terr := fugong.ParseBodyTemperature(f.str("temperature"))
	if terr != nil {
		f.err.Add("temperature", "checkpoint.temperature")
	}
	e.Temperature = t
	if v := f.str("at"); v != "" {
		at, aerr := time.ParseInLocation("2006-01-02T15:04", v, s.Loc)
		if aerr != nil {
			f.err.Add("at", "checkpoint.at_invalid")
		}
		e.At = at
	}
	err = f.save(nil, func() error {
		return s.DB.CreateCheckpointEntry(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &e, s.zh)
	})
	flash := "checkpoint.registered"
	if e.Fever {
		flash = "checkpoint.fever_flash"
	}
	return s.afterSave(w, r, err, "/checkpoints/"+strconv.FormatInt(id, 10), flash, "checkpoint/show",
		func() (*Page, error) { return s.checkpointShowPage(r, id) })
}

func (s *Server) screeningPage(r *http.Request) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	offset := intQuery(r, "offset", 0)
	items, total, err := s.DB.FindScreenings(r.Context(), sc, s.Keys, 50, offset)
	if err != nil {
		return nil, err
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "nav.screenings")
	isolated := 0
	for _, x := range items {
		if x.Isolated(p.Today) {
			isolated++
		}
	}
	p.Data = struct {
		Items     []fugong.Screening
		Names     map[string]string
		Isolated  int
		CanScreen bool
		Pager     Pager
	}{items, names, isolated, sc.Is(screeners...), newPager(r, p, total, 50, offset)}
	return p, nil
}

func (s *Server) screeningList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.screeningPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "checkpoint/screenings", p)
}

func (s *Server) screeningCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	x := fugong.Screening{Village: f.str("village"), Name: f.str("name"), IDNumber: f.str("id_number"), Phone: f.str("phone"), FromRegion: f.str("from_region"),
		ReturnedOn: f.str("returned_on"), Needs: f.str("needs")}
	if v := f.str("temperature"); v != "" {
		t, terr := fugong.ParseBodyTemperature(v)
		if terr != nil {
			f.err.Add("temperature", "checkpoint.temperature")
		}
		x.Temperature = t
	}
	err = f.save(nil, func() error { return s.DB.CreateScreening(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &x, s.zh) })
	return s.afterSave(w, r, err, "/screenings", "form.saved", "checkpoint/screenings",
		func() (*Page, error) { return s.screeningPage(r) })
}

// screeningCheck records the day's temperature of a person in home isolation. A refusal
// is shown beside that person's own row (field check_<id>), not at the screening form.
func (s *Server) screeningCheck(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	c := fugong.ScreeningCheck{ScreeningID: id, Day: fugong.Day(s.Clock.Now(), s.Loc), Symptoms: f.str("symptoms")}
	t, terr := fugong.ParseBodyTemperature(f.str("reading"))
	if terr != nil {
		f.err.Add("reading", "checkpoint.temperature")
	}
	c.Temperature = t
	err = f.save(nil, func() error { return s.Health.RecordScreeningCheck(r.Context(), auth.ScopeFrom(r.Context()), &c) })
	if e := fugong.AsError(err); err != nil && e.Code == fugong.EINVALID {
		row := map[string]fugong.Msg{}
		for _, m := range e.Fields {
			row["check_"+strconv.FormatInt(id, 10)] = m
		}
		err = fugong.Invalid(row)
	}
	flash := "form.saved"
	if c.Fever {
		flash = "checkpoint.fever_flash"
	}
	return s.afterSave(w, r, err, "/screenings#s"+strconv.FormatInt(id, 10), flash, "checkpoint/screenings",
		func() (*Page, error) { return s.screeningPage(r) })
}

// checkpointEntryShow opens a registration from its fever notice (which carries no
// reading): the checkpoint's page, where those in scope see it.
func (s *Server) checkpointEntryShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cp, err := s.DB.CheckpointOfEntry(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return redirect(w, r, "/checkpoints/"+strconv.FormatInt(cp, 10), "")
}
