package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fugong"
	"fugong/app"
	"fugong/auth"
	"fugong/demo"
	"fugong/notify"
	"fugong/server"
)

// serveFlags are the flags serve and demo share.
type serveFlags struct {
	addr, data, db, dbRead, keyFile, tz     *string
	logLevel                                *string
	smsURL, smsTemplate, smtpAddr, smtpFrom *string
	pprof, dashboardTTL, publicURL          *string
	trustedProxies, metricsToken, idle      *string
	secureCookies, hsts, requireTOTP        *bool
}

// addServeFlags adds the flags serve and demo share; requireTOTP is --require-totp's
// default (on for serve, off for the demo, whose accounts are shared for a showing).
func addServeFlags(f *flags, defData string, requireTOTP bool) serveFlags {
	return serveFlags{
		addr:           f.str("addr", "127.0.0.1:8080", "address to listen on"),
		data:           f.str("data", defData, "data folder (SQLite database, key file)"),
		db:             f.str("db", "", "database: empty for SQLite in the data folder, or a postgres:// URL"),
		dbRead:         f.str("db-read", "", "a postgres:// URL of a streaming replica (a Patroni standby, HAProxy's replica port) for figures, dashboards and exports; pages say how far behind it is"),
		keyFile:        f.str("key-file", "", "personal-data key file (default: DATA/fugong.key, made at first start)"),
		tz:             f.str("tz", "Asia/Shanghai", "the county's time zone"),
		logLevel:       f.str("log-level", "info", "debug, info, warn or error"),
		smsURL:         f.str("sms-url", "", "the SMS gateway's HTTP endpoint"),
		smsTemplate:    f.str("sms-template", "", "JSON body for the SMS gateway with {{.Phone}} and {{.Text}}"),
		smtpAddr:       f.str("smtp-addr", "", "SMTP server host:port for e-mail"),
		smtpFrom:       f.str("smtp-from", "", "the From address of e-mail"),
		pprof:          f.str("pprof", "", "loopback host:port to serve Go's profiles on (/debug/pprof/), for measuring; empty: off"),
		publicURL:      f.str("public-url", "", "the address people reach fugong at (https://fugong.example.gov.cn), printed in QR codes; demo: http://ADDR"),
		dashboardTTL:   f.str("dashboard-ttl", "5s", "how long the live dashboard's figures are shared by everyone who sees the same ones (0: computed for each request)"),
		trustedProxies: f.str("trusted-proxies", "", "reverse proxies whose X-Forwarded-For names the client: CIDRs or addresses, comma separated (10.0.0.0/8,127.0.0.1)"),
		metricsToken:   f.str("metrics-token", "", "a bearer token that lets a scraper off this machine read /metrics; without it /metrics answers loopback callers only"),
		idle:           f.str("idle-timeout", "30m", "end a browser session unused for this long (0: never)"),
		secureCookies:  f.boolean("secure-cookies", false, "set the Secure flag on cookies (serve behind TLS)"),
		hsts:           f.boolean("hsts", false, "send Strict-Transport-Security on every answer (behind a TLS proxy)"),
		requireTOTP:    f.boolean("require-totp", requireTOTP, "admin and command accounts must enrol a TOTP authenticator (RFC 6238) and give its code at login"),
	}
}

