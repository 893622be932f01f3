// Package roster reads the county office's own sheets of org units and of staff for the
// set-up imports — the same for the pages and the API — and writes them all or nothing.
package roster

import (
	"bytes"
	"context"
	"strings"
	"sync"

	"fugong"
	"fugong/auth"
	"fugong/i18n"
	"fugong/secret"
	"fugong/store"
	"fugong/xlsx"
)

// Kinds of set-up import.
const (
	OrgUnits = "org-units"
	People   = "people"
)

// Column is one column of an import: its field, its header in a template, the other
// headers offices write for it, an example cell and what its template's notes say to
// write in it.
type Column struct {
	Field, Header string
	Variants      []string
	Required      bool
	Example       string
	Note          string
}

// Imports are the set-up imports' columns by kind.
var Imports = map[string][]Column{
	OrgUnits: {
		{"name", "单位名称", []string{"名称", "单位"}, true, "县卫健局", "单位的全称；已有的单位按名称更新"},
		{"kind", "类别", []string{"类型", "单位类别"}, true, "职能部门", "指挥部、职能部门或乡镇（街道）"},
		{"region", "所属乡镇", []string{"乡镇", "乡镇（街道）", "乡镇/街道"}, false, "", "乡镇（街道）类的，填本县的乡镇名称"},
		{"focus_areas", "监管的重点领域", []string{"重点领域", "监管领域"}, false, "工矿企业、窗口服务", "职能部门填，多项用顿号分开"},
	},
	People: {
		{"display_name", "姓名", []string{"名字"}, true, "陈小斌", ""},
		{"phone", "手机号", []string{"手机", "手机号码", "联系电话", "电话"}, true, "13907441234", "11 位手机号；账号空着的，用它作账号"},
		{"org_unit", "单位", []string{"所在单位", "工作单位", "单位名称"}, false, "县卫健局", "本县已有的单位名称（先导入单位）"},
		{"title", "职务", []string{"职务（岗位）", "岗位职务"}, false, "副局长", ""},
		{"rank", "职级", []string{"职务级别"}, false, "副科级", ""},
		{"role", "角色", []string{"账号角色", "岗位"}, true, "驻企联络员", "平台上的角色，决定能看到和办理什么"},
		{"region", "乡镇/村", []string{"乡镇", "所属乡镇", "乡镇（街道）", "村", "村（社区）"}, false, "", "乡镇干部填乡镇，村干部填 乡镇/村"},
		{"username", "账号", []string{"用户名"}, false, "", "可空：空着用手机号"},
	},
}

// columnsOf finds each import column among the sheet's headers, by its header or a
// variant; it answers the header found per field and the sheet's other headers.
func columnsOf(cols []Column, headers []string) (found map[string]string, other []string) {
	names := make(map[string][]string, len(cols))
	for _, c := range cols {
		names[c.Field] = append([]string{c.Header}, c.Variants...)
	}
	return xlsx.FindColumns(headers, names)
}

// Sheet is an import read and checked: the preview and what is wrong, and the rows.
type Sheet struct {
	Kind    string
	Columns []string   // the headers read, in the template's order
	Other   []string   // headers of the sheet no column reads
	Preview [][]string // each row as read, in Columns' order
	Bad     []store.RowError
	units   []store.ImportRow[fugong.OrgUnit]
	people  []store.ImportRow[fugong.User]
}

// Reader reads the sheets of one county.
type Reader struct {
	DB   *store.DB
	Cat  *i18n.Catalog
	Keys *secret.Keys
}

