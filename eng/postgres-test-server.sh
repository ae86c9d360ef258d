#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for TokenLint.Postgres's tests, with pgvector built from the vendored source.
#
#   bash eng/postgres-test-server.sh start   # prints the cluster's folder, then TOKENLINT_TEST_POSTGRES=<connection string>
#   bash eng/postgres-test-server.sh stop <folder>
#
# eng/with-test-postgres.sh wraps a command in start and stop. Each start makes its own temporary folder and picks a
# free port on 127.0.0.1, so several clusters can run on one machine at once. Needs the machine's PostgreSQL 15
# (/usr/lib/postgresql/15/bin); installs postgresql-server-dev-15 with apt-get when pgxs is missing, and builds and
# installs pgvector from a copy of ../shared/vendor/pgvector (or $TOKENLINT_PGVECTOR_SOURCE) when it is missing.
# Under root the cluster runs as the postgres user (PostgreSQL refuses to run as root).
#
# The cluster holds a database tokenlint_test with the vector extension, owned by a role tokenlint that is not a
# superuser (it may create databases), so the tests prove the package's migrations need no superuser.
set -euo pipefail

PG_VERSION=15
PG_BIN="${TOKENLINT_PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
PG_CONFIG="$PG_BIN/pg_config"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGVECTOR_SOURCE="${TOKENLINT_PGVECTOR_SOURCE:-$REPO/../shared/vendor/pgvector}"

say() { echo "postgres-test-server: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the cluster's owner: postgres under root, else the current user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pgvector_version() {
  sed -n 's/^default_version *= *'"'"'\(.*\)'"'"'/\1/p' "$PGVECTOR_SOURCE/vector.control"
}

ensure_pgvector() {
  local version sharedir libdir
  version="$(pgvector_version)"
  # One install at a time on this machine: other clusters may be starting beside this one.
  exec 9>"${TMPDIR:-/tmp}/tokenlint-pgvector-install.lock"
  flock 9
  # The server package ships pgxs.mk but not the headers: postgres.h is what says the dev package is here.
  if [ ! -f "$("$PG_CONFIG" --pgxs 2>/dev/null || echo /nonexistent)" ] \
    || [ ! -f "$("$PG_CONFIG" --includedir-server 2>/dev/null || echo /nonexistent)/postgres.h" ]; then
    say "installing postgresql-server-dev-$PG_VERSION (pgxs, to build pgvector)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -o DPkg::Lock::Timeout=600 "postgresql-server-dev-$PG_VERSION" >/dev/null
  fi
  sharedir="$("$PG_CONFIG" --sharedir)"
  libdir="$("$PG_CONFIG" --pkglibdir)"
  if [ ! -f "$sharedir/extension/vector--$version.sql" ] || [ ! -f "$libdir/vector.so" ]; then
    say "building pgvector $version from $PGVECTOR_SOURCE"
    local build
    build="$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-pgvector-build.XXXXXX")"
    trap 'rm -rf "$build"' EXIT
    # A copy: the vendored folder may be read-only, and the build writes beside the sources.
    cp -r "$PGVECTOR_SOURCE/." "$build"
    make -s -C "$build" PG_CONFIG="$PG_CONFIG" >/dev/null
    as_root make -s -C "$build" PG_CONFIG="$PG_CONFIG" install >/dev/null
    rm -rf "$build"
    trap - EXIT
  fi
  flock -u 9
}

free_port() {
  # A random port in the dynamic range; the caller retries when the server cannot bind it after all.
  echo $((20000 + RANDOM % 30000))
}

start() {
  [ -x "$PG_BIN/initdb" ] || { say "PostgreSQL $PG_VERSION is not installed at $PG_BIN"; exit 1; }
  ensure_pgvector

  local dir password port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-postgres.XXXXXX")"
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/pwfile"
  chmod 700 "$dir"
  chmod 600 "$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi

  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }

  local started=""
  for _ in $(seq 1 20); do
    port="$(free_port)"
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB" \
      >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  [ -n "$started" ] || { say "could not start the cluster; see $dir/server.log"; tail -n 20 "$dir/server.log" >&2; exit 1; }

  as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE ROLE tokenlint LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE tokenlint_test OWNER tokenlint;
\\c tokenlint_test
CREATE EXTENSION vector;
SQL

  echo "$port" >"$dir/port"
  echo "$dir"
  echo "TOKENLINT_TEST_POSTGRES=Host=127.0.0.1;Port=$port;Database=tokenlint_test;Username=tokenlint;Password=$password"
}

stop() {
  local dir="${1:?usage: postgres-test-server.sh stop <folder printed by start>}"
  case "$(basename "$dir")" in tokenlint-postgres.*) ;; *) say "not a test cluster folder: $dir"; exit 1 ;; esac
  if [ -d "$dir/data" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop <folder>" >&2; exit 2 ;;
esac
