#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL 15 cluster on loopback for the database-backed tests.
# Usage: scripts/pg-cluster.sh start|stop [DIR] [PORT]   — prints the DATABASE_URL on start.
set -euo pipefail
action=${1:?start|stop}
dir=${2:-/tmp/co-pg}
port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
case "$action" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir"
      runuser -u postgres -- "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" -w start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
