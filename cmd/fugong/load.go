package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
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
