// Package rules compiles and evaluates policy rules written in CEL (the Common Expression
// Language) over an enterprise's facts: safe (no loops, no I/O), typed, checked when saved.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"

	"fugong"
)

// costLimit bounds one evaluation; the county's rules cost a few dozen units.
const costLimit = 10_000

// Engine compiles rules once and keeps the programs by their text.
type Engine struct {
	env *cel.Env

	mu sync.RWMutex
	// programs holds the compiled rules by their result type (bool, int) and text;
	// declared the keys of declared each rule text reads.
	programs map[*cel.Type]map[string]cel.Program
	declared map[string][]string
}

var _ fugong.RuleEngine = (*Engine)(nil)

// New returns an engine whose environment declares exactly fugong.Facts.
func New() (*Engine, error) {
	// math.least and math.greatest cap amounts: math.least(payroll, 50) * 10000.
	opts := []cel.EnvOption{ext.Math()}
	for _, f := range fugong.Facts {
		t, err := celType(f.Type)
		if err != nil {
			return nil, err
		}
		opts = append(opts, cel.Variable(f.Name, t))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("rule environment: %w", err)
	}
	return &Engine{env: env, programs: map[*cel.Type]map[string]cel.Program{cel.BoolType: {}, cel.IntType: {}}, declared: map[string][]string{}}, nil
}

func celType(t string) (*cel.Type, error) {
	switch t {
	case "bool":
		return cel.BoolType, nil
	case "int":
		return cel.IntType, nil
	case "string":
		return cel.StringType, nil
	case "map(string, int)":
		return cel.MapType(cel.StringType, cel.IntType), nil
	}
	return nil, fmt.Errorf("fact type %q has no CEL type", t)
}

// Check compiles and type-checks both rules: eligibility must give a bool, amount an int
// (fen). Every failure carries the compiler's own message at its field.
func (e *Engine) Check(eligibility, amount string) error {
	f := fugong.FieldErrors{}
	for _, r := range []struct {
		field, text string
		want        *cel.Type
	}{{"eligibility_rule", eligibility, cel.BoolType}, {"amount_rule", amount, cel.IntType}} {
		if strings.TrimSpace(r.text) == "" {
			f.Add(r.field, "field.required")
			continue
		}
		if _, msg := e.compile(r.text, r.want); msg != "" {
			f.Add(r.field, "policy.rule_error", msg)
		}
	}
	return f.Err()
}

// compile returns the checked AST of a rule, or the compiler's message.
func (e *Engine) compile(text string, want *cel.Type) (*cel.Ast, string) {
	ast, iss := e.env.Compile(text)
	if iss != nil && iss.Err() != nil {
		return nil, iss.Err().Error()
	}
	if got := ast.OutputType(); !got.IsExactType(want) {
		return nil, fmt.Sprintf("the rule gives %s, it must give %s", cel.FormatCELType(got), cel.FormatCELType(want))
	}
	return ast, ""
}

// program returns the compiled program of a rule, compiling it at first use.
func (e *Engine) program(text string, want *cel.Type) (cel.Program, error) {
	e.mu.RLock()
	p, ok := e.programs[want][text]
	e.mu.RUnlock()
	if ok {
		return p, nil
	}
	ast, msg := e.compile(text, want)
	if msg != "" {
		return nil, fugong.Invalid(map[string]fugong.Msg{"rule": fugong.M("policy.rule_error", msg)})
	}
	p, err := e.env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.CostLimit(costLimit))
	if err != nil {
		return nil, fmt.Errorf("plan rule: %w", err)
	}
	e.mu.Lock()
	e.programs[want][text] = p
	e.mu.Unlock()
	return p, nil
}

