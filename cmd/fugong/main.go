// Command fugong runs the 复工复产服务平台: serve, demo, migrate, user, backup, restore, version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC lets the heap grow to five times what is live before collecting (GOGC=400)
// unless GOGC is set: a server's live heap is a few tens of MiB, and collecting at twice
// that spent a tenth of intake's CPU in the collector. A soft limit of 160 MiB on Go's
// own memory (unless GOMEMLIMIT is set) makes it collect sooner whenever the heap would
// grow past it, so that the process (Go's memory, SQLite's page caches and the pure-Go
// driver's own allocations) stays under 256 MiB at 64 connections of intake: a county's
// VM is often 2 GiB shared with PostgreSQL. The trade is CPU spent collecting (README).
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// defaultMemoryLimit is the soft limit of Go's memory unless GOMEMLIMIT is set.
const defaultMemoryLimit = 160 << 20

// usageError is a bad command line: one line on stderr and exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `usage: fugong <command> [flags]

commands:
  serve     serve fugong (SQLite in --data, or --db postgres://…)
  demo      serve the demo county (慈利县, 9 March 2020)
  migrate   up | status: apply or list the database migrations
  user      add | passwd | list | disable: manage accounts
  backup    copy a running SQLite database consistently: backup --data DIR --out FILE
  restore   put a backup in place: restore --in FILE --data DIR (server stopped)
  keys      rotate | reseal: a new personal-data key without downtime
  gen       write a province-scale data set (100 counties, 100,000 enterprises, …)
  load      drive a running fugong on 127.0.0.1 and print throughput and p50/p95/p99 per operation
  version   print the version
Every flag can also be set as FUGONG_<FLAG>, e.g. FUGONG_ADDR=127.0.0.1:9000.
`

// run is the whole program; tests call it as main does.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, func(string) string, io.Writer, io.Writer) error{
		"serve": cmdServe, "demo": cmdDemo, "migrate": cmdMigrate, "user": cmdUser,
		"backup": cmdBackup, "restore": cmdRestore, "version": cmdVersion, "load": cmdLoad, "gen": cmdGen, "keys": cmdKeys,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "fugong: unknown command %q (try: fugong help)\n", args[0])
		return 2
	}
	err := cmd(ctx, args[1:], getenv, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "fugong %s: %s\n", args[0], firstLine(ue.msg))
		return 2
	default:
		fmt.Fprintf(stderr, "fugong %s: %v\n", args[0], err)
		return 1
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func cmdVersion(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "fugong", version)
	return nil
}

// flags is a flag set whose every flag also reads FUGONG_<NAME> from the environment.
type flags struct {
	*flag.FlagSet
	getenv func(string) string
	out    io.Writer
}

func newFlags(name string, getenv func(string) string, out io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, getenv: getenv, out: out}
}

func envName(name string) string {
	return "FUGONG_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

func (f *flags) str(name, def, help string) *string {
	if v := f.getenv(envName(name)); v != "" {
		def = v
	}
	return f.String(name, def, help+" ("+envName(name)+")")
}

// boolean is a boolean flag that FUGONG_NAME (true/false, 1/0) may also set.
func (f *flags) boolean(name string, def bool, help string) *bool {
	if v, err := strconv.ParseBool(f.getenv(envName(name))); err == nil {
		def = v
	}
	return f.Bool(name, def, help+" ("+envName(name)+")")
}

// parse parses args; a bad flag is a usage error naming it.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.SetOutput(f.out)
			f.PrintDefaults()
			return err
		}
		return usagef("%v", err)
	}
	if f.NArg() > 0 {
		return usagef("unexpected argument %q", f.Arg(0))
	}
	return nil
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level: want debug, info, warn or error, got %q", level)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}
