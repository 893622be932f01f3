package crash

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/secret"
)

// `fugong keys rotate` while the server takes demands: no request fails, a value sealed
// before opens after, the new key seals, and the server goes on answering.
func TestKeysRotateWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("key rotation: starts fugong")
	}
	bin := build(t)
	data := t.TempDir()
	s := start(t, bin, data, "", "")
	defer s.kill(t)
	path := filepath.Join(data, "fugong.key")
	old, err := secret.Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	sealed := old.Seal("430821199001011234")
	var ents []enterprise
	for n := 1; n <= 4; n++ {
		ents = append(ents, login(t, s, n))
	}
	var c counts
	var log ackLog
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { driveInto(s, ents, 0, &c, stop, &log); close(done) }()
	out, err := exec.Command(bin, "keys", "rotate", "--data", data, "--wait", "3s").CombinedOutput()
	close(stop)
	<-done
	if err != nil {
		t.Fatalf("keys rotate: %v %s", err, out)
	}
	if failed := c.requests.Load() - c.created.Load() - c.checks.Load(); failed != 0 || c.created.Load() == 0 {
		t.Errorf("during the rotation %d of %d requests failed", failed, c.requests.Load())
	}
	now, err := secret.Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if now.Current() == old.Current() {
		t.Fatalf("the key file still seals with %s", old.Current())
	}
	if v, err := now.Open(sealed); err != nil || v != "430821199001011234" {
		t.Errorf("a value sealed with the old key does not open after the rotation: %v", err)
	}
	if fresh := now.Seal("13800138000"); !strings.HasPrefix(fresh, now.Current()+":") {
		t.Errorf("a new value is not sealed with the new key")
	}
	// The server still answers after it reloaded the key file.
	time.Sleep(200 * time.Millisecond)
	login(t, s, 5)
	t.Logf("rotated %s → %s while serving: %d requests, %d answered 201, 0 failed; output: %s", old.Current(), now.Current(), c.requests.Load(), c.created.Load(), strings.TrimSpace(string(out)))
}
