#!/usr/bin/env bash
# The whole suite: typecheck, lint, then tap on the real Postgres and Redis.
# Ends with one plain line "N passed, N failed" taken from tap's own summary.
set -uo pipefail
cd "$(dirname "$0")/.."
# A test run: development defaults (secrets, the superuser as administrator) apply only in development and test.
export NODE_ENV=test

bash scripts/bootstrap.sh || exit 1
bash scripts/ensure-services.sh || exit 1
pnpm exec tsx scripts/prepare-db.ts --with-test || exit 1

status=0
echo "== typecheck"
pnpm exec tsc -p tsconfig.json || { echo "typecheck failed"; status=1; }
echo "== lint"
pnpm exec eslint --max-warnings 0 . || { echo "lint failed"; status=1; }

echo "== tap"
mkdir -p .run
# Tests run in test mode (each test service sets it too; so do processes the tests start from this environment).
export NODE_ENV=test
# Every test service logs here at debug level; after the suite, the PII scan reads them all
# (only here: a single test file run with `pnpm tap file` writes too few logs to scan).
export TEST_LOG_DIR="$PWD/.run/test-logs"
rm -rf "$TEST_LOG_DIR" && mkdir -p "$TEST_LOG_DIR"
pnpm exec tap --after test/after-suite/logs-have-no-pii.ts "$@" 2>&1 | tee .run/tap.out
tap_status=${PIPESTATUS[0]}
[ "$tap_status" = 0 ] || status=1

# tap's summaries: "# { total: 12, pass: 11, fail: 1 }" (fail omitted when zero), one for the
# suite and one for the PII scan that runs after it; their sums are the run's.
summaries=$(grep -E '^# \{ total: [0-9]+' .run/tap.out)
if [ -z "$summaries" ]; then
  echo "tap printed no summary"
  echo "0 passed, 1 failed"
  exit 1
fi
pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summaries" | awk '{ n += $1 } END { print n + 0 }')
fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summaries" | awk '{ n += $1 } END { print n + 0 }')
[ "$status" = 0 ] || [ "${fail:-0}" != 0 ] || echo "(typecheck or lint failed: see above)"
echo "${pass:-0} passed, ${fail:-0} failed"
exit "$status"
