package web

import (
	"bytes"
	"net/http"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

// VillagerImportRows bounds a villagers' contact list: a village has a few hundred to a
// few thousand people.
const VillagerImportRows = 5_000

// villagerColumns are the contact list's columns (村民通讯录).
var villagerColumns = []string{"姓名", "手机号", "村", "建档立卡贫困户"}

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
	p.Data = villagerImportData{Columns: villagerColumns}
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
	d := villagerImportData{Columns: villagerColumns, Names: names}
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
