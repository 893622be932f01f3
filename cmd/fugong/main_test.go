package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/secret"
)

func TestBadFlagsExit2WithOneLine(t *testing.T) {
	tests := [][]string{
		{"serve", "--no-such-flag"},
		{"serve", "--tz", "Mars/Olympus"},
		{"serve", "--db", "mysql://x"},
		{"serve", "--db-read", "postgres://replica/fugong"}, // a replica of what? --db is SQLite
		{"serve", "--db", "postgres://primary/fugong", "--db-read", "mysql://replica"},
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
		{"serve", "--trusted-proxies", "the-proxy"},
		{"serve", "--idle-timeout", "forever"},
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

// A backup is readable by its owner only; restore refuses to run without the key file
// that opens the backup's sealed personal data (or an explicit --new-key), refuses a key
// file that does not open it, and puts the right one in place with mode 0600.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	noenv := func(string) string { return "" }
	ctx := context.Background()
	if code := run(ctx, []string{"user", "add", "--data", dir, "--username", "it01", "--role", "admin", "--password", "long-enough-1"}, noenv, &out, &errb); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	keyFile := filepath.Join(dir, "fugong.key")
	keys, err := secret.Load(keyFile, true)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDB(ctx, dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`INSERT INTO checkpoints (id, region_code, name, township) VALUES (1, '430821', '零阳', '430821100')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`INSERT INTO checkpoint_entries (region_code, checkpoint_id, at, name, id_number, temperature) VALUES ('430821', 1, 0, '张三', $1, 365)`, keys.Seal("430821199001011234")); err != nil {
		t.Fatal(err)
	}
	db.Close()

	bak := filepath.Join(t.TempDir(), "b.db")
	if code := run(ctx, []string{"backup", "--data", dir, "--out", bak}, noenv, &out, &errb); code != 0 {
		t.Fatalf("backup: %d %s", code, errb.String())
	}
	if st, err := os.Stat(bak); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode: %v %v, want 0600", st.Mode(), err)
	}
	restore := func(args ...string) (int, string) {
		errb.Reset()
		return run(ctx, append([]string{"restore", "--in", bak}, args...), noenv, &out, &errb), errb.String()
	}
	dir2 := t.TempDir()
	if code, msg := restore("--data", dir2); code != 2 || !strings.Contains(msg, "--key-file") {
		t.Fatalf("restore without a key file: %d %q, want 2 naming --key-file", code, msg)
	}
	if _, err := os.Stat(filepath.Join(dir2, "fugong.db")); err == nil {
		t.Fatal("a refused restore left a database behind")
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if _, err := secret.Load(other, true); err != nil {
		t.Fatal(err)
	}
	if code, msg := restore("--data", dir2, "--key-file", other); code == 0 || !strings.Contains(msg, "key file does not open") {
		t.Fatalf("restore with another server's key file: %d %q, want a refusal", code, msg)
	}
	os.Chmod(keyFile, 0o644)
	if code, msg := restore("--data", dir2, "--key-file", keyFile); code != 0 {
		t.Fatalf("restore: %d %s", code, msg)
	}
	for _, name := range []string{"fugong.db", "fugong.key"} {
		if st, err := os.Stat(filepath.Join(dir2, name)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("restored %s: %v %v, want mode 0600", name, st.Mode(), err)
		}
	}
	restored, err := secret.Load(filepath.Join(dir2, "fugong.key"), false)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := restored.Open(keys.Seal("x")); err != nil || v != "x" {
		t.Errorf("the restored key file is not the backup's: %q %v", v, err)
	}
	out.Reset()
	if code := run(ctx, []string{"user", "list", "--data", dir2}, noenv, &out, &errb); code != 0 || !strings.Contains(out.String(), "it01") {
		t.Fatalf("restored database lacks the user: %d %q %s", code, out.String(), errb.String())
	}
	if code, msg := restore("--data", t.TempDir(), "--new-key"); code != 0 {
		t.Fatalf("restore --new-key: %d %s", code, msg)
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

// TestUserAddRegion: a county's role given a province's code is refused with a line that
// names the province role (exit 2), and the province role takes the province's code.
func TestUserAddRegion(t *testing.T) {
	dir := t.TempDir()
	noenv := func(string) string { return "" }
	add := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		args = append([]string{"user", "add", "--data", dir, "--password", "long-enough-1"}, args...)
		code := run(context.Background(), args, noenv, &out, &errb)
		return code, out.String(), errb.String()
	}
	for _, args := range [][]string{
		{"--username", "hq1", "--role", "command", "--region", "430000"},
		{"--username", "hq2", "--role", "command", "--county", "430800"},
	} {
		if code, _, errs := add(args...); code != 2 || !strings.Contains(errs, "--role province") {
			t.Errorf("%v: exit %d, %q; want 2 and the province role named", args, code, errs)
		}
	}
	if code, _, errs := add("--username", "hn", "--role", "province", "--region", "430821"); code != 2 || !strings.Contains(errs, "--region") {
		t.Errorf("province role on a county's code: exit %d, %q", code, errs)
	}
	if code, out, errs := add("--username", "hn", "--role", "province", "--region", "430000"); code != 0 || !strings.Contains(out, "(province)") {
		t.Fatalf("province role: exit %d, %q %q", code, out, errs)
	}
}