// Evaluate runs a policy's rules over one enterprise's facts. The amount rule runs only
// for an eligible enterprise; a negative amount counts as 0.
func (e *Engine) Evaluate(p *fugong.Policy, f fugong.EnterpriseFacts) (fugong.Outcome, error) {
	elig, err := e.program(p.EligibilityRule, cel.BoolType)
	if err != nil {
		return fugong.Outcome{}, err
	}
	act := activation{f: &f}
	v, _, err := elig.Eval(act)
	if err != nil {
		return fugong.Outcome{}, fmt.Errorf("policy %d eligibility: %w", p.ID, err)
	}
	if v != types.True {
		return fugong.Outcome{}, nil
	}
	amt, err := e.program(p.AmountRule, cel.IntType)
	if err != nil {
		return fugong.Outcome{}, err
	}
	v, _, err = amt.Eval(act)
	if err != nil {
		return fugong.Outcome{}, fmt.Errorf("policy %d amount: %w", p.ID, err)
	}
	n, ok := v.Value().(int64)
	if !ok {
		return fugong.Outcome{}, fmt.Errorf("policy %d amount: not an int: %v", p.ID, v)
	}
	return fugong.Outcome{Eligible: true, Amount: max(0, n)}, nil
}

// Declared lists the keys of `declared` a rule reads (declared["new_hires"] or
// declared.new_hires): the values an enterprise supplies when it applies. Every policy's
// page, form and API answer asks, so the keys are kept by the rule's text like its
// program (a compile is ~65 µs; a rule of the county's is asked hundreds of times a day).
// The caller must not change the slice.
func (e *Engine) Declared(rule string) []string {
	e.mu.RLock()
	keys, ok := e.declared[rule]
	e.mu.RUnlock()
	if ok {
		return keys
	}
	keys = e.declaredKeys(rule)
	e.mu.Lock()
	if len(e.declared) >= maxDeclared {
		clear(e.declared) // rule texts typed in a form's previews: never unbounded
	}
	e.declared[rule] = keys
	e.mu.Unlock()
	return keys
}

// maxDeclared bounds the rule texts Declared keeps.
const maxDeclared = 1024

func (e *Engine) declaredKeys(rule string) []string {
	ast, iss := e.env.Compile(rule)
	if iss != nil && iss.Err() != nil {
		return nil
	}
	seen := map[string]bool{}
	isDeclared := func(x celast.Expr) bool {
		return x.Kind() == celast.IdentKind && x.AsIdent() == "declared"
	}
	celast.PreOrderVisit(celast.NavigateAST(ast.NativeRep()), celast.NewExprVisitor(func(x celast.Expr) {
		switch x.Kind() {
		case celast.SelectKind:
			if s := x.AsSelect(); isDeclared(s.Operand()) {
				seen[s.FieldName()] = true
			}
		case celast.CallKind:
			c := x.AsCall()
			if c.FunctionName() == operators.Index && len(c.Args()) == 2 && isDeclared(c.Args()[0]) && c.Args()[1].Kind() == celast.LiteralKind {
				if s, ok := c.Args()[1].AsLiteral().Value().(string); ok {
					seen[s] = true
				}
			}
		}
	}))
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// activation hands the facts to CEL without building a map per enterprise.
type activation struct{ f *fugong.EnterpriseFacts }

func (a activation) ResolveName(name string) (any, bool) {
	f := a.f
	switch name {
	case "above_scale":
		return f.AboveScale, true
	case "focus_area":
		return f.FocusArea, true
	case "industry":
		return f.Industry, true
	case "township":
		return f.Township, true
	case "park_tenant":
		return f.ParkTenant, true
	case "monthly_rent":
		return f.MonthlyRent, true
	case "payroll":
		return f.Payroll, true
	case "on_duty":
		return f.OnDuty, true
	case "workshop":
		return f.Workshop, true
	case "status":
		return f.Status, true
	case "resumed":
		return f.Resumed, true
	case "resumed_on":
		return f.ResumedOn, true
	case "today":
		return f.Today, true
	case "applied":
		return f.Applied, true
	case "declared":
		if f.Declared == nil {
			return map[string]int64{}, true
		}
		return f.Declared, true
	}
	return nil, false
}

func (a activation) Parent() interpreter.Activation { return nil }
