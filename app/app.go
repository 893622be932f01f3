// Package app wires fugong's packages into one running service: the database, the keys,
// the pages, the API, the background jobs. The command and the end-to-end tests start it
// the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fugong"
	"fugong/api"
	"fugong/auth"
	"fugong/i18n"
	"fugong/jobs"
	"fugong/notify"
	"fugong/secret"
	"fugong/server"
	"fugong/store"
	"fugong/web"
)

// Config is everything a running fugong needs to know.
type Config struct {
	// Data is the data folder: the SQLite database and the key file live there.
	Data string
	// DB is a postgres:// URL, or empty for SQLite in Data.
	DB string
	// ReadDB is a postgres:// URL of a streaming replica for figures, dashboards and
	// exports (store.DB.ReadOnly); empty: they read the primary.
	ReadDB string
	// KeyFile holds the personal-data keys; empty means Data/fugong.key, made at first start.
	KeyFile string
	// Loc is the county's time zone (Asia/Shanghai by default).
	Loc   *time.Location
	Clock fugong.Clock
	Log   *slog.Logger
	// Demo marks a demo county: pages carry the demo banner.
	Demo bool
	// PublicURL is the base address people reach fugong at, without a trailing slash: the
	// links of printed QR codes start with it. Empty: no QR code is printed.
	PublicURL string
	// SecureCookies sets the Secure flag on cookies (behind TLS).
	SecureCookies bool
	// HSTS sends Strict-Transport-Security on every answer.
	HSTS bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies server.Proxies
	// MetricsToken lets a scraper off the machine read /metrics; empty: loopback only.
	MetricsToken string
	// IdleTimeout ends a browser session unused for that long; 0: never.
	IdleTimeout time.Duration
	// RequireTOTP makes admin and command accounts enrol a TOTP authenticator.
	RequireTOTP bool
	// Notify configures the SMS gateway and SMTP.
	Notify notify.Config
	// HTTPClient is used by the notification drivers; nil for a default with a timeout.
	HTTPClient *http.Client
	// DashboardTTL is how long the live dashboard's figures are shared by the callers who
	// see the same ones (store.DB.DashboardTTL); 0 computes them for every request.
	DashboardTTL time.Duration
}

// App is a running fugong.
type App struct {
	Config
	DB     *store.DB
	Keys   *secret.Keys
	Auth   *auth.Auth
	Web    *web.Server
	API    *api.Server
	Jobs   *jobs.Runner
	Notify *notify.Deliverer
	// Policies is the policy workflow's rule engine, time zone and notification texts.
	Policies store.PolicyEnv
	Handler  http.Handler
}

// DSN is the database the config names: the URL, or the SQLite file in the data folder.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.Data, "fugong.db")
}

// New opens the database (applying migrations) and builds every part.
func New(ctx context.Context, c Config) (*App, error) {
	if c.Loc == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, err
		}
		c.Loc = loc
	}
	if c.Clock == nil {
		c.Clock = fugong.SystemClock{}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.KeyFile == "" {
		c.KeyFile = filepath.Join(c.Data, "fugong.key")
	}
	keys, err := secret.Load(c.KeyFile, true)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, c.DSN(), c.Clock, true)
	if err == nil {
		db.DashboardTTL = c.DashboardTTL
	}
	if err != nil {
		return nil, err
	}
	db.Loc = c.Loc
	if c.ReadDB != "" {
		if err := db.OpenReplica(ctx, c.ReadDB); err != nil {
			db.Close()
			return nil, err
		}
	}
	cat, err := i18n.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: c, DB: db, Keys: keys}
	a.Auth = auth.New(db, c.Clock)
	a.Auth.Secure = c.SecureCookies
	a.Auth.IdleTimeout = c.IdleTimeout
	a.Auth.RequireTOTP, a.Auth.Keys = c.RequireTOTP, keys
	a.Jobs = jobs.New(db, c.Log)
	handleDemandClocks(a, cat)
	handleFloodWatch(a, cat)
	handleReports(a)
	a.Notify, err = notify.New(db, c.Log, c.Notify, c.HTTPClient)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Notify.Keys = keys
	if a.Policies, err = policyEnv(db, a.Jobs, cat, c.Loc); err != nil {
		db.Close()
		return nil, err
	}
	// Visits and the supply shortage rule raise real demands through the demand workflow.
	bridge := store.DemandBridge{Demands: store.NewDemands(db, c.Loc, cat)}
	health := &store.Health{DB: db, Keys: keys, Text: store.Chinese(cat), SupplyDemands: bridge}
	handleMissedChecks(a, health)
	a.Web, err = web.New(&web.Server{DB: db, Keys: keys, Auth: a.Auth, Cat: cat, Log: c.Log, Loc: c.Loc, Clock: c.Clock, Demo: c.Demo, PublicURL: c.PublicURL, Policies: a.Policies, Health: health, Demands: bridge,
		TestChannel: a.Notify.Drivers[fugong.ChannelWeCom].(notify.Robot).SendText})
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Jobs.Handle(store.JobRectificationOverdue, func(ctx context.Context, j fugong.Job) error {
		return db.NotifyOverdueRectification(ctx, j, c.Loc, store.Chinese(cat))
	})
	a.API = api.New(&api.Server{DB: db, Keys: keys, Auth: a.Auth, Cat: cat, Log: c.Log, Loc: c.Loc, Clock: c.Clock, PublicURL: c.PublicURL, Policies: a.Policies, Health: health, Demands: bridge,
		TestChannel: a.Notify.Drivers[fugong.ChannelWeCom].(notify.Robot).SendText})
	a.Handler = server.New(server.Config{DB: db, Auth: a.Auth, Log: c.Log, Web: a.Web, API: a.API,
		TrustedProxies: c.TrustedProxies, HSTS: c.HSTS, MetricsToken: c.MetricsToken})
	return a, nil
}

// watchKeys reloads the key file when it changes, so that a rotated key is used for new
// seals within seconds, without a restart.
func (a *App) watchKeys(ctx context.Context) error {
	last := modTime(a.KeyFile)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if m := modTime(a.KeyFile); !m.Equal(last) {
			if err := a.Keys.Reload(a.KeyFile); err != nil {
				a.Log.Error("reload keys", "err", err)
				continue
			}
			last = m
			a.Log.Info("keys reloaded", "current", a.Keys.Current())
		}
	}
}

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// sealClearHealth seals, once at start, the health records an upgraded county's rows
// still hold in clear from before they were sealed (store.DB.SealClearHealth).
func (a *App) sealClearHealth(ctx context.Context) error {
	n, err := a.DB.SealClearHealth(ctx, a.Keys)
	if n > 0 {
		a.Log.Info("health records kept in clear before sealing are sealed", "rows", n)
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve answers HTTP on ln and runs the background jobs until ctx ends, then shuts down
// gracefully: requests in flight get up to 10 seconds to finish.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
	bg, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for name, run := range map[string]func(context.Context) error{"jobs": a.Jobs.Run, "notify": a.Notify.Run, "keys": a.watchKeys, "reports": a.scheduleReports, "seal": a.sealClearHealth} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(bg); err != nil {
				a.Log.Error("background stopped", "part", name, "err", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutdownCtx); e != nil && err == nil {
		err = fmt.Errorf("shutdown: %w", e)
	}
	stop()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
