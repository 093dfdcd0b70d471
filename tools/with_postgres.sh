#!/usr/bin/env bash
# Run a command against a throw-away local PostgreSQL cluster: installs the Debian package if
# missing (idempotent), starts a cluster in a temporary folder on a free port, exports
# ALLYZURE_TEST_DATABASE_URL for the command, and always stops and removes the cluster.
# Usage: tools/with_postgres.sh COMMAND [ARGS…]
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is missing; run as root or install the 'postgresql' Debian package." >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d /tmp/allyzure-pg.XXXXXX)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$data"
cleanup() {
  as_owner "'$bin/pg_ctl' -D '$data/db' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

as_owner "'$bin/initdb' -D '$data/db' -U allyzure --auth=trust -E UTF8 >/dev/null"
as_owner "'$bin/pg_ctl' -D '$data/db' -o '-p $port -k $data -c listen_addresses=127.0.0.1' -w start >/dev/null"
as_owner "'$bin/createdb' -h 127.0.0.1 -p $port -U allyzure allyzure_test"

export ALLYZURE_TEST_DATABASE_URL="postgresql://allyzure@127.0.0.1:$port/allyzure_test"
"$@"
