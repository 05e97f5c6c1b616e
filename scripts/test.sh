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
# Every test service logs here at debug level; the last test scans them for personal information.
export TEST_LOG_DIR="$PWD/.run/test-logs"
rm -rf "$TEST_LOG_DIR" && mkdir -p "$TEST_LOG_DIR"
pnpm exec tap "$@" 2>&1 | tee .run/tap.out
tap_status=${PIPESTATUS[0]}
[ "$tap_status" = 0 ] || status=1

# tap's summary: "# { total: 12, pass: 11, fail: 1 }" (fail omitted when zero).
summary=$(grep -E '^# \{ total: [0-9]+' .run/tap.out | tail -n 1)
if [ -z "$summary" ]; then
  echo "tap printed no summary"
  echo "0 passed, 1 failed"
  exit 1
fi
pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary")
fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary")
[ "$status" = 0 ] || [ "${fail:-0}" != 0 ] || echo "(typecheck or lint failed: see above)"
echo "${pass:-0} passed, ${fail:-0} failed"
exit "$status"
