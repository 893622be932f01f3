package fugong

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckDeclaredFields(t *testing.T) {
	hires := DeclaredField{Key: "new_hires", Label: "新招用员工数", Unit: "人"}
	tests := []struct {
		name   string
		fields []DeclaredField
		keys   []string
		want   map[string]string // field → message key
		kept   []DeclaredField
	}{
		{"labelled", []DeclaredField{hires}, []string{"new_hires"}, map[string]string{}, []DeclaredField{hires}},
		{"trimmed", []DeclaredField{{Key: "new_hires", Label: " 新招用员工数 ", Unit: " 人"}}, []string{"new_hires"}, map[string]string{}, []DeclaredField{hires}},
		{"no key read", nil, nil, map[string]string{}, []DeclaredField{}},
		{"no label", nil, []string{"new_hires"},
			map[string]string{"declared_label.new_hires": "policy.declared_label_required", "declared_unit.new_hires": "policy.declared_unit_required"},
			[]DeclaredField{{Key: "new_hires"}}},
		{"no unit", []DeclaredField{{Key: "new_hires", Label: "新招用员工数"}}, []string{"new_hires"},
			map[string]string{"declared_unit.new_hires": "policy.declared_unit_required"}, []DeclaredField{{Key: "new_hires", Label: "新招用员工数"}}},
		{"the key again", []DeclaredField{{Key: "new_hires", Label: "new_hires", Unit: "人"}}, []string{"new_hires"},
			map[string]string{"declared_label.new_hires": "policy.declared_label_key"}, []DeclaredField{{Key: "new_hires", Label: "new_hires", Unit: "人"}}},
		{"a label too long", []DeclaredField{{Key: "k", Label: strings.Repeat("员", declaredLabelMax+1), Unit: "人"}}, []string{"k"},
			map[string]string{"declared_label.k": "policy.declared_label_long"}, []DeclaredField{{Key: "k", Label: strings.Repeat("员", declaredLabelMax+1), Unit: "人"}}},
		{"a label of 30 characters", []DeclaredField{{Key: "k", Label: strings.Repeat("员", declaredLabelMax), Unit: "人"}}, []string{"k"},
			map[string]string{}, []DeclaredField{{Key: "k", Label: strings.Repeat("员", declaredLabelMax), Unit: "人"}}},
		{"a unit too long", []DeclaredField{{Key: "k", Label: "人数", Unit: strings.Repeat("人", declaredUnitMax+1)}}, []string{"k"},
			map[string]string{"declared_unit.k": "policy.declared_unit_long"}, []DeclaredField{{Key: "k", Label: "人数", Unit: strings.Repeat("人", declaredUnitMax+1)}}},
		{"one label for two keys", []DeclaredField{hires, {Key: "poor_workers", Label: "新招用员工数", Unit: "人"}}, []string{"new_hires", "poor_workers"},
			map[string]string{"declared_label.poor_workers": "policy.declared_label_twice"}, []DeclaredField{hires, {Key: "poor_workers", Label: "新招用员工数", Unit: "人"}}},
		{"in the rules' order, the unread dropped", []DeclaredField{{Key: "old", Label: "旧", Unit: "个"}, {Key: "b", Label: "乙", Unit: "个"}, {Key: "a", Label: "甲", Unit: "个"}},
			[]string{"a", "b"}, map[string]string{}, []DeclaredField{{Key: "a", Label: "甲", Unit: "个"}, {Key: "b", Label: "乙", Unit: "个"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Policy{DeclaredFields: tt.fields}
			got := map[string]string{}
			for f, m := range p.CheckDeclaredFields(tt.keys) {
				got[f] = m.Key
				if len(m.Args) == 0 || !strings.HasPrefix(f, "declared_") || !strings.HasSuffix(f, "."+m.Args[0].(string)) {
					t.Errorf("%s: the message %s does not name the key: %v", f, m.Key, m.Args)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("messages %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(p.DeclaredFields, tt.kept) {
				t.Errorf("kept %+v, want %+v", p.DeclaredFields, tt.kept)
			}
		})
	}
}

func TestDeclaredValuesByLabel(t *testing.T) {
	fields := []DeclaredField{{Key: "new_hires", Label: "新招用员工数", Unit: "人"}, {Key: "supplies_fen", Label: "防疫物资采购额", Unit: "分"}}
	got := DeclaredValues(fields, map[string]int64{"supplies_fen": 500, "new_hires": 3, "z_old": 1, "a_old": 2})
	want := []DeclaredValue{{fields[0], 3}, {fields[1], 500}, {DeclaredField{Key: "a_old"}, 2}, {DeclaredField{Key: "z_old"}, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DeclaredValues = %+v, want %+v", got, want)
	}
	p := &Policy{DeclaredFields: fields}
	if n := p.Field("new_hires").Name(); n != "新招用员工数" {
		t.Errorf("the name of new_hires is %q", n)
	}
	if n := p.Field("poor_workers").Name(); n != "poor_workers" {
		t.Errorf("a key without a label is named %q, want the key", n)
	}
	if m := p.MissingLabels([]string{"new_hires", "poor_workers"}); !reflect.DeepEqual(m, []string{"poor_workers"}) {
		t.Errorf("MissingLabels = %v", m)
	}
}
