package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"fugong/app/apptest"
)

// Health records are sealed at rest: what a liaison records of a worker — the origin,
// route, temperature and symptoms at the gates, the isolation, a check's reading and the
// alert it raises — is in no table of the database in clear (nor in the notifications,
// the audit log or a kept API answer), nor anywhere in the SQLite file; the pages and
// the API still show it to those in scope, and a row written before sealing still reads.
func TestWorkerHealthRecordsSealedAtRest(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		w := createWorker(t, c, ent, validID("43082119900101005"), "")
		gate(t, c, w.ID, map[string]any{"gate": "entry", "from_region": "湖北省随州市曾都区", "route": "京港澳高速转张花高速", "arrival": "2020-03-08",
			"temperature_tenths": 384, "symptoms": "咽痛乏力"}, 201)
		gate(t, c, w.ID, map[string]any{"gate": "screening", "contact": true}, 201)
		gate(t, c, w.ID, map[string]any{"gate": "isolation", "isolation_kind": "central"}, 201)
		status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"temperature_tenths": 379, "symptoms": "干咳畏寒"},
			"Idempotency-Key", "check-sealed-1")
		if status != http.StatusCreated {
			t.Fatalf("isolation check: %d %s", status, b)
		}
		secrets := []string{"随州", "京港澳", "咽痛乏力", "干咳畏寒", "38.4", "37.9"}

		// The rows: the clear columns are empty, the sealed value is there.
		db := env.App.DB.R
		one := func(q string) string {
			t.Helper()
			var s string
			if err := db.QueryRow(q, w.ID).Scan(&s); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return s
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM worker_gates WHERE worker_id = $1 AND (from_region <> '' OR route <> '' OR temperature <> 0 OR symptoms <> '' OR contact OR isolation_kind <> '' OR planned_end <> '')`,
			`SELECT COUNT(*) FROM worker_checks WHERE worker_id = $1 AND (temperature <> 0 OR symptoms <> '' OR health_sealed = '')`,
			`SELECT COUNT(*) FROM health_alerts WHERE worker_id = $1 AND (temperature <> 0 OR symptoms <> '' OR health_sealed = '')`,
			`SELECT COUNT(*) FROM workers WHERE id = $1 AND (isolation_kind <> '' OR isolation_start <> '' OR isolation_end <> '' OR health_sealed = '')`,
		} {
			if n := one(q); n != "0" {
				t.Errorf("%s rows in clear: %s", n, q)
			}
		}
		if n := one(`SELECT COUNT(*) FROM health_alerts WHERE worker_id = $1`); n != "2" {
			t.Errorf("%s alerts (the entry's fever and the isolation check's), want 2", n)
		}

		// Every table, every row, every column: no clear health record anywhere.
		for _, table := range tables(t, env) {
			rows, err := db.Query(`SELECT * FROM ` + table)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			for rows.Next() {
				if err := rows.Scan(vals...); err != nil {
					t.Fatalf("%s: %v", table, err)
				}
				for i, v := range vals {
					var s string // text only: a timestamp may well read 38.4
					switch x := (*v.(*any)).(type) {
					case string:
						s = x
					case []byte:
						s = string(x)
					}
					for _, x := range secrets {
						if strings.Contains(s, x) {
							t.Errorf("%s.%s holds %q in clear: %.200s", table, cols[i], x, s)
						}
					}
				}
			}
			rows.Close()
		}
		// The SQLite file and its log, byte by byte.
		if path := env.App.DB.Path; path != "" {
			for _, f := range []string{path, path + "-wal"} {
				b, err := os.ReadFile(f)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				for _, x := range secrets[:4] {
					if bytes.Contains(b, []byte(x)) {
						t.Errorf("%s holds %q in clear", f, x)
					}
				}
			}
		}

		// Those in scope see it all: the API, the worker's page, the day's alerts.
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/gates", w.ID), nil)
		for _, x := range []string{`"from_region":"湖北省随州市曾都区"`, `"route":"京港澳高速转张花高速"`, `"temperature_tenths":384`, `"symptoms":"咽痛乏力"`, `"contact":true`, `"isolation_kind":"central"`} {
			if !strings.Contains(string(b), x) {
				t.Errorf("gates lack %s: %s", x, b)
			}
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), nil)
		if !strings.Contains(string(b), `"temperature_tenths":379`) || !strings.Contains(string(b), `"symptoms":"干咳畏寒"`) {
			t.Errorf("checks: %s", b)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d", w.ID), nil)
		if !strings.Contains(string(b), `"isolation_kind":"central"`) || !strings.Contains(string(b), `"isolation_end":"2020-03-23"`) {
			t.Errorf("worker's isolation: %s", b)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/alerts?enterprise_id=%d", ent), nil)
		if !strings.Contains(string(b), `"temperature_tenths":384`) || !strings.Contains(string(b), `"symptoms":"干咳畏寒"`) {
			t.Errorf("today's alerts: %s", b)
		}
		// A retry of the check gets the first answer, kept sealed.
		status, b = c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"temperature_tenths": 379, "symptoms": "干咳畏寒"},
			"Idempotency-Key", "check-sealed-1")
		if status != http.StatusCreated || !strings.Contains(string(b), `"temperature_tenths":379`) {
			t.Errorf("replayed check: %d %s", status, b)
		}
		page := env.Login(t, "liaison001")
		_, html := page.Page(fmt.Sprintf("/workers/%d", w.ID))
		for _, x := range []string{"38.4 °C", "37.9 °C 干咳畏寒", "2020-03-23"} {
			if !strings.Contains(html, x) {
				t.Errorf("worker page lacks %q", x)
			}
		}

		// A check written before sealing (clear columns, no sealed value) still reads.
		if _, err := env.App.DB.W.Exec(`INSERT INTO worker_checks (region_code, enterprise_id, township, worker_id, day, slot, temperature, symptoms, recorded_by, at)
			SELECT region_code, enterprise_id, township, id, '2020-03-07', 'day', 366, '旧记录鼻塞', 0, 0 FROM workers WHERE id = $1`, w.ID); err != nil {
			t.Fatal(err)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), nil)
		if !strings.Contains(string(b), `"temperature_tenths":366`) || !strings.Contains(string(b), `"symptoms":"旧记录鼻塞"`) {
			t.Errorf("a check kept in clear before sealing: %s", b)
		}

		// An upgraded county's rows from before sealing are sealed by the server at start
		// (and by `keys reseal`): a gate step, an alert and an isolation kept in clear too.
		for _, q := range []string{
			`INSERT INTO worker_gates (region_code, enterprise_id, worker_id, gate, day, from_region, route, temperature, symptoms, at)
				SELECT region_code, enterprise_id, id, 'entry', '2020-03-01', '湖北省孝感市旧址', '旧路线沪渝高速', 381, '旧记录头痛', 0 FROM workers WHERE id = $1`,
			`INSERT INTO health_alerts (region_code, enterprise_id, township, worker_id, day, temperature, symptoms, source, at)
				SELECT region_code, enterprise_id, township, id, '2020-03-01', 381, '旧记录头痛', 'gate', 0 FROM workers WHERE id = $1`,
		} {
			if _, err := env.App.DB.W.Exec(q, w.ID); err != nil {
				t.Fatal(err)
			}
		}
		other := createWorker(t, c, ent, validID("43082119900101013"), "")
		if _, err := env.App.DB.W.Exec(`UPDATE workers SET isolation_kind = 'home', isolation_start = '2020-03-01', isolation_end = '2020-03-14', health_sealed = '' WHERE id = $1`, other.ID); err != nil {
			t.Fatal(err)
		}
		n, err := env.App.DB.SealClearHealth(t.Context(), env.App.Keys)
		if err != nil || n != 4 {
			t.Fatalf("sealed %d rows kept in clear (want the check, the step, the alert and the isolation): %v", n, err)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM worker_checks WHERE worker_id = $1 AND (temperature <> 0 OR symptoms <> '' OR health_sealed = '')`,
			`SELECT COUNT(*) FROM worker_gates WHERE worker_id = $1 AND (from_region <> '' OR route <> '' OR temperature <> 0 OR symptoms <> '')`,
			`SELECT COUNT(*) FROM health_alerts WHERE worker_id = $1 AND (temperature <> 0 OR symptoms <> '' OR health_sealed = '')`,
		} {
			if n := one(q); n != "0" {
				t.Errorf("%s rows still in clear after sealing: %s", n, q)
			}
		}
		var kind string
		db.QueryRow(`SELECT isolation_kind || isolation_start || isolation_end FROM workers WHERE id = $1`, other.ID).Scan(&kind)
		if kind != "" {
			t.Errorf("the isolation is still in clear: %q", kind)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), nil)
		if !strings.Contains(string(b), `"temperature_tenths":366`) || !strings.Contains(string(b), `"symptoms":"旧记录鼻塞"`) {
			t.Errorf("the old check, once sealed: %s", b)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d/gates", w.ID), nil)
		if !strings.Contains(string(b), `"from_region":"湖北省孝感市旧址"`) || !strings.Contains(string(b), `"symptoms":"旧记录头痛"`) {
			t.Errorf("the old gate step, once sealed: %s", b)
		}
		_, b = c.JSON("GET", fmt.Sprintf("/api/v1/workers/%d", other.ID), nil)
		if !strings.Contains(string(b), `"isolation_kind":"home"`) || !strings.Contains(string(b), `2020-03-14`) {
			t.Errorf("the old isolation, once sealed: %s", b)
		}
		if n, err := env.App.DB.SealClearHealth(t.Context(), env.App.Keys); err != nil || n != 0 {
			t.Errorf("a second pass sealed %d rows: %v", n, err)
		}
	})
}

