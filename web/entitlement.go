package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/server"
	"fugong/store"
	"fugong/xlsx"
)

type entitlementListData struct {
	Items    []fugong.Entitlement
	Pager    Pager
	Filter   fugong.EntitlementFilter
	Sum      int64
	Statuses []string
	Policies []fugong.Policy
	Export   string
}

func entitlementFilter(r *http.Request) fugong.EntitlementFilter {
	q := r.URL.Query()
	f := fugong.EntitlementFilter{Status: q.Get("status"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	f.PolicyID, _ = strconv.ParseInt(q.Get("policy_id"), 10, 64)
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise_id"), 10, 64)
	return f
}

// entitlementList is the review and payment queue for staff, and an enterprise's own
// entitlements and payments on its phone.
func (s *Server) entitlementList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := entitlementFilter(r)
	items, total, sum, err := s.DB.FindEntitlements(r.Context(), sc, f)
	if err != nil {
		return err
	}
	pols, _, err := s.DB.FindPolicies(r.Context(), sc, fugong.PolicyFilter{Limit: 100})
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.entitlements")
	q := r.URL.Query()
	q.Del("offset")
	p.Data = entitlementListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), Filter: f, Sum: sum, Statuses: fugong.EntitlementStatuses,
		Policies: pols, Export: "/entitlements.xlsx?" + q.Encode()}
	return s.render(w, r, "entitlement/list", p)
}

type entitlementShowData struct {
	T            fugong.Entitlement
	P            fugong.Policy
	CanReview    bool
	CanRecompute bool
	CanPay       bool
	CanDispute   bool
	PayAmount    string
	// CanReverse offers the payer the payments that stand (Standing) to reverse;
	// CanCorrect offers the reviewer the declared values (Fields) to correct.
	CanReverse  bool
	Standing    []fugong.Payment
	CanCorrect  bool
	Fields      []fugong.DeclaredField
	Corrections []correctionRow
}

// correctionRow is one correction of the declared values with each value's label and unit.
type correctionRow struct {
	fugong.DeclaredCorrection
	BeforeValues, AfterValues []fugong.DeclaredValue
}

func (s *Server) entitlementShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.entitlementPage(w, r, s.newPage(r, "nav.entitlements"), id, http.StatusOK)
}

func (s *Server) entitlementPage(w http.ResponseWriter, r *http.Request, p *Page, id int64, status int) error {
	sc := auth.ScopeFrom(r.Context())
	t, err := s.DB.FindEntitlement(r.Context(), sc, id)
	if err != nil {
		return err
	}
	pol, err := s.DB.FindPolicy(r.Context(), fugong.Scope{Role: fugong.RoleCommand, County: t.County}, t.PolicyID)
	if err != nil {
		return err
	}
	if t.Payments, err = s.DB.FindPayments(r.Context(), t.ID); err != nil {
		return err
	}
	var d entitlementShowData
	if t.Declared != nil || pol.Mode == fugong.ModeApplication {
		cs, err := s.DB.FindDeclaredCorrections(r.Context(), t.ID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			d.Corrections = append(d.Corrections, correctionRow{c, fugong.DeclaredValues(pol.DeclaredFields, c.Before), fugong.DeclaredValues(pol.DeclaredFields, c.After)})
		}
	}
	reviewer := sc.CanOn(fugong.PermEntitlementReview, pol.DepartmentID)
	payer := sc.CanOn(fugong.PermEntitlementPay, pol.PayerID)
	for _, y := range t.Payments {
		if y.Standing() {
			d.Standing = append(d.Standing, y)
		}
	}
	d.T, d.P = t, pol
	d.CanReview = t.Status != fugong.EntitlementPaid && t.Status != fugong.EntitlementPartial && t.Status != fugong.EntitlementVoid && reviewer
	d.CanRecompute = t.Status == fugong.EntitlementDisputed && reviewer
	d.CanPay = t.Payable() && payer
	d.CanDispute = sc.Can(fugong.PermPolicyApply) && t.Status != fugong.EntitlementDisputed
	d.PayAmount = fenText(t.Unpaid())
	d.CanReverse = payer && len(d.Standing) > 0
	d.CanCorrect = reviewer && pol.Mode == fugong.ModeApplication && (t.Status == fugong.EntitlementPending || t.Status == fugong.EntitlementDisputed)
	if d.CanCorrect {
		d.Fields = pol.FieldsOf(fugong.DeclaredKeys(s.Policies.Rules, &pol))
	}
	p.Title = t.PolicyTitle
	p.Data = d
	return s.renderStatus(w, r, status, "entitlement/show", p)
}

