package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"fugong"
)

// PolicyEnv is what the policy workflow needs beyond the database: the rule engine, the
// county's time zone (for "today") and the text of notifications in the county's language.
type PolicyEnv struct {
	Rules fugong.RuleEngine
	Loc   *time.Location
	Text  func(key string, args ...any) string
}

func (env PolicyEnv) today(db *DB) string { return fugong.Day(db.Clock.Now(), env.Loc) }

const policyCols = `p.id, p.region_code, p.number, p.title, p.department_id, d.name, p.payer_id, f.name, p.source, p.summary, p.period_from, p.period_to,
	p.mode, p.auto_approve, p.eligibility_rule, p.amount_rule, p.declared_labels, p.status, p.published_at, p.demo, p.version, p.created_at, p.updated_at`

const policyFrom = ` FROM policies p JOIN org_units d ON d.id = p.department_id JOIN org_units f ON f.id = p.payer_id`

func scanPolicy(row interface{ Scan(...any) error }, p *fugong.Policy, extra ...any) error {
	var pub, c, u int64
	var labels string
	if err := row.Scan(append([]any{&p.ID, &p.County, &p.Number, &p.Title, &p.DepartmentID, &p.DepartmentName, &p.PayerID, &p.PayerName, &p.Source, &p.Summary,
		&p.PeriodFrom, &p.PeriodTo, &p.Mode, &p.AutoApprove, &p.EligibilityRule, &p.AmountRule, &labels, &p.Status, &pub, &p.Demo, &p.Version, &c, &u}, extra...)...); err != nil {
		return err
	}
	p.PublishedAt, p.CreatedAt, p.UpdatedAt = fromMS(pub), fromMS(c), fromMS(u)
	var err error
	if p.DeclaredFields, err = decodeDeclaredFields(labels); err != nil {
		return fmt.Errorf("policy %d: %w", p.ID, err)
	}
	return nil
}

// encodeDeclaredFields is the column's text of a policy's labels (policies.declared_labels,
// a JSON array in the rules' order); none is the empty text.
func encodeDeclaredFields(fields []fugong.DeclaredField) (string, error) {
	if len(fields) == 0 {
		return "", nil
	}
	b, err := json.Marshal(fields)
	return string(b), err
}

// decodeDeclaredFields reads the column: the empty text (a policy written before labels) is none.
func decodeDeclaredFields(text string) ([]fugong.DeclaredField, error) {
	if text == "" {
		return nil, nil
	}
	var out []fugong.DeclaredField
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return nil, fmt.Errorf("declared labels: %w", err)
	}
	return out, nil
}

// policyScope limits policies to the caller's county; only staff see drafts.
func policyScope(sc fugong.Scope, a *args) string {
	c := "p.region_code = " + a.add(sc.County)
	if !sc.Can(fugong.PermPolicyView) {
		c += " AND p.status = " + a.add(fugong.PolicyPublished)
	}
	return c
}

// editablePolicy finds a policy the caller may edit, at the version they read (0: any).
func (db *DB) editablePolicy(ctx context.Context, tx *sql.Tx, sc fugong.Scope, id, version int64) (fugong.Policy, error) {
	p, err := db.findPolicy(ctx, tx, sc, id)
	if err != nil {
		return p, err
	}
	if err := canEditPolicy(sc, &p); err != nil {
		return p, err
	}
	if version != 0 && p.Version != version {
		return p, fugong.Conflict("error.stale")
	}
	return p, nil
}

// canEditPolicy: the command and admin edit any policy, a department only its own.
func canEditPolicy(sc fugong.Scope, p *fugong.Policy) error {
	return sc.AllowOn(fugong.PermPolicyEdit, p.DepartmentID)
}

// CheckPolicy validates a policy's fields and compiles its rules, gathering every message;
// once the rules compile, every key of `declared` they read needs its label and unit
// (fugong.Policy.CheckDeclaredFields), and the labels of keys no rule reads are dropped.
func CheckPolicy(env PolicyEnv, p *fugong.Policy) error {
	f := fugong.FieldErrors{}
	if err := p.Validate(); err != nil {
		for k, m := range fugong.AsError(err).Fields {
			f[k] = m
		}
	}
	if err := env.Rules.Check(p.EligibilityRule, p.AmountRule); err != nil {
		e := fugong.AsError(err)
		if e.Code != fugong.EINVALID {
			return err
		}
		for k, m := range e.Fields {
			f.Add(k, m.Key, m.Args...)
		}
		return f.Err()
	}
	for k, m := range p.CheckDeclaredFields(fugong.DeclaredKeys(env.Rules, p)) {
		f[k] = m
	}
	return f.Err()
}

