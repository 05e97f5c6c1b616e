#!/usr/bin/env bash
# Installs what the project needs on a machine that has only Node 20:
# the pinned pnpm and the workspace's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "installing pnpm $want"
  npm install -g "pnpm@$want" >/dev/null 2>&1 || npm install -g "pnpm@$want"
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile
fi
