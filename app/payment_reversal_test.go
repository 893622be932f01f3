package app_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// entryBody is what these tests read of an entitlement with its entries.
type entryBody struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterprise_id"`
	AmountFen    int64  `json:"amount_fen"`
	PaidFen      int64  `json:"paid_fen"`
	UnpaidFen    int64  `json:"unpaid_fen"`
	Status       string `json:"status"`
	Version      int64  `json:"version"`
	Payments     []struct {
		ID         int64  `json:"id"`
		Kind       string `json:"kind"`
		AmountFen  int64  `json:"amount_fen"`
		Voucher    string `json:"voucher"`
		ReversesID int64  `json:"reverses_id"`
		ReversedBy int64  `json:"reversed_by"`
		Reason     string `json:"reason"`
	} `json:"payments"`
	Corrections []struct {
		Before       map[string]int64 `json:"before"`
		After        map[string]int64 `json:"after"`
		AmountBefore int64            `json:"amount_before_fen"`
		AmountAfter  int64            `json:"amount_after_fen"`
		Reason       string           `json:"reason"`
		CorrectedBy  string           `json:"corrected_by"`
	} `json:"corrections"`
}

// refused checks a 422 that names field, with the Chinese name of the field in its
// message.
func refused(t *testing.T, what string, status int, body []byte, field, chinese string) {
	t.Helper()
	var e struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	json.Unmarshal(body, &e)
	if status != http.StatusUnprocessableEntity || !strings.Contains(e.Error.Fields[field], chinese) {
		t.Errorf("%s: %d %s; want 422 naming %s (%s)", what, status, body, field, chinese)
	}
}

