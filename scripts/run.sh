#!/usr/bin/env bash
# Everything, from a clean clone: install, make sure PostgreSQL and Redis run,
# create the database, migrate, and start the four services and their workers.
set -euo pipefail
cd "$(dirname "$0")/.."
# A development run: only NODE_ENV=development (or test) lets the services fall back to the published
# development secrets and accept `pnpm reemploy token`; unset, NODE_ENV means production (every secret required).
export NODE_ENV="${NODE_ENV:-development}"
bash scripts/bootstrap.sh
bash scripts/ensure-services.sh
pnpm exec tsx scripts/prepare-db.ts
pnpm exec tsx packages/provisioning/src/migrate.ts
exec node --import tsx scripts/start-all.ts
