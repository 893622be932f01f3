package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fugong"
)

// The county's settings (command and admin), the same on the settings page and in the
// API: each value checked, all saved or none, each change audited, read again on the
// next request that needs it (no restart).

// SettingSpec is one county setting: its name, the catalogue key of its label (with an
// argument for a category's solution hours), its default, and how a value is checked —
// Kind "int" (between Min and Max), "hour" (a late hour like 22:00), "risk" (risk regions
// with dates, one a line), "url" or "text".
type SettingSpec struct {
	Name, Label, LabelArg, Default, Kind string
	Min, Max                             int
}

// CountySettings lists the settings a county sets: the fixed ones, then each demand
// category's solution hours.
func CountySettings() []SettingSpec {
	out := []SettingSpec{
		{Name: SettingRiskRegions, Label: "setting.risk_regions", Kind: "risk"},
		{Name: SettingIsolationDays, Label: "setting.isolation_days", Default: "14", Kind: "int", Min: 1, Max: 60},
		{Name: SettingMissedCheckHour, Label: "setting.missed_check_hour", Default: "20", Kind: "int", Min: 0, Max: 23},
		{Name: "demand.late_hour", Label: "setting.late_hour", Default: "22:00", Kind: "hour"},
		{Name: "demand.response_minutes", Label: "setting.response_minutes", Default: "60", Kind: "int", Min: 1, Max: 24 * 60},
		{Name: "demand.warning_minutes", Label: "setting.warning_minutes", Default: "120", Kind: "int", Min: 0, Max: 24 * 60},
		{Name: SettingAttendancePct, Label: "setting.attendance_pct", Default: "70", Kind: "int", Min: 1, Max: 100},
		{Name: SettingMasksPerPerson, Label: "setting.masks_per_person", Default: "1", Kind: "int", Min: 0, Max: 20},
		{Name: SettingThresholdDays, Label: "setting.threshold_days", Default: "7", Kind: "int", Min: 1, Max: 90},
		{Name: fugong.SettingSMSSender, Label: "setting.sms_sender", Kind: "text"},
		{Name: fugong.SettingSMSSignature, Label: "setting.sms_signature", Kind: "text"},
		{Name: fugong.SettingSMSURL, Label: "setting.sms_url", Kind: "url"},
		{Name: fugong.SettingSMSTemplate, Label: "setting.sms_template", Kind: "text"},
		{Name: fugong.SettingSMSSuccess, Label: "setting.sms_success", Kind: "text"},
		{Name: SettingSMSInboundToken, Label: "setting.sms_inbound_token", Kind: "text"},
	}
	for _, cat := range fugong.DemandCategories {
		out = append(out, SettingSpec{Name: SettingSolutionHours + cat.Key, Label: "setting.solution_hours", LabelArg: cat.Name,
			Default: strconv.Itoa(int(cat.Solution.Hours())), Kind: "int", Min: 1, Max: 24 * 90})
	}
	return out
}

// check adds to f what is wrong with v (an empty value clears the setting: its default).
func (sp SettingSpec) check(v string, f fugong.FieldErrors) {
	if v == "" {
		return
	}
	// The setting named as its page names it: "demand.late_hour" says nothing to a
	// person (nor to a client app that shows the API's one-line message).
	label := fugong.M(sp.Label)
	if sp.LabelArg != "" {
		label = fugong.M(sp.Label, sp.LabelArg)
	}
	add := func(key string, args ...any) { f.AddLabelled(sp.Name, label, key, args...) }
	switch sp.Kind {
	case "int":
		n, err := strconv.Atoi(v)
		if err != nil || n < sp.Min || (sp.Max > 0 && n > sp.Max) {
			add("setting.int_range", sp.Min, sp.Max)
		}
	case "hour":
		if _, err := fugong.ParseLateHour(v); err != nil {
			add("setting.hour")
		}
	case "risk":
		if _, bad := fugong.ParseRiskRegions(v); len(bad) > 0 {
			for _, m := range bad {
				add(m.Key, m.Args...)
			}
		}
	case "url":
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			add("channel.webhook")
		}
	}
}

// FindSettings returns the county's settings as set, by name (unset ones are absent).
func (db *DB) FindSettings(ctx context.Context, sc fugong.Scope) (map[string]string, error) {
	if err := sc.Allow(fugong.PermSettingEdit); err != nil {
		return nil, err
	}
	offered := map[string]bool{}
	for _, sp := range CountySettings() {
		offered[sp.Name] = true
	}
	rows, err := db.R.QueryContext(ctx, `SELECT name, value FROM settings WHERE region_code = $1`, sc.County)
	if err != nil {
		return nil, fmt.Errorf("find settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, v string
		if err := rows.Scan(&name, &v); err != nil {
			return nil, err
		}
		if offered[name] && v != "" {
			out[name] = v
		}
	}
	return out, rows.Err()
}

// SaveSettings checks every value given (a name not offered is an error) and saves the
// changed ones in one transaction, each change audited; nothing when any is wrong.
func (db *DB) SaveSettings(ctx context.Context, sc fugong.Scope, values map[string]string) error {
	if err := sc.Allow(fugong.PermSettingEdit); err != nil {
		return err
	}
	specs := map[string]SettingSpec{}
	for _, sp := range CountySettings() {
		specs[sp.Name] = sp
	}
	f := fugong.FieldErrors{}
	for name, v := range values {
		v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
		values[name] = v
		sp, ok := specs[name]
		if !ok {
			f.Add(name, "setting.unknown")
			continue
		}
		sp.check(v, f)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error {
		for name, v := range values {
			var old string
			err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE region_code = $1 AND name = $2`, sc.County, name).Scan(&old)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			if old == v {
				continue
			}
			if err := db.SetSetting(ctx, tx, sc.County, name, v); err != nil {
				return err
			}
		}
		return nil
	})
}
