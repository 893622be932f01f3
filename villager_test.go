package fugong

import (
	"testing"
	"time"
)

func TestVillagerEdit(t *testing.T) {
	on := Villager{Village: "430821100201", Name: "张小年", Phone: "139****9901", Version: 1}
	cases := []struct {
		name      string
		v         Villager
		e         VillagerEdit
		changed   bool
		phone     string
		errFields []string
		conflict  bool
	}{
		{"an empty phone keeps it", on, VillagerEdit{Name: "张晓年"}, false, "139****9901", nil, false},
		{"the masked phone as read keeps it", on, VillagerEdit{Name: "张晓年", Phone: "139****9901"}, false, "139****9901", nil, false},
		{"a new phone, written as people do", on, VillagerEdit{Name: "张晓年", Phone: "+86 139-7441-9911"}, true, "13974419911", nil, false},
		{"a short phone", on, VillagerEdit{Name: "张晓年", Phone: "1397441"}, true, "1397441", []string{"phone"}, false},
		{"no name", on, VillagerEdit{Name: "  "}, false, "139****9901", []string{"name"}, false},
		{"a name past 50 characters", on, VillagerEdit{Name: string(make([]rune, 51))}, false, "139****9901", []string{"name"}, false},
		{"a village that is not one", on, VillagerEdit{Name: "张晓年", Village: "4308"}, false, "139****9901", []string{"village"}, false},
		{"taken off the list", Villager{Village: on.Village, Name: "张小年", Phone: on.Phone, RetiredAt: time.Unix(1, 0)}, VillagerEdit{Name: "张晓年"}, false, "139****9901", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := c.v
			changed, err := v.Edit(c.e)
			e := AsError(err)
			if c.conflict {
				if e == nil || e.Code != ECONFLICT {
					t.Fatalf("err %v, want a conflict", err)
				}
				return
			}
			if changed != c.changed || v.Phone != c.phone {
				t.Errorf("changed %v phone %q, want %v %q", changed, v.Phone, c.changed, c.phone)
			}
			if len(c.errFields) == 0 {
				if err != nil {
					t.Errorf("err %v", err)
				}
				return
			}
			for _, f := range c.errFields {
				if e == nil || e.Fields[f].Key == "" {
					t.Errorf("err %v, want field %s named", err, f)
				}
			}
		})
	}
}
