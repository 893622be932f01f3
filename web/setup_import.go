package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/store"
	"fugong/xlsx"
)

// The set-up imports: the office's own sheets of org units and of staff, read with the
// xlsx package (.xlsx, or CSV in UTF-8 or GBK), every column the sheet has shown in the
// preview, every bad cell named, then written all or nothing. Each has a template to
// download: the headers and one example row.

// importColumn is one column of an import: its field, its header in a template, the
// other headers offices write for it, and an example cell.
type importColumn struct {
	Field, Header string
	Variants      []string
	Required      bool
	Example       string
}

// setupImports are the set-up imports by kind.
var setupImports = map[string][]importColumn{
	"org-units": {
		{"name", "单位名称", []string{"名称", "单位"}, true, "县卫健局"},
		{"kind", "类别", []string{"类型", "单位类别"}, true, "职能部门"},
		{"region", "所属乡镇", []string{"乡镇", "乡镇（街道）", "乡镇/街道"}, false, ""},
		{"focus_areas", "监管的重点领域", []string{"重点领域", "监管领域"}, false, "工矿企业、窗口服务"},
	},
	"people": {
		{"display_name", "姓名", []string{"名字"}, true, "陈小斌"},
		{"phone", "手机号", []string{"手机", "手机号码", "联系电话", "电话"}, true, "13907441234"},
		{"org_unit", "单位", []string{"所在单位", "工作单位", "单位名称"}, false, "县卫健局"},
		{"rank", "职务", []string{"职级", "职务（职级）"}, false, "副科级"},
		{"role", "角色", []string{"账号角色", "岗位"}, true, "驻企联络员"},
		{"region", "乡镇/村", []string{"乡镇", "所属乡镇", "乡镇（街道）", "村", "村（社区）"}, false, ""},
		{"username", "账号", []string{"用户名"}, false, ""},
	},
}

// sheetColumns finds each import column among the sheet's headers, by its header or a
// variant; it answers the header found per field and the sheet's other headers.
func sheetColumns(cols []importColumn, headers []string) (found map[string]string, other []string) {
	found = map[string]string{}
	known := map[string]string{}
	for _, c := range cols {
		for _, h := range append([]string{c.Header}, c.Variants...) {
			known[h] = c.Field
		}
	}
	for _, h := range headers {
		h = strings.TrimSpace(h)
		if f, ok := known[h]; ok {
			if _, dup := found[f]; !dup {
				found[f] = h
				continue
			}
		}
		if h != "" {
			other = append(other, h)
		}
	}
	return found, other
}

// setupSheet is an import read and checked: the preview and what is wrong, and the rows.
type setupSheet struct {
	Columns []string   // the headers read, in the template's order
	Other   []string   // headers of the sheet no column reads
	Preview [][]string // each row as read, in Columns' order
	bad     []store.RowError
	units   []store.ImportRow[fugong.OrgUnit]
	people  []store.ImportRow[fugong.User]
}

