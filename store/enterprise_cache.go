package store

import (
	"sync"
	"time"

	"fugong"
)

// EnterpriseTTL bounds how long an enterprise as a caller sees it for intake (its
// township, name and liaison, and that it is in the caller's scope) is remembered. A
// change made in this process — an enterprise edited or imported, a liaison stationed or
// recalled — is seen at once; one made by another process sharing a PostgreSQL database
// within EnterpriseTTL, as for callers (auth.CallerTTL) and clock settings (PolicyTTL).
const EnterpriseTTL = 5 * time.Second

// entKey is one caller's view of one enterprise: what the scope clause depends on.
type entKey struct {
	role           fugong.Role
	county, region string
	user, ent, org int64
	target         int64
}

func entKeyOf(sc fugong.Scope, target int64) entKey {
	return entKey{role: sc.Role, county: sc.County, region: sc.Region, user: sc.UserID, ent: sc.EnterpriseID, org: sc.OrgUnitID, target: target}
}

// entSeen is what intake needs of an enterprise in the caller's scope.
type entSeen struct {
	township, name string
	liaison        int64
	at             time.Time
}

// entCache remembers, per caller and enterprise, what Demands.Prepare found in scope: the
// scoped point query it saves was a fifth of intake's CPU. Only what was found is kept; an
// enterprise out of scope is asked again every time.
type entCache struct {
	mu  sync.Mutex
	gen int64
	m   map[entKey]entSeen
}

func (c *entCache) get(k entKey) (entSeen, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Since(e.at) > EnterpriseTTL {
		return entSeen{}, false
	}
	return e, true
}

func (c *entCache) generation() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps e unless enterprises or stations changed since gen was read.
func (c *entCache) put(k entKey, e entSeen, gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) > 100_000 {
		c.m = map[entKey]entSeen{}
	}
	e.at = time.Now()
	c.m[k] = e
}

// forget drops everything: an enterprise or a liaison's station changed. Writers call it
// after their commit (and may before), so that nothing read before the change is kept.
func (c *entCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}
