package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/store"
	"fugong/xlsx"
)

type seekerListData struct {
	Items     []fugong.JobSeeker
	Names     map[string]string
	Pager     Pager
	Query     string
	CanAdd    bool
	Villages  []fugong.Region
	Village   string
	PoorOnly  bool
	ExportURL string
}

func (s *Server) seekerList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	q := r.URL.Query()
	f := fugong.JobSeekerFilter{Query: q.Get("q"), Village: q.Get("village"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	if q.Get("poor") == "1" {
		t := true
		f.Poor = &t
	}
	items, total, err := s.DB.FindJobSeekers(r.Context(), sc, f)
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	villages, err := s.DB.BroadcastVillages(r.Context(), sc)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.job_seekers")
	p.Data = seekerListData{Items: items, Names: names, Pager: newPager(r, p, total, f.Limit, f.Offset), Query: f.Query, CanAdd: sc.Is(seekerRoles...),
		Villages: villages, Village: f.Village, PoorOnly: f.Poor != nil, ExportURL: "/job-seekers/export.xlsx?" + q.Encode()}
	return s.render(w, r, "employment/seekers", p)
}

type seekerFormData struct {
	Villages []fugong.Region
	Fixed    bool // a village cadre registers for their own village
}

func (s *Server) seekerFormPage(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	villages, err := s.DB.BroadcastVillages(r.Context(), sc)
	p.Data = seekerFormData{Villages: villages, Fixed: sc.Role == fugong.RoleVillage}
	return err
}

func (s *Server) seekerNew(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "seeker.new")
	if err := s.seekerFormPage(r, p); err != nil {
		return err
	}
	return s.render(w, r, "employment/seeker_form", p)
}

func seekerFromForm(f fugong.FieldErrors, form map[string][]string) fugong.JobSeeker {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	x := fugong.JobSeeker{Name: get("name"), IDNumber: get("id_number"), Phone: get("phone"), Village: get("village"), Gender: get("gender"),
		Skills: fugong.SplitWords(get("skills")), Wanted: get("wanted"), Poor: get("poor") != "", Available: get("available")}
	formInt(f, form, "age", &x.Age)
	formInt(f, form, "wage_expect", &x.WageExpect)
	return x
}

func (s *Server) seekerCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := fugong.FieldErrors{}
	x := seekerFromForm(f, r.PostForm)
	err := f.Err()
	if err == nil {
		err = s.DB.CreateJobSeeker(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &x, s.today())
	}
	if err != nil {
		return s.formAgain(w, r, err, "seeker.new", "employment/seeker_form", s.seekerFormPage)
	}
	return redirect(w, r, "/job-seekers/"+strconv.FormatInt(x.ID, 10), "seeker.created")
}

type seekerPageData struct {
	S         fugong.JobSeeker
	Names     map[string]string
	Matches   []matchRow
	Referrals []fugong.Referral
	Unmasked  bool
	CanUnmask bool
	CanRefer  bool
}

// seekerShow shows a seeker masked, or — with ?unmask=1, for a role that may — in clear,
// writing the view to the audit log.
func (s *Server) seekerShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	x, ms, err := s.DB.MatchPostingsFor(r.Context(), sc, id, s.today())
	if err != nil {
		return err
	}
	unmask := r.URL.Query().Get("unmask") == "1"
	if unmask {
		if x, err = s.DB.UnmaskJobSeeker(r.Context(), sc, s.Keys, id); err != nil {
			return err
		}
	}
	refs, _, err := s.DB.FindReferrals(r.Context(), sc, fugong.ReferralFilter{SeekerID: id, Limit: 200})
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.job_seekers")
	p.Title = x.Name
	if len(ms) > 20 {
		ms = ms[:20]
	}
	p.Data = seekerPageData{S: x, Names: names, Matches: s.matchRows(p, ms), Referrals: refs, Unmasked: unmask, CanUnmask: sc.CanSeeUnmasked(),
		CanRefer: sc.Is(referralRoles...)}
	return s.render(w, r, "employment/seeker", p)
}

// SeekerImportRows bounds a job-seekers ledger: a village registers its people a few
// hundred at a time.
const SeekerImportRows = 5_000

