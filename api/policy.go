package api

import (
	"context"
	"maps"
	"net/http"

	"fugong"
	"fugong/auth"
)

var (
	policyStaff    = fugong.RolesFor(fugong.PermPolicyEdit)
	policyReader   = fugong.RolesFor(fugong.PermPolicyView)
	enterpriseOnly = fugong.RolesFor(fugong.PermPolicyApply)
)

// policyJSON is a policy as the API shows and takes it. The rules are CEL expressions over
// the facts listed in GET /api/v1/policies/facts; amounts are integer fen.
type policyJSON struct {
	ID              int64  `json:"id,omitempty"`
	Number          int    `json:"number"`
	Title           string `json:"title"`
	DepartmentID    int64  `json:"department_id"`
	DepartmentName  string `json:"department_name,omitempty"`
	PayerID         int64  `json:"payer_id,omitempty"`
	PayerName       string `json:"payer_name,omitempty"`
	Source          string `json:"source"`
	Summary         string `json:"summary,omitempty"`
	PeriodFrom      string `json:"period_from,omitempty"`
	PeriodTo        string `json:"period_to,omitempty"`
	Mode            string `json:"mode"`
	AutoApprove     bool   `json:"auto_approve"`
	EligibilityRule string `json:"eligibility_rule"`
	AmountRule      string `json:"amount_rule"`
	// DeclaredFields give each key of declared the rules read its label and unit, required
	// for every such key; the answer lists one per key read, an empty label where the
	// policy has none yet (LabelsMissing names those keys).
	DeclaredFields []declaredFieldJSON `json:"declared_fields"`
	LabelsMissing  []string            `json:"labels_missing,omitempty"`
	Status         string              `json:"status,omitempty"`
	PublishedAt    string              `json:"published_at,omitempty"`
	Demo           bool                `json:"demo,omitempty"`
	Version        int64               `json:"version,omitempty"`
}

func (s *Server) toPolicyJSON(p fugong.Policy) policyJSON {
	keys := fugong.DeclaredKeys(s.Policies.Rules, &p)
	fields := make([]declaredFieldJSON, 0, len(keys))
	for _, f := range p.FieldsOf(keys) {
		fields = append(fields, declaredFieldJSON(f))
	}
	return policyJSON{ID: p.ID, Number: p.Number, Title: p.Title, DepartmentID: p.DepartmentID, DepartmentName: p.DepartmentName, PayerID: p.PayerID,
		PayerName: p.PayerName, Source: p.Source, Summary: p.Summary, PeriodFrom: p.PeriodFrom, PeriodTo: p.PeriodTo, Mode: p.Mode, AutoApprove: p.AutoApprove,
		EligibilityRule: p.EligibilityRule, AmountRule: p.AmountRule, DeclaredFields: fields, LabelsMissing: p.MissingLabels(keys),
		Status: p.Status, PublishedAt: s.rfc3339(p.PublishedAt), Demo: p.Demo, Version: p.Version}
}

func (j policyJSON) policy() fugong.Policy {
	fields := make([]fugong.DeclaredField, len(j.DeclaredFields))
	for i, f := range j.DeclaredFields {
		fields[i] = fugong.DeclaredField(f)
	}
	return fugong.Policy{Number: j.Number, Title: j.Title, DepartmentID: j.DepartmentID, PayerID: j.PayerID, Source: j.Source, Summary: j.Summary,
		PeriodFrom: j.PeriodFrom, PeriodTo: j.PeriodTo, Mode: j.Mode, AutoApprove: j.AutoApprove, EligibilityRule: j.EligibilityRule, AmountRule: j.AmountRule,
		DeclaredFields: fields}
}

// declaredFieldJSON is a policy's label and unit of one key of declared its rules read
// (new_hires → 新招用员工数, 人): what an enterprise is asked for, in words.
type declaredFieldJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
}

// declaredValueJSON is one declared value beside its key's label and unit.
type declaredValueJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	Value int64  `json:"value"`
}

func toDeclaredValuesJSON(vals []fugong.DeclaredValue) []declaredValueJSON {
	out := make([]declaredValueJSON, len(vals))
	for i, v := range vals {
		out[i] = declaredValueJSON{Key: v.Key, Label: v.Label, Unit: v.Unit, Value: v.Value}
	}
	return out
}

