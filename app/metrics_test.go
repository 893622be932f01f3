package app_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/xlsx"
)

// scrape reads /metrics as Prometheus would.
func scrape(t *testing.T, env *apptest.Env) string {
	t.Helper()
	res := env.Anonymous(t).Do("GET", "/metrics", "", nil, nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	return string(b)
}

// sample is the value of one series in a scrape (0 when absent); labels as exposed.
func sample(m, series string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	if s := re.FindStringSubmatch(m); s != nil {
		v, _ := strconv.ParseFloat(s[1], 64)
		return v
	}
	return 0
}

// sum adds the series of a metric over all its labels.
func sum(m, name string) float64 {
	var total float64
	for _, s := range regexp.MustCompile(`(?m)^`+name+`\{[^}]*\} (\S+)$`).FindAllStringSubmatch(m, -1) {
		v, _ := strconv.ParseFloat(s[1], 64)
		total += v
	}
	return total
}

// /metrics says how the work is going — open and late demands by level, clock firings,
// imports, failed logins, the outbox — and passes promtool's check.
func TestDomainMetrics(t *testing.T) {
	t.Parallel()
	apptest.Each(t, apptest.Options{}, func(t *testing.T, env *apptest.Env) {
		before := scrape(t, env)
		for _, name := range []string{`fugong_demands_open{level="liaison"}`, `fugong_demands_late{level="command"}`, `fugong_outbox_pending{channel="wecom"}`,
			`fugong_outbox_failed{channel="sms"}`, `fugong_demand_clock_firings_total{clock="same_day",outcome="late"}`, `fugong_logins_failed_total`} {
			if !strings.Contains(before, "\n"+name+" ") {
				t.Errorf("/metrics lacks %s", name)
			}
		}
		if res := env.Anonymous(t).PostLogin("command", "not-the-password"); res.StatusCode == http.StatusSeeOther {
			t.Fatal("a wrong password logged in")
		}
		liaison := env.APIClient(t, "liaison001")
		ent := enterpriseOf(t, env, "liaison001")
		raise(t, liaison, ent, "supplies", "口罩300个", map[string]string{"item": "口罩"})
		mid := scrape(t, env)
		if got, was := sample(mid, `fugong_demands_open{level="liaison"}`), sample(before, `fugong_demands_open{level="liaison"}`); got != was+1 {
			t.Errorf("open demands at the liaison: %v after one raised, were %v", got, was)
		}
		// Its response clock runs out: it fires, the demand is late.
		env.Clock.Set(env.Clock.Now().Add(2 * time.Hour))
		runJobs(t, env)
		rows := [][]any{}
		for i := 0; i < 3; i++ {
			rows = append(rows, []any{fmt.Sprintf("员工%d", i), validID(fmt.Sprintf("43082119900101%03d", 700+i)), "", "湖南省张家界市慈利县", "否", ""})
		}
		b, err := xlsx.Build("员工", []string{"姓名", "身份证号", "手机号", "户籍地", "贫困户", "状态"}, rows)
		if err != nil {
			t.Fatal(err)
		}
		res := liaison.Do("POST", fmt.Sprintf("/api/v1/workers/import?enterprise_id=%d", ent), xlsx.ContentType, bytes.NewReader(b), nil)
		res.Body.Close()
		if res.StatusCode >= 300 {
			t.Fatalf("worker import: %d", res.StatusCode)
		}
		after := scrape(t, env)
		if got, was := sample(after, `fugong_logins_failed_total`), sample(before, `fugong_logins_failed_total`); got != was+1 {
			t.Errorf("failed logins: %v, were %v", got, was)
		}
		if got, was := sample(after, `fugong_demand_clock_firings_total{clock="response",outcome="late"}`), sample(before, `fugong_demand_clock_firings_total{clock="response",outcome="late"}`); got < was+1 {
			t.Errorf("response clocks run out: %v, were %v", got, was)
		}
		if got, was := sum(after, "fugong_demands_late"), sum(mid, "fugong_demands_late"); got < was+1 {
			t.Errorf("late demands: %v after a clock ran out, were %v", got, was)
		}
		if got, was := sample(after, `fugong_imports_total{entity="workers"}`), sample(before, `fugong_imports_total{entity="workers"}`); got != was+1 {
			t.Errorf("worker imports: %v after one, were %v", got, was)
		}
		if !strings.Contains(after, "fugong_http_request_duration_seconds_bucket") {
			t.Errorf("the latency histogram is not named *_request_duration_seconds")
		}
		promtool(t, after)
	})
}

// promtool checks an exposition with Prometheus's own linter, when it is installed (CI
// installs it and fails without it).
func promtool(t *testing.T, exposition string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is missing (Debian package prometheus)")
		}
		t.Log("promtool not installed: the exposition is not linted")
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(exposition)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
