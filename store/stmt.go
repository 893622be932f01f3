package store

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"fugong"
)

// stmtCache keeps the hot write statements prepared on SQLite's one writer connection,
// so that a demand's inserts are not parsed again for every demand. A statement is
// prepared when it is first seen (it runs unprepared that once) by the group committer
// between two transactions, when the writer connection is free: preparing inside a
// transaction would wait for the connection the transaction holds. PostgreSQL needs
// none of this: pgx caches prepared statements per connection itself.
type stmtCache struct {
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	missed map[string]bool
}

// maxStmts bounds the cache; the hot paths use a few dozen statements (multi-row inserts
// come in up to seven sizes).
const maxStmts = 160

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stmts[query]
	if st == nil && len(c.stmts)+len(c.missed) < maxStmts {
		if c.missed == nil {
			c.missed = map[string]bool{}
		}
		c.missed[query] = true
	}
	return st
}

// prepareMissed prepares the statements seen since the last call. w must not be held by
// the caller.
func (c *stmtCache) prepareMissed(w *sql.DB) {
	c.mu.Lock()
	missed := c.missed
	c.missed = nil
	c.mu.Unlock()
	for q := range missed {
		st, err := w.Prepare(q)
		if err != nil {
			continue // it runs unprepared, as before
		}
		c.mu.Lock()
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		c.stmts[q] = st
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// preparedTx runs a group transaction's statements through the cache.
type preparedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

// Prepared returns a Querier over tx, a transaction of Group, that uses statements
// prepared once on the writer connection (SQLite); on PostgreSQL it is tx itself.
func (db *DB) Prepared(tx *sql.Tx) Querier {
	if db.Dialect.Name != "sqlite" {
		return tx
	}
	return preparedTx{tx: tx, c: &db.stmts}
}

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.c.get(query); st != nil {
		return p.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return p.tx.ExecContext(ctx, query, args...)
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.get(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.get(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

// PolicyTTL bounds how long a county's same-day settings are remembered; a change made
// through SetSetting in this process is seen at once, one made by another process
// sharing a PostgreSQL database within PolicyTTL.
const PolicyTTL = 5 * time.Second

type cachedPolicy struct {
	p  fugong.ClockPolicy
	at time.Time
}

// policyCache keeps each county's clock policy, so that raising a demand does not read
// the settings table every time.
type policyCache struct {
	mu  sync.Mutex
	gen int64
	m   map[string]cachedPolicy
}

func (c *policyCache) get(county string) (fugong.ClockPolicy, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[county]
	if !ok || time.Since(e.at) > PolicyTTL {
		return fugong.ClockPolicy{}, false
	}
	return e.p, true
}

func (c *policyCache) generation() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps p unless the settings changed since gen was read.
func (c *policyCache) put(county string, p fugong.ClockPolicy, gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil {
		c.m = map[string]cachedPolicy{}
	}
	c.m[county] = cachedPolicy{p: p, at: time.Now()}
}

func (c *policyCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

// readStmts keeps hot read statements prepared on SQLite's reader pool (database/sql
// prepares each on a connection the first time it runs there).
type readStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// queryRow runs a hot read through a statement prepared once; on PostgreSQL, where pgx
// caches statements itself, and past maxStmts it is an ordinary query.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.Dialect.Name != "sqlite" {
		return db.R.QueryRowContext(ctx, query, args...)
	}
	c := &db.reads
	c.mu.Lock()
	st := c.m[query]
	if st == nil && len(c.m) < maxStmts {
		var err error
		if st, err = db.R.PrepareContext(ctx, query); err == nil {
			if c.m == nil {
				c.m = map[string]*sql.Stmt{}
			}
			c.m[query] = st
		}
	}
	c.mu.Unlock()
	if st == nil {
		return db.R.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *readStmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