type factJSON struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type previewRowJSON struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	AmountFen    int64  `json:"amount_fen"`
}

type pentitlementReviewJSON struct {
	Items          []previewRowJSON `json:"items"`
	Total          int              `json:"total"`
	TotalAmountFen int64            `json:"total_amount_fen"`
}

type publishJSON struct {
	Version int64 `json:"version"`
}

type publishedJSON struct {
	Policy  policyJSON `json:"policy"`
	Changed int        `json:"entitlements_changed"`
}

type applyJSON struct {
	Declared map[string]int64 `json:"declared"`
}

func (s *Server) policyRoutes() {
	id := []Param{{"id", "path", "integer", ""}}
	s.handle(Op{Method: "GET", Path: "/api/v1/policies", Summary: "The policy catalogue of the caller's county", Tag: "policies", Response: List[policyJSON]{},
		Params: []Param{{"status", "query", "string", "draft, published"}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listPolicies)
	s.handle(Op{Method: "GET", Path: "/api/v1/policies/facts", Summary: "The facts a rule may use", Tag: "policies", Response: List[factJSON]{}}, s.listFacts)
	s.handle(Op{Method: "POST", Path: "/api/v1/policies", Summary: "Create a draft policy; rules that do not compile answer 422 with the compiler's message at the field, and every key of declared the rules read needs a label and unit in declared_fields (422 at declared_label.KEY or declared_unit.KEY, naming the key)",
		Tag: "policies", Roles: policyStaff, Request: policyJSON{}, Response: policyJSON{}, Status: 201}, s.createPolicy)
	s.handle(Op{Method: "POST", Path: "/api/v1/policies/preview", Summary: "The enterprises a policy would entitle, with amounts and the total, without saving",
		Tag: "policies", Roles: policyReader, Request: policyJSON{}, Response: pentitlementReviewJSON{}}, s.previewPolicy)
	s.handle(Op{Method: "GET", Path: "/api/v1/policies/{id}", Summary: "One policy", Tag: "policies", Response: policyJSON{}, Params: id}, s.getPolicy)
	s.handle(Op{Method: "PUT", Path: "/api/v1/policies/{id}", Summary: "Replace a policy (version must match), declared_fields with a label and unit for every key of declared the rules read; a published one is recomputed",
		Tag: "policies", Roles: policyStaff, Request: policyJSON{}, Response: policyJSON{}, Params: id}, s.updatePolicy)
	s.handle(Op{Method: "POST", Path: "/api/v1/policies/{id}/publish", Summary: "Publish a policy and compute its entitlements",
		Tag: "policies", Roles: policyStaff, Request: publishJSON{}, Response: publishedJSON{}, Params: id}, s.publishPolicy)
	s.handle(Op{Method: "POST", Path: "/api/v1/policies/{id}/apply", Summary: "Apply to a policy delivered on application, declaring the values its rules read (the policy's declared_fields: key, label, unit)",
		Tag: "policies", Roles: enterpriseOnly, Request: applyJSON{}, Response: entitlementJSON{}, Params: id, Status: 201}, s.applyPolicy)
	s.entitlementRoutes()
}

func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	items, total, err := s.DB.FindPolicies(r.Context(), auth.ScopeFrom(r.Context()), fugong.PolicyFilter{Status: r.URL.Query().Get("status"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toPolicyJSON)
}

func (s *Server) listFacts(w http.ResponseWriter, r *http.Request) error {
	out := make([]factJSON, len(fugong.Facts))
	for i, f := range fugong.Facts {
		out[i] = factJSON{Name: f.Name, Type: f.Type}
	}
	return writeJSON(w, http.StatusOK, list(out, len(out)))
}

func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request) error {
	var in policyJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := in.policy()
	if err := s.DB.CreatePolicy(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, &p); err != nil {
		return err
	}
	return writeStored(w, r, http.StatusCreated, p.ID, s.DB.FindPolicy, s.toPolicyJSON)
}

func (s *Server) previewPolicy(w http.ResponseWriter, r *http.Request) error {
	var in policyJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	p := in.policy()
	rows, sum, err := s.DB.PreviewPolicy(r.Context(), sc, s.Policies, &p)
	if err != nil {
		return err
	}
	out := pentitlementReviewJSON{Items: make([]previewRowJSON, len(rows)), Total: len(rows), TotalAmountFen: sum}
	for i, row := range rows {
		out.Items[i] = previewRowJSON{EnterpriseID: row.EnterpriseID, Name: row.Name, AmountFen: row.Amount}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getPolicy(w http.ResponseWriter, r *http.Request) error {
	return writeFound(w, r, s.DB.FindPolicy, s.toPolicyJSON)
}

func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request) error {
	var in policyJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	p, err := s.DB.UpdatePolicy(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id, in.Version, func(p *fugong.Policy) error {
		n := in.policy()
		n.ID, n.County, n.Status, n.PublishedAt, n.Demo, n.CreatedAt, n.Version = p.ID, p.County, p.Status, p.PublishedAt, p.Demo, p.CreatedAt, p.Version
		*p = n
		return nil
	})
	if err != nil {
		return err
	}
	p, err = s.DB.FindPolicy(r.Context(), auth.ScopeFrom(r.Context()), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toPolicyJSON(p))
}

func (s *Server) publishPolicy(w http.ResponseWriter, r *http.Request) error {
	var in publishJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	n, err := s.DB.PublishPolicy(r.Context(), sc, s.Policies, id, in.Version)
	if err != nil {
		return err
	}
	p, err := s.DB.FindPolicy(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, publishedJSON{Policy: s.toPolicyJSON(p), Changed: n})
}

func (s *Server) applyPolicy(w http.ResponseWriter, r *http.Request) error {
	var in applyJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	t, err := s.DB.ApplyPolicy(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id, in.Declared)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toEntitlementJSON(t))
}

// entitlementJSON is an entitlement with its payment, money in integer fen.
type entitlementJSON struct {
	ID           int64            `json:"id"`
	PolicyID     int64            `json:"policy_id"`
	PolicyTitle  string           `json:"policy_title"`
	EnterpriseID int64            `json:"enterprise_id"`
	Enterprise   string           `json:"enterprise_name"`
	AmountFen    int64            `json:"amount_fen"`
	Status       string           `json:"status"`
	Auto         bool             `json:"auto"`
	Reason       string           `json:"reason,omitempty"`
	ReviewedBy   string           `json:"reviewed_by,omitempty"`
	ReviewedAt   string           `json:"reviewed_at,omitempty"`
	Dispute      string           `json:"dispute,omitempty"`
	Declared     map[string]int64 `json:"declared,omitempty"`
	// DeclaredFields are the declared values with their labels and units, in the
	// policy's order (label empty where the policy has none yet).
	DeclaredFields []declaredValueJSON `json:"declared_fields,omitempty"`
	ComputedAt     string              `json:"computed_at"`
	// Payment is the latest payment; PaidFen sums them all and UnpaidFen is what is still
	// owed; Payments lists each (on one entitlement's answer).
	Payment   *paymentJSON  `json:"payment,omitempty"`
	PaidFen   int64         `json:"paid_fen"`
	UnpaidFen int64         `json:"unpaid_fen"`
	Payments  []paymentJSON `json:"payments,omitempty"`
	// Corrections lists the corrections of the declared values (on one entitlement's
	// answer), oldest first.
	Corrections []declaredCorrectionJSON `json:"corrections,omitempty"`
	Version     int64                    `json:"version"`
}

// paymentJSON is finance's record of a payment, or of a reversing entry (kind reversal,
// a negative amount, the payment it reverses and why). Only amount_fen, paid_on and
// voucher are read when a payment is recorded.
type paymentJSON struct {
	ID         int64  `json:"id,omitempty"`
	Kind       string `json:"kind,omitempty"`
	AmountFen  int64  `json:"amount_fen"`
	PaidOn     string `json:"paid_on"`
	Voucher    string `json:"voucher"`
	ReversesID int64  `json:"reverses_id,omitempty"`
	ReversedBy int64  `json:"reversed_by,omitempty"`
	Reason     string `json:"reason,omitempty"`
	RecordedBy string `json:"recorded_by,omitempty"`
	RecordedAt string `json:"recorded_at,omitempty"`
}

// reversalJSON asks for a reversing entry (红字冲销) against one payment of the
// entitlement: its day, its own voucher and the reason, each required.
type reversalJSON struct {
	PaymentID       int64  `json:"payment_id"`
	ReversedOn      string `json:"reversed_on"`
	ReversalVoucher string `json:"reversal_voucher"`
	ReversalReason  string `json:"reversal_reason"`
}

// declaredCorrectionJSON is one correction of the values an enterprise declared; Fields
// are the values before and after beside their labels and units.
type declaredCorrectionJSON struct {
	Before          map[string]int64      `json:"before"`
	After           map[string]int64      `json:"after"`
	Fields          []correctionFieldJSON `json:"fields"`
	AmountBeforeFen int64                 `json:"amount_before_fen"`
	AmountAfterFen  int64                 `json:"amount_after_fen"`
	Reason          string                `json:"reason"`
	CorrectedBy     string                `json:"corrected_by"`
	CorrectedAt     string                `json:"corrected_at"`
}

// correctionFieldJSON is one declared value of a correction, before and after (null where
// it was not declared), with its label and unit.
type correctionFieldJSON struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Unit   string `json:"unit"`
	Before *int64 `json:"before"`
	After  *int64 `json:"after"`
}

// correctionFields lists a correction's values by key, in the policy's order.
func correctionFields(fields []fugong.DeclaredField, c fugong.DeclaredCorrection) []correctionFieldJSON {
	all := map[string]int64{}
	maps.Copy(all, c.Before)
	maps.Copy(all, c.After)
	out := []correctionFieldJSON{}
	for _, v := range fugong.DeclaredValues(fields, all) {
		f := correctionFieldJSON{Key: v.Key, Label: v.Label, Unit: v.Unit}
		if b, ok := c.Before[v.Key]; ok {
			f.Before = &b
		}
		if a, ok := c.After[v.Key]; ok {
			f.After = &a
		}
		out = append(out, f)
	}
	return out
}

// correctDeclaredJSON corrects the declared values of an entitlement (every value the
// measure's rules read), with the reason; version, when given, must match.
type correctDeclaredJSON struct {
	Declared         map[string]int64 `json:"declared"`
	CorrectionReason string           `json:"correction_reason"`
	Version          int64            `json:"version"`
}

func (s *Server) toEntitlementJSON(t fugong.Entitlement) entitlementJSON {
	return s.toEntitlementDetailJSON(t, nil)
}

// toEntitlementDetailJSON is one entitlement's answer: with its payments and the
// corrections of its declared values.
func (s *Server) toEntitlementDetailJSON(t fugong.Entitlement, corrections []fugong.DeclaredCorrection) entitlementJSON {
	out := entitlementJSON{ID: t.ID, PolicyID: t.PolicyID, PolicyTitle: t.PolicyTitle, EnterpriseID: t.EnterpriseID, Enterprise: t.EnterpriseName, AmountFen: t.Amount,
		Status: t.Status, Auto: t.Auto, Reason: t.Reason, ReviewedBy: t.ReviewedBy, ReviewedAt: s.rfc3339(t.ReviewedAt), Dispute: t.Dispute, Declared: t.Declared,
		ComputedAt: s.rfc3339(t.ComputedAt), Version: t.Version}
	if len(t.Declared) > 0 {
		out.DeclaredFields = toDeclaredValuesJSON(t.DeclaredValues())
	}
	toPayment := func(y fugong.Payment) paymentJSON {
		return paymentJSON{ID: y.ID, Kind: y.Kind, AmountFen: y.Amount, PaidOn: y.PaidOn, Voucher: y.Voucher, ReversesID: y.ReversesID, ReversedBy: y.ReversedBy,
			Reason: y.Reason, RecordedBy: y.RecordedBy, RecordedAt: s.rfc3339(y.CreatedAt)}
	}
	if y := t.Payment; y != nil {
		p := toPayment(*y)
		out.Payment = &p
	}
	out.PaidFen, out.UnpaidFen = t.Paid, t.Unpaid()
	for _, y := range t.Payments {
		out.Payments = append(out.Payments, toPayment(y))
	}
	for _, c := range corrections {
		out.Corrections = append(out.Corrections, declaredCorrectionJSON{Before: c.Before, After: c.After, Fields: correctionFields(t.Fields, c),
			AmountBeforeFen: c.AmountBefore, AmountAfterFen: c.AmountAfter,
			Reason: c.Reason, CorrectedBy: c.CorrectedBy, CorrectedAt: s.rfc3339(c.CorrectedAt)})
	}
	return out
}

// reconciliationJSON is one line of the payment reconciliation, money in integer fen.
type reconciliationJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Entitlements int    `json:"entitlements"`
	Partial      int    `json:"partial"`
	DueFen       int64  `json:"due_fen"`
	PaidFen      int64  `json:"paid_fen"`
	ReversedFen  int64  `json:"reversed_fen"`
	UnpaidFen    int64  `json:"unpaid_fen"`
}

