package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

// VillagerImportRows bounds a villagers' contact list: a village has a few hundred to a
// few thousand people.
const VillagerImportRows = 5_000

// villagerLabels names the contact list's fields as its columns do.
var villagerLabels = map[string]string{"name": "姓名", "phone": "手机号", "village": "村", "poor": "建档立卡贫困户"}

// villagerUpload is the kind of a staged contact list.
const villagerUpload = "villagers"

type villagerImportData struct {
	Columns []string
	Rows    []fugong.Villager
	Lines   []int
	Names   map[string]string
	Token   string
}

func (s *Server) villagerImportForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "villager.import")
	p.Data = villagerImportData{Columns: fugong.VillagerColumns}
	return s.render(w, r, "employment/villager_import", p)
}

// villagerImport reads a contact list (.xlsx or CSV) as the job-seekers import does: the
// first post checks every row and shows a masked preview, keeping the file sealed under a
// token; the confirmation adds all rows in one transaction, or none.
func (s *Server) villagerImport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	raw, name, token, err := s.stagedOrUploaded(w, r, villagerUpload)
	if err != nil {
		return err
	}
	p := s.newPage(r, "villager.import")
	villages, err := s.DB.BroadcastVillages(r.Context(), sc)
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	d := villagerImportData{Columns: fugong.VillagerColumns, Names: names}
	rows, lines, ferr := parseVillagerSheet(name, raw, villages)
	if e := fugong.AsError(ferr); ferr == nil || (e.Code == fugong.EINVALID && e.Fields["file"].Key == "") {
		// Every bad cell at once: the sheet's own, then the rules' (a bad phone, the same
		// phone twice), the first message of a cell kept.
		serr := s.DB.ImportVillagers(r.Context(), sc, s.Keys, rows, lines, ferr == nil && token != "")
		ferr = mergeFieldErrors(ferr, serr)
	}
	if ferr == nil && token != "" {
		if err := s.DB.DeleteUpload(r.Context(), sc, token); err != nil {
			return err
		}
		return redirect(w, r, "/broadcasts#villagers", "villager.imported")
	}
	return s.importAnswer(w, r, p, ferr, villagerLabels, "employment/villager_import", store.LedgerUpload{Kind: villagerUpload, Filename: name, Body: raw}, d,
		func(token string) any {
			for i := range rows {
				rows[i].Phone = fugong.MaskPhone(rows[i].Phone)
			}
			d.Rows, d.Lines, d.Token = rows, lines, token
			return d
		})
}

// parseVillagerSheet maps a contact list's rows to villagers, naming each bad cell by
// its row and column. A row without 村 lies in the caller's own village (a village
// cadre's); a village is named as the list of villages names it, or by its code.
func parseVillagerSheet(name string, raw []byte, villages []fugong.Region) ([]fugong.Villager, []int, error) {
	sheet, err := xlsx.Read(name, bytes.NewReader(raw), xlsx.Limits{Rows: VillagerImportRows})
	if err != nil {
		return nil, nil, xlsx.FileError(err, "seeker.bad_file")
	}
	if miss := sheet.Missing("姓名", "手机号"); len(miss) > 0 {
		return nil, nil, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("seeker.missing_columns", strings.Join(miss, "、"))})
	}
	byName := map[string]string{}
	for _, v := range villages {
		byName[v.Name] = v.Code
		byName[v.Code] = v.Code
	}
	f := fugong.FieldErrors{}
	var out []fugong.Villager
	var lines []int
	for _, row := range sheet.Rows {
		v := fugong.Villager{Name: row.Get("姓名")}
		phone, ok := xlsx.Code(row.Get("手机号"))
		if !ok {
			f.Add(fugong.CellKey(row.Line, "手机号"), "sheet.code_lost", phone)
		}
		v.Phone = phone
		if name := row.Get("村"); name != "" {
			if v.Village = byName[name]; v.Village == "" {
				f.Add(fugong.CellKey(row.Line, "village"), "villager.village_cell")
			}
		}
		switch p := row.Get("建档立卡贫困户"); p {
		case "是", "Y", "y", "1", "贫困户":
			v.Poor = true
		case "", "否", "N", "n", "0":
		default:
			f.Add(fugong.CellKey(row.Line, "poor"), "villager.poor_value")
		}
		out = append(out, v)
		lines = append(lines, row.Line)
	}
	if len(out) == 0 {
		f.Add("file", "seeker.empty_file")
	}
	return out, lines, f.Err()
}

