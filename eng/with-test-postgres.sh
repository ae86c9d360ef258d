#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster (eng/postgres-test-server.sh) and TOKENLINT_TEST_POSTGRES set to
# its connection string; stops the cluster when the command ends, whether it passed, failed or was interrupted.
#
#   bash eng/with-test-postgres.sh dotnet test TokenLint.sln -c Release
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

out="$(bash "$here/postgres-test-server.sh" start)"
dir="$(sed -n 1p <<<"$out")"
trap 'bash "$here/postgres-test-server.sh" stop "$dir"' EXIT
# A signal ends the script through exit, so the EXIT trap stops the cluster (it runs in a session of its own).
trap 'exit 143' TERM
trap 'exit 130' INT
export TOKENLINT_TEST_POSTGRES="$(sed -n 's/^TOKENLINT_TEST_POSTGRES=//p' <<<"$out")"
echo "with-test-postgres: PostgreSQL on port $(cat "$dir/port") in $dir" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
