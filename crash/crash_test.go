// Package crash kills a running `fugong demo` with SIGKILL while enterprises raise
// demands, restarts it, and checks that every demand answered 201 survived intact and
// that the same-day clocks of those demands still fire after the restarts.
package crash

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "fugong/store" // registers the "sqlite" and "pgx" drivers
	"fugong/store/storetest"
)

const password = "crash-password-2020"

// kills is how many times each database sees the server killed.
const kills = 20

// checksPerRound bounds the daily checks one enterprise records in a round: kills rounds of
// them fit between 2000-01-01 and the demo's today.
const checksPerRound = 360

// binary builds fugong once per test binary.
var binary = struct {
	once sync.Once
	path string
	err  error
}{}

// TestMain removes the built binary when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

func build(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "fugong-crash-bin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "fugong")
		out, err := exec.Command("go", "build", "-o", binary.path, "fugong/cmd/fugong").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// acked is a demand, or a worker's daily check, the server answered 201 for.
type acked struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Description string `json:"description"`
	Day         string `json:"day"`
	Check       bool   `json:"-"`
}

// counts are what the test reports, for RELIABILITY.md.
type counts struct {
	requests, created, checks atomic.Int64
	kills, lost               int
}

func TestCrashDuringIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: starts and kills fugong 22 times per database")
	}
	bin := build(t)
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) { crashRun(t, bin, dialect) })
	}
}

// server is one run of `fugong demo`.
type server struct {
	cmd    *exec.Cmd
	url    string
	logs   *bytes.Buffer
	exited chan struct{} // closed once the process has ended and been waited for
}

func start(t *testing.T, bin, data, dsn, clock string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"demo", "--data", data, "--password", password, "--addr", addr, "--log-level", "warn"}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	if clock != "" {
		args = append(args, "--clock", clock)
	}
	s := &server{cmd: exec.Command(bin, args...), url: "http://" + addr, logs: &bytes.Buffer{}, exited: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Waited for once, here: a fugong that ends before it is ready (a bad flag, a failed
	// migration) fails the test at once instead of being polled for 90 seconds.
	go func() { s.cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(s.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.exited:
			t.Fatalf("fugong ended before it was ready (%v): %s", s.cmd.ProcessState, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.cmd.Process.Kill()
	<-s.exited
	t.Fatalf("fugong did not become ready in 90 s: %s", s.logs)
	return nil
}

func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.exited
}

// enterprise is an enterprise account holding a bearer token.
type enterprise struct {
	token  string
	id     int64
	worker int64 // a worker on duty, whose daily checks are recorded too; 0 if none
}

func post(url, token string, body any, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err // the answer was cut: not acknowledged
	}
	if out != nil {
		if err := json.Unmarshal(rb, out); err != nil {
			return 0, fmt.Errorf("%d %s: %w", res.StatusCode, rb, err)
		}
	}
	return res.StatusCode, nil
}

func login(t *testing.T, s *server, n int) enterprise {
	t.Helper()
	var tok struct{ Token string }
	user := fmt.Sprintf("enterprise%03d", n)
	if status, err := post(s.url+"/api/v1/auth/token", "", map[string]string{"username": user, "password": password}, &tok); err != nil || status != http.StatusCreated {
		t.Fatalf("token for %s: %d %v", user, status, err)
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var me struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	json.NewDecoder(res.Body).Decode(&me)
	e := enterprise{token: tok.Token, id: me.EnterpriseID}
	req, _ = http.NewRequest("GET", fmt.Sprintf("%s/api/v1/workers?enterprise_id=%d&status=%s&limit=1", s.url, e.id, url.QueryEscape("在岗")), nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if res, err := http.DefaultClient.Do(req); err == nil {
		var ws struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		json.NewDecoder(res.Body).Decode(&ws)
		res.Body.Close()
		if len(ws.Items) > 0 {
			e.worker = ws.Items[0].ID
		}
	}
	return e
}

// ackLog collects the demands answered 201 while the drivers run.
type ackLog struct {
	mu  sync.Mutex
	got []acked
}

func (l *ackLog) add(a acked) { l.mu.Lock(); l.got = append(l.got, a); l.mu.Unlock() }

func (l *ackLog) list() []acked { l.mu.Lock(); defer l.mu.Unlock(); return slices.Clone(l.got) }

// drive raises demands from every enterprise, concurrently, until stop closes; it
// returns the demands answered 201.
func drive(s *server, ents []enterprise, round int, c *counts, stop <-chan struct{}) []acked {
	var l ackLog
	driveInto(s, ents, round, c, stop, &l)
	return l.got
}

// driveInto is drive writing each 201 into l as it comes.
func driveInto(s *server, ents []enterprise, round int, c *counts, stop <-chan struct{}, l *ackLog) {
	var wg sync.WaitGroup
	for w, e := range ents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if n%2 == 1 && e.worker != 0 && n/2 < checksPerRound {
					// A daily check: one (worker, day, slot) per request, each round on days of
					// its own so that no two requests of the run collide; all of them between
					// 2000 and the demo's 9 March 2020, as fugong.CheckDay allows.
					day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, round*checksPerRound+n/2).Format(time.DateOnly)
					var ck acked
					c.requests.Add(1)
					status, err := post(fmt.Sprintf("%s/api/v1/workers/%d/checks", s.url, e.worker), e.token,
						map[string]any{"day": day, "slot": "am", "temperature_tenths": 365}, &ck)
					if err != nil {
						time.Sleep(10 * time.Millisecond)
						continue
					}
					if status == http.StatusCreated {
						if ck.Day != day {
							ck.Day = "answered for another request: " + day
						}
						ck.Check = true
						c.checks.Add(1)
						l.add(ck)
					}
					continue
				}
				text := fmt.Sprintf("崩溃测试 r%d w%d n%d 口罩%d个", round, w, n, 100+n)
				var d acked
				c.requests.Add(1)
				status, err := post(s.url+"/api/v1/demands", e.token, map[string]any{"enterprise_id": e.id, "category": "supplies",
					"description": text, "quantity": 100 + n, "fields": map[string]string{"item": "口罩"}}, &d)
				if err != nil {
					time.Sleep(10 * time.Millisecond) // the server is down
					continue
				}
				if status == http.StatusCreated {
					if d.Description != text {
						d.Description = "answered for another request: " + text // check counts it lost
					}
					c.created.Add(1)
					l.add(d)
				}
			}
		}()
	}
	wg.Wait()
}

