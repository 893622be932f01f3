// Package ha runs fugong on a three-node Patroni cluster (etcd, synchronous replication,
// HAProxy as the entry point), kills the primary during demand intake and checks that no
// demand answered 201 is lost or written twice, measuring how long intake stopped.
package ha

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "fugong/store" // registers the "pgx" driver
)

const password = "ha-password-2020"

// build builds fugong into dir.
func build(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "fugong")
	if out, err := exec.Command("go", "build", "-o", bin, "fugong/cmd/fugong").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fugong is a running fugong process.
type fugong struct {
	cmd    *exec.Cmd
	url    string
	logs   *bytes.Buffer
	exited chan struct{} // closed once the process has ended and been waited for
}

// run starts `fugong MODE args…` on a free port and waits until /readyz answers 200.
func run(t *testing.T, bin, mode string, args ...string) *fugong {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePorts(t, 1)[0])
	f := &fugong{cmd: exec.Command(bin, append([]string{mode, "--addr", addr, "--log-level", "warn"}, args...)...), url: "http://" + addr, logs: &bytes.Buffer{}, exited: make(chan struct{})}
	f.cmd.Stdout, f.cmd.Stderr = io.Discard, &syncWriter{w: f.logs}
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Waited for here, once: a fugong that ends before it is ready (a bad flag, a failed
	// migration) fails the test at once, not after the deadline.
	go func() { f.cmd.Wait(); close(f.exited) }()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(f.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return f
			}
		}
		select {
		case <-f.exited:
			t.Fatalf("fugong %s ended before it was ready: %s", mode, f.logs)
		case <-time.After(100 * time.Millisecond):
		}
	}
	f.stop()
	t.Fatalf("fugong %s did not become ready: %s", mode, f.logs)
	return nil
}

func (f *fugong) stop() {
	f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.exited:
	case <-time.After(20 * time.Second):
		f.cmd.Process.Kill()
		<-f.exited
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// call sends one JSON request and decodes a JSON answer into out.
func call(method, url, token, key string, body, out any) (int, http.Header, error) {
	var rb io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rb = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rb)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := (&http.Client{Timeout: 90 * time.Second}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err // the answer was cut: not acknowledged
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, nil, fmt.Errorf("%d %s: %w", res.StatusCode, b, err)
		}
	}
	return res.StatusCode, res.Header, nil
}

// account is an enterprise account holding a bearer token.
type account struct {
	token string
	id    int64
}

func login(t *testing.T, f *fugong, n int) account {
	t.Helper()
	var tok struct{ Token string }
	user := fmt.Sprintf("enterprise%03d", n)
	if status, _, err := call("POST", f.url+"/api/v1/auth/token", "", "", map[string]string{"username": user, "password": password}, &tok); err != nil || status != http.StatusCreated {
		t.Fatalf("token for %s: %d %v", user, status, err)
	}
	var me struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	if status, _, err := call("GET", f.url+"/api/v1/me", tok.Token, "", nil, &me); err != nil || status != http.StatusOK || me.EnterpriseID == 0 {
		t.Fatalf("me for %s: %d %v", user, status, err)
	}
	return account{token: tok.Token, id: me.EnterpriseID}
}

// acked is a demand answered 201, and when.
type acked struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Description string `json:"description"`
	at          time.Time
	tries       int
}

// intake is the load: workers raising demands, each with its own Idempotency-Key, and
// sending the same request again under the same key until it is answered 201.
type intake struct {
	mu       sync.Mutex
	acks     []acked
	requests atomic.Int64
	failures atomic.Int64 // answers other than 201 and cut connections, all retried
	replays  atomic.Int64 // 201s a retry got from the first attempt (Idempotent-Replayed)
	given    atomic.Int64 // demands given up on after retrying for two minutes
}

