package api

import (
	"net/http"

	"fugong"
	"fugong/auth"
	"fugong/store"
)

// The county's settings in the API (admin, command): the same settings, checks, audit
// and immediate effect as the settings page (store.CountySettings).

type settingJSON struct {
	Name string `json:"name"`
	// Value is the county's value; empty when unset, so that Default holds.
	Value   string `json:"value"`
	Default string `json:"default"`
	// Kind says how a value is checked: int (between min and max), hour (22:00), risk
	// (risk regions with dates, one a line), url or text.
	Kind string `json:"kind"`
	Min  int    `json:"min"`
	Max  int    `json:"max"`
}

type settingsInput struct {
	// Values are the settings to change by name; an empty value clears one (its default).
	Values map[string]string `json:"values" openapi:"required"`
}

func (s *Server) settingRoutes() {
	roles := fugong.RolesFor(fugong.PermSettingEdit)
	s.handle(Op{Method: "GET", Path: "/api/v1/settings", Summary: "The county's settings with their defaults and checks", Tag: "setup", Roles: roles,
		Response: List[settingJSON]{}}, s.listSettings)
	s.handle(Op{Method: "PUT", Path: "/api/v1/settings", Summary: "Change settings: every value checked, all saved or none, each change audited, in effect at once",
		Tag: "setup", Roles: roles, Request: settingsInput{}, Response: List[settingJSON]{}}, s.saveSettings)
}

func (s *Server) listSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.DB.FindSettings(r.Context(), auth.ScopeFrom(r.Context()))
	if err != nil {
		return err
	}
	specs := store.CountySettings()
	return writeList(w, specs, len(specs), func(sp store.SettingSpec) settingJSON {
		return settingJSON{Name: sp.Name, Value: set[sp.Name], Default: sp.Default, Kind: sp.Kind, Min: sp.Min, Max: sp.Max}
	})
}

func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) error {
	var in settingsInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Values == nil {
		return fugong.Invalid(map[string]fugong.Msg{"values": fugong.M("field.required")})
	}
	if err := s.DB.SaveSettings(r.Context(), auth.ScopeFrom(r.Context()), in.Values); err != nil {
		return err
	}
	return s.listSettings(w, r)
}
