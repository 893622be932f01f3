package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fugong"
	"fugong/load"
	"fugong/secret"
	"fugong/store"
	"fugong/store/storetest"
	"fugong/xlsx"
)

// benchEnterprise sets up a county with one enterprise and returns the health service
// and a command scope.
func benchEnterprise(b *testing.B) (*store.Health, fugong.Scope, int64) {
	b.Helper()
	dialect := "sqlite"
	if os.Getenv("FUGONG_BENCH_DIALECT") == "postgres" {
		dialect = "postgres" // a fresh database of FUGONG_TEST_POSTGRES's server
	}
	db := storetest.Open(b, dialect, fugong.NewManualClock(time.Date(2020, 3, 9, 8, 0, 0, 0, time.UTC)))
	keys, err := secret.Load(filepath.Join(b.TempDir(), "k"), true)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.W.Exec(`INSERT INTO regions (code, region_code, name, parent_code, level) VALUES ('430821', '430821', '慈利县', '430800', 'county'),
		('430821100000', '430821', '零阳街道', '430821', 'township')`); err != nil {
		b.Fatal(err)
	}
	e := fugong.Enterprise{County: "430821", Name: "基准企业", USCC: "91350100M000100Y43", Township: "430821100000", Payroll: 1000, Status: fugong.StatusResumed}
	if err := db.CreateEnterpriseTx(ctx, db.W, &e); err != nil {
		b.Fatal(err)
	}
	return &store.Health{DB: db, Keys: keys}, fugong.Scope{Role: fugong.RoleCommand, County: "430821", UserID: 1}, e.ID
}

func benchID(i int) string {
	first := fmt.Sprintf("430821%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000).Format("20060102"), i%1000)
	for _, c := range "0123456789X" {
		if fugong.CheckIDNumber(first+string(c)) == "" {
			return first + string(c)
		}
	}
	return ""
}

// resetPeakRSS returns freed memory to the system and starts the peak over (Linux 4.0+),
// so that what was measured before — a ledger written by the benchmark — is not counted.
func resetPeakRSS() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// hwm is the peak resident memory since the last reset, in MiB (VmHWM).
func hwm() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n >> 10
		}
	}
	return 0
}

// BenchmarkImportWorkers imports a generated ledger (load.WriteWorkersLedger) of
// FUGONG_BENCH_WORKERS workers (default 100,000; the quality bar is 1,000,000 in ≤ 60 s
// and ≤ 512 MiB) from .xlsx into SQLite (PostgreSQL with FUGONG_BENCH_DIALECT=postgres and
// FUGONG_TEST_POSTGRES), all in one transaction, reporting seconds, rows
// per second and the process's peak RSS during the imports (VmHWM, reset after the
// ledger is written). The whole path over HTTP, preview then commit, with the server's
// memory: fugong load --import-workers.
func BenchmarkImportWorkers(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("FUGONG_BENCH_WORKERS")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "workers.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := load.WriteWorkersLedger(f, n, 0, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	resetPeakRSS()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		h, sc, ent := benchEnterprise(b)
		b.StartTimer()
		in, _ := os.Open(path)
		start := time.Now()
		src := func(head func([]string) error, row func(int, []string) error) error {
			return xlsx.Explain(xlsx.EachRow(in, xlsx.WorkerLimits(), head, row))
		}
		res, err := h.ImportWorkers(context.Background(), sc, ent, src, true)
		in.Close()
		if err != nil || res.Rows != n {
			b.Fatalf("import: %v, %d rows", err, res.Rows)
		}
		secs := time.Since(start).Seconds()
		b.ReportMetric(secs, "s/import")
		b.ReportMetric(float64(n)/secs, "rows/s")
	}
	b.ReportMetric(float64(hwm()), "peakRSS-MiB")
}

// BenchmarkRecordCheck records daily checks from 32 goroutines through group commit
// (synchronous=FULL on SQLite), reporting checks per second.
func BenchmarkRecordCheck(b *testing.B) {
	h, sc, ent := benchEnterprise(b)
	ctx := context.Background()
	const workers = 20_000
	ws := make([]fugong.Worker, workers)
	for i := range ws {
		ws[i] = fugong.Worker{County: "430821", EnterpriseID: ent, Township: "430821100000", Name: "员工", IDNumber: benchID(i), Status: fugong.WorkerOnDuty,
			Health: fugong.HealthState{Gate: fugong.GateClear}}
	}
	if err := h.InsertWorkersTx(ctx, h.DB.W, ws); err != nil {
		b.Fatal(err)
	}
	var first int64
	h.DB.R.QueryRow(`SELECT MIN(id) FROM workers`).Scan(&first)
	var next atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			day := time.Date(2020, 3, 9, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(i/(2*workers))).Format(time.DateOnly)
			slot := fugong.SlotMorning
			if (i/workers)%2 == 1 {
				slot = fugong.SlotAfternoon
			}
			c := fugong.Check{WorkerID: first + i%workers, Day: day, Slot: slot, Temperature: 365}
			if err := h.RecordCheck(ctx, sc, &c); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "checks/s")
}