type reconcileAnswerJSON struct {
	By    string               `json:"by"`
	Items []reconciliationJSON `json:"items"`
	Total reconciliationJSON   `json:"total"`
}

func toReconciliationJSON(r fugong.Reconciliation) reconciliationJSON {
	return reconciliationJSON{ID: r.ID, Name: r.Name, Entitlements: r.Entitlements, Partial: r.Partial, DueFen: r.Due, PaidFen: r.Paid, ReversedFen: r.Reversed, UnpaidFen: r.Unpaid()}
}

func (s *Server) reconcileEntitlements(w http.ResponseWriter, r *http.Request) error {
	by := fugong.ReconcileBy(r.URL.Query().Get("by"))
	lines, total, err := s.DB.Reconcile(r.Context(), auth.ScopeFrom(r.Context()), by)
	if err != nil {
		return err
	}
	out := reconcileAnswerJSON{By: by, Items: []reconciliationJSON{}, Total: toReconciliationJSON(total)}
	for _, l := range lines {
		out.Items = append(out.Items, toReconciliationJSON(l))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) recomputeEntitlement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.DB.RecomputeEntitlement(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toEntitlementJSON(t))
}

type entitlementReviewJSON struct {
	Decision string `json:"decision"` // approve or reject
	Reason   string `json:"reason"`
	Version  int64  `json:"version"`
}

