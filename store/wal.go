package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// walCheckpointer copies SQLite's write-ahead log back into the database file from a
// connection of its own, on the other core, so that the one writer seldom does it inside a
// commit. SQLite's automatic checkpoint runs in the commit that crosses 1,000 pages of log
// and, with its fsync of the database file, took a tenth of the writer's time under
// intake. The writer's automatic checkpoint is kept, at 10,000 pages (40 MiB of log), as
// the backstop that lets the log restart from its beginning — which happens only right
// after a checkpoint that caught up — and then finds the pages already copied by this
// one's PASSIVE checkpoint every interval, which waits for no one.
type walCheckpointer struct {
	conn *sql.DB
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
}

const walInterval = 100 * time.Millisecond

func startWALCheckpointer(dsn string) (*walCheckpointer, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &walCheckpointer{conn: conn, stop: make(chan struct{})}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		t := time.NewTicker(walInterval)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				c.conn.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)") // a busy or failed one is tried again next tick
			}
		}
	}()
	return c, nil
}

func (c *walCheckpointer) close() error {
	if c == nil {
		return nil
	}
	var err error
	c.once.Do(func() { // DB.Close may be called twice
		close(c.stop)
		c.done.Wait()
		err = c.conn.Close()
	})
	return err
}
