package store

import (
	"context"
	"sync"
)

// coalescer shares one computation among the callers that ask for the same thing while
// it waits to start: a caller that arrives during a computation waits for it to end and
// then for the next, which it shares with everyone who arrived meanwhile. So at most one
// computation per key runs at a time, and nobody gets an answer computed from before they
// asked (unlike a cache, or a singleflight that joins one already under way).
type coalescer struct {
	mu sync.Mutex
	m  map[string]*coalesceSlot
}

type coalesceSlot struct {
	running, next *coalesceFlight
}

type coalesceFlight struct {
	done chan struct{}
	v    any
	err  error
}

func (c *coalescer) do(ctx context.Context, key string, fn func(ctx context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*coalesceSlot{}
	}
	s := c.m[key]
	if s == nil {
		s = &coalesceSlot{}
		c.m[key] = s
	}
	if f := s.next; f != nil {
		c.mu.Unlock()
		return f.wait(ctx)
	}
	f := &coalesceFlight{done: make(chan struct{})}
	prev := s.running
	if prev == nil {
		s.running = f
	} else {
		s.next = f
	}
	c.mu.Unlock()
	if prev != nil {
		<-prev.done
		c.mu.Lock()
		s.running, s.next = f, nil
		c.mu.Unlock()
	}
	f.v, f.err = fn(context.WithoutCancel(ctx))
	c.mu.Lock()
	if s.running == f {
		s.running = nil
	}
	if s.running == nil && s.next == nil {
		delete(c.m, key)
	}
	c.mu.Unlock()
	close(f.done)
	return f.v, f.err
}

func (f *coalesceFlight) wait(ctx context.Context) (any, error) {
	select {
	case <-f.done:
		return f.v, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
