#!/usr/bin/env bash
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="${PGDATA_DIR:-/tmp/gongzhi-pg-$PGPORT}"
BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$BINDIR/pg_ctl -D $PGDATA -m fast stop"; else "$BINDIR/pg_ctl" -D "$PGDATA" -m fast stop; fi