// A payment of the wrong amount is never edited: finance books a reversing entry (红字冲销)
// with its voucher, day and reason, the entitlement goes back to 待兑付 and the right
// payment is recorded. A payment booked to the wrong enterprise is reversed there and
// paid to the right one. Each rule of a reversal is refused naming its field in Chinese;
// the reconciliation, the dashboard and the audit log follow; the ledger shows every
// entry on its payments sheet, typed.
func TestWrongPaymentIsReversedNotEdited(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		c := env.APIClient(t, "command")
		var targets []entitlementBody
		for _, e := range entitlementsOf(t, c, "status=approved") {
			if e.AmountFen >= 2000 && (len(targets) == 0 || e.EnterpriseID != targets[0].EnterpriseID) {
				targets = append(targets, e)
			}
		}
		if len(targets) < 2 {
			t.Fatal("the demo has fewer than two approved entitlements of two enterprises")
		}
		a, b := targets[0], targets[1]
		finance := env.APIClient(t, "dept10")
		path := func(id int64, what string) string { return fmt.Sprintf("/api/v1/entitlements/%d/%s", id, what) }
		pay := func(id, fen int64, voucher string) (int, entryBody) {
			status, raw := finance.JSON("POST", path(id, "payment"), map[string]any{"amount_fen": fen, "paid_on": "2020-03-02", "voucher": voucher})
			var got entryBody
			json.Unmarshal(raw, &got)
			return status, got
		}
		reverse := func(id int64, in map[string]any) (int, []byte) { return finance.JSON("POST", path(id, "reversal"), in) }
		before := getJSON[reconcileBody](t, c, "/api/v1/entitlements/reconciliation")

		// The payment's own rules name their fields in Chinese too.
		status, raw := finance.JSON("POST", path(a.ID, "payment"), map[string]any{"amount_fen": 100, "paid_on": "2020-03-02", "voucher": " "})
		refused(t, "a payment without a voucher", status, raw, "voucher", "凭证号")
		status, raw = finance.JSON("POST", path(a.ID, "payment"), map[string]any{"amount_fen": 100, "paid_on": "2020-02-30", "voucher": "v"})
		refused(t, "a payment on no day", status, raw, "paid_on", "兑付日期")
		status, raw = finance.JSON("POST", path(a.ID, "payment"), map[string]any{"amount_fen": 100, "paid_on": "2020-03-10", "voucher": "v"})
		refused(t, "a payment tomorrow", status, raw, "paid_on", "兑付日期")
		status, raw = finance.JSON("POST", path(a.ID, "payment"), map[string]any{"amount_fen": a.AmountFen + 1, "paid_on": "2020-03-02", "voucher": "v"})
		refused(t, "a payment beyond the amount", status, raw, "amount", "兑付金额")
		var owner string
		env.App.DB.R.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1 ORDER BY id`, a.EnterpriseID).Scan(&owner)
		status, raw = env.APIClient(t, owner).JSON("POST", path(a.ID, "dispute"), map[string]any{"dispute": " "})
		refused(t, "a dispute that says nothing", status, raw, "dispute", "异议内容")

		// A wrong amount: 1 元 typed for the whole.
		status, got := pay(a.ID, 100, "慈财付〔2020〕901号")
		if status != http.StatusCreated || got.Status != "partial" {
			t.Fatalf("the wrong payment: %d %+v", status, got)
		}
		wrong := got.Payments[len(got.Payments)-1]
		ok := map[string]any{"payment_id": wrong.ID, "reversed_on": "2020-03-05", "reversal_voucher": "慈财冲〔2020〕001号", "reversal_reason": "金额录错，应为全额"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for k, v := range ok {
				m[k] = v
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
			return m
		}
		status, raw = reverse(a.ID, with("reversal_reason", nil))
		refused(t, "no reason", status, raw, "reversal_reason", "冲销原因")
		status, raw = reverse(a.ID, with("reversal_voucher", " "))
		refused(t, "no voucher", status, raw, "reversal_voucher", "冲销凭证号")
		status, raw = reverse(a.ID, with("reversal_voucher", "慈财付〔2020〕901号"))
		refused(t, "a used voucher", status, raw, "reversal_voucher", "冲销凭证号")
		status, raw = reverse(a.ID, with("reversed_on", "2020-03-10"))
		refused(t, "a reversal tomorrow", status, raw, "reversed_on", "冲销日期")
		status, raw = reverse(a.ID, with("reversed_on", "2020-03-01"))
		refused(t, "a reversal before the payment", status, raw, "reversed_on", "冲销日期")
		status, raw = reverse(a.ID, with("reversed_on", "3/5"))
		refused(t, "not a date", status, raw, "reversed_on", "冲销日期")
		status, raw = reverse(a.ID, with("payment_id", nil))
		refused(t, "no payment chosen", status, raw, "payment_id", "兑付记录")
		if status, raw = reverse(b.ID, ok); status != http.StatusNotFound {
			t.Errorf("reversing A's payment through B: %d %s, want 404", status, raw)
		}
		if status, _ = env.APIClient(t, "dept02").JSON("POST", path(a.ID, "reversal"), ok); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("a department that does not pay reversed a payment: %d", status)
		}
		var entUser string
		env.App.DB.R.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' AND enterprise_id = $1 ORDER BY id`, a.EnterpriseID).Scan(&entUser)
		if status, _ = env.APIClient(t, entUser).JSON("POST", path(a.ID, "reversal"), ok); status != http.StatusForbidden {
			t.Errorf("the enterprise reversed its own payment: %d, want 403", status)
		}
		status, raw = reverse(a.ID, ok)
		json.Unmarshal(raw, &got)
		if status != http.StatusCreated || got.Status != "approved" || got.PaidFen != 0 || got.UnpaidFen != a.AmountFen || len(got.Payments) != 2 {
			t.Fatalf("the reversal: %d %s; want 201, approved again, nothing paid, two entries", status, raw)
		}
		if p, r := got.Payments[0], got.Payments[1]; p.ReversedBy != r.ID || r.Kind != "reversal" || r.AmountFen != -100 || r.ReversesID != p.ID || r.Reason != "金额录错，应为全额" {
			t.Errorf("the entries: %+v", got.Payments)
		}
		status, raw = reverse(a.ID, with("reversal_voucher", "慈财冲〔2020〕002号"))
		refused(t, "a second reversal of the payment", status, raw, "payment_id", "已经冲销")
		status, raw = reverse(a.ID, with("payment_id", got.Payments[1].ID))
		refused(t, "a reversal of the reversal", status, raw, "payment_id", "冲销")
		if status, got = pay(a.ID, a.AmountFen, "慈财付〔2020〕902号"); status != http.StatusCreated || got.Status != "paid" || got.PaidFen != a.AmountFen {
			t.Errorf("the right payment after the reversal: %d %+v", status, got)
		}

		// The wrong enterprise: a payment booked to B that was meant for another. It is
		// reversed on B, through the payer's page, and B is owed again.
		if status, got = pay(b.ID, b.AmountFen, "慈财付〔2020〕903号"); status != http.StatusCreated || got.Status != "paid" {
			t.Fatalf("the payment to the wrong enterprise: %d %+v", status, got)
		}
		web := env.Login(t, "dept10")
		page := fmt.Sprintf("/entitlements/%d", b.ID)
		if _, body := web.Page(page); !strings.Contains(body, `id="reverse-form"`) || !strings.Contains(body, "慈财付〔2020〕903号") {
			t.Fatalf("the payer's page offers no reversal of the payment")
		}
		st, _, body := web.Form(page+"/reverse", url.Values{"payment_id": {fmt.Sprint(got.Payments[len(got.Payments)-1].ID)}, "reversed_on": {"2020-03-06"}, "reversal_voucher": {""}, "reversal_reason": {"记错企业"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "冲销凭证号：必填") {
			t.Errorf("the form without a voucher: %d, want 422 naming 冲销凭证号", st)
		}
		st, _, body = web.Form(page+"/reverse", url.Values{"payment_id": {fmt.Sprint(got.Payments[len(got.Payments)-1].ID)}, "reversed_on": {"2020-03-06"}, "reversal_voucher": {"慈财冲〔2020〕003号"}, "reversal_reason": {"记错企业，应为另一户"}})
		if st != http.StatusSeeOther {
			t.Fatalf("the reversal from the page: %d %s", st, body)
		}
		if _, body = web.Page(page); !strings.Contains(body, "红字冲销") || !strings.Contains(body, "记错企业，应为另一户") || !strings.Contains(body, "待兑付") {
			t.Errorf("the page does not show the reversal and 待兑付")
		}
		var audited int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'entitlements' AND action = 'reverse' AND entity_id IN ($1, $2)`, fmt.Sprint(a.ID), fmt.Sprint(b.ID)).Scan(&audited)
		if audited != 2 {
			t.Errorf("%d reversals in the audit log, want 2", audited)
		}
		var told int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = $1 AND n.entity_id = $2 AND n.body LIKE $3`,
			entUser, fmt.Sprint(a.ID), "%冲销%").Scan(&told)
		if told == 0 {
			t.Errorf("the enterprise was not told of the reversal")
		}

		// The reconciliation: A paid in full (net), B back to owed; 1 元 and B's amount reversed.
		after := getJSON[reconcileBody](t, c, "/api/v1/entitlements/reconciliation")
		if after.Total.Due != before.Total.Due || after.Total.Paid != before.Total.Paid+a.AmountFen || after.Total.Unpaid != after.Total.Due-after.Total.Paid {
			t.Errorf("reconciliation: due %d→%d, paid %d→%d; want paid up by A's %d only", before.Total.Due, after.Total.Due, before.Total.Paid, after.Total.Paid, a.AmountFen)
		}
		var rec struct {
			Total struct {
				Reversed int64 `json:"reversed_fen"`
			} `json:"total"`
		}
		_, raw = c.JSON("GET", "/api/v1/entitlements/reconciliation?by=enterprise", nil)
		json.Unmarshal(raw, &rec)
		if rec.Total.Reversed != 100+b.AmountFen {
			t.Errorf("reversed %d fen, want %d", rec.Total.Reversed, 100+b.AmountFen)
		}
		if _, body := web.Page("/entitlements/reconciliation"); !strings.Contains(body, "已冲销") {
			t.Errorf("the reconciliation page has no 已冲销 column")
		}

		// The ledger: every entry on its payments sheet, amounts and dates typed.
		res := web.Do("GET", fmt.Sprintf("/entitlements.xlsx?enterprise_id=%d", b.EnterpriseID), "", nil, nil)
		book, _ := io.ReadAll(res.Body)
		res.Body.Close()
		_, sheets, err := xlsx.ReadTables(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		rows := sheets["兑付明细"]
		var lines []string
		for _, r := range rows {
			lines = append(lines, strings.Join(r, "|"))
		}
		all := strings.Join(lines, "\n")
		if len(rows) == 0 || strings.Join(rows[0], "|") != "政策名称|企业名称|类别|金额（元）|日期|凭证号|冲销的凭证号|冲销原因|登记人|登记日期" {
			t.Fatalf("the payments sheet: %q", all)
		}
		for _, want := range []string{"兑付|" + yuanText(b.AmountFen) + "|2020-03-02|慈财付〔2020〕903号||", "红字冲销|-" + yuanText(b.AmountFen) + "|2020-03-06|慈财冲〔2020〕003号|慈财付〔2020〕903号|记错企业，应为另一户|dept10|"} {
			if !strings.Contains(all, want) {
				t.Errorf("the payments sheet lacks %q:\n%s", want, all)
			}
		}
		if head := strings.Join(sheets["政策兑现台账"][0], "|"); !strings.Contains(head, "已兑付（元）|未兑付（元）|兑付笔数") {
			t.Errorf("the ledger's header: %s", head)
		}
		assertTypedColumns(t, book, "xl/worksheets/sheet2.xml", "D", "E", "J")

		// Eight reversals of one payment at the same moment: one is booked.
		if status, got = pay(b.ID, b.AmountFen, "慈财付〔2020〕904号"); status != http.StatusCreated {
			t.Fatalf("paying B again: %d %+v", status, got)
		}
		pid := got.Payments[len(got.Payments)-1].ID
		statuses := make([]int, 8)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i], _ = reverse(b.ID, map[string]any{"payment_id": pid, "reversed_on": "2020-03-09", "reversal_voucher": fmt.Sprintf("并发冲〔2020〕%d号", i), "reversal_reason": "并发"})
			}()
		}
		close(start)
		wg.Wait()
		booked := 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				booked++
			case http.StatusUnprocessableEntity, http.StatusConflict:
			default:
				t.Errorf("a concurrent reversal answered %d", s)
			}
		}
		var n int
		env.App.DB.R.QueryRow(`SELECT COUNT(*) FROM payments WHERE reverses_id = $1`, pid).Scan(&n)
		if booked != 1 || n != 1 {
			t.Errorf("eight concurrent reversals of one payment: %d answered 201, %d booked (%v)", booked, n, statuses)
		}
	})
}

