// Package load drives a running fugong over HTTP on 127.0.0.1 with the morning's mix —
// demand intake, daily enterprise reports, worker checks, list pages, the dashboard — at a
// set rate or as fast as it goes, and reports throughput and latency per operation.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	Target   string        // e.g. http://127.0.0.1:8080
	Password string        // the demo accounts' password
	Duration time.Duration // how long to drive
	Conns    int           // concurrent connections (workers)
	Rate     int           // requests per second in all; 0 = as fast as it goes
	// Mix names operations and weights, e.g. "demand_create=6,enterprise_list=1".
	Mix string
	// Accounts is how many enterprise and liaison accounts to log in and spread over.
	Accounts int
	// County, when set, logs in the accounts `fugong gen` made for that county
	// (command-430821, liaison-430821-001, township-430821-01) instead of the demo's.
	County string
}

// Op is one kind of request.
type Op struct {
	Name string
	// Role is the kind of account that makes the request: "province" (the account named
	// province, a province's command), "enterprise", "liaison",
	// "command" or "township".
	Role string
	// Build makes a request; n is a sequence number unique within the run.
	Build func(a *Account, n int64, rnd *rand.Rand) (method, path string, body any)
	// Want is the status that counts as success.
	Want int
	// Workers asks for each account's workers on duty (Account.Workers) after login.
	Workers bool
}

// Account is a logged-in demo account.
type Account struct {
	Username     string
	Token        string
	EnterpriseID int64
	// Workers are some of its enterprise's workers on duty, for ops that ask for them.
	Workers []int64
}

// Ops are the operations the mix may name. Capabilities register theirs here.
var Ops = map[string]Op{
	"enterprise_list": {Name: "enterprise_list", Role: "command", Want: 200,
		Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/enterprises?limit=50&offset=%d", rnd.IntN(6)*50), nil
		}},
	"enterprise_search": {Name: "enterprise_search", Role: "township", Want: 200,
		Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) {
			return "GET", "/api/v1/enterprises?q=" + url.QueryEscape([]string{"科技", "建材", "旅游", "9143"}[rnd.IntN(4)]), nil
		}},
	"me": {Name: "me", Role: "liaison", Want: 200,
		Build: func(a *Account, n int64, rnd *rand.Rand) (string, string, any) { return "GET", "/api/v1/me", nil }},
	"baseline_post": baselineOp,
}

// DefaultMix is the morning: intake, reports and temperature checks heavy, reads lighter,
// the dashboard about one request in eighty (it reads the whole county, some 80 ms of CPU
// for the demo county after a load run, and is looked at, not hammered).
const DefaultMix = "demand_create=30,daily_report=15,worker_check=20,enterprise_list=3,enterprise_search=3,stats_resumption=3,dashboard=1,me=5"

// Result is what one operation did.
type Result struct {
	Op        string
	Count     int
	Errors    int
	PerSecond float64
	P50, P95  time.Duration
	P99, Max  time.Duration
	// FirstError is the first unexpected answer, to say why errors happened.
	FirstError string
}

func (r Result) String() string {
	s := fmt.Sprintf("%-18s %8d req %9.0f/s  p50 %7s  p95 %7s  p99 %7s  max %7s  errors %d",
		r.Op, r.Count, r.PerSecond, r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(time.Millisecond), r.Errors)
	if r.FirstError != "" {
		s += " (first: " + r.FirstError + ")"
	}
	return s
}

type pick struct {
	op     Op
	weight int
}

