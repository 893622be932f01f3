package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fugong/app/apptest"
	"fugong/store/storetest"
)

// BenchmarkDemandIntake raises demands over HTTP — token, validation, scope, the demand,
// its timeline and audit rows, its clock job, all answered only after a durable group
// commit — from 64 concurrent clients against an in-process server, on each database.
// It reports demands per second and the p50 and p99 latency.
func BenchmarkDemandIntake(b *testing.B) {
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			env := apptest.New(b, d, apptest.Options{})
			token := env.APIClient(b, "command").Token
			var ents []int64
			rows, err := env.App.DB.R.Query(`SELECT id FROM enterprises ORDER BY id LIMIT 300`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ents = append(ents, id)
			}
			rows.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}, Timeout: 30 * time.Second}
			const workers = 64
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						body, _ := json.Marshal(map[string]any{"enterprise_id": ents[i%len(ents)], "category": "supplies", "description": fmt.Sprintf("口罩 %d", i),
							"quantity": 300, "fields": map[string]string{"item": "口罩"}})
						req, _ := http.NewRequest("POST", env.URL+"/api/v1/demands", bytes.NewReader(body))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						t0 := time.Now()
						res, err := client.Do(req)
						if err != nil {
							failed.Add(1)
							continue
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						lat[i] = time.Since(t0)
						if res.StatusCode != http.StatusCreated {
							failed.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d requests failed", n, b.N)
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "demands/s")
			b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(lat[min(b.N-1, b.N*99/100)].Microseconds())/1000, "p99_ms")
		})
	}
}
