package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fugong/load"
)

// cmdLoad drives a running fugong on this machine and prints throughput and latency per
// operation, one line each.
func cmdLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("load", getenv, stdout)
	target := f.str("target", "http://127.0.0.1:8080", "the running fugong (loopback only)")
	duration := f.str("duration", "30s", "how long to drive it")
	password := f.str("password", "", "the demo accounts' password")
	conns := f.Int("conns", 64, "concurrent connections")
	rate := f.Int("rate", 0, "requests per second in all (0: as fast as it goes)")
	mix := f.str("mix", load.DefaultMix, "operations and weights, e.g. demand_create=6,enterprise_list=1")
	accounts := f.Int("accounts", 10, "how many enterprise and liaison accounts to spread over")
	county := f.str("county", "", "log in the accounts `fugong gen` made for this county (e.g. 430821) instead of the demo's")
	baseline := f.Bool("baseline", false, "first measure this machine's ceiling: a minimal net/http + JSON server, same client, same duration")
	importRows := f.Int("import-workers", 0, "instead of the mix: write a workers ledger of this many rows and import it on enterprise001's health board (preview, then commit)")
	importFile := f.str("import-file", "", "with --import-workers: keep the ledger at this path (made once, reused) instead of a temporary file")
	pid := f.Int("pid", 0, "with --import-workers: the server's process id, to sample its resident memory")
	if err := f.parse(args); err != nil {
		return err
	}
	d, err := time.ParseDuration(*duration)
	if err != nil || d <= 0 {
		return usagef("--duration: want a duration like 30s, got %q", *duration)
	}
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" || !loopback(u.Hostname()) {
		return usagef("--target: want http://127.0.0.1:PORT (load goes to this machine only), got %q", *target)
	}
	if *password == "" {
		return usagef("--password: the demo accounts' password is needed to log in")
	}
	if *importRows > 0 {
		return importLoad(ctx, load.ImportConfig{Target: strings.TrimRight(*target, "/"), Username: "enterprise001", Password: *password, File: *importFile, PID: *pid}, *importRows, stdout)
	}
	if *conns < 1 || *rate < 0 {
		return usagef("--conns must be at least 1 and --rate not negative")
	}
	if _, err := load.ParseMix(*mix); err != nil {
		return usagef("--mix: %v", err)
	}
	cfg := load.Config{Target: strings.TrimRight(*target, "/"), Password: *password, Duration: d, Conns: *conns, Rate: *rate, Mix: *mix, Accounts: *accounts, County: *county}
	var base load.Result
	if *baseline {
		base, err = load.Baseline(ctx, cfg, stdout)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, base)
	}
	fmt.Fprintf(stdout, "load %s for %s with %d connections, rate %s, mix %s\n", *target, d, *conns, rateText(*rate), *mix)
	res, err := load.Run(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	for _, r := range res {
		line := r.String()
		if base.PerSecond > 0 {
			line += fmt.Sprintf("  (%.0f%% of the baseline)", 100*r.PerSecond/base.PerSecond)
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

func rateText(r int) string {
	if r == 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%d/s", r)
}

// importLoad writes (or reuses) a ledger of rows workers and imports it through the
// running server's health board, printing how long each step took and the server's memory.
func importLoad(ctx context.Context, cfg load.ImportConfig, rows int, stdout io.Writer) error {
	if cfg.File == "" {
		dir, err := os.MkdirTemp("", "fugong-import-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.File = filepath.Join(dir, "workers.xlsx")
	}
	if _, err := os.Stat(cfg.File); err != nil {
		start := time.Now()
		out, err := os.Create(cfg.File)
		if err != nil {
			return err
		}
		err = load.WriteWorkersLedger(out, rows, 0, 1)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(cfg.File)
			return err
		}
		st, _ := os.Stat(cfg.File)
		fmt.Fprintf(stdout, "wrote %s: %d rows, %d MiB in %.1fs\n", cfg.File, rows, st.Size()>>20, time.Since(start).Seconds())
	}
	res, err := load.Import(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	return nil
}
