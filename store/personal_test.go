package store_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"fugong/app"
	"fugong/app/apptest"
	"fugong/store"
)

// idNumber and mobile find what looks like a resident ID number (GB 11643) or a mainland
// mobile number in any bytes.
// opaque matches a keyed hash (64 hex digits) or a sealed value ("k1:base64").
var opaque = regexp.MustCompile(`^(?:[0-9a-f]{64}|k[0-9a-z]+:[A-Za-z0-9+/]+)$`)

var idNumber, mobile = regexp.MustCompile(`[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]`), regexp.MustCompile(`1[3-9]\d{9}`)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// No ID number or personal phone in clear in the database file, the logs or an export:
// every sealed column holds only values that open with the key, and a scan of the raw
// bytes finds no number but those allowed in clear (enterprises' contact phones, staff
// phones, credit codes).
func TestNoPersonalDataInClear(t *testing.T) {
	logs := &lockedBuffer{}
	env := apptest.New(t, "sqlite", apptest.Options{Configure: func(c *app.Config) {
		c.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}})
	ctx := context.Background()
	db := env.App.DB

	sealed := 0
	for _, col := range store.SealedColumns() {
		table, column, _ := strings.Cut(col, ".")
		rows, err := db.R.QueryContext(ctx, `SELECT `+column+` FROM `+table+` WHERE `+column+` <> ''`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			if _, err := env.App.Keys.Open(v); err != nil {
				t.Errorf("%s holds a value that is not sealed: %v", col, err)
			}
			sealed++
		}
		rows.Close()
	}

	// Traffic that writes logs and an export.
	c := env.Login(t, "command")
	for _, p := range []string{"/", "/enterprises", "/demands", "/audit"} {
		c.Page(p)
	}
	res := c.Do("GET", "/ledgers/enterprises/export?format=csv", "", nil, nil)
	export, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}

	allowed := map[string]bool{}
	for _, q := range []string{`SELECT contact_phone FROM enterprises`, `SELECT phone FROM users`, `SELECT phone FROM responsibility_overrides`, `SELECT uscc FROM enterprises`} {
		rows, err := db.R.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			allowed[v] = true
			for _, m := range mobile.FindAllString(v, -1) {
				allowed[m] = true
			}
		}
		rows.Close()
	}
	// Every text value of every table, one per line (scanning the raw file would join
	// neighbouring columns into numbers that are not there).
	var dbBytes []byte
	tables, err := db.R.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	for _, n := range names {
		rows, err := db.R.QueryContext(ctx, `SELECT * FROM "`+n+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					if opaque.MatchString(v) {
						continue // a keyed hash or a sealed value: its digits are not a number
					}
					dbBytes = append(append(dbBytes, v...), '\n')
				case []byte:
					dbBytes = append(append(dbBytes, v...), '\n')
				}
			}
		}
		rows.Close()
	}
	logs.mu.Lock()
	logBytes := clone(logs.b.Bytes())
	logs.mu.Unlock()
	leaks := 0
	for _, src := range []struct {
		name string
		b    []byte
	}{{"database", dbBytes}, {"logs", logBytes}, {"export", export}} {
		for _, re := range []*regexp.Regexp{idNumber, mobile} {
			for _, m := range re.FindAll(src.b, -1) {
				if re == idNumber && !checkDigit(string(m)) {
					continue // eighteen digits that are not an ID number
				}
				if !allowed[string(m)] && !inAllowed(allowed, string(m)) {
					leaks++
					if leaks < 10 {
						t.Errorf("%s holds %s in clear", src.name, m)
					}
				}
			}
		}
	}
	t.Logf("%d sealed columns (%v), %d sealed values open; scanned %d bytes of database, %d of logs, %d of export: %d leaks",
		len(store.SealedColumns()), store.SealedColumns(), sealed, len(dbBytes), len(logBytes), len(export), leaks)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// inAllowed reports whether m is part of an allowed value (a number inside a credit code).
func inAllowed(allowed map[string]bool, m string) bool {
	for v := range allowed {
		if len(v) > len(m) && strings.Contains(v, m) {
			return true
		}
	}
	return false
}

// checkDigit reports whether an 18-character ID number's last character is its GB 11643
// check character.
func checkDigit(id string) bool {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(id[i]-'0') * w
	}
	return strings.EqualFold(string("10X98765432"[sum%11]), id[17:])
}
