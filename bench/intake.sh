#!/usr/bin/env bash
# Demand intake figures anyone can rerun (issue 23): builds fugong and the project's own
# minimal baseline (cmd/fugong-baseline), starts each on 127.0.0.1, and runs interleaved
# rounds of
#   baseline      a bare net/http server decoding the same JSON, no database
#   baseline-tx   the same with one SQLite transaction per request (WAL, synchronous=FULL)
#   sqlite        fugong's durable intake on SQLite (POST /api/v1/demands, a fresh demo county)
#   postgres      the same on PostgreSQL (a fresh database), when FUGONG_BENCH_POSTGRES is set
#   raw-*         the database's own limit for the same rows (store's BenchmarkDemandRows:
#                 one transaction per demand, and 100 demands per transaction as multi-row INSERTs)
# all driven by the same client (`fugong load`), recording the load average before and after
# every round, the server's CPU per request and its peak RSS, then prints the medians and
# the ratios. The machine is shared: compare ratios, and look at the load average.
#
#   bench/intake.sh                      # 3 rounds of 20 s at 64 connections, SQLite only
#   FUGONG_BENCH_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
#   ROUNDS=3 DURATION=20s CONNS=64 bench/intake.sh
#
# BENCH_DIR (default: a new folder under /tmp) keeps the binaries, data and results.tsv.
# PROFILE=1 adds a CPU profile of SQLite intake and prints where the server's CPU goes.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
PG=${FUGONG_BENCH_POSTGRES:-}
PORT=${PORT:-18931}
PASSWORD=bench-intake-1
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_DIR:-$(mktemp -d /tmp/fugong-bench.XXXXXX)}
mkdir -p "$out"
results=$out/results.tsv
tick=$(getconf CLK_TCK)

echo "building into $out"
(cd "$repo" && go build -o "$out/fugong" ./cmd/fugong && go build -o "$out/fugong-baseline" ./cmd/fugong-baseline && go test -c -o "$out/store.test" ./store)
echo "go: $(go version | cut -d' ' -f3-)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')   nproc: $(nproc)   GOGC=${GOGC:-default} GOMEMLIMIT=${GOMEMLIMIT:-default}"
printf 'round\tkind\tload_before\tload_after\tper_s\tp50\tp99\tcpu_us\trss_mib\n' >"$results"

load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
wait_ready() {
	for _ in $(seq 1 300); do
		curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz" && return 0
		sleep 0.1
	done
	echo "server on $PORT not ready" >&2
	return 1
}
# field N of the result line of op in a `fugong load` output
field() { awk -v op="$1" -v n="$2" '$1 == op {print $n}' "$3"; }
# a duration as fugong load prints it (950µs, 18.6ms, 1.2s) in milliseconds
ms() { awk -v d="$1" 'BEGIN { if (d ~ /µs$/) { sub(/µs$/, "", d); print d / 1000 } else if (d ~ /ms$/) { sub(/ms$/, "", d); print d + 0 } else { sub(/s$/, "", d); print d * 1000 } }'; }

# serve KIND ROUND CMD...: start a server, drive it, record a line, stop it.
serve() {
	local kind=$1 round=$2 op=$3
	shift 3
	"$@" >"$out/$kind.$round.server.log" 2>&1 &
	local pid=$!
	wait_ready
	echo 5 >"/proc/$pid/clear_refs" # the peak RSS from here on: intake, not start-up
	local before c0 log=$out/$kind.$round.load.log
	before=$(load1)
	c0=$(cpu_ticks $pid)
	"$out/fugong" load --target "http://127.0.0.1:$PORT" --password "$PASSWORD" --duration "$DURATION" --conns "$CONNS" --mix "$op=1" --accounts 10 >"$log"
	local c1 rss after n rate p50 p99
	c1=$(cpu_ticks $pid)
	rss=$(peak_rss $pid)
	after=$(load1)
	kill $pid
	wait $pid 2>/dev/null || true
	n=$(field "$op" 2 "$log")
	rate=$(field "$op" 4 "$log")
	p50=$(ms "$(field "$op" 6 "$log")")
	p99=$(ms "$(field "$op" 10 "$log")")
	local cpu_us
	cpu_us=$(awk -v c=$((c1 - c0)) -v t="$tick" -v n="$n" 'BEGIN { printf "%.0f", n ? c / t * 1e6 / n : 0 }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$before" "$after" "${rate%/s}" "$p50" "$p99" "$cpu_us" "$rss" >>"$results"
	printf '  %-22s load %5s → %5s  %8s  p50 %6s ms  p99 %6s ms  %5s µs CPU/request  peak RSS %4s MiB\n' "$kind" "$before" "$after" "$rate" "$p50" "$p99" "$cpu_us" "$rss"
}

# raw ROUND: the database's own limit for the same rows, demands per second.
raw() {
	local round=$1 before after log=$out/raw.$1.log
	before=$(load1)
	(cd "$repo/store" && FUGONG_TEST_POSTGRES=$PG "$out/store.test" -test.run '^$' -test.bench 'BenchmarkDemandRows/.*/(tx1|tx100rows)$' -test.benchtime 3000x) >"$log" 2>&1
	after=$(load1)
	awk -v r="$round" -v b="$before" -v a="$after" '/demands\/s/ { n = split($1, p, "/"); kind = "raw-" p[2] "-" p[3]; sub(/-[0-9]+$/, "", kind)
		for (i = 1; i <= NF; i++) if ($i == "demands/s") v = $(i - 1)
		printf "%s\t%s\t%s\t%s\t%s\t\t\t\t\n", r, kind, b, a, v }' "$log" | tee -a "$results" | awk -F'\t' '{ printf "  %-22s load %5s → %5s  %8.0f/s\n", $2, $3, $4, $5 }'
}

