#!/bin/sh
# make.sh writes the set-up evening's sheets as the office's programs do: gen.go makes
# them as UTF-8 CSV, LibreOffice (soffice) saves enterprises and links as .xlsx, and iconv saves the staff sheet and the villages as GBK CSV (what Excel and WPS write in China).
# Run from this folder: sh make.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$here/../../.." && go run ./e2e/testdata/county/gen.go "$tmp")
for f in enterprises links; do
	soffice --headless -env:UserInstallation=file://"$tmp"/lo --infilter="CSV:44,34,76,1" \
		--convert-to xlsx --outdir "$tmp" "$tmp/$f.csv" >/dev/null
	cp "$tmp/$f.xlsx" "$here/$f-libreoffice.xlsx"
done
iconv -f UTF-8 -t GBK "$tmp/people.csv" > "$here/people-gbk.csv"
iconv -f UTF-8 -t GBK "$tmp/villages.csv" > "$here/villages-gbk.csv"
# The org units are an Excel workbook: org-units-excel2007.xlsx, made with the other Excel
# fixtures by xlsx/testdata/excel/make.go.