// seekerColumns are the ledger's columns, the same on import and export.
var seekerColumns = []string{"姓名", "身份证号", "手机号", "村", "年龄", "性别", "技能", "求职意向", "期望月薪", "建档立卡贫困户", "可上岗日期"}

// seekerExport writes the seekers in scope as .xlsx, masked.
func (s *Server) seekerExport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	items, _, err := s.DB.FindJobSeekers(r.Context(), sc, fugong.JobSeekerFilter{Village: r.URL.Query().Get("village"), Query: r.URL.Query().Get("q"), Limit: 1000})
	if err != nil {
		return err
	}
	names, err := s.regionNames(r, sc.County)
	if err != nil {
		return err
	}
	lang := "zh"
	xw, err := xlsx.NewWriter("求职登记", seekerColumns)
	if err != nil {
		return err
	}
	for _, x := range items {
		gender := ""
		if x.Gender != "" {
			gender = s.Cat.T(lang, "gender."+x.Gender)
		}
		if err := xw.Add(x.Name, xlsx.Text(x.IDMasked), xlsx.Text(x.PhoneMasked), names[x.Village], x.Age, gender, strings.Join(x.Skills, "、"), x.Wanted, x.WageExpect, xlsx.YesNo(x.Poor), xlsx.Date(x.Available)); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="job-seekers.xlsx"`)
	return xw.Finish(w)
}

type importData struct {
	Columns []string
	Rows    []fugong.JobSeeker
	Lines   []int
	Names   map[string]string
	Token   string // the staged upload's, carried to the confirmation
}

// seekerImportForm shows the upload form.
func (s *Server) seekerImportForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "seeker.import")
	p.Data = importData{Columns: seekerColumns}
	return s.render(w, r, "employment/import", p)
}

// seekerImport reads an uploaded ledger: the first post shows a preview (masked) or every
// bad cell, and keeps the file sealed on the server under a token; the second, confirmed
// with that token, registers all rows in one transaction or none.
func (s *Server) seekerImport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	raw, name, token, err := s.stagedOrUploaded(w, r, seekerUpload)
	if err != nil {
		return err
	}
	p := s.newPage(r, "seeker.import")
	villages, err := s.DB.BroadcastVillages(r.Context(), sc)
	if err != nil {
		return err
	}
	rows, lines, ferr := parseSeekerSheet(name, raw, villages, sc)
	if ferr == nil {
		// Validate every row without writing: ImportJobSeekers checks all before it writes.
		if token != "" {
			ferr = s.DB.ImportJobSeekers(r.Context(), sc, s.Keys, rows, lines, s.today())
			if ferr == nil {
				if err := s.DB.DeleteUpload(r.Context(), sc, token); err != nil {
					return err
				}
				return redirect(w, r, "/job-seekers", "seeker.imported")
			}
		} else {
			for i := range rows {
				x := rows[i]
				if err := x.Validate(s.today()); err != nil {
					ferr = mergeRowErrors(ferr, lines[i], err)
					continue
				}
				rows[i].IDMasked, rows[i].PhoneMasked = fugong.MaskIDNumber(x.IDNumber), fugong.MaskPhone(x.Phone)
				rows[i].Age, rows[i].Gender, rows[i].Village = x.Age, x.Gender, x.Village
			}
		}
	}
	names, _ := s.regionNames(r, sc.County)
	d := importData{Columns: seekerColumns, Names: names}
	return s.importAnswer(w, r, p, ferr, fieldLabels, "employment/import", store.LedgerUpload{Kind: seekerUpload, Filename: name, Body: raw}, d, func(token string) any {
		d.Rows, d.Lines, d.Token = rows, lines, token
		return d
	})
}

// importAnswer answers the first post of a staged import: with ferr invalid, the page
// tmpl (data refused) naming every bad cell, labels naming fields as their columns; else
// the file is kept sealed under a token and the page shows preview(token).
func (s *Server) importAnswer(w http.ResponseWriter, r *http.Request, p *Page, ferr error, labels map[string]string, tmpl string, up store.LedgerUpload,
	refused any, preview func(token string) any) error {
	if ferr != nil {
		e := fugong.AsError(ferr)
		if e.Code != fugong.EINVALID {
			return ferr
		}
		p.Message = s.Cat.Msg(p.Lang, e.Message)
		p.Errors = s.cellErrors(p, fieldCells(e, labels))
		p.Data = refused
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, tmpl, p)
	}
	if err := s.DB.SaveUpload(r.Context(), auth.ScopeFrom(r.Context()), s.Keys, &up); err != nil {
		return err
	}
	p.Data = preview(up.Token)
	return s.render(w, r, tmpl, p)
}

// stagedOrUploaded reads a small ledger of kind: the file staged under the form's token
// (the confirmation of a preview), or else the file uploaded (up to 8 MiB).
func (s *Server) stagedOrUploaded(w http.ResponseWriter, r *http.Request, kind string) (raw []byte, name, token string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
	if token = r.FormValue("token"); token != "" {
		up, err := s.findUpload(r, token, func(k string) bool { return k == kind })
		if err != nil {
			return nil, "", "", err
		}
		return up.Body, up.Filename, token, nil
	}
	file, hdr, err := formFile(r, 8<<20)
	if err != nil {
		return nil, "", "", err
	}
	defer file.Close()
	raw, err = io.ReadAll(file)
	return raw, hdr.Filename, "", err
}

// seekerUpload is the kind of a staged job-seekers ledger.
const seekerUpload = "job-seekers"

// parseSeekerSheet maps a ledger's rows to seekers, naming unknown villages and bad numbers.
func parseSeekerSheet(name string, raw []byte, villages []fugong.Region, sc fugong.Scope) ([]fugong.JobSeeker, []int, error) {
	sheet, err := xlsx.Read(name, bytes.NewReader(raw), xlsx.Limits{Rows: SeekerImportRows})
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
	var out []fugong.JobSeeker
	var lines []int
	for _, row := range sheet.Rows {
		x := fugong.JobSeeker{Name: row.Get("姓名"), Skills: fugong.SplitWords(row.Get("技能")), Wanted: row.Get("求职意向")}
		for col, dst := range map[string]*string{"身份证号": &x.IDNumber, "手机号": &x.Phone} {
			v, ok := xlsx.Code(row.Get(col))
			if !ok {
				f.Add(fugong.CellKey(row.Line, col), "sheet.code_lost", v)
			}
			*dst = v
		}
		if v := row.Get("可上岗日期"); v != "" {
			day, ok := row.Day("可上岗日期")
			if !ok {
				f.Add(fugong.CellKey(row.Line, "可上岗日期"), "sheet.date")
			}
			x.Available = day
		}
		if v := row.Get("村"); v != "" {
			if x.Village = byName[v]; x.Village == "" {
				f.Add(fugong.CellKey(row.Line, "village"), "seeker.village")
			}
		} else if sc.Role == fugong.RoleVillage {
			x.Village = sc.Region
		}
		switch row.Get("性别") {
		case "男":
			x.Gender = fugong.GenderMale
		case "女":
			x.Gender = fugong.GenderFemale
		}
		switch row.Get("建档立卡贫困户") {
		case "是", "Y", "y", "1", "贫困户":
			x.Poor = true
		}
		for col, dst := range map[string]*int{"年龄": &x.Age, "期望月薪": &x.WageExpect} {
			if v := row.Get(col); v != "" {
				n, err := strconv.Atoi(xlsx.Decimal(v, 0))
				if err != nil {
					f.Add(fugong.CellKey(row.Line, col), "field.number")
				}
				*dst = n
			}
		}
		out = append(out, x)
		lines = append(lines, row.Line)
	}
	if len(out) == 0 {
		f.Add("file", "seeker.empty_file")
	}
	return out, lines, f.Err()
}

func mergeRowErrors(into error, line int, err error) error {
	f := fugong.FieldErrors{}
	if into != nil {
		for k, m := range fugong.AsError(into).Fields {
			f[k] = m
		}
	}
	for k, m := range fugong.AsError(err).Fields {
		f.Add(fugong.CellKey(line, k), m.Key, m.Args...)
	}
	return f.Err()
}

// fieldLabels names the job-seekers import's fields as its columns do.
var fieldLabels = map[string]string{"name": "姓名", "id_number": "身份证号", "phone": "手机号", "village": "村", "age": "年龄", "gender": "性别",
	"wage_expect": "期望月薪", "available": "可上岗日期"}