for round in $(seq 1 "$ROUNDS"); do
	echo "round $round ($(date -u +%H:%M:%S) UTC)"
	serve baseline "$round" baseline_post "$out/fugong-baseline" --addr "127.0.0.1:$PORT"
	rm -rf "$out/btx"
	serve baseline-tx "$round" baseline_post "$out/fugong-baseline" --addr "127.0.0.1:$PORT" --db "$out/btx"
	rm -rf "$out/demo"
	serve sqlite "$round" demand_create "$out/fugong" demo --addr "127.0.0.1:$PORT" --data "$out/demo" --password "$PASSWORD" --log-level warn
	if [ -n "$PG" ]; then
		db=fugong_bench_$$_$round # per run of the script: two runs at once do not collide
		psql -q "$PG" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
		dsn=$(echo "$PG" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
		rm -rf "$out/pgdata"
		serve postgres "$round" demand_create "$out/fugong" demo --addr "127.0.0.1:$PORT" --db "$dsn" --data "$out/pgdata" --password "$PASSWORD" --log-level warn
		psql -q "$PG" -c "DROP DATABASE IF EXISTS $db"
	fi
	raw "$round"
done

# With PROFILE=1: a CPU profile of the server during SQLite intake (10 s in the middle of
# DURATION, which should be 15 s or more), and where its CPU goes (go tool pprof -top).
if [ -n "${PROFILE:-}" ]; then
	rm -rf "$out/demo"
	"$out/fugong" demo --addr "127.0.0.1:$PORT" --data "$out/demo" --password "$PASSWORD" --log-level warn --pprof "127.0.0.1:$((PORT + 1))" >"$out/profile.server.log" 2>&1 &
	pid=$!
	wait_ready
	before=$(load1)
	"$out/fugong" load --target "http://127.0.0.1:$PORT" --password "$PASSWORD" --duration "$DURATION" --conns "$CONNS" --mix demand_create=1 --accounts 10 >"$out/profile.load.log" &
	lpid=$!
	sleep 3
	curl -fs -o "$out/sqlite.cpu.pprof" "http://127.0.0.1:$((PORT + 1))/debug/pprof/profile?seconds=10"
	wait $lpid
	echo "profile of SQLite intake (load $before → $(load1)): $(awk '$1 == "demand_create"' "$out/profile.load.log")"
	kill $pid
	wait $pid 2>/dev/null || true
	go tool pprof -top -nodecount=30 "$out/fugong" "$out/sqlite.cpu.pprof" 2>/dev/null | head -40
	echo "cumulative, by where it is spent:"
	go tool pprof -top -cum -nodecount=40 "$out/fugong" "$out/sqlite.cpu.pprof" 2>/dev/null | tail -40
fi

echo
echo "medians of $ROUNDS rounds ($DURATION at $CONNS connections); results in $results"
awk -F'\t' '
	NR == 1 { next }
	{ k = $2; n[k]++; rate[k, n[k]] = $5; p99[k, n[k]] = $7; cpu[k, n[k]] = $8; if ($9 > rss[k]) rss[k] = $9
	  load[k] = load[k] (load[k] == "" ? "" : ", ") $3 "→" $4; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
	function median(a, k, c,   i, j, t, v) {
		for (i = 1; i <= c; i++) v[i] = a[k, i] + 0
		for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	END {
		printf "%-22s %10s %9s %12s %9s   %s\n", "", "per second", "p99 ms", "CPU µs/req", "peak RSS", "load average (before→after) per round"
		for (i = 1; i <= m; i++) {
			k = order[i]; med[k] = median(rate, k, n[k])
			printf "%-22s %10.0f %9s %12s %9s   %s\n", k, med[k], (p99[k, 1] == "" ? "" : median(p99, k, n[k])), (cpu[k, 1] == "" ? "" : median(cpu, k, n[k])), (rss[k] == "" ? "" : rss[k] " MiB"), load[k]
		}
		print ""
		r("sqlite", "baseline"); r("sqlite", "baseline-tx"); r("sqlite", "raw-sqlite-tx1"); r("sqlite", "raw-sqlite-tx100rows")
		r("baseline-tx", "baseline"); r("postgres", "baseline"); r("postgres", "raw-postgres-tx1"); r("postgres", "raw-postgres-tx100rows")
	}
	function r(a, b) { if (med[a] > 0 && med[b] > 0) printf "%-12s ÷ %-22s %6.2f\n", a, b, med[a] / med[b] }
' "$results"
