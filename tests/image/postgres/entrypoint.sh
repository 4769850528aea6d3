#!/bin/sh
# A stand-in for the official postgres image's entry point, for tests/image/kube.py only (no image registry is
# reached here): the same environment (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA), the same data
# folder, Debian's PostgreSQL 15.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    password=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:?the official image needs POSTGRES_PASSWORD too}" > "$password"
    initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$password" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$password"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
        pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
        createdb -U "$POSTGRES_USER" "$POSTGRES_DB"
        pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "database $POSTGRES_DB made in $PGDATA"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