func (s *Server) readSetupSheet(ctx context.Context, sc fugong.Scope, kind, filename string, body []byte) (*setupSheet, error) {
	cols := setupImports[kind]
	sheet, err := xlsx.Read(filename, bytes.NewReader(body), xlsx.Limits{})
	if err != nil {
		return nil, xlsx.FileError(err, "ledger.unreadable")
	}
	found, other := sheetColumns(cols, sheet.Headers)
	out := &setupSheet{Other: other}
	var missing []string
	for _, c := range cols {
		if h, ok := found[c.Field]; ok {
			out.Columns = append(out.Columns, h)
		} else if c.Required {
			missing = append(missing, c.Header)
		}
	}
	if len(missing) > 0 {
		return nil, fugong.Invalid(map[string]fugong.Msg{"file": fugong.M("ledger.missing_columns", strings.Join(missing, "、"))})
	}
	lookup, err := s.newSetupLookup(ctx, sc)
	if err != nil {
		return nil, err
	}
	for _, row := range sheet.Rows {
		get := func(f string) string { return row.Get(found[f]) }
		var line []string
		for _, c := range cols {
			if _, ok := found[c.Field]; ok {
				line = append(line, get(c.Field))
			}
		}
		out.Preview = append(out.Preview, line)
		bad := func(field string, m fugong.Msg) {
			h := found[field]
			if h == "" {
				h = field
			}
			out.bad = append(out.bad, store.RowError{Line: row.Line, Column: h, Msg: m})
		}
		switch kind {
		case "org-units":
			o := fugong.OrgUnit{County: sc.County, Name: get("name"), Kind: lookup.kinds[get("kind")], FocusAreas: get("focus_areas")}
			if t := get("region"); t != "" {
				if o.Region = lookup.regions[t]; o.Region == "" {
					bad("region", fugong.M("setup.region_unknown", t))
					continue
				}
			}
			if err := o.Validate(); err != nil {
				for f, m := range fugong.AsError(err).Fields {
					bad(f, m)
				}
				continue
			}
			out.units = append(out.units, store.ImportRow[fugong.OrgUnit]{Line: row.Line, V: o, Columns: found})
		case "people":
			// A phone typed into a number cell is read as its digits, or named when the
			// sheet has already lost some of them.
			phone, exact := xlsx.Code(get("phone"))
			u := fugong.User{County: sc.County, DisplayName: get("display_name"), Phone: fugong.NormalizePhone(phone), Rank: get("rank"),
				Role: lookup.roles[get("role")], Username: get("username")}
			if u.Username == "" {
				u.Username = u.Phone
			}
			ok := true
			switch {
			case !exact:
				bad("phone", fugong.M("sheet.code_lost", phone))
				ok = false
			case fugong.CheckPhone(u.Phone) != "" || u.Phone == "":
				bad("phone", fugong.M("worker.phone"))
				ok = false
			}
			if n := get("org_unit"); n != "" {
				if u.OrgUnitID = lookup.units[n]; u.OrgUnitID == 0 {
					bad("org_unit", fugong.M("setup.org_unit_unknown", n))
					ok = false
				}
			}
			if t := get("region"); t != "" {
				if u.Region = lookup.regions[t]; u.Region == "" {
					bad("region", fugong.M("setup.region_unknown", t))
					ok = false
				}
			}
			if u.Role == "" {
				bad("role", fugong.M("setup.role_unknown", get("role")))
				ok = false
			}
			if err := u.Validate(); err != nil && ok {
				for f, m := range fugong.AsError(err).Fields {
					bad(accountField(f), m)
				}
				continue
			}
			if ok {
				out.people = append(out.people, store.ImportRow[fugong.User]{Line: row.Line, V: u, Columns: accountColumns(found)})
			}
		}
	}
	return out, nil
}

// accountField is the import column of a field of fugong.User.
func accountField(f string) string {
	switch f {
	case "org_unit_id", "enterprise_id":
		return "org_unit"
	case "region_code":
		return "region"
	}
	return f
}

// accountColumns names, for errors found while writing, the sheet column of each field.
func accountColumns(found map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range found {
		m[k] = v
	}
	for _, f := range []string{"org_unit_id", "enterprise_id"} {
		m[f] = found["org_unit"]
	}
	if m["username"] == "" {
		m["username"] = found["phone"] // the username is the phone number
	}
	return m
}

// setupLookup resolves the names a sheet holds: kinds, roles, org units and regions.
type setupLookup struct {
	kinds   map[string]string
	roles   map[string]fugong.Role
	units   map[string]int64
	regions map[string]string
}

func (s *Server) newSetupLookup(ctx context.Context, sc fugong.Scope) (*setupLookup, error) {
	l := &setupLookup{kinds: map[string]string{}, roles: map[string]fugong.Role{}, units: map[string]int64{}, regions: map[string]string{}}
	for _, k := range fugong.OrgKinds {
		l.kinds[k] = k
		l.kinds[s.Cat.T(i18n.Chinese, "orgunit.kind."+k)] = k
	}
	l.kinds["部门"], l.kinds["乡镇"], l.kinds["街道"], l.kinds["乡镇人民政府"] = fugong.OrgDepartment, fugong.OrgTownship, fugong.OrgTownship, fugong.OrgTownship
	for _, r := range fugong.Roles {
		l.roles[string(r)] = r
		l.roles[s.Cat.T(i18n.Chinese, "role."+string(r))] = r
	}
	for k, r := range map[string]fugong.Role{"管理员": fugong.RoleAdmin, "指挥部": fugong.RoleCommand, "领导": fugong.RoleLeader, "部门": fugong.RoleDepartment,
		"联络员": fugong.RoleLiaison, "乡镇干部": fugong.RoleTownship, "村": fugong.RoleVillage, "村干部": fugong.RoleVillage} {
		l.roles[k] = r
	}
	units, err := s.DB.FindOrgUnits(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	for _, o := range units {
		if !o.Retired {
			l.units[o.Name] = o.ID
		}
	}
	towns, err := s.DB.FindRegions(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	for _, t := range towns {
		l.regions[t.Name], l.regions[t.Code] = t.Code, t.Code
		villages, err := s.DB.FindRegions(ctx, t.Code)
		if err != nil {
			return nil, err
		}
		for _, v := range villages {
			l.regions[t.Name+"/"+v.Name], l.regions[t.Name+v.Name], l.regions[v.Code] = v.Code, v.Code, v.Code
			if _, taken := l.regions[v.Name]; !taken {
				l.regions[v.Name] = v.Code
			}
		}
	}
	return l, nil
}

type setupImportData struct {
	Kind    string
	Columns []importColumn
	Sheet   *setupSheet
	Upload  string // the staged upload's token
	Count   int
}

func (s *Server) setupImportPage(r *http.Request, kind string) (*Page, *setupImportData, error) {
	cols, ok := setupImports[kind]
	if !ok {
		return nil, nil, fugong.NotFound()
	}
	p := s.newPage(r, "import."+kind)
	d := &setupImportData{Kind: kind, Columns: cols}
	p.Data = d
	return p, d, nil
}

func (s *Server) setupImportForm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.setupImportPage(r, r.PathValue("kind"))
	if err != nil {
		return err
	}
	return s.render(w, r, "setup/import", p)
}

// setupImportTemplate answers the import's template: its headers and one example row.
func (s *Server) setupImportTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	cols, ok := setupImports[kind]
	if !ok {
		return fugong.NotFound()
	}
	var headers []string
	var example []any
	for _, c := range cols {
		headers = append(headers, c.Header)
		example = append(example, c.Example)
	}
	b, err := xlsx.Build(s.Cat.T(i18n.Chinese, "import."+kind), headers, [][]any{example})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`-template.xlsx"`)
	_, err = w.Write(b)
	return err
}

