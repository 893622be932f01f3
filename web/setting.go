package web

import (
	"database/sql"
	"net/http"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// The county's settings (command and admin): each change is audited and takes effect on
// the next request that reads it, without a restart.

// settingField is one setting as the page shows it.
type settingField struct {
	Name, Label, Value, Default, Hint, Type string
}

// countySettings are the settings the page offers, with their defaults and how a value
// is checked ("int", "hour", "risk", "text", "url"; int fields carry their bounds).
var countySettings = []struct {
	name, label, def, kind string
	min, max               int
}{
	{store.SettingRiskRegions, "setting.risk_regions", "", "risk", 0, 0},
	{store.SettingIsolationDays, "setting.isolation_days", "14", "int", 1, 60},
	{"demand.late_hour", "setting.late_hour", "22:00", "hour", 0, 0},
	{"demand.response_minutes", "setting.response_minutes", "60", "int", 1, 24 * 60},
	{"demand.warning_minutes", "setting.warning_minutes", "120", "int", 0, 24 * 60},
	{store.SettingAttendancePct, "setting.attendance_pct", "70", "int", 1, 100},
	{store.SettingMasksPerPerson, "setting.masks_per_person", "1", "int", 0, 20},
	{store.SettingThresholdDays, "setting.threshold_days", "7", "int", 1, 90},
	{fugong.SettingSMSSender, "setting.sms_sender", "", "text", 0, 0},
	{fugong.SettingSMSSignature, "setting.sms_signature", "", "text", 0, 0},
	{fugong.SettingSMSURL, "setting.sms_url", "", "url", 0, 0},
	{fugong.SettingSMSTemplate, "setting.sms_template", "", "text", 0, 0},
	{fugong.SettingSMSSuccess, "setting.sms_success", "", "text", 0, 0},
}

func (s *Server) settingsPage(r *http.Request, p *Page) error {
	sc := auth.ScopeFrom(r.Context())
	var fields []settingField
	add := func(name, label, def, typ string) error {
		v, err := s.DB.Setting(r.Context(), sc.County, name, "")
		if err != nil {
			return err
		}
		if f, ok := p.Form[name]; ok {
			v = strings.Join(f, "")
		}
		fields = append(fields, settingField{Name: name, Label: label, Value: v, Default: def, Type: typ})
		return nil
	}
	for _, c := range countySettings {
		if err := add(c.name, p.T(c.label), c.def, c.kind); err != nil {
			return err
		}
	}
	for _, cat := range fugong.DemandCategories {
		if err := add(store.SettingSolutionHours+cat.Key, p.T("setting.solution_hours", cat.Name), strconv.Itoa(int(cat.Solution.Hours())), "int"); err != nil {
			return err
		}
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

// settingsSave checks every value and saves the changed ones in one transaction, or
// none when any is wrong.
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) error {
	f, err := readForm(r)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	values := map[string]string{}
	check := func(name, kind string, min, max int) {
		v := strings.TrimSpace(strings.ReplaceAll(f.r.PostForm.Get(name), "\r\n", "\n"))
		if _, sent := f.r.PostForm[name]; !sent {
			return
		}
		values[name] = v
		if v == "" {
			return
		}
		switch kind {
		case "int":
			n, err := strconv.Atoi(v)
			if err != nil || n < min || (max > 0 && n > max) {
				f.err.Add(name, "setting.int_range", min, max)
			}
		case "hour":
			if _, err := fugong.ParseLateHour(v); err != nil {
				f.err.Add(name, "setting.hour")
			}
		case "risk":
			if _, bad := fugong.ParseRiskRegions(v); len(bad) > 0 {
				for _, m := range bad {
					f.err.Add(name, m.Key, m.Args...)
				}
			}
		case "url":
			if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
				f.err.Add(name, "channel.webhook")
			}
		}
	}
	for _, c := range countySettings {
		check(c.name, c.kind, c.min, c.max)
	}
	for _, cat := range fugong.DemandCategories {
		check(store.SettingSolutionHours+cat.Key, "int", 1, 24*90)
	}
	if err := f.merge(nil); err != nil {
		return s.formAgain(w, r, err, "setting.title", "setup/settings", s.settingsPage)
	}
	err = s.DB.WithTx(r.Context(), func(tx *sql.Tx) error {
		for name, v := range values {
			old, err := s.DB.Setting(r.Context(), sc.County, name, "")
			if err != nil {
				return err
			}
			if old == v {
				continue
			}
			if err := s.DB.SetSetting(r.Context(), tx, sc.County, name, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings", "form.saved")
}