type disputeJSON struct {
	Dispute string `json:"dispute"`
}

func (s *Server) entitlementRoutes() {
	id := []Param{{"id", "path", "integer", ""}}
	s.handle(Op{Method: "GET", Path: "/api/v1/entitlements", Summary: "Entitlements in the caller's scope (an enterprise sees its own)", Tag: "policies",
		Response: List[entitlementJSON]{}, Params: []Param{{"policy_id", "query", "integer", ""}, {"enterprise_id", "query", "integer", ""},
			{"status", "query", "string", "pending, approved, partial, paid, rejected, disputed, void"}, {"limit", "query", "integer", ""}, {"offset", "query", "integer", ""}}}, s.listEntitlements)
	s.handle(Op{Method: "GET", Path: "/api/v1/entitlements/reconciliation", Summary: "Due, paid and still owed of the entitlements owed, by measure or by enterprise", Tag: "policies",
		Response: reconcileAnswerJSON{}, Params: []Param{{"by", "query", "string", "policy (default) or enterprise"}}}, s.reconcileEntitlements)
	s.handle(Op{Method: "GET", Path: "/api/v1/entitlements/{id}", Summary: "One entitlement with its payments", Tag: "policies", Response: entitlementJSON{}, Params: id}, s.getEntitlement)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/recompute", Summary: "Recompute a disputed entitlement from the enterprise's corrected data (audited); it stays disputed until reviewed",
		Tag: "policies", Roles: fugong.RolesFor(fugong.PermEntitlementReview), Response: entitlementJSON{}, Params: id}, s.recomputeEntitlement)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/review", Summary: "Approve or reject (with a reason) — the issuing department",
		Tag: "policies", Roles: fugong.RolesFor(fugong.PermEntitlementReview), Request: entitlementReviewJSON{}, Response: entitlementJSON{}, Params: id}, s.reviewEntitlement)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/payment", Summary: "Record a payment, in whole or in part (部分兑付): several until their sum reaches the amount, never beyond (422 naming amount)",
		Tag: "policies", Roles: fugong.RolesFor(fugong.PermEntitlementPay), Request: paymentJSON{}, Response: entitlementJSON{}, Params: id, Status: 201}, s.payEntitlement)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/reversal", Summary: "Reverse one payment (红字冲销): a reversing entry of the opposite amount with its own voucher, day and reason; the payment is never edited or deleted, and the status and reconciliation follow the net",
		Tag: "policies", Roles: fugong.RolesFor(fugong.PermEntitlementPay), Request: reversalJSON{}, Response: entitlementJSON{}, Params: id, Status: 201}, s.reversePayment)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/declared", Summary: "Correct the values an enterprise declared (after a dispute), with a reason; the amount is computed again and the correction kept",
		Tag: "policies", Roles: fugong.RolesFor(fugong.PermEntitlementReview), Request: correctDeclaredJSON{}, Response: entitlementJSON{}, Params: id}, s.correctDeclared)
	s.handle(Op{Method: "POST", Path: "/api/v1/entitlements/{id}/dispute", Summary: "The enterprise disputes its entitlement; a person reviews it",
		Tag: "policies", Roles: enterpriseOnly, Request: disputeJSON{}, Response: entitlementJSON{}, Params: id}, s.disputeEntitlement)
}

