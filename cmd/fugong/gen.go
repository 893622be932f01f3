package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"fugong/auth"
	"fugong/gen"
	"fugong/secret"
)

// cmdGen writes a province-scale data set for benchmarks and load tests.
func cmdGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	d := gen.Defaults()
	f := newFlags("gen", getenv, stdout)
	data, dsn := dbFlags(f)
	counties := f.Int("counties", d.Counties, "counties (of the shipped Hunan list)")
	enterprises := f.Int("enterprises", d.Enterprises, "enterprises in all")
	workers := f.Int("workers", d.Workers, "workers in all")
	checks := f.Int("checks", d.Checks, "health checks in all")
	demands := f.Int("demands", d.Demands, "demands in all")
	visits := f.Int("visits", d.Visits, "liaison visits in all")
	reports := f.Int("reports", d.Reports, "daily enterprise reports in all")
	seed := f.Uint64("seed", d.Seed, "the generator's seed: the same seed gives the same data")
	password := f.str("password", "", "password of every generated account")
	keyFile := f.str("key-file", "", "the key file that seals the workers' personal data (default: DATA/fugong.key, made when missing)")
	profile := f.str("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := checkPassword("", *password); err != nil {
		return err
	}
	if *counties < 1 || *enterprises < *counties || *workers < 0 || *checks < 0 || *demands < 0 || *visits < 0 || *reports < 0 {
		return usagef("sizes must be positive, with at least one enterprise per county")
	}
	path := *keyFile
	if path == "" {
		path = filepath.Join(*data, "fugong.key")
	}
	keys, err := secret.Load(path, true)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *data, *dsn, true)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := auth.HashPassword(*password)
	if err != nil {
		return err
	}
	if *profile != "" {
		pf, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	err = gen.Run(ctx, db, gen.Options{Counties: *counties, Enterprises: *enterprises, Workers: *workers, Checks: *checks, Demands: *demands,
		Visits: *visits, Reports: *reports, Seed: *seed, Keys: keys, PasswordHash: hash, Progress: stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d counties, %d enterprises, %d workers, %d checks, %d demands, %d visits and %d daily reports in %s\n",
		*counties, *enterprises, *workers, *checks, *demands, *visits, *reports, time.Since(start).Round(time.Second))
	return nil
}
