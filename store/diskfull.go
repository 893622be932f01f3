package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fugong"
)

// A full disk is not a fault of the request: the write is refused whole (SQLite and
// PostgreSQL roll the transaction back), the caller is told plainly to try later (503),
// and /readyz says not ready so that a load balancer sends the work elsewhere.

// minFreeBytes is the free space under which a SQLite data folder is not ready.
const minFreeBytes = 1 << 20

// diskFullGrace is how long /readyz stays not ready after a write failed for want of
// space (the only sign on PostgreSQL, whose disk is not ours to measure).
const diskFullGrace = 30 * time.Second

// IsDiskFull reports whether err is a write that failed for want of disk space:
// ENOSPC, SQLite's SQLITE_FULL, PostgreSQL's disk_full (SQLSTATE 53100).
func IsDiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "database or disk is full") || strings.Contains(m, "sqlite_full") ||
		strings.Contains(m, "sqlstate 53100") || strings.Contains(m, "no space left on device")
}

// Classify turns a disk-full failure into the unavailable error (503, "磁盘已满") and
// remembers it for /readyz; any other error is returned as it is.
func (db *DB) Classify(err error) error {
	if !IsDiskFull(err) {
		return err
	}
	db.diskFullAt.Store(db.Clock.Now().UnixMilli())
	return &fugong.Error{Code: fugong.EUNAVAILABLE, Message: fugong.M("error.disk_full"), Err: err}
}

// diskReady reports a full disk: the SQLite data folder's free space, and on either
// database a write refused for want of space within diskFullGrace.
func (db *DB) diskReady() error {
	if db.Path != "" {
		var st syscall.Statfs_t
		if err := syscall.Statfs(filepath.Dir(db.Path), &st); err == nil && uint64(st.Bavail)*uint64(st.Bsize) < minFreeBytes {
			return fmt.Errorf("disk full: %d bytes free in %s", uint64(st.Bavail)*uint64(st.Bsize), filepath.Dir(db.Path))
		}
	}
	if at := db.diskFullAt.Load(); at != 0 && db.Clock.Now().Sub(time.UnixMilli(at)) < diskFullGrace {
		return errors.New("disk full: a write was refused for want of space")
	}
	return nil
}