// CreatePolicy saves a draft policy whose rules compile.
func (db *DB) CreatePolicy(ctx context.Context, sc fugong.Scope, env PolicyEnv, p *fugong.Policy) error {
	if err := sc.Allow(fugong.PermPolicyEdit); err != nil {
		return err
	}
	p.County, p.Status = sc.County, fugong.PolicyDraft
	if sc.Role == fugong.RoleDepartment {
		p.DepartmentID = sc.OrgUnitID
	}
	if err := CheckPolicy(env, p); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *sql.Tx) error { return db.CreatePolicyTx(ctx, tx, p) })
}

// CreatePolicyTx saves a checked policy inside the caller's transaction.
func (db *DB) CreatePolicyTx(ctx context.Context, q Querier, p *fugong.Policy) error {
	now := db.now()
	labels, err := encodeDeclaredFields(p.DeclaredFields)
	if err != nil {
		return err
	}
	err = q.QueryRowContext(ctx, `INSERT INTO policies (region_code, number, title, department_id, payer_id, source, summary, period_from, period_to, mode, auto_approve,
		eligibility_rule, amount_rule, declared_labels, status, published_at, demo, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
		p.County, p.Number, p.Title, p.DepartmentID, p.PayerID, p.Source, p.Summary, p.PeriodFrom, p.PeriodTo, p.Mode, p.AutoApprove,
		p.EligibilityRule, p.AmountRule, labels, p.Status, ms(p.PublishedAt), p.Demo, now).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("create policy: %w", mapErr(err))
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, fromMS(now), fromMS(now)
	return db.Audit(ctx, q, p.County, "create", "policies", p.ID, nil, p)
}

// FindPolicy returns one policy the caller may see.
func (db *DB) FindPolicy(ctx context.Context, sc fugong.Scope, id int64) (fugong.Policy, error) {
	return db.findPolicy(ctx, db.R, sc, id)
}

func (db *DB) findPolicy(ctx context.Context, q Querier, sc fugong.Scope, id int64) (fugong.Policy, error) {
	var a args
	var p fugong.Policy
	err := scanPolicy(q.QueryRowContext(ctx, `SELECT `+policyCols+policyFrom+` WHERE p.id = `+a.add(id)+` AND `+policyScope(sc, &a), a.vals...), &p)
	return p, mapErr(err)
}

// FindPolicies lists the catalogue in the caller's county, by number.
func (db *DB) FindPolicies(ctx context.Context, sc fugong.Scope, f fugong.PolicyFilter) ([]fugong.Policy, int, error) {
	return db.findPolicies(ctx, db.R, sc, f)
}

func (db *DB) findPolicies(ctx context.Context, q Querier, sc fugong.Scope, f fugong.PolicyFilter) ([]fugong.Policy, int, error) {
	var a args
	c := []string{policyScope(sc, &a)}
	if f.Status != "" {
		c = append(c, "p.status = "+a.add(f.Status))
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := q.QueryContext(ctx, `SELECT `+policyCols+`, COUNT(*) OVER()`+policyFrom+where(c)+` ORDER BY p.number, p.id LIMIT `+a.add(limit)+` OFFSET `+a.add(offset), a.vals...)
	if err != nil {
		return nil, 0, fmt.Errorf("find policies: %w", err)
	}
	defer rows.Close()
	var out []fugong.Policy
	total := 0
	for rows.Next() {
		var p fugong.Policy
		if err := scanPolicy(rows, &p, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// UpdatePolicy applies fn to a policy and saves it when its rules still compile and its
// version is the one read. A published policy's entitlements are recomputed at once.
func (db *DB) UpdatePolicy(ctx context.Context, sc fugong.Scope, env PolicyEnv, id, version int64, fn func(p *fugong.Policy) error) (fugong.Policy, error) {
	var out fugong.Policy
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.editablePolicy(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		p := before
		if err := fn(&p); err != nil {
			return err
		}
		if sc.Role == fugong.RoleDepartment {
			p.DepartmentID = before.DepartmentID
		}
		p.Status = before.Status
		if err := CheckPolicy(env, &p); err != nil {
			return err
		}
		if err := db.savePolicy(ctx, tx, &before, &p); err != nil {
			return err
		}
		if p.Status == fugong.PolicyPublished {
			if _, err := db.ComputePolicyTx(ctx, tx, env, &p, 0); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	return out, err
}

func (db *DB) savePolicy(ctx context.Context, tx *sql.Tx, before, p *fugong.Policy) error {
	labels, err := encodeDeclaredFields(p.DeclaredFields)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE policies SET number = $1, title = $2, department_id = $3, payer_id = $4, source = $5, summary = $6, period_from = $7,
		period_to = $8, mode = $9, auto_approve = $10, eligibility_rule = $11, amount_rule = $12, declared_labels = $13, status = $14, published_at = $15,
		version = version + 1, updated_at = $16
		WHERE id = $17 AND version = $18`,
		p.Number, p.Title, p.DepartmentID, p.PayerID, p.Source, p.Summary, p.PeriodFrom, p.PeriodTo, p.Mode, p.AutoApprove, p.EligibilityRule, p.AmountRule,
		labels, p.Status, ms(p.PublishedAt), db.now(), p.ID, before.Version)
	if err != nil {
		return fmt.Errorf("update policy: %w", mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fugong.Conflict("error.stale")
	}
	p.Version = before.Version + 1
	return db.Audit(ctx, tx, p.County, "update", "policies", p.ID, before, p)
}

// PublishPolicy publishes a draft and computes its entitlements in the same transaction;
// it reports how many entitlements were made or changed.
func (db *DB) PublishPolicy(ctx context.Context, sc fugong.Scope, env PolicyEnv, id, version int64) (int, error) {
	n := 0
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		before, err := db.editablePolicy(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		if before.Status == fugong.PolicyPublished {
			return fugong.Conflict("policy.already_published")
		}
		p := before
		p.Status, p.PublishedAt = fugong.PolicyPublished, db.Clock.Now()
		if err := CheckPolicy(env, &p); err != nil {
			return err
		}
		if err := db.savePolicy(ctx, tx, &before, &p); err != nil {
			return err
		}
		n, err = db.ComputePolicyTx(ctx, tx, env, &p, 0)
		return err
	})
	return n, err
}