// ParseMix reads "name=weight,…".
func ParseMix(mix string) ([]pick, error) {
	var out []pick
	for _, part := range strings.Split(mix, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, _ := strings.Cut(part, "=")
		op, ok := Ops[name]
		if !ok {
			names := make([]string, 0, len(Ops))
			for k := range Ops {
				names = append(names, k)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("unknown operation %q (have: %s)", name, strings.Join(names, ", "))
		}
		weight := 1
		if w != "" {
			if _, err := fmt.Sscan(w, &weight); err != nil || weight < 1 {
				return nil, fmt.Errorf("operation %s: weight %q is not a positive whole number", name, w)
			}
		}
		out = append(out, pick{op, weight})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the mix names no operation")
	}
	return out, nil
}

// Run logs in, drives the target for the duration, and returns one result per operation.
func Run(ctx context.Context, c Config, log io.Writer) ([]Result, error) {
	picks, err := ParseMix(c.Mix)
	if err != nil {
		return nil, err
	}
	if c.Conns <= 0 {
		c.Conns = 64
	}
	if c.Accounts <= 0 {
		c.Accounts = 10
	}
	tr := &http.Transport{MaxIdleConns: c.Conns * 2, MaxIdleConnsPerHost: c.Conns * 2, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	accounts := map[string][]*Account{}
	for _, p := range picks {
		if _, done := accounts[p.op.Role]; done {
			continue
		}
		n := c.Accounts
		if p.op.Role == "command" || p.op.Role == "province" {
			n = 1
		}
		for i := 1; i <= n; i++ {
			name := p.op.Role
			switch p.op.Role {
			case "enterprise", "liaison":
				name = fmt.Sprintf("%s%03d", p.op.Role, i)
			case "township":
				name = fmt.Sprintf("township%02d", (i-1)%26+1)
			}
			if c.County != "" && p.op.Role != "province" {
				name = genAccount(p.op.Role, c.County, i)
			}
			a, err := login(ctx, client, c.Target, name, c.Password)
			if err != nil {
				return nil, err
			}
			accounts[p.op.Role] = append(accounts[p.op.Role], a)
		}
		fmt.Fprintf(log, "logged in %d %s accounts\n", len(accounts[p.op.Role]), p.op.Role)
	}
	for _, p := range picks {
		for _, a := range accounts[p.op.Role] {
			if p.op.Workers && a.Workers == nil {
				if err := loadWorkers(ctx, client, c.Target, a); err != nil {
					return nil, err
				}
			}
		}
	}
	total := 0
	for _, p := range picks {
		total += p.weight
	}
	var tick <-chan time.Time
	if c.Rate > 0 {
		t := time.NewTicker(time.Second / time.Duration(c.Rate))
		defer t.Stop()
		tick = t.C
	}
	runCtx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	type sample struct {
		op  int
		d   time.Duration
		bad string
	}
	var seq atomic.Int64
	samples := make([][]sample, c.Conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c.Conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for runCtx.Err() == nil {
				if tick != nil {
					select {
					case <-tick:
					case <-runCtx.Done():
						return
					}
				}
				k := rnd.IntN(total)
				i := 0
				for ; k >= picks[i].weight; i++ {
					k -= picks[i].weight
				}
				op := picks[i].op
				as := accounts[op.Role]
				a := as[rnd.IntN(len(as))]
				method, path, body := op.Build(a, seq.Add(1), rnd)
				t0 := time.Now()
				status, msg, err := do(runCtx, client, c.Target, a.Token, method, path, body)
				d := time.Since(t0)
				if runCtx.Err() != nil {
					return // a request cut by the end of the run counts for nothing
				}
				bad := ""
				if err != nil {
					bad = err.Error()
				} else if status != op.Want && (op.Want != wantOK || status/100 != 2) {
					bad = fmt.Sprintf("%d %.200s", status, msg)
				}
				samples[w] = append(samples[w], sample{i, d, bad})
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	per := make([][]time.Duration, len(picks))
	res := make([]Result, len(picks))
	for i, p := range picks {
		res[i].Op = p.op.Name
	}
	for _, ss := range samples {
		for _, s := range ss {
			if s.bad != "" {
				res[s.op].Errors++
				if res[s.op].FirstError == "" {
					res[s.op].FirstError = s.bad
				}
				continue
			}
			per[s.op] = append(per[s.op], s.d)
		}
	}
	for i := range res {
		ds := per[i]
		slices.Sort(ds)
		res[i].Count = len(ds)
		res[i].PerSecond = float64(len(ds)) / elapsed.Seconds()
		if len(ds) > 0 {
			q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(float64(len(ds))*p))] }
			res[i].P50, res[i].P95, res[i].P99, res[i].Max = q(.50), q(.95), q(.99), ds[len(ds)-1]
		}
	}
	return res, nil
}

// login gets a token, waiting politely when the server's per-address login limit says so.
func login(ctx context.Context, c *http.Client, target, username, password string) (*Account, error) {
	var status int
	var body string
	var err error
	for try := 0; ; try++ {
		status, body, err = do(ctx, c, target, "", "POST", "/api/v1/auth/token", map[string]string{"username": username, "password": password})
		if err != nil {
			return nil, fmt.Errorf("log in %s: %w", username, err)
		}
		if status != http.StatusTooManyRequests || try > 120 {
			break
		}
		time.Sleep(time.Second)
	}
	if status != http.StatusCreated {
		return nil, fmt.Errorf("log in %s: %d %s", username, status, body)
	}
	var t struct{ Token string }
	json.Unmarshal([]byte(body), &t)
	a := &Account{Username: username, Token: t.Token}
	_, me, err := do(ctx, c, target, a.Token, "GET", "/api/v1/me", nil)
	if err != nil {
		return nil, err
	}
	var m struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	json.Unmarshal([]byte(me), &m)
	a.EnterpriseID = m.EnterpriseID
	return a, nil
}

func do(ctx context.Context, c *http.Client, target, token, method, path string, body any) (int, string, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, "", err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target+path, r)
	if err != nil {
		return 0, "", err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return res.StatusCode, string(b), nil
}