func (s *Server) listEntitlements(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := paging(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := fugong.EntitlementFilter{Status: q.Get("status"), Limit: limit, Offset: offset}
	if err := queryInt64s(r, map[string]*int64{"policy_id": &f.PolicyID, "enterprise_id": &f.EnterpriseID}); err != nil {
		return err
	}
	items, total, _, err := s.DB.FindEntitlements(r.Context(), auth.ScopeFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total, s.toEntitlementJSON)
}

func (s *Server) getEntitlement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.findEntitlementDetail(r.Context(), auth.ScopeFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// findEntitlementDetail is one entitlement in scope with its payments and corrections.
func (s *Server) findEntitlementDetail(ctx context.Context, sc fugong.Scope, id int64) (entitlementJSON, error) {
	t, err := s.DB.FindEntitlement(ctx, sc, id)
	if err != nil {
		return entitlementJSON{}, err
	}
	if t.Payments, err = s.DB.FindPayments(ctx, t.ID); err != nil {
		return entitlementJSON{}, err
	}
	cs, err := s.DB.FindDeclaredCorrections(ctx, t.ID)
	if err != nil {
		return entitlementJSON{}, err
	}
	return s.toEntitlementDetailJSON(t, cs), nil
}

func (s *Server) reversePayment(w http.ResponseWriter, r *http.Request) error {
	var in reversalJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if _, err := s.DB.ReversePayment(r.Context(), sc, s.Policies, id, &fugong.Reversal{PaymentID: in.PaymentID, ReversedOn: in.ReversedOn,
		Voucher: in.ReversalVoucher, Reason: in.ReversalReason}); err != nil {
		return err
	}
	t, err := s.findEntitlementDetail(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) correctDeclared(w http.ResponseWriter, r *http.Request) error {
	var in correctDeclaredJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if _, err := s.DB.CorrectDeclared(r.Context(), sc, s.Policies, id, in.Version, in.Declared, in.CorrectionReason); err != nil {
		return err
	}
	t, err := s.findEntitlementDetail(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *Server) reviewEntitlement(w http.ResponseWriter, r *http.Request) error {
	var in entitlementReviewJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	if in.Decision != "approve" && in.Decision != "reject" {
		return fugong.Invalid(map[string]fugong.Msg{"decision": fugong.M("entitlement.decision")})
	}
	t, err := s.DB.ReviewEntitlement(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id, in.Version, in.Decision == "approve", in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toEntitlementJSON(t))
}

func (s *Server) payEntitlement(w http.ResponseWriter, r *http.Request) error {
	var in paymentJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	if _, err := s.DB.PayEntitlement(r.Context(), sc, s.Policies, id, &fugong.Payment{Amount: in.AmountFen, PaidOn: in.PaidOn, Voucher: in.Voucher}); err != nil {
		return err
	}
	t, err := s.findEntitlementDetail(r.Context(), sc, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) disputeEntitlement(w http.ResponseWriter, r *http.Request) error {
	var in disputeJSON
	id, err := decodeFor(w, r, &in)
	if err != nil {
		return err
	}
	t, err := s.DB.DisputeEntitlement(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id, in.Dispute)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toEntitlementJSON(t))
}