func (in *intake) drive(f *fugong, acc account, worker int, stop <-chan struct{}) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		key := fmt.Sprintf("ha-%d-%d-%d", time.Now().UnixNano(), worker, n)
		text := fmt.Sprintf("故障切换测试 w%d n%d 口罩%d个", worker, n, 100+n)
		body := map[string]any{"enterprise_id": acc.id, "category": "supplies", "description": text, "quantity": 100 + n, "fields": map[string]string{"item": "口罩"}}
		first := time.Now()
		for try := 1; ; try++ {
			var d acked
			in.requests.Add(1)
			status, h, err := call("POST", f.url+"/api/v1/demands", acc.token, key, body, &d)
			if err == nil && status == http.StatusCreated {
				if d.Description != text {
					d.Description = "answered for another request: " + text
				}
				d.at, d.tries = time.Now(), try
				if h.Get("Idempotent-Replayed") == "true" {
					in.replays.Add(1)
				}
				in.mu.Lock()
				in.acks = append(in.acks, d)
				in.mu.Unlock()
				break
			}
			in.failures.Add(1)
			if time.Since(first) > 2*time.Minute {
				in.given.Add(1)
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func (in *intake) list() []acked {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.acks)
}

// after counts the demands answered 201 after t.
func (in *intake) after(t time.Time) int {
	n := 0
	for _, a := range in.list() {
		if a.at.After(t) {
			n++
		}
	}
	return n
}

// TestFailoverDuringIntake starts a three-node Patroni cluster with synchronous
// replication behind HAProxy, builds the demo county on it, serves it with `fugong
// serve`, raises demands from eight workers with Idempotency-Keys, kills the primary's
// machine (Patroni and PostgreSQL, SIGKILL) in the middle, and checks on the new primary
// that every demand answered 201 is there, intact and once.
func TestFailoverDuringIntake(t *testing.T) {
	bins := need(t)
	c := startCluster(t, bins)
	bin := build(t, t.TempDir())
	data := t.TempDir()

	// The demo county is built once through the entry point, then served by `serve`.
	demo := run(t, bin, "demo", "--data", data, "--db", c.DSN(), "--password", password)
	demo.stop()
	srv := run(t, bin, "serve", "--data", data, "--db", c.DSN(), "--db-read", c.ReadDSN(), "--require-totp=false")
	defer srv.stop()

	var accs []account
	for n := 1; n <= 4; n++ {
		accs = append(accs, login(t, srv, n))
	}
	var in intake
	stop := make(chan struct{})
	var wg sync.WaitGroup
	const workers = 8
	for w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); in.drive(srv, accs[w%len(accs)], w, stop) }()
	}
	stopped := false
	defer func() {
		if !stopped {
			close(stop)
			wg.Wait()
		}
	}()

	// Intake runs before the failure.
	start := time.Now()
	c.waitFor("200 demands answered before the failure", 2*time.Minute, func() bool { return len(in.list()) >= 200 })
	old := c.leader()
	if old == nil {
		t.Fatalf("no primary to kill: %s", c.logs())
	}
	killAt := time.Now()
	c.kill(old)
	t.Logf("killed the primary %s after %d demands in %s", old.Name, len(in.list()), killAt.Sub(start).Round(time.Millisecond))

	// Intake goes on after the failover: wait for 200 more answers after the kill.
	c.waitFor("200 demands answered after the failover", 3*time.Minute, func() bool { return in.after(killAt) >= 200 })
	promoted := c.leader()
	close(stop)
	wg.Wait()
	stopped = true
	if promoted == nil || promoted == old {
		t.Fatalf("no new primary after killing %s: %s", old.Name, c.logs())
	}

	// Every demand answered 201 is on the new primary, intact, and written once.
	acks := in.list()
	db, err := sql.Open("pgx", c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lost := 0
	for _, a := range acks {
		var number, text string
		err := db.QueryRow(`SELECT number, description FROM demands WHERE id = $1`, a.ID).Scan(&number, &text)
		if err != nil || number != a.Number || text != a.Description {
			t.Errorf("demand %d (%s %q) answered 201 is lost or changed on the new primary: %q %q %v", a.ID, a.Number, a.Description, number, text, err)
			lost++
		}
	}
	rows, err := db.Query(`SELECT description, COUNT(*) FROM demands WHERE description LIKE '故障切换测试%' GROUP BY description HAVING COUNT(*) > 1`)
	if err != nil {
		t.Fatal(err)
	}
	twice := 0
	for rows.Next() {
		var text string
		var n int
		rows.Scan(&text, &n)
		t.Errorf("demand %q written %d times", text, n)
		twice++
	}
	rows.Close()
	var stored int
	db.QueryRow(`SELECT COUNT(*) FROM demands WHERE description LIKE '故障切换测试%'`).Scan(&stored)

	// The time without intake: the longest wait between two answers of 201.
	times := make([]time.Time, 0, len(acks))
	for _, a := range acks {
		times = append(times, a.at)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	var gap time.Duration
	var gapFrom time.Time
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d > gap {
			gap, gapFrom = d, times[i-1]
		}
	}
	firstAfter := time.Time{}
	for _, at := range times {
		if at.After(killAt) {
			firstAfter = at
			break
		}
	}
	retried := 0
	for _, a := range acks {
		if a.tries > 1 {
			retried++
		}
	}
	t.Logf("primary %s killed, %s promoted; requests %d, demands answered 201 %d (%d after a retry, %d replayed), other answers or cut connections %d, given up %d; stored %d; lost %d, written twice %d",
		old.Name, promoted.Name, in.requests.Load(), len(acks), retried, in.replays.Load(), in.failures.Load(), in.given.Load(), stored, lost, twice)
	t.Logf("time without intake: longest gap between two 201s %s (from %s after the kill); first 201 after the kill %s after it",
		gap.Round(time.Millisecond), gapFrom.Sub(killAt).Round(time.Millisecond), firstAfter.Sub(killAt).Round(time.Millisecond))
	if len(acks) == 0 {
		t.Fatal("no demand was answered 201")
	}
	if in.given.Load() == 0 && stored != len(acks) {
		t.Errorf("%d demands answered 201 but %d stored", len(acks), stored)
	}
	if in.given.Load() > 0 {
		t.Errorf("%d demands were never answered 201 in two minutes of retries", in.given.Load())
	}

	// Figures come from the read replica (--db-read), and the page says how old they are.
	b := browse(t, srv, "command")
	for _, path := range []string{"/demands/stats", "/dashboard", "/stats/resumption", "/reports/daily", "/reports/weekly", "/dashboard/leaders"} {
		status, body := b.get(t, path)
		if status != http.StatusOK || !strings.Contains(body, "数据截至") || !strings.Contains(body, "约延迟") {
			t.Errorf("%s from the read replica: %d, no staleness note:\n%.2000s", path, status, body)
		}
		if i := strings.Index(body, "数据截至"); i >= 0 && path == "/demands/stats" {
			t.Logf("%s says: %s", path, body[i:i+strings.Index(body[i:], "<")])
		}
	}
	// A replica that falls behind says so: replay paused on the standby (Patroni, which
	// resumes a paused replay, in maintenance mode meanwhile), a demand raised on the
	// primary, the figures' page a few seconds later tells the delay.
	c.maintenance(true)
	defer c.maintenance(false)
	replica, err := sql.Open("pgx", c.ReadDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	// The standby left must follow the new primary first: until it streams from it, it has
	// received nothing it has not applied, and is rightly "as fresh as it knows".
	streaming := ""
	for deadline := time.Now().Add(60 * time.Second); streaming != "streaming" && time.Now().Before(deadline); {
		replica.QueryRow(`SELECT COALESCE((SELECT status FROM pg_stat_wal_receiver), '')`).Scan(&streaming)
		if streaming != "streaming" {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if streaming != "streaming" {
		t.Fatalf("the standby does not stream from the new primary after 60 s (wal receiver: %q)", streaming)
	}
	defer replica.Exec(`SELECT pg_wal_replay_resume()`)
	// The standby must be paused short of a demand the primary has written before the page
	// is read: checked on the standby against the primary's WAL position, and done again if
	// it is not so, so that what is tested below is fugong's note, not the set-up. (The
	// standby may have received nothing of it: after a failover its WAL receiver waits at
	// the timeline switch until replay gets there, which a pause stops — store.Staleness
	// must not call that "caught up".)
	behind := false
	for try := 0; try < 5 && !behind; try++ {
		if _, err := replica.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
			t.Fatalf("pause the replica: %v", err)
		}
		var d acked
		if status, _, err := call("POST", srv.url+"/api/v1/demands", accs[0].token, "", map[string]any{"enterprise_id": accs[0].id, "category": "supplies",
			"description": fmt.Sprintf("故障切换测试 副本延迟 %d", try), "quantity": 1, "fields": map[string]string{"item": "口罩"}}, &d); err != nil || status != http.StatusCreated {
			t.Fatalf("demand while the replica lags: %d %v", status, err)
		}
		var written string
		if err := db.QueryRow(`SELECT pg_current_wal_lsn()::text`).Scan(&written); err != nil {
			t.Fatalf("the primary's WAL position: %v", err)
		}
		for deadline := time.Now().Add(5 * time.Second); !behind && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			replica.QueryRow(`SELECT pg_get_wal_replay_pause_state() = 'paused' AND pg_last_wal_replay_lsn() < $1::pg_lsn`, written).Scan(&behind)
		}
		if !behind {
			t.Logf("try %d: the standby is not paused behind the primary (at %s); the nodes: %s", try, written, c.replayStates())
		}
	}
	if !behind {
		t.Fatalf("the standby could not be held behind the primary in 5 tries")
	}
	time.Sleep(3 * time.Second)
	_, body := b.get(t, "/demands/stats")
	m := regexp.MustCompile(`数据截至 [0-9:]+，约延迟 ([0-9]+) 秒`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no staleness note while the replica lags:\n%.2000s", body)
	}
	if lag, _ := strconv.Atoi(m[1]); lag < 3 {
		t.Errorf("the replica is 3 s behind, the page says %q; the nodes: %s", m[0], c.replayStates())
	}
	t.Logf("with replay paused 3 s: %s", m[0])
	// The API's figures say it in a header (server.ReadReplica).
	status, h, err := call("GET", srv.url+"/api/v1/stats/demands", accs[0].token, "", nil, nil)
	if lag, _ := strconv.Atoi(h.Get("X-Fugong-Replica-Lag")); err != nil || status != http.StatusOK || lag < 3 {
		t.Errorf("GET /api/v1/stats/demands with the replica 3 s behind: %d %v, X-Fugong-Replica-Lag %q", status, err, h.Get("X-Fugong-Replica-Lag"))
	}
	t.Logf("the API says X-Fugong-Replica-Lag: %s, X-Fugong-Data-As-Of: %s", h.Get("X-Fugong-Replica-Lag"), h.Get("X-Fugong-Data-As-Of"))
	if _, err := replica.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatalf("resume the replica: %v", err)
	}
	c.maintenance(false)

	// The killed primary's machine comes back: Patroni rewinds it and it follows the new
	// primary as a replica; a demand raised after that reaches it.
	rejoinAt := time.Now()
	c.rejoin(old)
	c.waitFor(old.Name+" back as a replica of "+promoted.Name, 180*time.Second, func() bool {
		m := c.member(old)
		return (m.Role == "replica" || m.Role == "sync_standby") && (m.State == "running" || m.State == "streaming")
	})
	if c.leader() != promoted {
		t.Errorf("the primary changed when %s came back", old.Name)
	}
	back, err := sql.Open("pgx", fmt.Sprintf("postgres://postgres:ha-postgres@127.0.0.1:%d/postgres?sslmode=disable", old.PG))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	var after acked
	if status, _, err := call("POST", srv.url+"/api/v1/demands", accs[0].token, "", map[string]any{"enterprise_id": accs[0].id, "category": "supplies",
		"description": "故障切换测试 旧主库重新加入", "quantity": 1, "fields": map[string]string{"item": "口罩"}}, &after); err != nil || status != http.StatusCreated {
		t.Fatalf("demand after the rejoin: %d %v", status, err)
	}
	c.waitFor("the demand raised after the rejoin on "+old.Name, 60*time.Second, func() bool {
		var n int
		back.QueryRow(`SELECT COUNT(*) FROM demands WHERE id = $1`, after.ID).Scan(&n)
		return n == 1
	})
	var onOld, onNew int
	var recovery bool
	back.QueryRow(`SELECT pg_is_in_recovery(), (SELECT COUNT(*) FROM demands)`).Scan(&recovery, &onOld)
	db.QueryRow(`SELECT COUNT(*) FROM demands`).Scan(&onNew)
	if !recovery || onOld < onNew-1 {
		t.Errorf("%s rejoined: in recovery %v, %d demands, the primary %d", old.Name, recovery, onOld, onNew)
	}
	t.Logf("%s rejoined as a replica in %s, with %d demands, the primary %d", old.Name, time.Since(rejoinAt).Round(time.Millisecond), onOld, onNew)
	if os.Getenv("FUGONG_HA_LOGS") != "" {
		t.Logf("fugong's log:\n%s", srv.logs)
	}
}

// browser is a logged-in web session.
type browser struct {
	base string
	http *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browse logs username in through the login form.
func browse(t *testing.T, f *fugong, username string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{base: f.url, http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	_, page := b.get(t, "/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page has no CSRF field")
	}
	res, err := b.http.PostForm(f.url+"/login", url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d", username, res.StatusCode)
	}
	return b
}

func (b *browser) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := b.http.Get(b.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}
