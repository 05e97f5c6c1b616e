#!/bin/sh
# Starts Redis from redis.conf with an ACL file written from REDIS_PASSWORD at
# start (so the password is in no command line and no image): the default
# user is off, the services log in as "reemploy", which may not run the
# dangerous commands (FLUSHALL, CONFIG SET, DEBUG, …) beyond the few reads
# BullMQ, bull-board and the start-up check need. Extra arguments go to
# redis-server (docker-compose.yml adds --bind 0.0.0.0). docker-compose.yml runs
# it as the image's redis user, so the server never runs as root.
set -eu
: "${REDIS_PASSWORD:?set REDIS_PASSWORD}"
# Unreserved URL characters only: the password goes into REDIS_URL as it is.
case "$REDIS_PASSWORD" in
  *[!A-Za-z0-9._~-]*) echo "REDIS_PASSWORD may hold only A-Z a-z 0-9 . _ ~ - (openssl rand -hex 32)" >&2; exit 1 ;;
esac
if [ "${#REDIS_PASSWORD}" -lt 16 ]; then echo "REDIS_PASSWORD must be at least 16 characters" >&2; exit 1; fi
acl="${REDIS_ACL_FILE:-/tmp/users.acl}"
umask 077
printf 'user default off resetpass -@all\nuser reemploy on >%s ~* &* +@all -@dangerous +info +config|get +client|list\n' "$REDIS_PASSWORD" > "$acl"
exec redis-server "${REDIS_CONF:-/usr/local/etc/redis/redis.conf}" --aclfile "$acl" "$@"
