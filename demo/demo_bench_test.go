package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fugong"
	"fugong/demo"
	"fugong/secret"
	"fugong/store/storetest"
)

// BenchmarkBuild builds the demo county into a fresh SQLite database: the bulk of the
// time `fugong demo` takes to answer /readyz the first time.
func BenchmarkBuild(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, "sqlite", fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
		keys, err := secret.Load(filepath.Join(b.TempDir(), "keys"), true)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := demo.Build(context.Background(), db, demo.Options{Keys: keys}); err != nil {
			b.Fatal(err)
		}
	}
}