func (s serveFlags) config(stderr io.Writer) (app.Config, error) {
	loc, err := time.LoadLocation(*s.tz)
	if err != nil {
		return app.Config{}, usagef("--tz: unknown time zone %q", *s.tz)
	}
	if *s.db != "" && !strings.HasPrefix(*s.db, "postgres://") && !strings.HasPrefix(*s.db, "postgresql://") {
		return app.Config{}, usagef("--db: want a postgres:// URL or nothing, got %q", *s.db)
	}
	if *s.dbRead != "" && (*s.db == "" || (!strings.HasPrefix(*s.dbRead, "postgres://") && !strings.HasPrefix(*s.dbRead, "postgresql://"))) {
		return app.Config{}, usagef("--db-read: want a postgres:// URL of a replica of --db's PostgreSQL, got %q", *s.dbRead)
	}
	if _, _, err := net.SplitHostPort(*s.addr); err != nil {
		return app.Config{}, usagef("--addr: want host:port, got %q", *s.addr)
	}
	if *s.pprof != "" {
		host, _, err := net.SplitHostPort(*s.pprof)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return app.Config{}, usagef("--pprof: want a loopback host:port such as 127.0.0.1:6060, got %q", *s.pprof)
		}
	}
	ttl, err := time.ParseDuration(*s.dashboardTTL)
	if err != nil || ttl < 0 || ttl > time.Hour {
		return app.Config{}, usagef("--dashboard-ttl: want a duration from 0s to 1h, got %q", *s.dashboardTTL)
	}
	proxies, err := server.ParseProxies(*s.trustedProxies)
	if err != nil {
		return app.Config{}, usagef("--trusted-proxies: %v", err)
	}
	idle, err := time.ParseDuration(*s.idle)
	if err != nil || idle < 0 {
		return app.Config{}, usagef("--idle-timeout: want a duration such as 30m (0: never), got %q", *s.idle)
	}
	public, err := publicURL(*s.publicURL)
	if err != nil {
		return app.Config{}, err
	}
	log, err := newLogger(*s.logLevel, stderr)
	if err != nil {
		return app.Config{}, err
	}
	return app.Config{TrustedProxies: proxies, MetricsToken: *s.metricsToken, IdleTimeout: idle, SecureCookies: *s.secureCookies, HSTS: *s.hsts, RequireTOTP: *s.requireTOTP,
		PublicURL: public, DashboardTTL: ttl, Data: *s.data, DB: *s.db, ReadDB: *s.dbRead, KeyFile: *s.keyFile, Loc: loc, Log: log,
		Notify: notify.Config{SMSURL: *s.smsURL, SMSTemplate: *s.smsTemplate, SMTPAddr: *s.smtpAddr, From: *s.smtpFrom}}, nil
}

// publicURL checks --public-url: an absolute http or https address with a host and no
// query, fragment or credentials; it is returned without a trailing slash.
func publicURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", usagef("--public-url: want an http or https address such as https://fugong.example.gov.cn, got %q", v)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("serve", getenv, stdout)
	sf := addServeFlags(f, "data", true)
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := sf.config(stderr)
	if err != nil {
		return err
	}
	stopProfiles := serveProfiles(*sf.pprof, cfg)
	defer stopProfiles()
	return serve(ctx, cfg, *sf.addr, nil, nil)
}

// serveProfiles answers Go's profiles (net/http/pprof) on addr, a loopback address of
// their own and never the application's, until the returned function is called.
func serveProfiles(addr string, cfg app.Config) func() {
	if addr == "" {
		return func() {}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			cfg.Log.Error("pprof", "err", err)
		}
	}()
	cfg.Log.Info("profiles", "url", "http://"+addr+"/debug/pprof/")
	return func() { srv.Close() }
}

// serve starts the app and answers on addr until ctx ends. prepare, if set, runs before
// the listener opens (so /readyz is true only after it); ready runs once it is open.
func serve(ctx context.Context, cfg app.Config, addr string, prepare func(a *app.App) error, ready func(a *app.App, url string)) error {
	restore, err := privateTemp(cfg.Data)
	if err != nil {
		return err
	}
	defer restore()
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if prepare != nil {
		if err := prepare(a); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := "http://" + ln.Addr().String()
	cfg.Log.Info("fugong serving", "url", url, "db", redact(cfg.DSN()))
	if ready != nil {
		ready(a, url)
	}
	return a.Serve(ctx, ln)
}

// privateTemp makes DATA/tmp the server's temporary folder, emptied first: uploads
// spooled while they are read (the multipart form's file, a workers ledger between its
// preview and its confirmation) hold ID numbers in clear, and a server that died left
// its own there, in a folder no other program uses. restore gives the process its
// temporary folder back.
func privateTemp(data string) (restore func(), err error) {
	dir := filepath.Join(data, "tmp")
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("empty the temporary folder: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the temporary folder: %w", err)
	}
	old, had := os.LookupEnv("TMPDIR")
	os.Setenv("TMPDIR", dir)
	return func() {
		if had {
			os.Setenv("TMPDIR", old)
		} else {
			os.Unsetenv("TMPDIR")
		}
	}, nil
}

