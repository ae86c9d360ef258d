#!/usr/bin/env bash
# The main job: pack TokenLint and TokenLint.Runtime from this checkout, build samples/SupportAgent against the packed
# packages exactly as a user would (PackageReference from a local folder feed), print the TokenLint diagnostics it
# reports, then run it offline (simulated providers) to print TokenLint.Runtime's cost summary per agent, and read the
# ledger that run wrote with the tokenlint tool.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A fresh version every run: NuGet caches a package by id and version, so a repacked 0.1.0 would not be picked up.
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
feed="$root/artifacts/feed"
packages="$root/artifacts/sample-packages"
log="$root/artifacts/sample-build.log"
mkdir -p "$feed"
rm -rf "$packages/tokenlint" "$packages/tokenlint.runtime" "$packages/tokenlint.postgres"

echo "Packing TokenLint $version into $feed"
dotnet pack "$root/src/TokenLint/TokenLint.csproj" -c Release -o "$feed" -p:Version="$version" -nologo -v quiet
echo "Packing TokenLint.Runtime $version into $feed"
dotnet pack "$root/src/TokenLint.Runtime/TokenLint.Runtime.csproj" -c Release -o "$feed" -p:Version="$version" -nologo -v quiet
echo "Packing TokenLint.Postgres $version into $feed"
dotnet pack "$root/src/TokenLint.Postgres/TokenLint.Postgres.csproj" -c Release -o "$feed" -p:Version="$version" -nologo -v quiet

echo "Building samples/SupportAgent against it"
set +e
dotnet build "$root/samples/SupportAgent/SupportAgent.csproj" -c Release -nologo --no-incremental \
  -p:TokenLintVersion="$version" -p:TokenLintFeed="$feed" -p:RestorePackagesPath="$packages" \
  -p:UseSharedCompilation=false --disable-build-servers >"$log" 2>&1
status=$?
set -e
if [ $status -ne 0 ]; then
  cat "$log"
  echo "The sample did not build (exit $status)." >&2
  exit $status
fi

echo
echo "TokenLint diagnostics in samples/SupportAgent (expected: samples/SupportAgent/expected-diagnostics.txt):"
grep -E ': (warning|error|info) TL[0-9]{4}' "$log" | sed -E "s#^$root/##; s# \[[^]]*\]\$##" | sort -u || echo "  none"
if grep -qE 'AD0001|CS8032|CS8784|CS8785|CS9057' "$log"; then
  echo "The analyzers failed to load or threw (see $log)." >&2
  exit 1
fi

echo
echo "Running samples/SupportAgent offline (simulated providers, no API calls) to show TokenLint.Runtime's metering:"
ledger="$root/artifacts/sample-usage.jsonl"
rm -f "$ledger"
dotnet run --project "$root/samples/SupportAgent/SupportAgent.csproj" -c Release --no-build -- --offline --ledger "$ledger"

echo
echo "The tokenlint tool over the ledger that run wrote ($ledger):"
dotnet run --project "$root/src/TokenLint.Cli/TokenLint.Cli.csproj" -c Release -f net10.0 -v quiet -- report "$ledger"
