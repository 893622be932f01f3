package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// groupCommitter gathers concurrent writes into one transaction. A batch runs without
// savepoints and, when one write fails, again with each write in its own savepoint, so
// that the failing one is rolled back alone (see run); every caller is answered
// only after the shared transaction has committed (synchronous=FULL on SQLite), so an
// answer of success means the write is durable. One commit's fsync is shared by the whole
// batch, which is how intake goes past the one-transaction-per-request ceiling.
type groupCommitter struct {
	db      *DB
	reqs    chan *groupReq
	wg      sync.WaitGroup
	closing chan struct{}
	once    sync.Once
}

type groupReq struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan error
	// batch, when set, lets the committer write item together with the items of the
	// other requests of the same batch kind in one call of batch.Write; fn is the way to
	// write it alone.
	batch *Batch
	item  any
}

// Batch is a kind of write many requests make at once — a new demand, say. Write gets
// the items of all the batch's requests of this kind, in arrival order, and writes them
// with a few multi-row statements instead of a few statements each. If anything in the
// transaction fails, the batch is run again with each request's own fn in its own
// savepoint, so that only the failing request is refused.
type Batch struct {
	Write func(ctx context.Context, tx *sql.Tx, items []any) error
}

// maxBatch bounds a batch so that one commit never holds the writer for long.
const maxBatch = 256

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, reqs: make(chan *groupReq, 4096), closing: make(chan struct{})}
	workers := 1 // SQLite has one writer
	if db.Dialect.Name == "postgres" {
		workers = 4
	}
	for i := 0; i < workers; i++ {
		g.wg.Add(1)
		go g.loop(i)
	}
	return g
}

func (g *groupCommitter) stop() {
	g.once.Do(func() { close(g.closing) })
	g.wg.Wait()
}

// writerKey carries a group writer's number in the context its batches are written with.
type writerKey struct{}

// writerShard is the number of the group writer whose batch ctx belongs to: each writes
// its own rows of the kept figures (demand_day_stats), so that PostgreSQL's parallel
// writers never wait on each other's row locks.
func writerShard(ctx context.Context) int {
	n, _ := ctx.Value(writerKey{}).(int)
	return n
}

func (g *groupCommitter) loop(writer int) {
	defer g.wg.Done()
	batch := make([]*groupReq, 0, maxBatch)
	for {
		var first *groupReq
		select {
		case first = <-g.reqs:
		case <-g.closing:
			// Answer whatever is still queued before stopping.
			for {
				select {
				case r := <-g.reqs:
					r.done <- fmt.Errorf("database closing")
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		g.run(writer, batch)
	}
}

func (g *groupCommitter) run(writer int, batch []*groupReq) {
	errs, pre := make([]error, len(batch)), make([]error, len(batch))
	// On PostgreSQL a batch cut by a lost connection or a failover runs again, with the
	// same commit token, until it commits or the database stays away (retry.go).
	token := ""
	if g.db.Dialect.Name == "postgres" {
		token = newCommitToken()
	}
	deadline := time.Now().Add(g.db.retryFor())
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		g.runOnce(writer, batch, errs, pre, token)
		if token == "" || !g.retryable(batch, errs) || time.Now().Add(wait).After(deadline) {
			break
		}
		if g.db.OnRetry != nil {
			g.db.OnRetry(errs[0])
		}
		time.Sleep(wait)
	}
	g.answer(batch, errs)
}

// retryable reports whether the batch failed as a whole for a Retryable reason while
// some of its callers still wait.
func (g *groupCommitter) retryable(batch []*groupReq, errs []error) bool {
	waiting := false
	for i, r := range batch {
		if errs[i] != nil && Retryable(errs[i]) && r.ctx.Err() == nil {
			waiting = true
		}
	}
	return waiting
}

// runOnce runs the batch once; pre keeps each write's result as it stood before COMMIT.
func (g *groupCommitter) runOnce(writer int, batch []*groupReq, errs, pre []error, token string) {
	// Most batches have no failing write: run them without savepoints, which on SQLite
	// saves a statement journal page copy per table touched per write. When one fails,
	// the whole transaction is rolled back and the batch is run again, each write in its
	// own savepoint, so that only the failing one is refused.
	if len(batch) > 1 && g.try(writer, batch, errs, pre, false, token) {
		return
	}
	g.try(writer, batch, errs, pre, true, token)
}

// try runs the batch in one transaction and reports whether it committed with every
// write ok. Without savepoints, the first failure rolls everything back and reports false.
// A batch found committed by an earlier attempt (its token) keeps that attempt's errs.
func (g *groupCommitter) try(writer int, batch []*groupReq, errs, pre []error, savepoints bool, token string) bool {
	ctx := context.WithValue(context.Background(), writerKey{}, writer)
	tx, err := g.db.W.BeginTx(ctx, nil)
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("begin: %w", err)
		}
		return true
	}
	if token != "" {
		done, err := g.db.claimCommit(ctx, tx, token)
		if err != nil || done {
			tx.Rollback()
			if err != nil {
				for i := range errs {
					errs[i] = fmt.Errorf("commit token: %w", err)
				}
			} else {
				copy(errs, pre)
			}
			return true
		}
	}
	ok := 0
	var kinds map[*Batch][]any
	for i, r := range batch {
		errs[i] = nil
		if r.ctx.Err() != nil {
			errs[i] = r.ctx.Err()
			continue
		}
		if r.batch != nil && !savepoints && len(batch) > 1 {
			if kinds == nil {
				kinds = map[*Batch][]any{}
			}
			kinds[r.batch] = append(kinds[r.batch], r.item)
			ok++
			continue
		}
		if savepoints && len(batch) > 1 {
			errs[i] = savepoint(r.ctx, tx, r.fn)
		} else {
			errs[i] = r.fn(tx)
		}
		if errs[i] == nil {
			ok++
		} else if !savepoints && len(batch) > 1 {
			tx.Rollback()
			return false
		}
	}
	for b, items := range kinds {
		if err := b.Write(ctx, tx, items); err != nil {
			tx.Rollback()
			return false
		}
	}
	copy(pre, errs)
	if ok == 0 {
		tx.Rollback()
	} else if err := tx.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
	g.db.stmts.prepareMissed(g.db.W)
	return true
}

func (g *groupCommitter) answer(batch []*groupReq, errs []error) {
	for i, r := range batch {
		r.done <- errs[i]
	}
}

func savepoint(ctx context.Context, tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if _, rbErr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT w"); rbErr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rbErr)
		}
		tx.ExecContext(ctx, "RELEASE SAVEPOINT w")
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT w")
	return err
}

// Group runs fn in a transaction shared with other concurrent writers and returns once
// that transaction has committed (or fn's own error). fn must touch only what it needs:
// a failing fn is refused without disturbing the others. fn may run twice (when another
// write of its batch fails, the batch runs again with a savepoint per write), so it must
// set everything it outputs afresh on each run.
func (db *DB) Group(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.group.do(&groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// GroupBatch is Group for a write of kind b: item is written by b.Write together with the
// other items of kind b in the same transaction, or by fn alone when the batch has to be
// re-run write by write. Write and fn must write the same rows.
func (db *DB) GroupBatch(ctx context.Context, b *Batch, item any, fn func(tx *sql.Tx) error) error {
	return db.group.do(&groupReq{ctx: ctx, fn: fn, done: make(chan error, 1), batch: b, item: item})
}

func (g *groupCommitter) do(r *groupReq) error {
	ctx := r.ctx
	select {
	case g.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		// The write may still commit; the caller's answer is lost either way.
		return ctx.Err()
	}
}
