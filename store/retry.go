package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"fugong"

	"github.com/jackc/pgx/v5/pgconn"
)

// RetryFor is how long, by default, a write waits for PostgreSQL to come back when the
// connection is lost or the server it reached cannot write — a primary failing over to
// its synchronous standby (Patroni) takes its leader key's TTL plus a promotion, some
// 10 to 30 seconds. A request's own deadline ends the wait sooner.
const RetryFor = 60 * time.Second

// Retryable reports whether err is PostgreSQL going away or not taking writes — the
// connection lost or refused, the server shutting down or starting, a standby or demoted
// primary refusing a write — after which the same work may run again once the database
// answers. A refusal of the work itself (a constraint, a bad value, a cancelled request)
// is not retryable.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sql.ErrTxDone) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", // admin_shutdown: the server was stopped (a switchover, a demotion)
			"57P02", // crash_shutdown: another backend crashed
			"57P03", // cannot_connect_now: starting up or in recovery
			"25006", // read_only_sql_transaction: the connection reached a standby
			"40001": // serialization_failure, which a standby may raise on conflict with recovery
			return true
		}
		// Class 08: connection exception.
		return strings.HasPrefix(pe.Code, "08")
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true // no server answered at all (an auth failure is a PgError, above)
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	// pgx's own wording for a connection it closed after an earlier failure.
	return strings.Contains(err.Error(), "conn closed")
}

// retry runs fn until it succeeds, fails for a reason that is not Retryable, ctx ends or
// RetryFor has passed, waiting a little longer between tries. fn must be safe to run
// again: a read, or a write whose repetition is harmless. SQLite runs fn once.
func (db *DB) retry(ctx context.Context, fn func() error) error {
	if db.Dialect.Name != "postgres" {
		return fn()
	}
	deadline := time.Now().Add(db.retryFor())
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		err := fn()
		if err == nil || !Retryable(err) || time.Now().Add(wait).After(deadline) {
			return err
		}
		if db.OnRetry != nil {
			db.OnRetry(err)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

func (db *DB) retryFor() time.Duration {
	if db.RetryWait > 0 {
		return db.RetryWait
	}
	return RetryFor
}

// A commit token makes a transaction safe to run again when its COMMIT got no answer:
// the connection broke after the COMMIT was sent, so it may have committed or not. Every
// attempt of the transaction first inserts the same token; the attempt after a lost
// answer finds the token already there (waiting for the first attempt if that one is
// still committing) and knows the work is done, or inserts it and does the work again.
// After a failover the new primary holds every commit that was answered (synchronous
// replication), and a token it lacks belongs to a transaction that nobody was told of.
func newCommitToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// commitTokenKeep is how long tokens are kept; a retry comes within RetryFor.
const commitTokenKeep = time.Hour

// claimCommit inserts token in tx and reports whether an earlier attempt with the same
// token has committed already. Now and then it also drops tokens past commitTokenKeep.
func (db *DB) claimCommit(ctx context.Context, tx *sql.Tx, token string) (done bool, err error) {
	now := db.wallNow()
	// The token is kept with the caller's county (00425): on Citus, on the shard the
	// transaction writes. A retry runs with the same context, so with the same county.
	res, err := tx.ExecContext(ctx, `INSERT INTO commit_tokens (token, region_code, created_at) VALUES ($1, $2, $3) ON CONFLICT (token, region_code) DO NOTHING`,
		token, fugong.ActorFrom(ctx).County, now)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return true, nil
	}
	if db.tokenSweep.Add(1)%1024 == 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM commit_tokens WHERE created_at < $1`, now-commitTokenKeep.Milliseconds()); err != nil {
			return false, err
		}
	}
	return false, nil
}

// wallNow is the wall clock in Unix ms: tokens age by real time, whatever the county's
// clock says (the demo's runs in 2020).
func (db *DB) wallNow() int64 { return time.Now().UnixMilli() }

// waitConnector opens PostgreSQL connections, waiting while none can be made — the
// entry point (HAProxy, a multi-host URL) has no primary during a failover — until the
// caller's context ends or wait has passed.
type waitConnector struct {
	driver.Connector
	wait time.Duration
}

func (c waitConnector) Connect(ctx context.Context) (driver.Conn, error) {
	deadline := time.Now().Add(c.wait)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		conn, err := c.Connector.Connect(ctx)
		if err == nil || !Retryable(err) || time.Now().Add(wait).After(deadline) {
			return conn, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}
