#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 (Debian packages) on a high local port for the test suite.
# Prints the DATABASE_URL to use on its last line.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="${PGDATA_DIR:-/tmp/gongzhi-pg-$PGPORT}"
bash "$(dirname "$0")/system-deps.sh" postgresql >&2
BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! as_pg "$BINDIR/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDATA"
  as_pg "$BINDIR/initdb -D $PGDATA -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  as_pg "$BINDIR/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' -l $PGDATA/log -w start" >&2
fi
as_pg "$BINDIR/psql -h 127.0.0.1 -p $PGPORT -U postgres -tc \"SELECT 1 FROM pg_database WHERE datname='gongzhi'\"" | grep -q 1 \
  || as_pg "$BINDIR/createdb -h 127.0.0.1 -p $PGPORT -U postgres gongzhi"
echo "postgres://postgres@127.0.0.1:$PGPORT/gongzhi"
