// Package server is fugong's HTTP front: it mounts the pages (web) and the JSON API (api),
// adds the operations endpoints, and wraps every request in the same middleware —
// security headers, caller identification, metrics, logs, and recovery.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"fugong"
	"fugong/auth"
	"fugong/store"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config holds what the front needs.
type Config struct {
	DB   *store.DB
	Auth *auth.Auth
	Log  *slog.Logger
	Web  http.Handler // pages, static files
	API  http.Handler // /api/v1 and /open311/v2
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client.
	TrustedProxies Proxies
	// HSTS sends Strict-Transport-Security on every answer (behind a TLS proxy); without
	// it the header goes only on answers over TLS.
	HSTS bool
	// MetricsToken lets a scraper that is not on the loopback interface read /metrics
	// with "Authorization: Bearer TOKEN"; empty: /metrics answers loopback callers only.
	MetricsToken string
}

type routeKey struct{}

// SetRoute names the route pattern that served a request (e.g. "GET /enterprises/{id}"),
// for the metrics; web and api call it from their route wrappers.
func SetRoute(ctx context.Context, pattern string) {
	if p, ok := ctx.Value(routeKey{}).(*string); ok {
		*p = pattern
	}
}

// Status maps an error code to its HTTP status, for the pages and the API alike.
func Status(code string) int {
	switch code {
	case fugong.EINVALID:
		return http.StatusUnprocessableEntity
	case fugong.ENOTFOUND:
		return http.StatusNotFound
	case fugong.ECONFLICT:
		return http.StatusConflict
	case fugong.EFORBIDDEN:
		return http.StatusForbidden
	case fugong.EUNAUTH:
		return http.StatusUnauthorized
	case fugong.ETOOMANY:
		return http.StatusTooManyRequests
	case fugong.EMALFORMED:
		return http.StatusBadRequest
	case fugong.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// New builds the root handler.
func New(c Config) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(collectors.NewDBStatsCollector(c.DB.W, "write"))
	if c.DB.R != c.DB.W {
		reg.MustRegister(collectors.NewDBStatsCollector(c.DB.R, "read"))
	}
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fugong_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"})
	lat := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "fugong_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"route"})
	reg.MustRegister(reqs, lat)
	registerOperations(reg, c.DB)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := c.DB.Ready(ctx); err != nil {
			c.Log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", metricsGuard(c.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.Handle("/api/", c.API)
	mux.Handle("/open311/", c.API)
	mux.Handle("/", c.Web)

	return recoverer(c.Log, realIP(c.TrustedProxies, headers(c.HSTS, identify(c.Auth, c.Log, observe(c.Log, reqs, lat, mux)))))
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func observe(log *slog.Logger, reqs *prometheus.CounterVec, lat *prometheus.HistogramVec, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var route string
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, &route))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if route == "" {
			route = r.Pattern
		}
		if route == "" || route == "/" {
			route = "other"
		}
		d := time.Since(start)
		reqs.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		lat.WithLabelValues(route).Observe(d.Seconds())
		if sw.status >= 500 {
			log.Error("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", d.Milliseconds())
		} else {
			log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", d.Milliseconds())
		}
	})
}

// headers sets the security headers on every answer. The Content Security Policy allows
// no inline script or style: every script and style sheet is a vendored static file.
func headers(hsts bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
		if hsts || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// identify puts the caller, if any, into the request's context.
func identify(a *auth.Auth, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.Identify(r)
		if err != nil {
			log.Error("identify caller", "err", err)
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		if c != nil {
			r = r.WithContext(auth.WithCaller(r.Context(), c, auth.ClientIP(r)))
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a plain 500 and a log line; no stack trace reaches a user.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "path", r.URL.Path, "panic", p)
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte("服务器内部错误 / internal error\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
