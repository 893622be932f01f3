#!/bin/sh
# Makes the filled templates as an office does: the server's templates (/…/template.xlsx),
# filled in below their header by TestImportTemplatesFilledInImport (codes into the text
# columns, dates into the date columns), opened and saved again by LibreOffice Calc. The
# test then imports these files. Needs go and soffice (Debian: libreoffice-calc-nogui).
set -e
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
(cd "$here/../../../app" && FUGONG_TEST_POSTGRES= FUGONG_TEMPLATE_FIXTURES="$tmp" go test -count=1 -run 'TestImportTemplatesFilledInImport|TestRegionsImportedFromTheOfficesChineseSheet' . >/dev/null)
soffice --headless --convert-to xlsx --outdir "$here" "$tmp"/*.xlsx >/dev/null
rm -rf "$tmp"