// declaredText writes declared values on one line of the ledger, each with its label and
// unit: 新招用员工数 12 人；防疫物资采购额 3000 元.
func declaredText(vals []fugong.DeclaredValue) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = strings.TrimSpace(v.Name() + " " + strconv.FormatInt(v.Value, 10) + " " + v.Unit)
	}
	return strings.Join(parts, "；")
}

// fenText shows fen as a yuan amount an officer types back: 1860000 → "18600.00".
func fenText(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(100+fen%100, 10)[1:]
}

// parseYuan reads a yuan amount with at most two decimals into fen, exactly (no float).
func parseYuan(v string) (int64, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e12 {
		return 0, false
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return w*100 + f, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// entitlementAct runs one workflow step from a form and shows the entitlement again, with
// the field messages when the step was refused.
func (s *Server) entitlementAct(w http.ResponseWriter, r *http.Request, flash string, step func(sc fugong.Scope, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := step(auth.ScopeFrom(r.Context()), id); err != nil {
		p := s.newPage(r, "nav.entitlements")
		p.Form = r.PostForm
		if e := s.invalid(p, err); e != nil {
			return e
		}
		return s.entitlementPage(w, r, p, id, server.Status(fugong.AsError(err).Code))
	}
	return redirect(w, r, "/entitlements/"+strconv.FormatInt(id, 10), flash)
}

func (s *Server) entitlementReview(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.reviewed", func(sc fugong.Scope, id int64) error {
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		_, err := s.DB.ReviewEntitlement(r.Context(), sc, s.Policies, id, version, r.PostFormValue("decision") == "approve", r.PostFormValue("reason"))
		return err
	})
}

func (s *Server) entitlementPay(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.paid_flash", func(sc fugong.Scope, id int64) error {
		amount, ok := parseYuan(r.PostFormValue("amount"))
		if !ok {
			return fugong.Invalid(map[string]fugong.Msg{"amount": fugong.M("payment.amount_format")})
		}
		_, err := s.DB.PayEntitlement(r.Context(), sc, s.Policies, id, &fugong.Payment{Amount: amount, PaidOn: strings.TrimSpace(r.PostFormValue("paid_on")), Voucher: r.PostFormValue("voucher")})
		return err
	})
}

// entitlementReverse books a reversing entry (红字冲销) against one of the payments.
func (s *Server) entitlementReverse(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.reversed_flash", func(sc fugong.Scope, id int64) error {
		pid, _ := strconv.ParseInt(r.PostFormValue("payment_id"), 10, 64)
		_, err := s.DB.ReversePayment(r.Context(), sc, s.Policies, id, &fugong.Reversal{PaymentID: pid, ReversedOn: r.PostFormValue("reversed_on"),
			Voucher: r.PostFormValue("reversal_voucher"), Reason: r.PostFormValue("reversal_reason")})
		return err
	})
}

// entitlementCorrectDeclared corrects what the enterprise declared, after a dispute, and
// computes the amount again.
func (s *Server) entitlementCorrectDeclared(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.corrected_flash", func(sc fugong.Scope, id int64) error {
		declared, err := formDeclared(r, func() []fugong.DeclaredField {
			t, _ := s.DB.FindEntitlement(r.Context(), sc, id)
			return t.Fields
		})
		if err != nil {
			return err
		}
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		_, err = s.DB.CorrectDeclared(r.Context(), sc, s.Policies, id, version, declared, r.PostFormValue("correction_reason"))
		return err
	})
}

// entitlementRecompute takes a disputed amount again from the enterprise's corrected data.
func (s *Server) entitlementRecompute(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.recomputed_flash", func(sc fugong.Scope, id int64) error {
		_, err := s.DB.RecomputeEntitlement(r.Context(), sc, s.Policies, id)
		return err
	})
}

