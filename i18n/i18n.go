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
