package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"fugong"
	"fugong/store"
	"fugong/store/storetest"
)

// What a failover looks like to the driver is retried; what the work itself did wrong is not.
func TestRetryable(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Code: code, Message: "x"} }
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"admin shutdown 57P01 (switchover, demotion)", pg("57P01"), true},
		{"crash shutdown 57P02", pg("57P02"), true},
		{"cannot connect now 57P03 (starting, in recovery)", pg("57P03"), true},
		{"read-only transaction 25006 (reached a standby)", pg("25006"), true},
		{"connection failure 08006", pg("08006"), true},
		{"cannot establish connection 08001", pg("08001"), true},
		{"connection exception 08000, wrapped twice", fmt.Errorf("commit: %w", fmt.Errorf("begin: %w", pg("08000"))), true},
		{"in a fugong error", &fugong.Error{Code: fugong.EINTERNAL, Err: pg("57P01")}, true},
		{"server closed the connection (EOF)", fmt.Errorf("read: %w", io.EOF), true},
		{"cut in the middle of an answer", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"connection reset", fmt.Errorf("write: %w", syscall.ECONNRESET), true},
		{"database/sql's bad connection", driver.ErrBadConn, true},
		{"no server to connect to", &pgconn.ConnectError{}, true},
		{"pgx's closed connection", errors.New("conn closed"), true},
		{"unique violation 23505", pg("23505"), false},
		{"foreign key violation 23503", pg("23503"), false},
		{"bad value 22P02", pg("22P02"), false},
		{"deadlock 40P01", pg("40P01"), false},
		{"wrong password 28P01", pg("28P01"), false},
		{"no rows", sql.ErrNoRows, false},
		{"transaction already done", sql.ErrTxDone, false},
		{"request cancelled", context.Canceled, false},
		{"request deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), false},
		{"SQLite busy", errors.New("database is locked (5) (SQLITE_BUSY)"), false},
		{"a refusal of fugong's", fugong.Conflict("error.stale"), false},
	} {
		if got := store.Retryable(c.err); got != c.want {
			t.Errorf("%s: Retryable = %v, want %v", c.name, got, c.want)
		}
	}
}

// A transaction whose connection is ended under it (a failover, an administrator) runs
// again on a new connection and writes once: in WithTx and in the group commit.
func TestWriteRetriedAfterLostConnection(t *testing.T) {
	db := storetest.Open(t, "postgres", nil)
	ctx := context.Background()
	if _, err := db.W.Exec(`CREATE TABLE retry_probe (n INT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	err := db.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO retry_probe (n) VALUES (1)`); err != nil {
			return err
		}
		if runs.Add(1) == 1 {
			_, err := tx.Exec(`SELECT pg_terminate_backend(pg_backend_pid())`)
			return err
		}
		return nil
	})
	if err != nil || runs.Load() != 2 {
		t.Fatalf("WithTx: %v after %d runs, want success after 2", err, runs.Load())
	}
	runs.Store(0)
	err = db.Group(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO retry_probe (n) VALUES (2)`); err != nil {
			return err
		}
		if runs.Add(1) == 1 {
			_, err := tx.Exec(`SELECT pg_terminate_backend(pg_backend_pid())`)
			return err
		}
		return nil
	})
	if err != nil || runs.Load() < 2 {
		t.Fatalf("Group: %v after %d runs, want success after a retry", err, runs.Load())
	}
	var n int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM retry_probe`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows %d %v, want 2", n, err)
	}
}

// A COMMIT that reached the server but whose answer the connection lost is not done
// twice: the retry finds the transaction's commit token and reports success; a COMMIT
// refused at commit time runs again.
func TestCommitWithoutAnswerIsNotWrittenTwice(t *testing.T) {
	dsn := storetest.DSN(t, "postgres")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := startCutProxy(t, u.Host)
	u.Host = p.addr
	// The caller's county goes with the commit token (00425): the retry finds the token
	// under the same county.
	ctx := fugong.WithActor(context.Background(), fugong.Actor{Username: "test", County: "430821"})
	db, err := store.Open(ctx, u.String(), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.W.Exec(`CREATE TABLE retry_probe (n SERIAL PRIMARY KEY, what TEXT)`); err != nil {
		t.Fatal(err)
	}
	for _, group := range []bool{false, true} {
		var runs atomic.Int32
		p.armed.Store(true) // the next COMMIT's answer is lost
		fn := func(tx *sql.Tx) error {
			runs.Add(1)
			_, err := tx.Exec(`INSERT INTO retry_probe (what) VALUES ($1)`, fmt.Sprint("group ", group))
			return err
		}
		if group {
			err = db.Group(ctx, fn)
		} else {
			err = db.WithTx(ctx, fn)
		}
		if err != nil {
			t.Fatalf("group %v: %v", group, err)
		}
		if p.cuts.Load() == 0 {
			t.Fatalf("group %v: the proxy never saw a COMMIT's answer", group)
		}
		p.cuts.Store(0)
		var n int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM retry_probe WHERE what = $1`, fmt.Sprint("group ", group)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("group %v: %d rows (%v) after %d runs, want 1", group, n, err, runs.Load())
		}
		if runs.Load() != 1 {
			t.Errorf("group %v: the work ran %d times, want once (its commit was found)", group, runs.Load())
		}
	}
	var kept int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM commit_tokens WHERE region_code = '430821'`).Scan(&kept); err != nil || kept == 0 {
		t.Errorf("no commit token kept with the caller's county (%v)", err)
	}
}

// cutProxy forwards TCP to a PostgreSQL server; armed, it drops the connection at the
// first answer to a COMMIT instead of passing it on, as a failing network would.
type cutProxy struct {
	addr  string
	armed atomic.Bool
	cuts  atomic.Int32
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(server, client); server.Close() }()
			go func() {
				defer wg.Done()
				defer client.Close()
				defer server.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := server.Read(buf)
					if n > 0 {
						// CommandComplete carries the tag "COMMIT\0".
						if bytes.Contains(buf[:n], []byte("COMMIT\x00")) && p.armed.CompareAndSwap(true, false) {
							p.cuts.Add(1)
							return
						}
						if _, err := client.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}
