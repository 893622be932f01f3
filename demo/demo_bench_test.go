package demo_test

import (
	"context"
	"testing"
	"time"

	"fugong"
	"fugong/demo"
	"fugong/store/storetest"
)

// BenchmarkBuild builds the demo county into a fresh SQLite database: the bulk of the
// time `fugong demo` takes to answer /readyz the first time.
func BenchmarkBuild(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, "sqlite", fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
		b.StartTimer()
		if err := demo.Build(context.Background(), db, demo.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
