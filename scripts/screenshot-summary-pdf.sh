#!/usr/bin/env bash
# Regenerates docs/screenshots/summary-pdf-vitals.png (docs/summary.md "PDF and charts"): page 2 of the session
# summary PDF of examples/esketamine-self-administered.json (the vitals chart and table), A5 at 110 dpi
# (641 x 910 px). Runs the CLI from the sources (`kap-fhir summary`, no build of dist/ needed) and pdftoppm
# (poppler-utils). Fictional data only.
#
#   scripts/screenshot-summary-pdf.sh            # writes docs/screenshots/summary-pdf-vitals.png
#   scripts/screenshot-summary-pdf.sh OUT.png    # writes OUT.png instead
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-docs/screenshots/summary-pdf-vitals.png}"
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "screenshot-summary-pdf: pdftoppm not found; install poppler-utils (apt-get install poppler-utils)" >&2
  exit 1
fi
node_bin="node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin="node"

mkdir -p build
pdf="build/summary-pdf-vitals.pdf"
"$node_bin" --import ./scripts/ts-hooks.ts --no-warnings=ExperimentalWarning --input-type=module \
  -e "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));" \
  summary examples/esketamine-self-administered.json --out "$pdf"
pdftoppm -f 2 -l 2 -png -r 110 -singlefile "$pdf" build/summary-pdf-vitals
mv build/summary-pdf-vitals.png "$out"
echo "wrote $out" >&2
