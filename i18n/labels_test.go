package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fugong"
)

// fieldSite is a place in the source that puts a field into an invalid error's Fields
// (FieldErrors.Add, a Fields map literal) with a name the scan cannot read off the
// source (a struct's field, a JSON decoder's path): the names it can produce, or why it
// needs no label of its own.
type fieldSite struct {
	names []string
	why   string
}

// computedFields lists the sites whose field name is computed. A new one fails
// TestEveryFieldHasALabel until it is listed here with the names it can produce.
var computedFields = map[string]fieldSite{
	"api/api.go:decode":                     {why: "the JSON path of a value of the wrong type: a name without a label says the key the client sent"},
	"demand.go:Validate":                    {why: "a demand category's detail, labelled by its dfield key", names: demandDetailFields()},
	"gate.go:ParseRiskRegions":              {why: `"line N" never reaches a user as a field: store's setting check files the messages under the setting`},
	"declared_field.go:CheckDeclaredValues": {why: "declared.NAME: the message names the declared value itself"},
	"declared_field.go:CheckDeclaredFields": {why: "declared_label.KEY, declared_unit.KEY: the message names the declared value's key itself"},
	"region_csv.go:RegionsFromLines":        {names: []string{"code", "parent_code"}},
	"rules/rules.go:Check":                  {names: []string{"eligibility_rule", "amount_rule"}},
	"store/policy.go:CheckPolicy":           {why: "the fields of rules.Check"},
	"store/setting.go:SaveSettings":         {why: "a county setting's name (demand.late_hour): its label is the setting's own, on the settings page"},
	"store/villager.go:rowErrors":           {why: "a villager's or seeker's field in an imported row: the cell's column", names: []string{"1:name", "1:phone", "1:village", "1:id_number"}},
}

// Every field name a validator can put into an invalid error has a label in both
// catalogues, so that the API's one-line message names it in the reader's language. The
// scan reads every FieldErrors.Add and every Fields map literal outside web (whose forms
// draw each field under its own label); a name it cannot read off the source must be
// listed in computedFields.
func TestEveryFieldHasALabel(t *testing.T) {
	c := MustLoad()
	names, unknown := scanFieldNames(t, "..")
	used := map[string]bool{}
	for _, site := range unknown {
		fs, ok := computedFields[site]
		if !ok {
			t.Errorf("%s puts a computed field name into Fields: list it in computedFields with the names it can produce", site)
			continue
		}
		used[site] = true
		for _, n := range fs.names {
			names[n] = append(names[n], site)
		}
	}
	for site := range computedFields {
		if !used[site] {
			t.Errorf("computedFields lists %s, which no longer computes a field name", site)
		}
	}
	if len(names) < 100 {
		t.Fatalf("only %d field names found: the scan is broken", len(names))
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		col := n
		if line, c := fugong.SplitCellKey(n); line > 0 {
			col = c
		}
		if !needsLabel(col) {
			continue
		}
		for _, l := range Langs {
			if _, ok := c.labelKey(l, col); !ok {
				t.Errorf("field %q (%s) has no label in %s: add %q to label.%s.json", n, names[n][0], l, LabelKey(col), l)
			}
		}
	}
}

