package fugong

import (
	"testing"
)

func TestScreen(t *testing.T) {
	hubei := []RiskRegion{{Name: "湖北", From: "2020-01-23", To: "2020-03-31"}}
	tests := []struct {
		name, from, route, arrival string
		contact                    bool
		symptoms                   string
		temp                       Temperature
		want                       string
	}{
		{"from Hubei while listed", "湖北省武汉市", "", "2020-02-20", false, "", 365, RiskHigh},
		{"from Hubei before the list", "湖北省武汉市", "", "2020-01-10", false, "", 365, RiskLow},
		{"from Hubei after the list", "湖北省武汉市", "", "2020-04-01", false, "", 365, RiskLow},
		{"through Hubei", "广东省深圳市", "深圳—湖北—慈利", "2020-02-20", false, "", 365, RiskMedium},
		{"contact history", "湖南省长沙市", "", "2020-02-20", true, "", 365, RiskHigh},
		{"a symptom", "湖南省长沙市", "", "2020-02-20", false, "咳嗽", 365, RiskHigh},
		{"fever at 37.3", "湖南省长沙市", "", "2020-02-20", false, "", 373, RiskHigh},
		{"37.2 is no fever", "湖南省长沙市", "", "2020-02-20", false, "", 372, RiskLow},
		{"local", "湖南省张家界市慈利县", "", "2020-02-20", false, "", 362, RiskLow},
	}
	for _, tt := range tests {
		if got := Screen(tt.from, tt.route, tt.arrival, hubei, tt.contact, tt.symptoms, tt.temp); got != tt.want {
			t.Errorf("%s: Screen = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseTemperatureAndFever(t *testing.T) {
	tests := []struct {
		in   string
		want Temperature
		key  string
	}{
		{"36.5", 365, ""}, {"37.3", 373, ""}, {"37", 370, ""}, {"368", 368, ""}, {" 38.0 ", 380, ""},
		{"", 0, "field.required"}, {"36.55", 0, "health.temperature"}, {"29.9", 0, "health.temperature"},
		{"45.1", 0, "health.temperature"}, {"abc", 0, "health.temperature"}, {"-36", 0, "health.temperature"},
		{"99999999999999999999", 0, "health.temperature"},
	}
	for _, tt := range tests {
		got, key := ParseTemperature(tt.in)
		if got != tt.want || key != tt.key {
			t.Errorf("ParseTemperature(%q) = %d, %q; want %d, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
	if Temperature(372).Fever() || !Temperature(373).Fever() || Temperature(365).String() != "36.5" {
		t.Error("fever threshold or formatting is wrong")
	}
}

func TestAdvanceTable(t *testing.T) {
	day := "2020-02-20"
	screened := func(risk string) HealthState { return HealthState{Gate: GateScreening, Risk: risk, Arrival: day} }
	isolating := HealthState{Gate: GateIsolation, Risk: RiskHigh, IsolationKind: IsolationCentral, IsolationStart: day, IsolationEnd: "2020-03-05"}
	released := isolating
	released.Gate = GateRelease
	tests := []struct {
		name       string
		status     string
		st         HealthState
		ev         GateEvent
		wantStatus string
		wantKey    string
	}{
		{"entry", WorkerPending, HealthState{}, GateEvent{Gate: GateEntry, Day: day, Arrival: day}, WorkerPending, ""},
		{"entry twice", WorkerPending, HealthState{Gate: GateEntry}, GateEvent{Gate: GateEntry, Day: day}, WorkerPending, "health.already_entered"},
		{"screen before entry", WorkerPending, HealthState{}, GateEvent{Gate: GateScreening, Day: day, Risk: RiskLow}, WorkerPending, "health.entry_required"},
		{"screen", WorkerPending, HealthState{Gate: GateEntry}, GateEvent{Gate: GateScreening, Day: day, Risk: RiskHigh}, WorkerPending, ""},
		{"screen without a level", WorkerPending, HealthState{Gate: GateEntry}, GateEvent{Gate: GateScreening, Day: day}, WorkerPending, "health.risk"},
		{"clear before screening", WorkerPending, HealthState{Gate: GateEntry}, GateEvent{Gate: GateClear, Day: day}, WorkerPending, "health.screening_required"},
		{"clear with no gate at all", WorkerPending, HealthState{}, GateEvent{Gate: GateClear, Day: day}, WorkerPending, "health.screening_required"},
		{"clear low risk", WorkerPending, screened(RiskLow), GateEvent{Gate: GateClear, Day: day}, WorkerOnDuty, ""},
		{"clear high risk skipping isolation", WorkerPending, screened(RiskHigh), GateEvent{Gate: GateClear, Day: day}, WorkerPending, "health.isolation_required"},
		{"clear medium risk skipping isolation", WorkerPending, screened(RiskMedium), GateEvent{Gate: GateClear, Day: day}, WorkerPending, "health.isolation_required"},
		{"high risk at home", WorkerPending, screened(RiskHigh), GateEvent{Gate: GateIsolation, Day: day, IsolationKind: IsolationHome}, WorkerPending, "health.central_required"},
		{"high risk central", WorkerPending, screened(RiskHigh), GateEvent{Gate: GateIsolation, Day: day, IsolationKind: IsolationCentral}, WorkerIsolating, ""},
		{"medium risk at home", WorkerPending, screened(RiskMedium), GateEvent{Gate: GateIsolation, Day: day, IsolationKind: IsolationHome}, WorkerIsolating, ""},
		{"isolate before screening", WorkerPending, HealthState{Gate: GateEntry}, GateEvent{Gate: GateIsolation, Day: day, IsolationKind: IsolationCentral}, WorkerPending, "health.screening_required"},
		{"clear while isolating", WorkerIsolating, isolating, GateEvent{Gate: GateClear, Day: "2020-03-06"}, WorkerIsolating, "health.isolation_running"},
		{"release a day early", WorkerIsolating, isolating, GateEvent{Gate: GateRelease, Day: "2020-03-04"}, WorkerIsolating, "health.release_early"},
		{"release on the planned end", WorkerIsolating, isolating, GateEvent{Gate: GateRelease, Day: "2020-03-05"}, WorkerPending, ""},
		{"release when not isolating", WorkerPending, screened(RiskLow), GateEvent{Gate: GateRelease, Day: day}, WorkerPending, "health.not_isolating"},
		{"clear after release", WorkerPending, released, GateEvent{Gate: GateClear, Day: "2020-03-05"}, WorkerOnDuty, ""},
		{"clear twice", WorkerOnDuty, HealthState{Gate: GateClear}, GateEvent{Gate: GateClear, Day: day}, WorkerOnDuty, "health.already_cleared"},
		{"isolate from duty after a fever", WorkerOnDuty, HealthState{Gate: GateClear, Risk: RiskLow}, GateEvent{Gate: GateIsolation, Day: day, IsolationKind: IsolationHome}, WorkerIsolating, ""},
		{"leave", WorkerOnDuty, HealthState{Gate: GateClear}, GateEvent{Gate: GateLeave, Day: day}, WorkerLeft, ""},
		{"a left worker is not screened", WorkerLeft, HealthState{Gate: GateLeave}, GateEvent{Gate: GateScreening, Day: day, Risk: RiskLow}, WorkerLeft, "health.worker_left"},
		{"a left worker comes back", WorkerLeft, HealthState{Gate: GateLeave}, GateEvent{Gate: GateEntry, Day: day, Arrival: day}, WorkerPending, ""},
		{"unknown gate", WorkerPending, HealthState{}, GateEvent{Gate: "teleport", Day: day}, WorkerPending, "health.gate"},
	}
	for _, tt := range tests {
		got, _, err := Advance(tt.status, tt.st, tt.ev, 14)
		key := ""
		if err != nil {
			key = AsError(err).Message.Key
		}
		if got != tt.wantStatus || key != tt.wantKey {
			t.Errorf("%s: got %s, %q; want %s, %q", tt.name, got, key, tt.wantStatus, tt.wantKey)
		}
	}
}

// Every sequence of up to nine steps from a new worker, with every risk level, every
// isolation kind and release days before and after the planned end: whenever a worker
// reaches duty, they passed entry and screening, and when the screening required
// isolation, they served it to its planned end in the kind it required.
func TestAdvanceNeverSkipsARequiredGate(t *testing.T) {
	start := "2020-02-20"
	var events []GateEvent
	events = append(events, GateEvent{Gate: GateEntry, Day: start, Arrival: start})
	for _, r := range []string{RiskLow, RiskMedium, RiskHigh} {
		events = append(events, GateEvent{Gate: GateScreening, Day: start, Risk: r})
	}
	for _, k := range []string{IsolationCentral, IsolationHome} {
		events = append(events, GateEvent{Gate: GateIsolation, Day: start, IsolationKind: k})
	}
	for _, d := range []int{0, 13, 14, 20} {
		events = append(events, GateEvent{Gate: GateRelease, Day: AddDays(start, d)})
	}
	events = append(events, GateEvent{Gate: GateClear, Day: start}, GateEvent{Gate: GateLeave, Day: start})

	type hist struct {
		entered, screened bool
		risk              string
		isoKind           string
		served            bool
	}
	paths := 0
	var walk func(status string, st HealthState, h hist, depth int)
	walk = func(status string, st HealthState, h hist, depth int) {
		paths++
		if depth == 9 {
			return
		}
		for _, e := range events {
			ns, nst, err := Advance(status, st, e, 14)
			if err != nil {
				if ns != status || nst != st {
					t.Fatalf("a refused step changed the state: %s %+v", e.Gate, e)
				}
				continue
			}
			nh := h
			switch e.Gate {
			case GateEntry:
				nh = hist{entered: true}
			case GateScreening:
				nh.screened, nh.risk, nh.isoKind, nh.served = true, e.Risk, "", false
			case GateIsolation:
				// An isolation ordered on duty (after a fever) comes on top of what the
				// screening required, which was already served.
				if status != WorkerOnDuty {
					nh.isoKind, nh.served = e.IsolationKind, false
				}
				if e.Day != nst.IsolationStart || nst.IsolationEnd != AddDays(e.Day, 14) {
					t.Fatalf("isolation planned end %s for a start on %s", nst.IsolationEnd, e.Day)
				}
			case GateRelease:
				if e.Day < AddDays(start, 14) {
					t.Fatalf("released on %s before the planned end", e.Day)
				}
				nh.served = true
			}
			if ns == WorkerOnDuty && status != WorkerOnDuty {
				if !nh.entered || !nh.screened {
					t.Fatalf("on duty without entry and screening: %+v", nh)
				}
				if req := RequiredIsolation(nh.risk); req != "" {
					if !nh.served {
						t.Fatalf("on duty with risk %s without serving isolation", nh.risk)
					}
					if req == IsolationCentral && nh.isoKind != IsolationCentral {
						t.Fatalf("high risk served %s isolation", nh.isoKind)
					}
				}
			}
			walk(ns, nst, nh, depth+1)
		}
	}
	walk(WorkerPending, HealthState{}, hist{}, 0)
	if paths < 2000 {
		t.Fatalf("only %d paths walked", paths)
	}
}

func TestParseRiskRegions(t *testing.T) {
	rs, f := ParseRiskRegions("湖北 2020-01-23\n\n温州|2020-02-01|2020-02-29\n坏行 2020-13-01\n")
	if len(rs) != 2 || rs[0].Name != "湖北" || rs[0].To != "" || rs[1].To != "2020-02-29" {
		t.Fatalf("regions %+v", rs)
	}
	if len(f) != 1 || f["line 4"].Key != "health.risk_region_line" {
		t.Fatalf("errors %+v", f)
	}
	again, _ := ParseRiskRegions(FormatRiskRegions(rs))
	if len(again) != 2 || again[1] != rs[1] {
		t.Fatalf("round trip %+v", again)
	}
}

// A temperature is shown with its unit, and nothing when none was taken.
func TestTemperatureCelsius(t *testing.T) {
	for in, want := range map[Temperature]string{374: "37.4 °C", 365: "36.5 °C", 400: "40.0 °C", 0: ""} {
		if got := in.Celsius(); got != want {
			t.Errorf("Temperature(%d).Celsius() = %q, want %q", int(in), got, want)
		}
	}
}
