package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBadFlagsExit2WithOneLine(t *testing.T) {
	tests := [][]string{
		{"serve", "--no-such-flag"},
		{"serve", "--tz", "Mars/Olympus"},
		{"serve", "--db", "mysql://x"},
		{"serve", "--log-level", "loud"},
		{"serve", "--pprof", "0.0.0.0:6060"},
		{"serve", "--dashboard-ttl", "soon"},
		{"serve", "--public-url", "fugong.example.gov.cn"},
		{"serve", "--public-url", "ftp://fugong.example.gov.cn"},
		{"demo", "--clock", "yesterday"},
		{"demo", "--password", "short"},
		{"migrate", "sideways"},
		{"load", "--target", "http://10.0.0.1:8080", "--password", "x"},
		{"load", "--duration", "forever", "--password", "x"},
		{"load", "--mix", "teleport=1", "--password", "x"},
		{"gen", "--password", "short"},
		{"gen", "--counties", "0", "--password", "long-enough-1"},
		{"gen", "--password", "1234567890"},
		{"user", "add", "--username", "it01", "--role", "admin", "--password", "12345678"},
		{"user", "add", "--username", "zhangsan01", "--role", "admin", "--password", "zhangsan01"},
		{"user", "passwd", "--username", "it01", "--password", "password123"},
		{"nonsense"},
	}
	for _, args := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, func(string) string { return "" }, &out, &errb)
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if code != 2 || len(lines) != 1 || lines[0] == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errb.String())
		}
	}
}

func TestEnvironmentSetsFlags(t *testing.T) {
	var out, errb bytes.Buffer
	env := map[string]string{"FUGONG_TZ": "Nowhere/Nothing"}
	code := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "Nowhere/Nothing") {
		t.Fatalf("FUGONG_TZ not read: %d %q", code, errb.String())
	}
}

// The demo answers /readyz, logs in, and is served again from the same folder.
func TestDemoStartsAndResumes(t *testing.T) {
	dir := t.TempDir()
	for round := 0; round < 2; round++ {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		var out, errb bytes.Buffer
		done := make(chan int)
		start := time.Now()
		go func() {
			done <- run(ctx, []string{"demo", "--addr", addr, "--data", dir, "--password", "demo-pass-1", "--log-level", "warn"}, func(string) string { return "" }, &out, &errb)
		}()
		ready := false
		for deadline := time.Now().Add(90 * time.Second); !ready && time.Now().Before(deadline); {
			if res, err := http.Get("http://" + addr + "/readyz"); err == nil {
				ready = res.StatusCode == 200
				res.Body.Close()
			}
			if !ready {
				time.Sleep(20 * time.Millisecond)
			}
		}
		if !ready {
			cancel()
			t.Fatalf("round %d: not ready; stderr: %s", round, errb.String())
		}
		t.Logf("round %d: /readyz answered after %v", round, time.Since(start).Round(time.Millisecond))
		res, err := http.Post("http://"+addr+"/api/v1/auth/token", "application/json", strings.NewReader(`{"username":"liaison001","password":"demo-pass-1"}`))
		if err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("round %d: demo login: %v %v", round, err, res)
		}
		res.Body.Close()
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("round %d: exit %d: %s", round, code, errb.String())
		}
		if round == 0 && !strings.Contains(out.String(), "liaison001") {
			t.Fatalf("the demo does not print the accounts: %s", out.String())
		}
	}
	if _, err := filepath.Glob(filepath.Join(dir, "fugong.db")); err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	noenv := func(string) string { return "" }
	if code := run(context.Background(), []string{"user", "add", "--data", dir, "--username", "it01", "--role", "admin", "--password", "long-enough-1"}, noenv, &out, &errb); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	bak := filepath.Join(t.TempDir(), "b.db")
	if code := run(context.Background(), []string{"backup", "--data", dir, "--out", bak}, noenv, &out, &errb); code != 0 {
		t.Fatalf("backup: %d %s", code, errb.String())
	}
	dir2 := t.TempDir()
	if code := run(context.Background(), []string{"restore", "--in", bak, "--data", dir2}, noenv, &out, &errb); code != 0 {
		t.Fatalf("restore: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"user", "list", "--data", dir2}, noenv, &out, &errb); code != 0 || !strings.Contains(out.String(), "it01") {
		t.Fatalf("restored database lacks the user: %d %q %s", code, out.String(), errb.String())
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
