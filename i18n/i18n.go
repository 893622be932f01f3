// Package i18n holds fugong's message catalogues (one AREA.zh.json and AREA.en.json
// per capability) — Simplified Chinese first, English
// second — and picks one for a request. Every string a user reads comes from here.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"

	"fugong"
)

//go:embed *.json
var files embed.FS

// Languages, the default first.
const (
	Chinese = "zh"
	English = "en"
)

// Langs lists the catalogues in order of preference.
var Langs = []string{Chinese, English}

// Catalog maps a language to its messages.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads the embedded catalogues.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, l := range Langs {
		c.msgs[l] = map[string]string{}
	}
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		parts := strings.Split(name, ".")
		if len(parts) != 3 || !valid(parts[1]) {
			return nil, fmt.Errorf("catalogue file %s: want AREA.LANG.json", name)
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", name, err)
		}
		for k, v := range m {
			if _, dup := c.msgs[parts[1]][k]; dup {
				return nil, fmt.Errorf("catalogue %s: key %q is defined twice", name, k)
			}
			c.msgs[parts[1]][k] = v
		}
	}
	return c, nil
}

// MustLoad is Load for main and tests; the catalogues are compiled in, so a failure is a
// build mistake.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// T returns the message key in lang with args, falling back to Chinese, then to the key.
func (c *Catalog) T(lang, key string, args ...any) string {
	s, ok := c.msgs[lang][key]
	if !ok {
		if s, ok = c.msgs[Chinese][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Msg renders a domain message.
func (c *Catalog) Msg(lang string, m fugong.Msg) string { return c.T(lang, m.Key, m.Args...) }

// Label names a field of an invalid error (a key of fugong.Error.Fields) in lang, the way
// a person filling the form or the ledger knows it: its catalogue label ("label." and
// the field's JSON name: "label.name" 名称); a field of a demand category's details
// ("fields.material") by the category field's own label; a field of a group named at run
// time ("declared.new_hires") by the group's label; an imported cell
// (fugong.CellKey "3:uscc") by its line and column ("第 3 行 · 统一社会信用代码"), a
// column already in words ("信用代码") as it is. A field with no label keeps its name,
// which at least says which key of the request to look at.
func (c *Catalog) Label(lang, field string) string {
	if line, col := fugong.SplitCellKey(field); line > 0 {
		if col == "" {
			return c.T(lang, "import.line", line)
		}
		return c.T(lang, "import.line", line) + " · " + c.Label(lang, col)
	}
	if key, ok := c.labelKey(lang, field); ok {
		return c.T(lang, key)
	}
	return field
}

// LabelKey is the catalogue key of a field's label.
func LabelKey(field string) string { return "label." + field }

// labelKey is the key of field's label in lang, if it has one.
func (c *Catalog) labelKey(lang, field string) (string, bool) {
	if c.Has(lang, LabelKey(field)) {
		return LabelKey(field), true
	}
	if rest, ok := strings.CutPrefix(field, "fields."); ok && c.Has(lang, "dfield."+rest) {
		return "dfield." + rest, true
	}
	// A field of a group named at run time (declared.KEY, declared_label.KEY): the
	// group's label, which its messages name with the key ("申报数据 new_hires：必填").
	if group, _, ok := strings.Cut(field, "."); ok && c.Has(lang, LabelKey(group)) {
		return LabelKey(group), true
	}
	return "", false
}

// Invalid says every field of an invalid error in one line, each named by its Label
// with its message, in a stable order (fields first, by name; then imported cells, by
// line and column): "请检查：名称：必填。单位：必填。". It is the message an API client
// shows when it shows one line only. A message that names its field already stands
// alone.
func (c *Catalog) Invalid(lang string, fields map[string]fugong.Msg) string {
	items := c.FieldLines(lang, fields, func(f string) string { return c.Label(lang, f) })
	return c.T(lang, "error.invalid_fields", strings.Join(items, c.T(lang, "error.invalid_join")))
}

// FieldLines are the items of Invalid, one a field, in its order, each field named by its
// message's own Label or else by label (a field whose label is "" says its message
// alone): for a page that lists them.
func (c *Catalog) FieldLines(lang string, fields map[string]fugong.Msg, label func(field string) string) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, ci := fugong.SplitCellKey(keys[i])
		lj, cj := fugong.SplitCellKey(keys[j])
		if li != lj {
			return li < lj
		}
		return ci < cj
	})
	items := make([]string, len(keys))
	for i, k := range keys {
		m := fields[k]
		label, msg := label(k), c.Msg(lang, m)
		if m.Label != nil {
			label = c.Msg(lang, *m.Label)
		}
		item := msg
		if label != "" && !strings.Contains(msg, label) {
			item = c.T(lang, "form.field_error", label, msg)
		}
		if r := []rune(item); len(r) > 0 && !strings.ContainsRune("。！？.!?", r[len(r)-1]) {
			item += c.T(lang, "error.invalid_stop")
		}
		items[i] = item
	}
	return items
}

// Has reports whether key exists in lang.
func (c *Catalog) Has(lang, key string) bool { _, ok := c.msgs[lang][key]; return ok }

// Keys lists a catalogue's keys, sorted.
func (c *Catalog) Keys(lang string) []string {
	var out []string
	for k := range c.msgs[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Pick chooses the request's language: the lang query value, the lang cookie, then
// Accept-Language, then Chinese.
func Pick(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); valid(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && valid(c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return Chinese
		case strings.HasPrefix(tag, "en"):
			return English
		}
	}
	return Chinese
}

func valid(l string) bool { return l == Chinese || l == English }