// needsLabel: a name in words already (an imported column "信用代码") says itself.
func needsLabel(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

var catalogueKey = regexp.MustCompile(`^[a-z_0-9]+\.[a-z_0-9.]*$`)

// scanFieldNames reads the Go source under root (but web and tests) for the field names
// put into Fields: the names it can read (name → where), and the sites ("path:Func")
// where the name is computed.
func scanFieldNames(t *testing.T, root string) (map[string][]string, []string) {
	t.Helper()
	fset := token.NewFileSet()
	type file struct {
		path string
		f    *ast.File
	}
	var files []file
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "web" || rel == "e2e" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, file{filepath.ToSlash(rel), f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// inFuncs calls visit with every node inside a function of the files.
	inFuncs := func(visit func(path string, fn *ast.FuncDecl, n ast.Node)) {
		for _, f := range files {
			for _, d := range f.f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok {
					ast.Inspect(fn, func(n ast.Node) bool {
						visit(f.path, fn, n)
						return true
					})
				}
			}
		}
	}
	// Package-level string constants (fugong.ColUSCC) and map literals (partyDayFields),
	// by name.
	consts := map[string]string{}
	vars := map[string]*ast.CompositeLit{}
	for _, f := range files {
		for _, d := range f.f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST && g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if v, ok := stringLit(vs.Values[i]); ok && g.Tok == token.CONST {
						consts[n.Name] = v
					}
					if cl, ok := vs.Values[i].(*ast.CompositeLit); ok && g.Tok == token.VAR {
						if _, ok := cl.Type.(*ast.MapType); ok {
							vars[n.Name] = cl
						}
					}
				}
			}
		}
	}
	// Every call, by the callee's name, with the function it is made in.
	type call struct {
		c  *ast.CallExpr
		fn *ast.FuncDecl
	}
	calls := map[string][]call{}
	inFuncs(func(_ string, fn *ast.FuncDecl, n ast.Node) {
		if c, ok := n.(*ast.CallExpr); ok {
			calls[calleeName(c)] = append(calls[calleeName(c)], call{c, fn})
		}
	})
	// viaCallers reads what parameter param of fn holds at every call of fn, as read reads
	// an argument in its caller.
	viaCallers := func(fn *ast.FuncDecl, param string, depth int, read func(ast.Expr, *ast.FuncDecl, int) ([]string, bool)) ([]string, bool) {
		i := paramIndex(fn, param)
		if i < 0 {
			return nil, false
		}
		var out []string
		found := false
		for _, c := range calls[fn.Name.Name] {
			if len(c.c.Args) <= i {
				continue
			}
			v, ok := read(c.c.Args[i], c.fn, depth+1)
			if !ok {
				return nil, false
			}
			found = true
			out = append(out, v...)
		}
		return out, found
	}
	names := map[string][]string{}
	var unknown []string
	// resolve reads the names expr can hold in fn, following a parameter to the calls of
	// fn and a range key to the map literal ranged over; false when it cannot.
	var resolve func(expr ast.Expr, fn *ast.FuncDecl, depth int) ([]string, bool)
	var keysOf func(expr ast.Expr, fn *ast.FuncDecl, depth int) ([]string, bool)
	resolve = func(expr ast.Expr, fn *ast.FuncDecl, depth int) ([]string, bool) {
		if depth > 4 {
			return nil, false
		}
		if s, ok := stringLit(expr); ok {
			return []string{s}, true
		}
		switch x := expr.(type) {
		case *ast.CallExpr:
			if calleeName(x) == "CellKey" && len(x.Args) == 2 {
				cols, ok := resolve(x.Args[1], fn, depth+1)
				out := make([]string, len(cols))
				for i, c := range cols {
					out[i] = fugong.CellKey(1, c)
				}
				return out, ok
			}
		case *ast.IndexExpr:
			if id, ok := x.X.(*ast.Ident); ok && vars[id.Name] != nil {
				var out []string
				for _, e := range vars[id.Name].Elts {
					v, ok := resolve(e.(*ast.KeyValueExpr).Value, fn, depth+1)
					if !ok {
						return nil, false
					}
					out = append(out, v...)
				}
				return out, true
			}
		case *ast.SelectorExpr:
			if v, ok := consts[x.Sel.Name]; ok {
				return []string{v}, true
			}
		case *ast.Ident:
			if v, ok := consts[x.Name]; ok && (x.Obj == nil || x.Obj.Kind == ast.Con) {
				return []string{v}, true
			}
			if x.Obj == nil {
				return nil, false
			}
			switch decl := x.Obj.Decl.(type) {
			case *ast.Field:
				return viaCallers(fn, x.Name, depth, resolve)
			case *ast.AssignStmt:
				// for name := range x, as the parser records it
				if u, ok := decl.Rhs[0].(*ast.UnaryExpr); ok && u.Op == token.RANGE {
					if k, ok := decl.Lhs[0].(*ast.Ident); ok && k.Name == x.Name {
						return keysOf(u.X, fn, depth+1)
					}
					return nil, false
				}
				// name := "a", a := m[k] (a map literal of the package)
				for i, l := range decl.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == x.Name && len(decl.Rhs) == len(decl.Lhs) {
						return resolve(decl.Rhs[i], fn, depth+1)
					}
				}
			}
		}
		return nil, false
	}
	keysOf = func(expr ast.Expr, fn *ast.FuncDecl, depth int) ([]string, bool) {
		switch x := expr.(type) {
		case *ast.CompositeLit:
			if _, ok := x.Type.(*ast.MapType); !ok {
				return nil, false
			}
			var out []string
			for _, e := range x.Elts {
				v, ok := resolve(e.(*ast.KeyValueExpr).Key, fn, depth)
				if !ok {
					return nil, false
				}
				out = append(out, v...)
			}
			return out, true
		case *ast.Ident:
			if x.Obj == nil {
				return nil, false
			}
			if _, ok := x.Obj.Decl.(*ast.Field); ok {
				return viaCallers(fn, x.Name, depth, keysOf)
			}
		}
		return nil, false
	}
	record := func(path string, fn *ast.FuncDecl, expr ast.Expr) {
		where := path + ":" + fn.Name.Name
		v, ok := resolve(expr, fn, 0)
		if !ok {
			unknown = append(unknown, where)
			return
		}
		for _, n := range v {
			names[n] = append(names[n], where)
		}
	}
	inFuncs(func(path string, fn *ast.FuncDecl, n ast.Node) {
		switch x := n.(type) {
		case *ast.CallExpr:
			if isFieldAdd(x) {
				record(path, fn, x.Args[0])
			}
		case *ast.AssignStmt:
			// e.Fields["temperature_tenths"] = m
			for i, l := range x.Lhs {
				ix, ok := l.(*ast.IndexExpr)
				if !ok || i >= len(x.Rhs) {
					continue
				}
				if sel, ok := ix.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Fields" {
					if _, ok := x.Rhs[i].(*ast.Ident); ok || calleeOf(x.Rhs[i]) == "M" {
						record(path, fn, ix.Index)
					}
				}
			}
		case *ast.CompositeLit:
			if isFieldsType(x.Type) {
				for _, e := range x.Elts {
					record(path, fn, e.(*ast.KeyValueExpr).Key)
				}
			}
		}
	})
	slices.Sort(unknown)
	return names, slices.Compact(unknown)
}

