#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis
# (127.0.0.1:6379, appendonly yes, maxmemory-policy noeviction) answer.
# Uses the ones running; else starts installed ones; else docker compose
# where a Docker engine runs; else installs Debian's packages; else says
# what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { for _ in $(seq 1 60); do up "$1" && return 0; sleep 0.5; done; return 1; }
say() { echo "ensure-services: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
docker_engine() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
apt_ready=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$apt_ready" = 0 ]; then as_root apt-get update -qq || return 1; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

trust_loopback() {
  # A development database: loopback connections as postgres need no password.
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    if grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+(scram-sha-256|md5)' "$hba"; then
      as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)(scram-sha-256|md5)/\1trust/' "$hba"
    fi
  done
}

start_postgres() {
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    trust_loopback
    local v
    for v in $(ls /etc/postgresql); do
      as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || as_root pg_ctlcluster --skip-systemctl-redirect "$v" main restart || true
    done
    wait_up 5432 && return 0
  fi
  return 1
}

start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    local dir="${REDIS_DATA_DIR:-/var/lib/redis}"
    mkdir -p "$dir" 2>/dev/null || dir="$ROOT/.run/redis"
    mkdir -p "$dir" /var/log/redis 2>/dev/null || true
    redis-server "$ROOT/infra/redis.conf" --daemonize yes --dir "$dir" --logfile "$dir/redis.log" >/dev/null
    wait_up 6379 && return 0
  fi
  return 1
}

if ! up 5432; then
  say "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  start_postgres || { docker_engine && docker compose up -d --wait postgres && wait_up 5432; } ||
    { say "installing Debian's postgresql"; apt_install postgresql && start_postgres; } ||
    { say "could not start PostgreSQL: install PostgreSQL 15+ (Debian: apt-get install postgresql) listening on 127.0.0.1:5432 with trust for user postgres"; exit 1; }
fi

if ! up 6379; then
  say "Redis is not answering on 127.0.0.1:6379; starting it"
  start_redis || { docker_engine && docker compose up -d --wait redis && wait_up 6379; } ||
    { say "installing Debian's redis-server"; apt_install redis-server && start_redis; } ||
    { say "could not start Redis: install Redis 7 (Debian: apt-get install redis-server) listening on 127.0.0.1:6379"; exit 1; }
fi

# BullMQ needs a Redis that neither evicts nor forgets: persistence on, no eviction.
if command -v redis-cli >/dev/null 2>&1; then
  if [ "$(redis-cli -h 127.0.0.1 config get appendonly | tail -n 1)" != "yes" ]; then
    redis-cli -h 127.0.0.1 config set appendonly yes >/dev/null && say "Redis: appendonly set to yes"
  fi
  policy=$(redis-cli -h 127.0.0.1 config get maxmemory-policy | tail -n 1)
  [ "$policy" = noeviction ] || say "warning: Redis maxmemory-policy is $policy; the services refuse to start unless it is noeviction"
fi
say "PostgreSQL and Redis are up"
