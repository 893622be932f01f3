package auth

import (
	"sync"
	"time"
)

// CallerTTL bounds how long a bearer token's caller (user and scope) is remembered
// without asking the database. A revoked token, a disabled account or a new password in
// this process is forgotten at once (store.DB.AuthEpoch); a change made by another
// process on a shared PostgreSQL database, or a changed org unit's focus areas, is seen
// within CallerTTL.
const CallerTTL = 5 * time.Second

// maxCallers bounds the cache; past it, it starts afresh.
const maxCallers = 10000

type cachedCaller struct {
	c     *Caller
	epoch int64
	// at is when it was read, on the wall clock and on the platform's clock (a test's
	// manual clock may jump past a token's expiry).
	at, clockAt time.Time
}

// callerCache remembers who a bearer token belongs to, keyed by the token's hash. The
// intake of a province is bearer-token traffic: without it every request costs a
// token-and-user query before any work.
type callerCache struct {
	mu sync.Mutex
	m  map[string]cachedCaller
}

func (cc *callerCache) get(hash string, epoch int64, now time.Time) *Caller {
	cc.mu.Lock()
	e, ok := cc.m[hash]
	cc.mu.Unlock()
	if !ok || e.epoch != epoch || time.Since(e.at) > CallerTTL || now.Sub(e.clockAt) > CallerTTL || now.Before(e.clockAt) {
		return nil
	}
	return e.c
}

func (cc *callerCache) put(hash string, c *Caller, epoch int64, now time.Time) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.m == nil || len(cc.m) >= maxCallers {
		cc.m = map[string]cachedCaller{}
	}
	cc.m[hash] = cachedCaller{c: c, epoch: epoch, at: time.Now(), clockAt: now}
}
