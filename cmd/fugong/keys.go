package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"fugong/secret"
)

// cmdKeys rotates the personal-data key without downtime: a new key is appended to the key
// file, running servers pick it up within seconds (they watch the file), and then every
// value sealed with an older key is re-sealed with the new one.
func cmdKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "reseal") {
		return usagef("want: keys rotate | keys reseal")
	}
	f := newFlags("keys "+args[0], getenv, stdout)
	data, dsn := dbFlags(f)
	keyFile := f.str("key-file", "", "the key file (default: DATA/fugong.key)")
	wait := f.Duration("wait", 12*time.Second, "after rotating, how long to let running servers load the new key before re-sealing")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	path := *keyFile
	if path == "" {
		path = filepath.Join(*data, "fugong.key")
	}
	if args[0] == "rotate" {
		id, err := secret.Rotate(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new key %s added to %s; waiting %s for running servers to load it\n", id, path, *wait)
		select {
		case <-time.After(*wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	keys, err := secret.Load(path, false)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *data, *dsn, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Reseal(ctx, keys)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d values re-sealed with key %s\n", n, keys.Current())
	return nil
}
