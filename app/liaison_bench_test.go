package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"fugong/app/apptest"
)

// The command's morning pages on the demo county (162 liaisons, 6,470 visits).
func BenchmarkLiaisonPages(b *testing.B) {
	env := apptest.New(b, "sqlite", apptest.Options{})
	c := env.Login(b, "command")
	for _, path := range []string{"/liaison/boards", "/liaison/week", "/liaison/scorecard", "/responsibilities/gaps"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				if st, _ := c.Page(path); st != http.StatusOK {
					b.Fatalf("%s: %d", path, st)
				}
			}
		})
	}
}

// A liaison's visit with a demand, over HTTP, durable.
func BenchmarkVisitCreate(b *testing.B) {
	env := apptest.New(b, "sqlite", apptest.Options{})
	c := env.Login(b, "liaison001")
	var mine int64
	env.App.DB.R.QueryRow(`SELECT MIN(a.enterprise_id) FROM liaison_assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'liaison001'`).Scan(&mine)
	i := 0
	for b.Loop() {
		i++
		v := visitForm(mine, fmt.Sprintf("00000000-0000-4000-9000-%012d", i), env.Clock.Now().Add(-time.Hour))
		if st, _, _ := c.Form("/visits", v); st != http.StatusSeeOther {
			b.Fatalf("visit: %d", st)
		}
	}
}
