#!/bin/sh
# Makes the office fixtures as the offices' own programs do: LibreOffice Calc saves the
# .fods sheets (typed cells: dates in m/d/yy and yyyy/m/d, codes typed as numbers) as
# .xlsx, and the enterprises workbook again as CSV (dates as LibreOffice writes them);
# enterprises-1904.fods is the same ledger in a document whose null date is 1904-01-01,
# which LibreOffice saves as a workbook counting from 1904 (<workbookPr date1904="true"/>);
# iconv saves the UTF-8 CSV as GBK, as Chinese Excel and WPS save a CSV. villagers.fods is
# a village's contact list (phones typed as numbers and as text with spaces), villagers-bad
# the same with a short phone, a village out of scope, 也许 for 是/否 and a phone twice.
# Needs soffice (Debian: libreoffice-calc-nogui) and iconv. Run from this folder.
set -e
for f in enterprises enterprises-1904 enterprises-bad workers workers-bad villagers villagers-bad; do
	soffice --headless --convert-to xlsx "$f.fods" >/dev/null
done
mkdir -p lo-csv
soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir lo-csv enterprises.xlsx >/dev/null
mv lo-csv/enterprises.csv enterprises-libreoffice.csv
rmdir lo-csv
iconv -f UTF-8 -t GBK enterprises-utf8.csv > enterprises-gbk.csv
rm enterprises-utf8.csv
