package web

import (
	"net/http"
	"strings"

	"fugong/auth"
	"fugong/store"
)

// The county's settings (command and admin): each change is audited and takes effect on
// the next request that reads it, without a restart. The settings and their checks are
// store.CountySettings, the same as the API's.

// settingField is one setting as the page shows it.
type settingField struct {
	Name, Label, Value, Default, Hint, Type string
}

func (s *Server) settingsPage(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	set, err := s.DB.FindSettings(r.Context(), sc)
	if err != nil {
		return err
	}
	var fields []settingField
	for _, sp := range store.CountySettings() {
		v := set[sp.Name]
		if f, ok := p.Form[sp.Name]; ok {
			v = strings.Join(f, "")
		}
		label := p.T(sp.Label)
		if sp.LabelArg != "" {
			label = p.T(sp.Label, sp.LabelArg)
		}
		fields = append(fields, settingField{Name: sp.Name, Label: label, Value: v, Default: sp.Default, Type: sp.Kind})
	}
	p.Data = fields
	return nil
}

func (s *Server) settingsForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "setting.title")
	if err := s.settingsPage(r, p); err != nil {
		return err
	}
	return s.render(w, r, "setup/settings", p)
}

// settingsSave checks every value sent and saves the changed ones in one transaction, or
// none when any is wrong.
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, sp := range store.CountySettings() {
		if v, sent := f.r.PostForm[sp.Name]; sent {
			values[sp.Name] = strings.Join(v, "")
		}
	}
	if err := s.DB.SaveSettings(r.Context(), auth.ScopeFrom(r.Context()), values); err != nil {
		return s.formAgain(w, r, err, "setting.title", "setup/settings", s.settingsPage)
	}
	return redirect(w, r, "/settings", "form.saved")
}