// yuanText is fen as a money cell shows it: 24,000.00.
func yuanText(fen int64) string {
	s := fmt.Sprintf("%d", fen/100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return fmt.Sprintf("%s.%02d", s, fen%100)
}

// assertTypedColumns checks that the data cells of the columns given hold numbers (a
// money amount, a date's serial) and not text.
func assertTypedColumns(t *testing.T, book []byte, part string, cols ...string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(part)
	if err != nil {
		t.Fatalf("%s: %v", part, err)
	}
	xml, _ := io.ReadAll(f)
	f.Close()
	for _, col := range cols {
		cells := regexp.MustCompile(`<c r="`+col+`([0-9]+)"([^>]*)>`).FindAllStringSubmatch(string(xml), -1)
		n := 0
		for _, m := range cells {
			if m[1] == "1" {
				continue // the header
			}
			n++
			if strings.Contains(m[2], `t="`) {
				t.Errorf("%s cell %s%s is %s, want a number", part, col, m[1], m[2])
			}
		}
		if n == 0 {
			t.Errorf("%s has no data cell in column %s", part, col)
		}
	}
}

// An enterprise disputes an amount computed from what it declared; the office agrees and
// corrects the declared values with a reason: the amount is computed again, the
// correction is kept, the entitlement is approved and the rest is paid. Each rule of a
// correction is refused naming its field in Chinese.
func TestDisputedDeclaredValuesAreCorrected(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		db := env.App.DB.R
		cmd := env.APIClient(t, "command")
		ids := policyIDs(t, cmd)
		var dept int64
		db.QueryRow(`SELECT department_id FROM policies WHERE id = $1`, ids[4]).Scan(&dept)
		var reviewer, entUser string
		db.QueryRow(`SELECT username FROM users WHERE org_unit_id = $1 ORDER BY id LIMIT 1`, dept).Scan(&reviewer)
		db.QueryRow(`SELECT username FROM users WHERE role = 'enterprise' ORDER BY id LIMIT 1`).Scan(&entUser)
		ent := env.APIClient(t, entUser)
		// The application form keeps what was typed and names the field it refuses.
		form := env.Login(t, entUser)
		applyPage := fmt.Sprintf("/policies/%d", ids[4])
		form.Page(applyPage)
		for _, c := range []struct{ typed, want string }{{"-1", "申报数据 新招用员工数：不能为负数"}, {"三", "申报数据 新招用员工数：请填写整数"}} {
			st, _, body := form.Form(applyPage+"/apply", url.Values{"declared.new_hires": {c.typed}})
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, `value="`+c.typed+`"`) {
				t.Errorf("applying with new_hires %q: %d, want 422 saying %s with the value kept", c.typed, st, c.want)
			}
		}
		// Measure 4: 1,000 元 per new hire declared. The enterprise declared 3 of its 12.
		status, raw := ent.JSON("POST", fmt.Sprintf("/api/v1/policies/%d/apply", ids[4]), map[string]any{"declared": map[string]int64{"new_hires": 3}})
		var got entryBody
		json.Unmarshal(raw, &got)
		if status != http.StatusCreated || got.AmountFen != 300_000 {
			t.Fatalf("apply: %d %s", status, raw)
		}
		id := got.ID
		rv := env.APIClient(t, reviewer)
		path := fmt.Sprintf("/api/v1/entitlements/%d", id)
		if status, raw = rv.JSON("POST", path+"/review", map[string]any{"decision": "approve"}); status != http.StatusOK {
			t.Fatalf("approve: %d %s", status, raw)
		}
		finance := env.APIClient(t, "dept10")
		if status, raw = finance.JSON("POST", path+"/payment", map[string]any{"amount_fen": 300_000, "paid_on": "2020-03-03", "voucher": "慈财付〔2020〕911号"}); status != http.StatusCreated {
			t.Fatalf("pay: %d %s", status, raw)
		}
		correct := func(in map[string]any) (int, []byte) { return rv.JSON("POST", path+"/declared", in) }
		fix := map[string]any{"declared": map[string]int64{"new_hires": 12}, "correction_reason": "社保参保名单新增12人，申报时漏报9人"}
		status, raw = correct(fix)
		refused(t, "correcting a paid entitlement not disputed", status, raw, "declared", "申报数据")

		// Paid, and still disputable: it was paid short.
		if status, raw = ent.JSON("POST", path+"/dispute", map[string]any{"dispute": "新招用12人，申报时只填了3人。"}); status != http.StatusOK {
			t.Fatalf("dispute of a paid entitlement: %d %s", status, raw)
		}
		status, raw = correct(map[string]any{"declared": map[string]int64{"new_hires": 12}})
		refused(t, "no reason", status, raw, "correction_reason", "更正原因")
		status, raw = correct(map[string]any{"declared": map[string]int64{}, "correction_reason": "x"})
		refused(t, "a value missing", status, raw, "declared.new_hires", "申报数据 新招用员工数")
		status, raw = correct(map[string]any{"declared": map[string]int64{"new_hires": -2}, "correction_reason": "x"})
		refused(t, "a negative value", status, raw, "declared.new_hires", "申报数据 新招用员工数")
		status, raw = correct(map[string]any{"declared": map[string]int64{"new_hires": 3}, "correction_reason": "x"})
		refused(t, "nothing changed", status, raw, "declared", "申报数据")
		status, raw = correct(map[string]any{"declared": map[string]int64{"new_hires": 2}, "correction_reason": "x"})
		refused(t, "below what was paid", status, raw, "declared", "低于已兑付")
		status, raw = correct(map[string]any{"declared": map[string]int64{"new_hires": 0}, "correction_reason": "x"})
		refused(t, "no longer eligible", status, raw, "declared", "不符合")
		if status, _ = env.APIClient(t, "dept10").JSON("POST", path+"/declared", fix); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("finance corrected the declared values: %d", status)
		}
		if status, _ = ent.JSON("POST", path+"/declared", fix); status != http.StatusForbidden {
			t.Errorf("the enterprise corrected its own declared values: %d, want 403", status)
		}
		status, raw = correct(fix)
		json.Unmarshal(raw, &got)
		if status != http.StatusOK || got.AmountFen != 1_200_000 || got.Status != "disputed" || got.PaidFen != 300_000 || len(got.Corrections) != 1 {
			t.Fatalf("correction: %d %s; want 12,000 元, still disputed, 3,000 paid, one correction", status, raw)
		}
		if c := got.Corrections[0]; c.Before["new_hires"] != 3 || c.After["new_hires"] != 12 || c.AmountBefore != 300_000 || c.AmountAfter != 1_200_000 || c.CorrectedBy != reviewer {
			t.Errorf("the correction kept: %+v", c)
		}
		var audited int
		db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'entitlements' AND entity_id = $1 AND action = 'correct_declared'`, fmt.Sprint(id)).Scan(&audited)
		if audited != 1 {
			t.Errorf("%d corrections in the audit log, want 1", audited)
		}
		// Rejecting what was paid waits for a reversal; approving takes the payments' status.
		status, raw = rv.JSON("POST", path+"/review", map[string]any{"decision": "reject", "reason": "不同意"})
		refused(t, "rejecting a paid entitlement", status, raw, "reason", "审核意见")
		status, raw = rv.JSON("POST", path+"/review", map[string]any{"decision": "approve"})
		json.Unmarshal(raw, &got)
		if status != http.StatusOK || got.Status != "partial" || got.UnpaidFen != 900_000 {
			t.Fatalf("approve after the correction: %d %s; want partial, 9,000 元 owed", status, raw)
		}
		if status, raw = finance.JSON("POST", path+"/payment", map[string]any{"amount_fen": 900_000, "paid_on": "2020-03-09", "voucher": "慈财付〔2020〕912号"}); status != http.StatusCreated || !strings.Contains(string(raw), `"status":"paid"`) {
			t.Errorf("paying the rest of the corrected amount: %d %s", status, raw)
		}
		// The page shows the history to the enterprise, and offers the correction form to the
		// reviewer while it may be used.
		if _, body := env.Login(t, entUser).Page(fmt.Sprintf("/entitlements/%d", id)); !strings.Contains(body, "申报数据更正记录") || !strings.Contains(body, "社保参保名单新增12人") {
			t.Errorf("the enterprise does not see the correction")
		}
	})
}