// Read reads and checks a sheet of kind; a file that is no sheet, or lacks a required
// column, is an invalid error naming it; bad cells are in the sheet's Bad.
func (rd Reader) Read(ctx context.Context, sc fugong.Scope, kind, filename string, body []byte) (*Sheet, error) {
	cols, ok := Imports[kind]
	if !ok {
		return nil, fugong.NotFound()
	}
	sheet, err := xlsx.Read(filename, bytes.NewReader(body), xlsx.Limits{})
	if err != nil {
		return nil, xlsx.FileError(err, "ledger.unreadable")
	}
	found, other := columnsOf(cols, sheet.Headers)
	out := &Sheet{Kind: kind, Other: other}
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
	lookup, err := rd.newLookup(ctx, sc)
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
			out.Bad = append(out.Bad, store.RowError{Line: row.Line, Column: h, Msg: m})
		}
		switch kind {
		case OrgUnits:
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
		case People:
			// A phone typed into a number cell is read as its digits, or named when the
			// sheet has already lost some of them.
			phone, exact := xlsx.Code(get("phone"))
			u := fugong.User{County: sc.County, DisplayName: get("display_name"), Phone: fugong.NormalizePhone(phone), Rank: get("rank"),
				Title: get("title"), Role: lookup.roles[get("role")], Username: get("username")}
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

// Write writes a sheet read without bad cells, all rows or none; new accounts get their
// initial passwords, on the hand-out list. A row refused while writing (a username
// taken) is an *store.ImportError naming its cell.
func (rd Reader) Write(ctx context.Context, sc fugong.Scope, sh *Sheet) error {
	if len(sh.Bad) > 0 {
		return &store.ImportError{Rows: sh.Bad}
	}
	switch sh.Kind {
	case OrgUnits:
		return rd.DB.ImportOrgUnits(ctx, sc, sh.units)
	case People:
		rows, err := WithPasswords(rd.Keys, sh.people)
		if err != nil {
			return err
		}
		return rd.DB.ImportAccounts(ctx, sc, rows)
	}
	return fugong.NotFound()
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

// lookup resolves the names a sheet holds: kinds, roles, org units and regions.
type lookup struct {
	kinds   map[string]string
	roles   map[string]fugong.Role
	units   map[string]int64
	regions map[string]string
}

func (rd Reader) newLookup(ctx context.Context, sc fugong.Scope) (*lookup, error) {
	l := &lookup{kinds: map[string]string{}, roles: map[string]fugong.Role{}, units: map[string]int64{}, regions: map[string]string{}}
	for _, k := range fugong.OrgKinds {
		l.kinds[k] = k
		l.kinds[rd.Cat.T(i18n.Chinese, "orgunit.kind."+k)] = k
	}
	l.kinds["部门"], l.kinds["乡镇"], l.kinds["街道"], l.kinds["乡镇人民政府"] = fugong.OrgDepartment, fugong.OrgTownship, fugong.OrgTownship, fugong.OrgTownship
	for _, r := range fugong.Roles {
		l.roles[string(r)] = r
		l.roles[rd.Cat.T(i18n.Chinese, "role."+string(r))] = r
	}
	for k, r := range map[string]fugong.Role{"管理员": fugong.RoleAdmin, "指挥部": fugong.RoleCommand, "领导": fugong.RoleLeader, "部门": fugong.RoleDepartment,
		"联络员": fugong.RoleLiaison, "乡镇干部": fugong.RoleTownship, "村": fugong.RoleVillage, "村干部": fugong.RoleVillage} {
		l.roles[k] = r
	}
	units, err := rd.DB.FindOrgUnits(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	for _, o := range units {
		if !o.Retired {
			l.units[o.Name] = o.ID
		}
	}
	towns, err := rd.DB.FindRegions(ctx, sc.County)
	if err != nil {
		return nil, err
	}
	for _, t := range towns {
		l.regions[t.Name], l.regions[t.Code] = t.Code, t.Code
		villages, err := rd.DB.FindRegions(ctx, t.Code)
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

// NewInitialPassword makes an initial password for an account the office makes: itself
// (to answer once), its hash for login, and itself sealed for the printable hand-out list.
func NewInitialPassword(keys *secret.Keys) (plain, hash, sealed string, err error) {
	plain = fugong.NewInitialPassword()
	if hash, err = auth.HashPassword(plain); err != nil {
		return "", "", "", err
	}
	return plain, hash, keys.Seal(plain), nil
}

// WithPasswords gives each new account its initial password, hashed on both cores.
func WithPasswords(keys *secret.Keys, people []store.ImportRow[fugong.User]) ([]store.ImportRow[store.NewAccount], error) {
	out := make([]store.ImportRow[store.NewAccount], len(people))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(people); i += 2 {
				_, hash, sealed, err := NewInitialPassword(keys)
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
