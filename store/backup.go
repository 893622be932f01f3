package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fugong/secret"
)

// Backup writes a consistent copy of a SQLite database to path while it is in use.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect.Name != "sqlite" {
		return errors.New("backup: PostgreSQL is backed up with pg_dump")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// A connection of its own: the read pool is query-only, and the writer must stay free
	// for the server while the copy is taken inside one read transaction.
	c, err := sql.Open("sqlite", "file:"+db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer c.Close()
	// The copy holds everything the database holds: it is made readable by its owner
	// only. VACUUM INTO writes into an empty file that exists, keeping its mode.
	f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := c.ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Restore copies a backup to dst (mode 0600) after checking that it opens as a fugong
// database and that keys, when not nil, open its sealed personal data; a database
// already at dst is moved aside with a time suffix.
func Restore(ctx context.Context, src, dst string, keys *secret.Keys) error {
	check, err := Open(ctx, src, nil, false)
	if err != nil {
		return fmt.Errorf("restore: %s does not open: %w", src, err)
	}
	var n int
	err = check.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	var sample string
	if err == nil && keys != nil {
		sample, err = check.SealedSample(ctx)
	}
	check.Close()
	if err != nil {
		return fmt.Errorf("restore: %s is not a fugong database: %w", src, err)
	}
	if sample != "" {
		if _, err := keys.Open(sample); err != nil {
			return fmt.Errorf("restore: the key file does not open the personal data sealed in %s (%w); give the key file saved with this backup", src, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		aside := dst + ".before-restore-" + time.Now().UTC().Format("20060102T150405")
		if err := os.Rename(dst, aside); err != nil {
			return err
		}
		os.Remove(dst + "-wal")
		os.Remove(dst + "-shm")
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst+".tmp", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(dst+".tmp", dst)
}
