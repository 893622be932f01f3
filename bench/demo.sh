#!/usr/bin/env bash
# `fugong demo` ready time anyone can rerun (issue 23): from exec to /readyz = 200, on a fresh
# SQLite folder or a fresh PostgreSQL database each run, interleaving builds when several are
# given, and printing the median per build with the load average beside every run. On a
# shared machine the wall time swings with the load; the CPU seconds spent up to ready (the
# demo process, and on PostgreSQL its database's server processes) swing much less.
#
#   bench/demo.sh                                   # this tree, SQLite, 5 runs
#   FUGONG_BENCH_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
#   RUNS=5 bench/demo.sh /tmp/old/fugong /tmp/new/fugong   # two builds, interleaved, PostgreSQL
#
# With no binaries given it builds this tree into BENCH_DIR (default: a new folder under /tmp).
set -euo pipefail

RUNS=${RUNS:-5}
PG=${FUGONG_BENCH_POSTGRES:-}
PORT=${PORT:-18971}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_DIR:-$(mktemp -d /tmp/fugong-demo-bench.XXXXXX)}
mkdir -p "$out"
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
	(cd "$repo" && go build -o "$out/fugong" ./cmd/fugong)
	bins=("$out/fugong")
fi
db=fugong_demo_bench_$$ # per run of the script: two people running it at once do not collide
admin_dsn() { echo "$PG" | sed -E "s#(postgres://[^/]*/)[^?]*#\1postgres#"; }
demo_dsn() { echo "$PG" | sed -E "s#(postgres://[^/]*/)[^?]*#\1$db#"; }
results=$out/demo.tsv
tick=$(getconf CLK_TCK)
: >"$results"
echo "engine: $([ -n "$PG" ] && echo postgres || echo sqlite)   runs: $RUNS   nproc: $(nproc)"
for r in $(seq 1 "$RUNS"); do
	for i in "${!bins[@]}"; do
		bin=${bins[$i]}
		args=(--addr "127.0.0.1:$PORT" --password demo-bench-2020 --log-level warn)
		if [ -n "$PG" ]; then
			psql -q "$(admin_dsn)" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
			args+=(--db "$(demo_dsn)")
		else
			rm -rf "$out/data"
			args+=(--data "$out/data")
		fi
		before=$(cut -d' ' -f1 /proc/loadavg)
		t0=$(date +%s.%N)
		"$bin" demo "${args[@]}" >"$out/run.$r.$i.log" 2>&1 &
		pid=$!
		until curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
			kill -0 $pid 2>/dev/null || { echo "demo exited: $(tail -3 "$out/run.$r.$i.log")" >&2; exit 1; }
			sleep 0.02
		done
		t1=$(date +%s.%N)
		cpu=$(awk '{print $14 + $15}' "/proc/$pid/stat")
		dbcpu=0
		if [ -n "$PG" ]; then
			for b in $(psql -Atq "$(admin_dsn)" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db'"); do
				dbcpu=$((dbcpu + $(awk '{print $14 + $15}' "/proc/$b/stat" 2>/dev/null || echo 0)))
			done
		fi
		kill $pid
		wait $pid 2>/dev/null || true
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		cpu=$(awk -v c="$cpu" -v t="$tick" 'BEGIN { printf "%.2f", c / t }')
		dbcpu=$(awk -v c="$dbcpu" -v t="$tick" 'BEGIN { printf "%.2f", c / t }')
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$r" "$s" "$before" "$cpu" "$dbcpu" >>"$results"
		printf '  run %d  %-32s %6s s   CPU %5s s + database %5s s   load %s\n' "$r" "$bin" "$s" "$cpu" "$dbcpu" "$before"
	done
done
[ -n "$PG" ] && psql -q "$(admin_dsn)" -c "DROP DATABASE IF EXISTS $db"
echo
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for i in "${!bins[@]}"; do
	col() { awk -F'\t' -v i="$i" -v c="$1" '$1 == i {print $c}' "$results"; }
	all=$(awk -F'\t' -v i="$i" '$1 == i {printf "%s%s", sep, $3; sep = ", "}' "$results")
	printf 'median %6s s ready  CPU %5s s + database %5s s  (ready: %s)  %s\n' "$(col 3 | median)" "$(col 5 | median)" "$(col 6 | median)" "$all" "${bins[$i]}"
done
