package store

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A county's medians are answered from the last computation while a newer one runs
// behind the callers, up to staleFor TTLs old; older than that, the caller waits for a
// new one. Ages are set on the cached entry, not waited for.
func TestSharedStaleAnswersAtOnceAndRecomputesBehind(t *testing.T) {
	db := &DB{DashboardTTL: time.Minute}
	var computed atomic.Int64
	release := make(chan struct{})
	compute := func(context.Context) (any, error) {
		n := computed.Add(1)
		if n == 2 {
			<-release // the computation behind the callers takes its time
		}
		return n, nil
	}
	ctx := context.Background()
	age := func(d time.Duration) {
		db.dashMu.Lock()
		e := db.dashCache["k"]
		e.at = time.Now().Add(-d)
		db.dashCache["k"] = e
		db.dashMu.Unlock()
	}
	get := func() int64 {
		t.Helper()
		v, err := db.sharedStale(ctx, "k", compute)
		if err != nil {
			t.Fatal(err)
		}
		return v.(int64)
	}
	if v := get(); v != 1 {
		t.Fatalf("first: %d, want 1 (computed while waiting)", v)
	}
	if v := get(); v != 1 || computed.Load() != 1 {
		t.Fatalf("fresh: %d after %d computations, want 1 after 1", v, computed.Load())
	}
	age(2 * time.Minute) // past the TTL, within staleFor TTLs
	if v := get(); v != 1 {
		t.Fatalf("stale: %d, want the last value 1 at once while 2 is computed", v)
	}
	if v := get(); v != 1 {
		t.Fatalf("stale again while computing: %d, want 1", v)
	}
	close(release)
	for computed.Load() < 2 || get() != 2 {
		time.Sleep(time.Millisecond) // the one computation behind the callers ends
	}
	if n := computed.Load(); n != 2 {
		t.Fatalf("%d computations, want 2: callers during the recomputation share it", n)
	}
	age(staleFor * time.Minute) // too old to answer
	if v := get(); v != 3 {
		t.Fatalf("too old: %d, want 3 computed while waiting", v)
	}
}
