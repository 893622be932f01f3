package rules

import (
	"fmt"
	"strings"
	"testing"

	"fugong"
)

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCheck(t *testing.T) {
	e := engine(t)
	tests := []struct {
		name, elig, amount string
		bad                map[string]string // field → part of the compiler's message
	}{
		{"rent waiver", "above_scale && park_tenant", "monthly_rent", nil},
		{"dates compare as text", `above_scale && resumed_on != "" && resumed_on <= "2020-02-29"`, "payroll * 50000", nil},
		{"declared values", `applied && declared["new_hires"] > 0`, `declared["new_hires"] * 100000`, nil},
		{"unknown fact", "above_scal && park_tenant", "0", map[string]string{"eligibility_rule": "undeclared reference to 'above_scal'"}},
		{"syntax", "above_scale &&", "0", map[string]string{"eligibility_rule": "Syntax error"}},
		{"not a bool", "payroll", "0", map[string]string{"eligibility_rule": "must give bool"}},
		{"float amount", "true", "payroll * 1.5", map[string]string{"amount_rule": "no matching overload"}},
		{"string amount", "true", "industry", map[string]string{"amount_rule": "must give int"}},
		{"empty", "", "", map[string]string{"eligibility_rule": "", "amount_rule": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Check(tt.elig, tt.amount)
			if tt.bad == nil {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			fe := fugong.AsError(err)
			if fe.Code != fugong.EINVALID || len(fe.Fields) != len(tt.bad) {
				t.Fatalf("Check = %v, want invalid fields %v", err, tt.bad)
			}
			for f, want := range tt.bad {
				m, ok := fe.Fields[f]
				if !ok {
					t.Fatalf("no message at %s: %v", f, fe.Fields)
				}
				if want != "" && !strings.Contains(fmt.Sprint(m.Args...), want) {
					t.Errorf("%s: message %v does not say %q", f, m.Args, want)
				}
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	e := engine(t)
	p := &fugong.Policy{EligibilityRule: `above_scale && resumed_on != "" && resumed_on <= "2020-02-29"`, AmountRule: "payroll * 50000"}
	tests := []struct {
		f    fugong.EnterpriseFacts
		want fugong.Outcome
	}{
		{fugong.EnterpriseFacts{AboveScale: true, ResumedOn: "2020-02-29", Payroll: 3}, fugong.Outcome{Eligible: true, Amount: 150000}},
		{fugong.EnterpriseFacts{AboveScale: true, ResumedOn: "2020-03-01", Payroll: 3}, fugong.Outcome{}},
		{fugong.EnterpriseFacts{AboveScale: true, Payroll: 3}, fugong.Outcome{}},
		{fugong.EnterpriseFacts{ResumedOn: "2020-02-11", Payroll: 3}, fugong.Outcome{}},
	}
	for _, tt := range tests {
		got, err := e.Evaluate(p, tt.f)
		if err != nil || got != tt.want {
			t.Errorf("Evaluate(%+v) = %+v, %v; want %+v", tt.f, got, err, tt.want)
		}
	}
	neg := &fugong.Policy{EligibilityRule: "true", AmountRule: "0 - payroll"}
	if got, _ := e.Evaluate(neg, fugong.EnterpriseFacts{Payroll: 5}); got.Amount != 0 {
		t.Errorf("negative amount = %d, want 0", got.Amount)
	}
}

func TestDeclared(t *testing.T) {
	e := engine(t)
	got := e.Declared(`applied && declared["new_hires"] > 0 && declared.trainees >= 0 && payroll > 0`)
	if strings.Join(got, ",") != "new_hires,trainees" {
		t.Errorf("Declared = %v", got)
	}
}

// TestFactsDeclared pins that every fact the domain lists resolves in an evaluation.
func TestFactsDeclared(t *testing.T) {
	a := activation{f: &fugong.EnterpriseFacts{}}
	for _, f := range fugong.Facts {
		if _, ok := a.ResolveName(f.Name); !ok {
			t.Errorf("fact %s does not resolve", f.Name)
		}
	}
}

// benchRules are ten rules of the kind the county writes.
var benchRules = []fugong.Policy{
	{EligibilityRule: "above_scale && park_tenant", AmountRule: "monthly_rent"},
	{EligibilityRule: `above_scale && focus_area in ["园区企业", "工矿企业"] && resumed_on != "" && resumed_on <= "2020-02-29"`, AmountRule: "payroll * 50000"},
	{EligibilityRule: "resumed && payroll > 0", AmountRule: "0"},
	{EligibilityRule: "workshop && resumed", AmountRule: "on_duty * 20000"},
	{EligibilityRule: `park_tenant && !above_scale`, AmountRule: "monthly_rent / 2"},
	{EligibilityRule: `industry == "旅游" && resumed`, AmountRule: "math.least(payroll, 50) * 10000"},
	{EligibilityRule: `on_duty * 10 >= payroll * 7`, AmountRule: "100000"},
	{EligibilityRule: `township.startsWith("430821100") && resumed`, AmountRule: "payroll * 3000"},
	{EligibilityRule: `status == "已复工" && resumed_on < today`, AmountRule: "payroll > 100 ? 500000 : 200000"},
	{EligibilityRule: `applied || (above_scale && payroll >= 300)`, AmountRule: `payroll * 20000 + (park_tenant ? monthly_rent : 0)`},
}

func genFacts(n int) []fugong.EnterpriseFacts {
	out := make([]fugong.EnterpriseFacts, n)
	areas := fugong.FocusAreas
	for i := range out {
		payroll := int64(10 + i%500)
		out[i] = fugong.EnterpriseFacts{AboveScale: i%4 == 0, FocusArea: areas[i%len(areas)], Industry: []string{"新材料", "旅游", "建材"}[i%3],
			Township: fmt.Sprintf("430821%03d000", 100+i%25), ParkTenant: i%3 == 0, MonthlyRent: int64(300_000 + i%30*100_000), Payroll: payroll,
			OnDuty: payroll * int64(5+i%5) / 10, Workshop: i%37 == 0, Status: fugong.StatusResumed, Resumed: true,
			ResumedOn: fmt.Sprintf("2020-%02d-%02d", 2+i%2, 1+i%28), Today: "2020-03-09"}
	}
	return out
}

// BenchmarkEvaluate evaluates the ten rules over 100,000 generated enterprises per
// iteration: one iteration is one full run of a county-sized catalogue at province scale.
func BenchmarkEvaluate(b *testing.B) {
	e := engine(b)
	facts := genFacts(100_000)
	for i := range benchRules {
		if err := e.Check(benchRules[i].EligibilityRule, benchRules[i].AmountRule); err != nil {
			b.Fatalf("rule %d: %v", i, err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var total int64
		for i := range benchRules {
			for j := range facts {
				o, err := e.Evaluate(&benchRules[i], facts[j])
				if err != nil {
					b.Fatal(err)
				}
				total += o.Amount
			}
		}
		if total == 0 {
			b.Fatal("nothing entitled")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/run")
	b.ReportMetric(float64(b.N)*float64(len(benchRules)*len(facts))/b.Elapsed().Seconds(), "evals/s")
}

// BenchmarkDeclared reads the declared keys of a measure's two rules, as every policy's
// page, form and API answer does.
func BenchmarkDeclared(b *testing.B) {
	e := engine(b)
	b.ReportAllocs()
	for b.Loop() {
		if len(e.Declared(`applied && declared["supplies_yuan"] > 0`)) != 1 || len(e.Declared(`math.least(declared["supplies_yuan"] * 30, 2000000)`)) != 1 {
			b.Fatal("keys")
		}
	}
}
