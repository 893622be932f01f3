// Command fugong-baseline is the project's own minimal baseline for the intake figures
// (bench/intake.sh): a bare net/http server that decodes a demand's JSON and answers 201,
// with no database, or with one SQLite transaction per request (WAL, synchronous=FULL,
// the pure-Go driver fugong uses) writing the body as one row. It answers the login and
// /api/v1/me that `fugong load` makes first, so the same client drives it.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18900", "where to listen")
	data := flag.String("db", "", "a folder for the SQLite file: one transaction per request (none: no database)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *data); err != nil {
		fmt.Fprintln(os.Stderr, "fugong-baseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, data string) error {
	var db *sql.DB
	if data != "" {
		if err := os.MkdirAll(data, 0o755); err != nil {
			return err
		}
		var err error
		db, err = sql.Open("sqlite", "file:"+filepath.Join(data, "baseline.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_txlock=immediate")
		if err != nil {
			return err
		}
		defer db.Close()
		db.SetMaxOpenConns(1) // SQLite has one writer
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS demands (id INTEGER PRIMARY KEY, enterprise_id INTEGER, body TEXT NOT NULL, at INTEGER NOT NULL)`); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler(db)}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// handler answers the load client: a token for any login, an account for /api/v1/me,
// and 201 with the decoded body (and its row id) for any other request.
func handler(db *sql.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/auth/token":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"token":"baseline","expires_at":"2020-03-10T08:00:00+08:00"}`)
			return
		case "/api/v1/me", "/readyz":
			io.WriteString(w, `{"id":1,"enterprise_id":1}`)
			return
		}
		var v map[string]any
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		v["id"] = 1
		b, _ := json.Marshal(v)
		if db != nil {
			tx, err := db.BeginTx(r.Context(), nil)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			res, err := tx.ExecContext(r.Context(), `INSERT INTO demands (enterprise_id, body, at) VALUES ($1, $2, $3)`, v["enterprise_id"], string(b), time.Now().UnixMilli())
			if err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			id, _ := res.LastInsertId()
			v["id"] = id
			b, _ = json.Marshal(v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(b)
	})
}