// entitlementReconcile sums what is due, paid and still owed, by measure or by enterprise.
func (s *Server) entitlementReconcile(w http.ResponseWriter, r *http.Request) error {
	by := fugong.ReconcileBy(r.URL.Query().Get("by"))
	lines, total, err := s.DB.Reconcile(r.Context(), auth.ScopeFrom(r.Context()), by)
	if err != nil {
		return err
	}
	p := s.newPage(r, "entitlement.reconcile")
	p.Data = struct {
		By    string
		Lines []fugong.Reconciliation
		Total fugong.Reconciliation
	}{by, lines, total}
	return s.render(w, r, "entitlement/reconcile", p)
}

func (s *Server) entitlementDispute(w http.ResponseWriter, r *http.Request) error {
	return s.entitlementAct(w, r, "entitlement.disputed_flash", func(sc fugong.Scope, id int64) error {
		_, err := s.DB.DisputeEntitlement(r.Context(), sc, s.Policies, id, r.PostFormValue("dispute"))
		return err
	})
}

// entitlementExport streams the ledger (台账) of the entitlements in the caller's scope:
// one row per entitlement with what was paid net of reversals and what is still owed,
// then a second sheet (兑付明细) with every payment and reversal behind those figures.
func (s *Server) entitlementExport(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := entitlementFilter(r)
	p := s.newPage(r, "nav.entitlements")
	headers := func(cols ...string) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = p.T(c)
		}
		return out
	}
	xw, err := xlsx.NewWriter(p.T("ledger.sheet"), headers("ledger.policy", "ledger.enterprise", "ledger.amount", "ledger.status", "ledger.reviewed_by", "ledger.reason",
		"ledger.paid_net", "ledger.unpaid", "ledger.payment_count", "ledger.last_paid_on", "ledger.voucher", "ledger.declared"))
	if err != nil {
		return err
	}
	counts := map[int64]int{}
	err = s.DB.EachPayment(r.Context(), sc, f, func(y store.LedgerPayment) error {
		if y.Standing() {
			counts[y.EntitlementID]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.DB.EachEntitlement(r.Context(), sc, f, func(t fugong.Entitlement) error {
		var on, voucher any
		if t.Payment != nil {
			on, voucher = xlsx.Date(t.Payment.PaidOn), xlsx.Text(t.Payment.Voucher)
		}
		var unpaid any
		if t.Status == fugong.EntitlementApproved || t.Status == fugong.EntitlementPartial || t.Status == fugong.EntitlementPaid || t.Paid != 0 {
			unpaid = xlsx.Money(t.Unpaid())
		}
		return xw.Add(t.PolicyTitle, t.EnterpriseName, xlsx.Money(t.Amount), p.T("entitlement.status."+t.Status), t.ReviewedBy, t.Reason,
			xlsx.Money(t.Paid), unpaid, counts[t.ID], on, voucher, declaredText(t.DeclaredValues()))
	})
	if err != nil {
		return err
	}
	err = xw.Next(p.T("ledger.payments_sheet"), headers("ledger.policy", "ledger.enterprise", "ledger.payment_kind", "ledger.payment_amount", "ledger.payment_on",
		"ledger.payment_voucher", "ledger.payment_reverses", "ledger.payment_reason", "ledger.payment_recorded_by", "ledger.payment_recorded_at"))
	if err != nil {
		return err
	}
	err = s.DB.EachPayment(r.Context(), sc, f, func(y store.LedgerPayment) error {
		kind := y.Kind
		if kind == "" {
			kind = fugong.PaymentPaid
		}
		var reverses any
		if y.ReversesVoucher != "" {
			reverses = xlsx.Text(y.ReversesVoucher)
		}
		return xw.Add(y.PolicyTitle, y.EnterpriseName, p.T("entitlement.payment_kind."+kind), xlsx.Money(y.Amount), xlsx.Date(y.PaidOn), xlsx.Text(y.Voucher),
			reverses, y.Reason, y.RecordedBy, xlsx.Date(y.CreatedAt.In(s.Loc).Format(time.DateOnly)))
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="entitlements.xlsx"`)
	return xw.Finish(w)
}