func openDB(t *testing.T, data, dsn string) *sql.DB {
	t.Helper()
	driver, name := "sqlite", "file:"+filepath.Join(data, "fugong.db")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	if dsn != "" {
		driver, name = "pgx", dsn
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// check counts the acknowledged demands missing or changed in the database.
func check(t *testing.T, data, dsn string, all []acked) int {
	t.Helper()
	db := openDB(t, data, dsn)
	defer db.Close()
	lost := 0
	for _, a := range all {
		if a.Check {
			var day string
			if err := db.QueryRow(`SELECT day FROM worker_checks WHERE id = $1`, a.ID).Scan(&day); err != nil || day != a.Day {
				t.Errorf("daily check %d (%s) answered 201 is lost or changed: %q %v", a.ID, a.Day, day, err)
				lost++
			}
			continue
		}
		var number, text string
		err := db.QueryRow(`SELECT number, description FROM demands WHERE id = $1`, a.ID).Scan(&number, &text)
		if err != nil || number != a.Number || text != a.Description {
			t.Errorf("demand %d (%s %q) answered 201 is lost or changed: %q %q %v", a.ID, a.Number, a.Description, number, text, err)
			lost++
		}
	}
	return lost
}

func crashRun(t *testing.T, bin, dialect string) {
	data := t.TempDir()
	dsn := ""
	if dialect == "postgres" {
		dsn = storetest.DSN(t, dialect)
	}
	var c counts
	s := start(t, bin, data, dsn, "") // builds the demo county
	var ents []enterprise
	for n := 1; n <= 6; n++ {
		ents = append(ents, login(t, s, n))
	}
	var all []acked
	for round := 0; round < kills; round++ {
		stop := make(chan struct{})
		done := make(chan []acked)
		go func() { done <- drive(s, ents, round, &c, stop) }()
		time.Sleep(time.Duration(150+rand.IntN(600)) * time.Millisecond)
		s.kill(t)
		c.kills++
		close(stop)
		all = append(all, <-done...)
		s = start(t, bin, data, dsn, "")
		c.lost += check(t, data, dsn, all)
	}
	s.kill(t)

	// Every clock still fires: after the restarts, move the demo clock past every
	// deadline of 9 March; the jobs queued at intake mark each demand late and escalate it.
	s = start(t, bin, data, dsn, "2020-03-11T00:05:00+08:00")
	defer s.kill(t)
	db := openDB(t, data, dsn)
	defer db.Close()
	ids := map[int64]bool{}
	for _, a := range all {
		if !a.Check {
			ids[a.ID] = true
		}
	}
	var missed int
	deadline := time.Now().Add(60 * time.Second)
	for {
		missed = 0
		for id := range ids {
			var responseLate, sameDayLate bool
			var level string
			if err := db.QueryRow(`SELECT response_late, same_day_late, level FROM demands WHERE id = $1`, id).Scan(&responseLate, &sameDayLate, &level); err != nil {
				t.Fatal(err)
			}
			if responseLate && sameDayLate && level != "liaison" {
				delete(ids, id)
				continue
			}
			missed++
		}
		if missed == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if missed > 0 {
		t.Errorf("%d of %d demands were not marked late and escalated after the restarts", missed, len(all))
	}
	if c.created.Load() == 0 {
		t.Fatalf("no demand was answered 201: %s", s.logs)
	}
	if c.checks.Load() == 0 {
		t.Errorf("no daily check was answered 201: the drivers found no worker on duty")
	}
	t.Logf("%s: requests %d, demands answered 201 %d, daily checks answered 201 %d, kills %d, restarts %d, records lost %d, clocks missed %d",
		dialect, c.requests.Load(), c.created.Load(), c.checks.Load(), c.kills, c.kills+1, c.lost, missed)
}
