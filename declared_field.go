package fugong

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// DeclaredField is one value an enterprise declares when it applies to a policy on
// application: the key the policy's rules read (declared["new_hires"]) and the label and
// unit the issuing department gave it (新招用员工数, 人). The label and unit are what a
// bookkeeper sees on the application form and a cadre on the correction form, the
// entitlement page, the ledger and the API; the key stays the rule's. A policy keeps its
// fields as this JSON (policies.declared_labels).
type DeclaredField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
}

// Name is what a person reads for the field: its label, or its key while the policy has
// none (a policy written before labels existed, until its department adds one).
func (f DeclaredField) Name() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Key
}

// DeclaredValue is a declared value with its field, to be shown.
type DeclaredValue struct {
	DeclaredField
	Value int64
}

// Limits of a label and a unit, in characters: a label names a figure on a phone's form
// (新招用员工数), a unit is a word (人, 元, 分).
const (
	declaredLabelMax = 30
	declaredUnitMax  = 10
)

// DeclaredKeys lists, once each, the keys of `declared` a policy's rules read, the
// eligibility rule's first: the values an application must supply.
func DeclaredKeys(eng RuleEngine, p *Policy) []string {
	var keys []string
	for _, rule := range []string{p.EligibilityRule, p.AmountRule} {
		for _, k := range eng.Declared(rule) { // the engine's own slice: read, not appended to
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// Field returns the policy's field of a declared key: its label and unit, or the key alone
// while it has none.
func (p *Policy) Field(key string) DeclaredField {
	return FieldOf(p.DeclaredFields, key)
}

// FieldOf returns the field of key among fields, or the key alone.
func FieldOf(fields []DeclaredField, key string) DeclaredField {
	for _, f := range fields {
		if f.Key == key {
			return f
		}
	}
	return DeclaredField{Key: key}
}

// FieldsOf returns the policy's fields of keys, in their order: what an application or a
// correction asks for.
func (p *Policy) FieldsOf(keys []string) []DeclaredField {
	out := make([]DeclaredField, len(keys))
	for i, k := range keys {
		out[i] = p.Field(k)
	}
	return out
}

// MissingLabels lists the keys among keys (those the rules read) that have no label yet:
// what the policy's page asks its department to add.
func (p *Policy) MissingLabels(keys []string) []string {
	var out []string
	for _, k := range keys {
		if p.Field(k).Label == "" {
			out = append(out, k)
		}
	}
	return out
}

// CheckDeclaredValues adds to f, for each key the rules read (keys), a missing or negative
// value of declared, naming it by its label: what an application and a correction of its
// declared values must both give.
func (p *Policy) CheckDeclaredValues(keys []string, declared map[string]int64, f FieldErrors) {
	for _, k := range keys {
		switch v, ok := declared[k]; {
		case !ok:
			f.Add("declared."+k, "declared.value_required", p.Field(k).Name())
		case v < 0:
			f.Add("declared."+k, "declared.value_negative", p.Field(k).Name())
		}
	}
}

// CheckDeclaredFields keeps a field for each key the rules read (keys), in their order,
// trimmed, and drops those of keys no rule reads any more. Every key needs a label and a
// unit, a label that says what the figure is (not the key again) and no other key's:
// each refusal names the key, at the field declared_label.KEY or declared_unit.KEY.
func (p *Policy) CheckDeclaredFields(keys []string) FieldErrors {
	f := FieldErrors{}
	kept := make([]DeclaredField, 0, len(keys))
	seen := map[string]string{}
	for _, k := range keys {
		d := p.Field(k)
		d.Label, d.Unit = strings.TrimSpace(d.Label), strings.TrimSpace(d.Unit)
		label, unit := "declared_label."+k, "declared_unit."+k
		switch {
		case d.Label == "":
			f.Add(label, "policy.declared_label_required", k)
		case d.Label == k:
			f.Add(label, "policy.declared_label_key", k)
		case utf8.RuneCountInString(d.Label) > declaredLabelMax:
			f.Add(label, "policy.declared_label_long", k, declaredLabelMax)
		case seen[d.Label] != "":
			f.Add(label, "policy.declared_label_twice", k, seen[d.Label])
		default:
			seen[d.Label] = k
		}
		switch {
		case d.Unit == "":
			f.Add(unit, "policy.declared_unit_required", k)
		case utf8.RuneCountInString(d.Unit) > declaredUnitMax:
			f.Add(unit, "policy.declared_unit_long", k, declaredUnitMax)
		}
		kept = append(kept, d)
	}
	p.DeclaredFields = kept
	return f
}

// DeclaredValues lists declared values with their fields: in the order of fields, then
// any value no field names (a key the rules no longer read) by key.
func DeclaredValues(fields []DeclaredField, values map[string]int64) []DeclaredValue {
	out := make([]DeclaredValue, 0, len(values))
	for _, f := range fields {
		if v, ok := values[f.Key]; ok {
			out = append(out, DeclaredValue{f, v})
		}
	}
	var rest []string
	for k := range values {
		if !slices.ContainsFunc(fields, func(f DeclaredField) bool { return f.Key == k }) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, DeclaredValue{DeclaredField{Key: k}, values[k]})
	}
	return out
}

// DeclaredValues lists what the enterprise declared, each with its label and unit.
func (t Entitlement) DeclaredValues() []DeclaredValue { return DeclaredValues(t.Fields, t.Declared) }
