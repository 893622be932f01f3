package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"fugong"
	"fugong/auth"
	"fugong/server"
	"fugong/store"
)

// Who may write policies, review and pay entitlements.
var (
	policyStaff  = fugong.RolesFor(fugong.PermPolicyEdit)
	policyReader = fugong.RolesFor(fugong.PermPolicyView)
)

type policyListData struct {
	Items   []fugong.Policy
	Pager   Pager
	CanEdit bool
}

func (s *Server) policyList(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	f := fugong.PolicyFilter{Status: r.URL.Query().Get("status"), Limit: 50, Offset: intQuery(r, "offset", 0)}
	items, total, err := s.DB.FindPolicies(r.Context(), sc, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "nav.policies")
	p.Data = policyListData{Items: items, Pager: newPager(r, p, total, f.Limit, f.Offset), CanEdit: sc.Is(policyStaff...)}
	return s.render(w, r, "policy/list", p)
}

// factRow is one fact listed beside the rule editor.
type factRow struct{ Name, Type, Help string }

type policyFormData struct {
	P           fugong.Policy
	Action      string
	Departments []fugong.OrgUnit
	Facts       []factRow
	// Declared are the fields of the keys the rules read, each with the label and unit
	// the department gives it (or empty, to be filled).
	Declared    []fugong.DeclaredField
	Modes       []string
	Preview     []store.PreviewRow
	PreviewDone bool
	Total       int64
	Names       map[string]string
}

func (s *Server) policyForm(w http.ResponseWriter, r *http.Request, p *Page, pol fugong.Policy, status int) error {
	sc := auth.ScopeFrom(r.Context())
	units, err := s.DB.FindOrgUnits(r.Context(), sc.County)
	if err != nil {
		return err
	}
	var depts []fugong.OrgUnit
	for _, u := range units {
		if u.Kind == fugong.OrgDepartment && !u.Retired {
			depts = append(depts, u)
		}
	}
	facts := make([]factRow, len(fugong.Facts))
	for i, f := range fugong.Facts {
		facts[i] = factRow{Name: f.Name, Type: f.Type, Help: p.T("fact." + f.Name)}
	}
	action := "/policies"
	if pol.ID != 0 {
		action = "/policies/" + strconv.FormatInt(pol.ID, 10)
	}
	d, _ := p.Data.(policyFormData)
	d.P, d.Action, d.Departments, d.Facts, d.Modes = pol, action, depts, facts, fugong.PolicyModes
	d.Declared = pol.FieldsOf(fugong.DeclaredKeys(s.Policies.Rules, &pol))
	p.Data = d
	if status == 0 {
		return s.render(w, r, "policy/form", p)
	}
	return s.renderStatus(w, r, status, "policy/form", p)
}

// policyFromForm reads the policy form.
func policyFromForm(r *http.Request, p *fugong.Policy) fugong.FieldErrors {
	f := fugong.FieldErrors{}
	num := func(name string) int64 {
		v := strings.TrimSpace(r.PostFormValue(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add(name, "field.number")
		}
		return n
	}
	p.Number = int(num("number"))
	p.Title = r.PostFormValue("title")
	p.DepartmentID = num("department_id")
	p.PayerID = num("payer_id")
	p.Source = r.PostFormValue("source")
	p.Summary = r.PostFormValue("summary")
	p.PeriodFrom = strings.TrimSpace(r.PostFormValue("period_from"))
	p.PeriodTo = strings.TrimSpace(r.PostFormValue("period_to"))
	p.Mode = r.PostFormValue("mode")
	p.AutoApprove = r.PostFormValue("auto_approve") == "on"
	p.EligibilityRule = r.PostFormValue("eligibility_rule")
	p.AmountRule = r.PostFormValue("amount_rule")
	p.DeclaredFields = formDeclaredFields(r)
	return f
}

// formDeclaredFields reads the labels and units of the declared keys (fields
// declared_label.KEY and declared_unit.KEY); the store keeps those the rules read.
func formDeclaredFields(r *http.Request) []fugong.DeclaredField {
	var out []fugong.DeclaredField
	for name, v := range r.PostForm {
		key, ok := strings.CutPrefix(name, "declared_label.")
		if !ok || key == "" || len(v) == 0 {
			continue
		}
		out = append(out, fugong.DeclaredField{Key: key, Label: v[0], Unit: r.PostFormValue("declared_unit." + key)})
	}
	slices.SortFunc(out, func(a, b fugong.DeclaredField) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func (s *Server) policyNew(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "policy.new")
	return s.policyForm(w, r, p, fugong.Policy{Mode: fugong.ModeAutomatic, AmountRule: "0"}, 0)
}

// formFailed shows the form again with each field's message, the compiler's included.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, p *Page, pol fugong.Policy, err error) error {
	if e := s.invalid(p, err); e != nil {
		return e
	}
	return s.policyForm(w, r, p, pol, http.StatusUnprocessableEntity)
}

func (s *Server) policyCreate(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "policy.new")
	p.Form = r.PostForm
	var pol fugong.Policy
	if fe := policyFromForm(r, &pol); fe.Err() != nil {
		return s.formFailed(w, r, p, pol, fe.Err())
	}
	if err := s.DB.CreatePolicy(r.Context(), sc, s.Policies, &pol); err != nil {
		return s.formFailed(w, r, p, pol, err)
	}
	return redirect(w, r, "/policies/"+strconv.FormatInt(pol.ID, 10), "policy.saved")
}

