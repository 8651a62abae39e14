#!/usr/bin/env bash
# PostgreSQL for the storage tests (idempotent, quiet): install the Debian package when
# missing, start a cluster, create the role and database the tests use by default:
#   postgresql+psycopg://junheng:junheng@127.0.0.1:5432/junheng_test
# (tests read JUNHENG_TEST_POSTGRES_URL first). Needs root; without it, says why and
# leaves it to the tests (which fail under CI=true when PostgreSQL is unreachable).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "10-postgres: not root, skipping PostgreSQL set-up" >&2
  exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed cluster; create one if the package left none.
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$ver" main >/dev/null
fi
read -r ver name port status _ < <(pg_lsclusters -h | sort -V | tail -1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$ver" "$name" start
fi

psql_pg() { (cd / && su postgres -c "psql -p $port -qtAX -v ON_ERROR_STOP=1 $*"); }

if [ "$(psql_pg "-c \"SELECT 1 FROM pg_roles WHERE rolname='junheng'\"")" != "1" ]; then
  psql_pg "-c \"CREATE ROLE junheng LOGIN PASSWORD 'junheng' CREATEDB\""
fi
if [ "$(psql_pg "-c \"SELECT 1 FROM pg_database WHERE datname='junheng_test'\"")" != "1" ]; then
  psql_pg "-c \"CREATE DATABASE junheng_test OWNER junheng\""
fi
if [ "$port" != "5432" ]; then
  echo "10-postgres: cluster $ver/$name listens on port $port; set JUNHENG_TEST_POSTGRES_URL" >&2
fi
