package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenReplica sends the reads of figures, dashboards and exports (ReadOnly) to a
// PostgreSQL streaming replica at dsn — a standby of Patroni's cluster, or HAProxy's port
// to them — so that the primary keeps its time for intake. Every other read stays on the
// primary, which a user's own write must be seen by at once.
func (db *DB) OpenReplica(ctx context.Context, dsn string) error {
	if db.Dialect.Name != "postgres" {
		return fmt.Errorf("a read replica needs PostgreSQL (--db), not SQLite")
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return fmt.Errorf("read replica: want a postgres:// URL")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("open read replica: %w", err)
	}
	p := sql.OpenDB(waitConnector{Connector: stdlib.GetConnector(*cfg), wait: 5 * time.Second})
	p.SetMaxOpenConns(8)
	p.SetMaxIdleConns(8)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return fmt.Errorf("reach read replica: %w", err)
	}
	db.replica = &DB{Dialect: db.Dialect, W: db.W, R: p, Clock: db.Clock, Loc: db.Loc, DashboardTTL: db.DashboardTTL, group: db.group, RetryWait: db.RetryWait}
	return nil
}

// ReadOnly is the database for reads that may lag the primary by a few seconds: the read
// replica when one is open (OpenReplica), else db itself. Its writes still go to the primary.
func (db *DB) ReadOnly() *DB {
	if db.replica != nil {
		return db.replica
	}
	return db
}

// Staleness is how far behind the primary ReadOnly's figures may be.
type Staleness struct {
	// Replica is true when the reads come from a standby; the rest is zero otherwise.
	Replica bool
	// AsOf is the county clock's time of the last change the replica has applied (now
	// when it has applied all it received); Lag is how long ago that was.
	AsOf time.Time
	Lag  time.Duration
}

// Staleness asks the read replica how far it is behind (pg_last_xact_replay_timestamp):
// nothing on the primary itself or on SQLite.
func (db *DB) Staleness(ctx context.Context) (Staleness, error) {
	r := db.ReadOnly()
	if r == db || db.Dialect.Name != "postgres" {
		return Staleness{}, nil
	}
	var standby, caughtUp bool
	var lagSeconds float64
	// Caught up means it has applied all it received and is receiving: a WAL receiver
	// that is not streaming (stopped at a timeline switch after a failover until replay
	// reaches it, or cut off) has received nothing new, and "all of it applied" says
	// nothing of what the primary wrote since. Its status is hidden from a role without
	// pg_read_all_stats, which then counts as streaming while the receiver runs.
	err := r.R.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		COALESCE(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), FALSE)
			AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE COALESCE(status, 'streaming') = 'streaming'),
		COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8`).Scan(&standby, &caughtUp, &lagSeconds)
	if err != nil {
		return Staleness{}, fmt.Errorf("replica lag: %w", err)
	}
	if !standby {
		return Staleness{}, nil // promoted, or pointed at a primary: nothing lags
	}
	lag := time.Duration(lagSeconds * float64(time.Second))
	if caughtUp || lag < 0 {
		lag = 0 // nothing received is left to apply: as fresh as the primary
	}
	return Staleness{Replica: true, AsOf: db.Clock.Now().Add(-lag), Lag: lag}, nil
}
