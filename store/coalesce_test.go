package store

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestCoalescerNeverAnswersFromBefore: callers that arrive while a computation runs do
// not get its answer (it may predate their own write), but share the next one.
func TestCoalescerNeverAnswersFromBefore(t *testing.T) {
	var c coalescer
	var written atomic.Int64
	var runs atomic.Int64
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan any)
	go func() {
		v, _ := c.do(ctx, "k", func(context.Context) (any, error) {
			v := written.Load()
			close(started)
			<-release
			return v, nil
		})
		first <- v
	}()
	<-started
	written.Store(1) // a write that the first computation did not see
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = c.do(ctx, "k", func(context.Context) (any, error) { runs.Add(1); return written.Load(), nil })
		}()
	}
	for {
		c.mu.Lock()
		waiting := c.m["k"].next != nil
		c.mu.Unlock()
		if waiting {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if v := <-first; v != int64(0) {
		t.Errorf("first caller: %v", v)
	}
	for i, v := range got {
		if v != int64(1) {
			t.Errorf("caller %d, arrived after the write, got %v", i, v)
		}
	}
	if runs.Load() > int64(len(got)) || runs.Load() < 1 {
		t.Errorf("%d computations", runs.Load())
	}
	if len(c.m) != 0 {
		t.Errorf("slots left: %v", c.m)
	}
}