// isFieldAdd: FieldErrors.Add(field, key, args...) is the only Add whose second argument
// is a catalogue key (literal, a prefix completed at run time, or a Msg's Key).
func isFieldAdd(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Add" || len(c.Args) < 2 {
		return false
	}
	switch k := c.Args[1].(type) {
	case *ast.BasicLit:
		s, ok := stringLit(k)
		return ok && catalogueKey.MatchString(s)
	case *ast.SelectorExpr:
		return k.Sel.Name == "Key"
	case *ast.BinaryExpr:
		s, ok := stringLit(k.X)
		return ok && catalogueKey.MatchString(s)
	case *ast.Ident:
		return k.Name == "key" || strings.HasSuffix(k.Name, "Key")
	}
	return false
}

// isFieldsType: map[string]fugong.Msg or FieldErrors.
func isFieldsType(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.MapType:
		v := x.Value
		if s, ok := v.(*ast.SelectorExpr); ok {
			return s.Sel.Name == "Msg"
		}
		if id, ok := v.(*ast.Ident); ok {
			return id.Name == "Msg"
		}
	case *ast.SelectorExpr:
		return x.Sel.Name == "FieldErrors"
	case *ast.Ident:
		return x.Name == "FieldErrors"
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, f := range fn.Type.Params.List {
		if len(f.Names) == 0 {
			i++
		}
		for _, n := range f.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// demandDetailFields are the Fields names of the demand categories' details.
func demandDetailFields() []string {
	var out []string
	for _, c := range fugong.DemandCategories {
		for _, f := range c.Fields {
			out = append(out, "fields."+f.Name)
		}
	}
	return out
}

func calleeOf(e ast.Expr) string {
	if c, ok := e.(*ast.CallExpr); ok {
		return calleeName(c)
	}
	return ""
}

// The one-line message names each field by its label, fields before imported cells, in
// one order whatever the map's, and lets a message that names its field stand alone.
func TestInvalidNamesEveryField(t *testing.T) {
	c := MustLoad()
	fields := map[string]fugong.Msg{
		"unit":                     fugong.M("field.required"),
		"name":                     fugong.M("field.required"),
		fugong.CellKey(12, "uscc"): fugong.M("field.required"),
		fugong.CellKey(3, "信用代码"):  fugong.M("field.required"),
		"member_on":                fugong.M("party.not_reached.member_on"),
		"fields.material":          fugong.M("field.required"),
		"rule":                     fugong.M("policy.rule_error", "undeclared reference to 'x'"),
		"no_such_field":            fugong.M("field.required"),
		"declared.new_hires":       fugong.M("declared.value_required", "新招用员工数"),
	}
	for _, tc := range []struct{ lang, want string }{
		{Chinese, "请检查：申报数据 新招用员工数：必填，该政策按它计算。原材料名称：必填。转为正式党员日期：尚未到这一阶段，应留空。名称：必填。no_such_field：必填。" +
			"规则无法通过编译：undeclared reference to 'x'。单位：必填。第 3 行 · 信用代码：必填。第 12 行 · 统一社会信用代码：必填。"},
		{English, "Please check: Declared value 新招用员工数: required, the measure is computed from it. Material: Required. Admitted as full member on: this stage has not been reached; leave it empty. " +
			"Name: Required. no_such_field: Required. Rule: The rule does not compile: undeclared reference to 'x'. Unit: Required. " +
			"line 3 · 信用代码: Required. line 12 · Credit code: Required."},
	} {
		for i := 0; i < 5; i++ {
			if got := c.Invalid(tc.lang, fields); got != tc.want {
				t.Fatalf("%s: %q\nwant %q", tc.lang, got, tc.want)
			}
		}
	}
}