// redact hides a password in a database URL for the log.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if j := strings.LastIndex(dsn, "@"); j > i {
			return dsn[:i+3] + "…" + dsn[j:]
		}
	}
	return dsn
}

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("demo", getenv, stdout)
	sf := addServeFlags(f, "", false)
	password := f.str("password", "", "password for every demo account (default: one is made and printed)")
	clock := f.str("clock", demo.Start.Format(time.RFC3339), "the demo clock's start (RFC 3339) or now")
	if err := f.parse(args); err != nil {
		return err
	}
	cfg, err := sf.config(stderr)
	if err != nil {
		return err
	}
	switch *clock {
	case "now":
		cfg.Clock = fugong.SystemClock{}
	default:
		t, err := time.Parse(time.RFC3339, *clock)
		if err != nil {
			return usagef("--clock: want RFC 3339 (2020-03-09T08:00:00+08:00) or now, got %q", *clock)
		}
		cfg.Clock = fugong.NewOffsetClock(t)
	}
	if *password != "" {
		if err := checkPassword("", *password); err != nil {
			return err
		}
	}
	if cfg.Data == "" {
		dir, err := os.MkdirTemp("", "fugong-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.Data = dir
	}
	cfg.Demo = true
	if host, port, _ := net.SplitHostPort(*sf.addr); cfg.PublicURL == "" && port != "0" && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			cfg.PublicURL = "http://" + *sf.addr // a demo's QR codes lead to the demo itself
		}
	}
	start := time.Now()
	pw := *password
	if pw == "" {
		pw = auth.NewToken()[:12]
	}
	// The password is hashed (argon2id, some 60 ms of CPU) while the database is being
	// migrated, which is mostly the database's own work.
	type hashed struct {
		hash string
		err  error
	}
	hashc := make(chan hashed, 1)
	go func() {
		h, err := auth.HashPassword(pw)
		hashc <- hashed{h, err}
	}()
	prepare := func(a *app.App) error {
		exists, err := demo.Exists(ctx, a.DB)
		if err != nil || exists {
			if *password == "" {
				pw = "(unchanged: the one this demo was made with)"
			}
			return err
		}
		h := <-hashc
		if h.err != nil {
			return h.err
		}
		return demo.Build(ctx, a.DB, demo.Options{PasswordHash: h.hash, Keys: a.Keys})
	}
	stopProfiles := serveProfiles(*sf.pprof, cfg)
	defer stopProfiles()
	return serve(ctx, cfg, *sf.addr, prepare, func(a *app.App, url string) {
		printDemo(a, pw, stdout, url, start)
	})
}

// printDemo tells the newcomer where to go and how to log in as each role.
func printDemo(a *app.App, password string, stdout io.Writer, url string, start time.Time) {
	fmt.Fprintf(stdout, "慈利县 demo county is ready at %s (in %.1fs, data in %s)\n", url, time.Since(start).Seconds(), filepath.Clean(a.Data))
	fmt.Fprintf(stdout, "clock starts at %s\n", a.Clock.Now().In(a.Loc).Format(time.RFC3339))
	fmt.Fprintf(stdout, "accounts (password for all: %s):\n", password)
	for _, r := range []struct{ role, user string }{
		{"admin", "admin"}, {"command", "command"}, {"leader", "leader01"}, {"department", "dept01"}, {"township", "township01"},
		{"liaison", "liaison001"}, {"enterprise", "enterprise001"}, {"village", "village001"},
	} {
		fmt.Fprintf(stdout, "  %-11s %s\n", r.role, r.user)
	}
}