// policyPreview evaluates the form's policy, saved or not, and shows the matches under it.
func (s *Server) policyPreview(w http.ResponseWriter, r *http.Request) error {
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "policy.preview")
	p.Form = r.PostForm
	var pol fugong.Policy
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil && id > 0 {
		old, err := s.DB.FindPolicy(r.Context(), sc, id)
		if err != nil {
			return err
		}
		pol = old
	}
	if fe := policyFromForm(r, &pol); fe.Err() != nil {
		return s.formFailed(w, r, p, pol, fe.Err())
	}
	rows, total, err := s.DB.PreviewPolicy(r.Context(), sc, s.Policies, &pol)
	if err != nil {
		return s.formFailed(w, r, p, pol, err)
	}
	names, err := s.DB.RegionNames(r.Context(), sc.County)
	if err != nil {
		return err
	}
	p.Data = policyFormData{Preview: rows, PreviewDone: true, Total: total, Names: names}
	return s.policyForm(w, r, p, pol, 0)
}

type policyShowData struct {
	P       fugong.Policy
	CanEdit bool
	Counts  map[string]int
	Sums    map[string]int64
	// Declared are the values an application asks for, with their labels and units;
	// Missing the keys still without a label, which the page asks the department to add.
	Declared []fugong.DeclaredField
	Missing  []string
	Mine     *fugong.Entitlement
	Statuses []string
}

func (s *Server) policyShow(w http.ResponseWriter, r *http.Request) error {
	return s.policyPage(w, r, s.newPage(r, "nav.policies"), http.StatusOK)
}

// policyPage shows a policy on p: to an enterprise with its own entitlement or the
// application form (with the refused values and their messages after a refusal), to
// staff with the entitlements by status.
func (s *Server) policyPage(w http.ResponseWriter, r *http.Request, p *Page, status int) error {
	sc := auth.ScopeFrom(r.Context())
	pol, err := findByID(r, s.DB.FindPolicy)
	if err != nil {
		return err
	}
	keys := fugong.DeclaredKeys(s.Policies.Rules, &pol)
	d := policyShowData{P: pol, CanEdit: sc.CanOn(fugong.PermPolicyEdit, pol.DepartmentID),
		Counts: map[string]int{}, Sums: map[string]int64{}, Statuses: fugong.EntitlementStatuses,
		Declared: pol.FieldsOf(keys), Missing: pol.MissingLabels(keys)}
	if sc.Role == fugong.RoleEnterprise {
		items, _, _, err := s.DB.FindEntitlements(r.Context(), sc, fugong.EntitlementFilter{PolicyID: pol.ID})
		if err != nil {
			return err
		}
		if len(items) > 0 {
			d.Mine = &items[0]
		}
	} else {
		for _, st := range fugong.EntitlementStatuses {
			_, n, sum, err := s.DB.FindEntitlements(r.Context(), sc, fugong.EntitlementFilter{PolicyID: pol.ID, Status: st, Limit: 1})
			if err != nil {
				return err
			}
			d.Counts[st], d.Sums[st] = n, sum
		}
	}
	p.Title = pol.Title
	p.Data = d
	return s.renderStatus(w, r, status, "policy/show", p)
}

func (s *Server) policyEdit(w http.ResponseWriter, r *http.Request) error {
	pol, err := findByID(r, s.DB.FindPolicy)
	if err != nil {
		return err
	}
	p := s.newPage(r, "policy.edit")
	return s.policyForm(w, r, p, pol, 0)
}

