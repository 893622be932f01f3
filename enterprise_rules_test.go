package fugong

import "testing"

func TestCheckContactPhone(t *testing.T) {
	for _, tt := range []struct{ in, keep, key string }{
		{"", "", ""},
		{"13807441234", "13807441234", ""},
		{"+86 138-0744-1234", "13807441234", ""},
		{"0744-5221234", "0744-5221234", ""},
		{"07445221234", "07445221234", ""},
		{"010-12345678", "010-12345678", ""},
		{"12345", "12345", "enterprise.contact_phone_invalid"},
		{"12807441234", "12807441234", "enterprise.contact_phone_invalid"},
		{"5221234", "5221234", "enterprise.contact_phone_invalid"}, // no area code
		{"0744-52212", "0744-52212", "enterprise.contact_phone_invalid"},
		{"电话13807441234", "电话13807441234", "enterprise.contact_phone_invalid"},
	} {
		keep, key := CheckContactPhone(tt.in)
		if keep != tt.keep || key != tt.key {
			t.Errorf("CheckContactPhone(%q) = %q, %q; want %q, %q", tt.in, keep, key, tt.keep, tt.key)
		}
	}
}

func TestCheckResumption(t *testing.T) {
	const today = "2020-03-09"
	for _, tt := range []struct {
		name      string
		status    string
		resumedOn string
		approved  bool
		want      map[string]string
	}{
		{"not resumed needs nothing", StatusNotResumed, "", false, nil},
		{"approved with a date", StatusResumed, "2020-03-02", true, nil},
		{"today is fine", StatusResumed, today, true, nil},
		{"no declaration", StatusResumed, "2020-03-02", false, map[string]string{"status": "enterprise.resumed_needs_declaration"}},
		{"no date", StatusResumed, "", true, map[string]string{"resumed_on": "enterprise.resumed_on_required"}},
		{"neither", StatusResumed, "", false, map[string]string{"resumed_on": "enterprise.resumed_on_required", "status": "enterprise.resumed_needs_declaration"}},
		{"a date that is not one", StatusResumed, "2020-02-30", true, map[string]string{"resumed_on": "field.date"}},
		{"tomorrow", StatusResumed, "2020-03-10", true, map[string]string{"resumed_on": "enterprise.resumed_on_future"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := Enterprise{Status: tt.status, ResumedOn: tt.resumedOn}
			got := map[string]string{}
			if err := e.CheckResumption(today, tt.approved); err != nil {
				for f, m := range AsError(err).Fields {
					got[f] = m.Key
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for f, k := range tt.want {
				if got[f] != k {
					t.Errorf("%s: got %q, want %q", f, got[f], k)
				}
			}
		})
	}
}

func TestCheckOwnTownship(t *testing.T) {
	town := Scope{Role: RoleTownship, Region: "430821100000"}
	for _, tt := range []struct {
		name     string
		sc       Scope
		township string
		keep     string
		key      string
	}{
		{"own township", town, "430821100000", "430821100000", ""},
		{"none given means own", town, "", "430821100000", ""},
		{"another township is refused", town, "430821101000", "430821101000", "enterprise.other_township"},
		{"command may move", Scope{Role: RoleCommand}, "430821101000", "430821101000", ""},
	} {
		keep, key := CheckOwnTownship(tt.sc, tt.township)
		if keep != tt.keep || key != tt.key {
			t.Errorf("%s: got %q, %q; want %q, %q", tt.name, keep, key, tt.keep, tt.key)
		}
	}
}