// The in-app notice of a fever carries no reading: it names the worker and links to the
// alert, which opens the worker's page (with the reading) for those in scope and 404 for
// others.
func TestFeverNoticeLinksToTheRecord(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		ent, _ := enterpriseAndName(t, env, "liaison001")
		c := env.APIClient(t, "liaison001")
		w := workerOnDuty(t, c, ent, validID("43082119900101006"))
		if status, b := c.JSON("POST", fmt.Sprintf("/api/v1/workers/%d/checks", w.ID), map[string]any{"slot": "am", "temperature_tenths": 386, "symptoms": "高热寒战"}); status != http.StatusCreated {
			t.Fatalf("fever check: %d %s", status, b)
		}
		var alert int64
		env.App.DB.R.QueryRow(`SELECT id FROM health_alerts WHERE worker_id = $1`, w.ID).Scan(&alert)
		var n, clear int
		env.App.DB.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN body LIKE '%38.6%' OR body LIKE '%高热寒战%' THEN 1 ELSE 0 END) FROM notifications
			WHERE entity = 'health_alerts' AND entity_id = $1`, fmt.Sprint(alert)).Scan(&n, &clear)
		if n == 0 || clear != 0 {
			t.Fatalf("%d notices of the alert, %d with the reading in clear", n, clear)
		}
		page := env.Login(t, "command")
		_, inbox := page.Page("/notifications")
		link := fmt.Sprintf(`href="/health/alerts/%d"`, alert)
		if !strings.Contains(inbox, link) || strings.Contains(inbox, "38.6") {
			t.Fatalf("command's inbox: want the link %s and no reading", link)
		}
		res := page.Do("GET", fmt.Sprintf("/health/alerts/%d", alert), "", nil, nil)
		res.Body.Close()
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/workers/%d", w.ID) {
			t.Fatalf("the notice's link: %d to %q", res.StatusCode, loc)
		}
		if _, html := page.Page(fmt.Sprintf("/workers/%d", w.ID)); !strings.Contains(html, "38.6 °C 高热寒战") {
			t.Errorf("the worker's page does not show the reading")
		}
		// A liaison of another enterprise: not found.
		var other string
		env.App.DB.R.QueryRow(`SELECT u.username FROM users u WHERE u.role = 'liaison' AND NOT EXISTS (SELECT 1 FROM liaison_assignments a WHERE a.user_id = u.id AND a.enterprise_id = $1)
			ORDER BY u.id LIMIT 1`, ent).Scan(&other)
		if status, _ := env.Login(t, other).Page(fmt.Sprintf("/health/alerts/%d", alert)); status != http.StatusNotFound {
			t.Errorf("%s (out of scope) opens the alert: %d", other, status)
		}
	})
}

// tables lists the database's tables.
func tables(t *testing.T, env *apptest.Env) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if env.App.DB.Dialect.Name == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := env.App.DB.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		if regexp.MustCompile(`^[a-z_0-9]+$`).MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}
