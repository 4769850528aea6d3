#!/usr/bin/env bash
# Starts (once) a throwaway PostgreSQL cluster on 127.0.0.1 for the storage and API tests, and prints its URL.
# `make test` runs it; the cluster lives in $GRADWALK_TEST_PG_DIR and stays up for the next test run.
set -euo pipefail
dir=${GRADWALK_TEST_PG_DIR:-/tmp/gradwalk-test-postgres}
port=${GRADWALK_TEST_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (Debian package postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null
fi
if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port/postgres"