// setupImportUpload reads a sheet and shows its preview — every column read, every row —
// or every bad cell, keeping nothing.
func (s *Server) setupImportUpload(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	p, d, err := s.setupImportPage(r, kind)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	filename, body, err := readUpload(w, r)
	if err != nil {
		return err
	}
	sheet, err := s.readSetupSheet(r.Context(), sc, kind, filename, body)
	if err != nil {
		if e := s.invalid(p, err); e != nil {
			return e
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	d.Sheet = sheet
	if len(sheet.bad) > 0 {
		p.Message = p.T("ledger.bad_rows", len(sheet.bad))
		p.Errors = s.cellErrors(p, sheet.bad)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	up := store.LedgerUpload{Kind: "setup-" + kind, Filename: filename, Body: body}
	if err := s.DB.SaveUpload(r.Context(), sc, s.Keys, &up); err != nil {
		return err
	}
	d.Upload, d.Count = up.Token, len(sheet.Preview)
	return s.render(w, r, "setup/import", p)
}

// setupImportCommit writes a previewed sheet, read and checked again, all rows or none.
// New accounts get their initial passwords, on the hand-out list.
func (s *Server) setupImportCommit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	kind := r.PathValue("kind")
	up, err := s.findUpload(r, r.PathValue("token"), func(k string) bool { return k == "setup-"+kind })
	if err != nil {
		return err
	}
	p, _, err := s.setupImportPage(r, kind)
	if err != nil {
		return err
	}
	sheet, err := s.readSetupSheet(r.Context(), sc, kind, up.Filename, up.Body)
	if err == nil && len(sheet.bad) > 0 {
		err = &store.ImportError{Rows: sheet.bad}
	}
	next := "/org-units"
	if err == nil {
		switch kind {
		case "org-units":
			err = s.DB.ImportOrgUnits(r.Context(), sc, sheet.units)
		case "people":
			var rows []store.ImportRow[store.NewAccount]
			if rows, err = s.withPasswords(sheet.people); err == nil {
				err = s.DB.ImportAccounts(r.Context(), sc, rows)
			}
			next = "/users/handout"
		}
	}
	if ie, ok := err.(*store.ImportError); ok {
		p.Message = p.T("ledger.bad_rows", len(ie.Rows))
		p.Errors = s.cellErrors(p, ie.Rows)
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, "setup/import", p)
	}
	if err != nil {
		return err
	}
	if err := s.DB.DeleteUpload(r.Context(), sc, up.Token); err != nil {
		return err
	}
	return redirect(w, r, next, "ledger.imported")
}

// withPasswords gives each new account its initial password, hashed on both cores.
func (s *Server) withPasswords(people []store.ImportRow[fugong.User]) ([]store.ImportRow[store.NewAccount], error) {
	out := make([]store.ImportRow[store.NewAccount], len(people))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(people); i += 2 {
				hash, sealed, err := s.newInitialPassword()
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = store.ImportRow[store.NewAccount]{Line: people[i].Line, Columns: people[i].Columns, V: store.NewAccount{User: people[i].V, Hash: hash, Sealed: sealed}}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