type villagerEditData struct {
	V        fugong.Villager
	Villages []fugong.Region
	Names    map[string]string
}

// villagerEditPage is a villager's correction form, with the way to take them off.
func (s *Server) villagerEditPage(r *http.Request, id int64) (*Page, error) {
	sc := auth.ScopeFrom(r.Context())
	v, err := s.DB.FindVillager(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	if v.Retired() {
		return nil, fugong.NotFound()
	}
	d := villagerEditData{V: v}
	if d.Villages, err = s.DB.BroadcastVillages(r.Context(), sc); err != nil {
		return nil, err
	}
	if d.Names, err = s.regionNames(r, sc.County); err != nil {
		return nil, err
	}
	p := s.newPage(r, "villager.edit")
	p.Data = d
	return p, nil
}

// villagerEdit shows a villager's correction form.
func (s *Server) villagerEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "employment/villager_edit", s.villagerEditPage)
}

// villagerUpdate corrects a villager at the version read; a refusal names the field, a
// stale version says someone else changed it.
func (s *Server) villagerUpdate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	e := fugong.VillagerEdit{Village: f.str("village"), Name: f.str("name"), Phone: f.str("phone"), Poor: f.bool("poor")}
	err = f.save(nil, func() error {
		_, err := s.DB.UpdateVillager(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, id, f.int64("version"), e)
		return err
	})
	return s.afterSave(w, r, err, "/broadcasts#villager-"+strconv.FormatInt(id, 10), "villager.saved", "employment/villager_edit",
		func() (*Page, error) { return s.villagerEditPage(r, id) })
}

// villagerRetireConfirm asks whether to take the villager off the list.
func (s *Server) villagerRetireConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.renderByID(w, r, "employment/villager_retire", func(r *http.Request, id int64) (*Page, error) {
		p, err := s.villagerEditPage(r, id)
		if p != nil {
			p.Title = p.T("villager.retire")
		}
		return p, err
	})
}

// villagerRetire takes a villager who moved away off the list: kept for the broadcasts
// that reached them, sent nothing more.
func (s *Server) villagerRetire(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	err = f.save(nil, func() error {
		return s.DB.RetireVillager(r.Context(), auth.ScopeFrom(r.Context()), id, f.int64("version"))
	})
	if e := fugong.AsError(err); err != nil && e.Message.Key == "villager.retired" {
		err = nil // pressed twice, or by two people: off the list as asked
	}
	return s.afterSave(w, r, err, "/broadcasts#villagers", "villager.retired_done", "employment/villager_retire",
		func() (*Page, error) { return s.villagerEditPage(r, id) })
}

// villagerExport writes the contact lists the caller may send to as .xlsx, with the
// import's columns; phones masked, as every export (the workers' too).
func (s *Server) villagerExport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	xw, err := xlsx.NewWriter("村民通讯录", fugong.VillagerColumns)
	if err != nil {
		return err
	}
	err = s.DB.EachVillager(r.Context(), sc, func(v fugong.Villager) error {
		return xw.Add(v.Name, xlsx.Text(v.Phone), names[v.Village], xlsx.YesNo(v.Poor))
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="villagers.xlsx"`)
	return xw.Finish(w)
}

// optOutUndo takes a phone off the opt-out list when the villager asks for job news
// again (撤销退订), with a note of how they asked.
func (s *Server) optOutUndo(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	err = f.save(nil, func() error {
		return s.DB.DeleteOptOut(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, f.str("optin_phone"), f.str("optin_note"))
	})
	if e := fugong.AsError(err); err != nil && e.Code == fugong.EINVALID {
		fields := map[string]fugong.Msg{}
		for k, m := range e.Fields {
			fields["optin_"+k] = m
		}
		err = fugong.Invalid(fields)
	}
	if err != nil {
		return s.formAgain(w, r, err, "nav.broadcasts", "employment/broadcasts", s.broadcastPage)
	}
	return redirect(w, r, "/broadcasts#optouts", "optout.undone")
}

// mergeFieldErrors joins two invalid errors' fields, the first message of a field kept;
// an error of another kind wins.
func mergeFieldErrors(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	ea, eb := fugong.AsError(a), fugong.AsError(b)
	if eb.Code != fugong.EINVALID {
		return b
	}
	f := fugong.FieldErrors{}
	for _, e := range []*fugong.Error{ea, eb} {
		for k, m := range e.Fields {
			f.Add(k, m.Key, m.Args...)
		}
	}
	return f.Err()
}