func (s *Server) policyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	p := s.newPage(r, "policy.edit")
	p.Form = r.PostForm
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var in fugong.Policy
	fe := policyFromForm(r, &in)
	in.ID, in.Version = id, version
	if fe.Err() != nil {
		return s.formFailed(w, r, p, in, fe.Err())
	}
	_, err = s.DB.UpdatePolicy(r.Context(), sc, s.Policies, id, version, func(pol *fugong.Policy) error {
		in.County, in.Status, in.PublishedAt, in.Demo, in.CreatedAt = pol.County, pol.Status, pol.PublishedAt, pol.Demo, pol.CreatedAt
		*pol = in
		return nil
	})
	if err != nil {
		return s.formFailed(w, r, p, in, err)
	}
	return redirect(w, r, "/policies/"+strconv.FormatInt(id, 10), "policy.saved")
}

func (s *Server) policyPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if _, err := s.DB.PublishPolicy(r.Context(), auth.ScopeFrom(r.Context()), s.Policies, id, version); err != nil {
		return err
	}
	return redirect(w, r, "/policies/"+strconv.FormatInt(id, 10), "policy.published")
}

func (s *Server) policyApply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc := auth.ScopeFrom(r.Context())
	declared, err := formDeclared(r, func() []fugong.DeclaredField {
		pol, _ := s.DB.FindPolicy(r.Context(), sc, id)
		return pol.DeclaredFields
	})
	var t fugong.Entitlement
	if err == nil {
		t, err = s.DB.ApplyPolicy(r.Context(), sc, s.Policies, id, declared)
	}
	if err != nil {
		// Refused: the form again, with what was typed and each field's message.
		p := s.newPage(r, "nav.policies")
		p.Form = r.PostForm
		if e := s.invalid(p, err); e != nil {
			return e
		}
		return s.policyPage(w, r, p, server.Status(fugong.AsError(err).Code))
	}
	return redirect(w, r, "/entitlements/"+strconv.FormatInt(t.ID, 10), "entitlement.applied")
}

// formDeclared reads the declared values of a form (fields declared.KEY, whole numbers);
// an empty field is left out, for the store to name as required. A value that is not a
// whole number is refused naming the field by its label, from the policy's fields (read
// only then).
func formDeclared(r *http.Request, fields func() []fugong.DeclaredField) (map[string]int64, error) {
	declared := map[string]int64{}
	var bad []string
	for k, v := range r.PostForm {
		key, ok := strings.CutPrefix(k, "declared.")
		if !ok || len(v) == 0 || strings.TrimSpace(v[0]) == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64)
		if err != nil {
			bad = append(bad, key)
			continue
		}
		declared[key] = n
	}
	if len(bad) == 0 {
		return declared, nil
	}
	fs, f := fields(), fugong.FieldErrors{}
	for _, key := range bad {
		f.Add("declared."+key, "declared.value_number", fugong.FieldOf(fs, key).Name())
	}
	return declared, f.Err()
}

// policyRoutes registers the policy and entitlement pages.
func (s *Server) policyRoutes() {
	s.page("GET /policies", fugong.RolesFor(fugong.PermEnterpriseView), s.policyList)
	s.page("GET /policies/new", policyStaff, s.policyNew)
	s.page("POST /policies", policyStaff, s.policyCreate)
	s.page("POST /policies/preview", policyReader, s.policyPreview)
	s.page("GET /policies/{id}", Any, s.policyShow)
	s.page("GET /policies/{id}/edit", policyStaff, s.policyEdit)
	s.page("POST /policies/{id}", policyStaff, s.policyUpdate)
	s.page("POST /policies/{id}/publish", policyStaff, s.policyPublish)
	s.page("POST /policies/{id}/apply", fugong.RolesFor(fugong.PermPolicyApply), s.policyApply)
	s.page("GET /entitlements", fugong.RolesFor(fugong.PermEnterpriseView), s.entitlementList)
	s.page("GET /entitlements.xlsx", Any, s.entitlementExport)
	s.page("GET /entitlements/reconciliation", fugong.RolesFor(fugong.PermEnterpriseView), s.entitlementReconcile)
	s.page("POST /entitlements/{id}/recompute", fugong.RolesFor(fugong.PermEntitlementReview), s.entitlementRecompute)
	s.page("GET /entitlements/{id}", Any, s.entitlementShow)
	s.page("POST /entitlements/{id}/review", fugong.RolesFor(fugong.PermEntitlementReview), s.entitlementReview)
	s.page("POST /entitlements/{id}/pay", fugong.RolesFor(fugong.PermEntitlementPay), s.entitlementPay)
	s.page("POST /entitlements/{id}/reverse", fugong.RolesFor(fugong.PermEntitlementPay), s.entitlementReverse)
	s.page("POST /entitlements/{id}/declared", fugong.RolesFor(fugong.PermEntitlementReview), s.entitlementCorrectDeclared)
	s.page("POST /entitlements/{id}/dispute", fugong.RolesFor(fugong.PermPolicyApply), s.entitlementDispute)
}
