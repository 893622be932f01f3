package app_test

import (
	"io"
	"net/http"
	"sort"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/store/storetest"
)

// BenchmarkDashboard asks GET /api/v1/stats/dashboard for the demo county, one request at
// a time as a wall screen and a few desks do, on each database; it reports the p50 and
// p95 latency of the whole request (every panel, the 28-day trend, JSON).
func BenchmarkDashboard(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			env := apptest.New(b, d, apptest.Options{})
			c := env.APIClient(b, "command")
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				res := c.Do("GET", "/api/v1/stats/dashboard?date=2020-03-09", "", nil, nil)
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