// PreviewRow is one enterprise a policy would entitle, with its amount.
type PreviewRow struct {
	EnterpriseID int64
	Name         string
	Township     string
	Amount       int64
}

// PreviewPolicy evaluates a policy — saved or not — over every enterprise of the caller's
// county without writing anything: the enterprises that match, their amounts, the total.
func (db *DB) PreviewPolicy(ctx context.Context, sc fugong.Scope, env PolicyEnv, p *fugong.Policy) ([]PreviewRow, int64, error) {
	if err := sc.Allow(fugong.PermPolicyView); err != nil {
		return nil, 0, err
	}
	// Only the rules matter to a preview; the rest of the form may still be unfinished.
	if err := env.Rules.Check(p.EligibilityRule, p.AmountRule); err != nil {
		return nil, 0, err
	}
	var out []PreviewRow
	var total int64
	err := db.eachFacts(ctx, db.R, env, sc.County, 0, func(e fugong.Enterprise, f fugong.EnterpriseFacts) error {
		o, err := env.Rules.Evaluate(p, f)
		if err != nil || !o.Eligible {
			return err
		}
		out = append(out, PreviewRow{EnterpriseID: e.ID, Name: e.Name, Township: e.Township, Amount: o.Amount})
		total += o.Amount
		return nil
	})
	return out, total, err
}

// eachFacts calls fn with the facts of every enterprise of a county (or of one enterprise
// when enterpriseID is set) on the county's today.
func (db *DB) eachFacts(ctx context.Context, q Querier, env PolicyEnv, county string, enterpriseID int64, fn func(e fugong.Enterprise, f fugong.EnterpriseFacts) error) error {
	today := env.today(db)
	onDuty, err := onDutyOn(ctx, q, county, today)
	if err != nil {
		return err
	}
	var a args
	c := []string{"e.region_code = " + a.add(county)}
	if enterpriseID != 0 {
		c = append(c, "e.id = "+a.add(enterpriseID))
	}
	es, err := queryEnterprises(ctx, q, "enterprise facts", where(c)+` ORDER BY e.id`, a.vals...)
	if err != nil {
		return err
	}
	for _, e := range es {
		d, ok := onDuty[e.ID]
		if !ok {
			d = -1
		}
		if err := fn(e, fugong.FactsOf(e, d, today)); err != nil {
			return err
		}
	}
	return nil
}

// onDutyOn returns, per enterprise, the employees on duty on day from the daily reports
// (the latest report on or before day), read in q: a transaction that has just written
// reports (the demo county's) computes from them.
func onDutyOn(ctx context.Context, q Querier, county, day string) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.enterprise_id, r.on_duty FROM daily_reports r
		WHERE r.region_code = $1 AND r.day = (SELECT MAX(x.day) FROM daily_reports x WHERE x.enterprise_id = r.enterprise_id AND x.day <= $2)`, county, day)
	if err != nil {
		return nil, fmt.Errorf("on duty: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("on duty: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
