#!/usr/bin/env bash
# Every TokenLint rule over a checkout of real C# code, to read each finding by hand. Prints one line per diagnostic
# (id, file:line, message) and a count per rule.
#
# Usage: bench/real-code-scan/scan.sh CHECKOUT [PROJECT ...]
#   PROJECT (a *.csproj, *.sln or *.slnx, relative to CHECKOUT): built with TokenLint packed from this checkout,
#     unpacked and added through a targets file MSBuild imports (CustomAfterMicrosoftCommonTargets: its props,
#     targets, analyzers and TokenLint.dll), so nothing in CHECKOUT is edited. A project whose packages do not restore (only some NuGet packages are served here) is analysed with the
#     harness instead, over its own folder, and the script says so.
#   no PROJECT: the harness over all of CHECKOUT: bench/TokenLint.Benchmarks `scan FOLDER --per-project`, which
#     compiles each project folder's files together against the SDK packages TokenLint's tests use (OpenAI,
#     Azure.AI.OpenAI, Anthropic, Microsoft.Extensions.AI, Semantic Kernel), .NET 10 references and global usings;
#     code that needs other packages binds in part and is analysed all the same.
# It fetches nothing. dotnet runs through tl-slot when that is on PATH. Work files go to $TOKENLINT_SCAN_WORK
# (default: a new folder under $TMPDIR).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
checkout="$(cd "$1" && pwd)"
shift
work="${TOKENLINT_SCAN_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-real-scan.XXXXXX")}"
mkdir -p "$work"
dotnet_cmd=(dotnet)
command -v tl-slot >/dev/null 2>&1 && dotnet_cmd=(tl-slot dotnet)
findings="$work/findings.txt"
: >"$findings"

harness() {   # harness FOLDER: appends "TLxxxx<TAB>path:line<TAB>message" lines, paths relative to CHECKOUT
  local folder="$1" dll="$root/bench/TokenLint.Benchmarks/bin/Release/net10.0/TokenLint.Benchmarks.dll"
  if [ ! -f "$work/harness.built" ]; then
    "${dotnet_cmd[@]}" build "$root/bench/TokenLint.Benchmarks/TokenLint.Benchmarks.csproj" -c Release -nologo -v quiet >"$work/harness-build.log" 2>&1 \
      || { cat "$work/harness-build.log"; exit 1; }
    touch "$work/harness.built"
  fi
  local log="$work/harness-$(echo "$folder" | tr '/' '_').log"
  "${dotnet_cmd[@]}" "$dll" scan "$folder" --per-project >"$log" || { tail -5 "$log"; echo "The harness reported analyzer failures (AD0001): see $log" >&2; }
  local prefix="${folder#$checkout}"; prefix="${prefix#/}"
  tail -1 "$log" | sed "s#^#  harness over ${prefix:-.}: #"
  [ -n "$prefix" ] && prefix="$prefix/"
  sed -n -E 's#^(.*)\(([0-9]+)\): (TL[0-9]{4}|AD0001) (.*)$#\3\t'"$prefix"'\1:\2\t\4#p' "$log" >>"$findings"
}

build() {   # build PROJECT: builds with TokenLint, or falls back to the harness when restore fails
  local project="$1" name; name="$(basename "$project")"
  if [ ! -f "$work/package.version" ]; then
    local version="0.1.0-scan.$(date -u +%Y%m%d%H%M%S).$$"
    "${dotnet_cmd[@]}" pack "$root/src/TokenLint/TokenLint.csproj" -c Release -o "$work/feed" -p:Version="$version" -nologo -v quiet >"$work/pack.log" 2>&1 \
      || { cat "$work/pack.log"; exit 1; }
    # The unpacked package is added as a package would add it (its props and targets, analyzers, TokenLint.dll), not
    # through a PackageReference: a checkout's nuget.config with package source mapping would not let a local feed in.
    rm -rf "$work/package" && unzip -q "$work/feed/TokenLint.$version.nupkg" -d "$work/package"
    cat >"$work/TokenLint.Scan.targets" <<TARGETS
<Project>
  <Import Project="$work/package/build/TokenLint.props" />
  <ItemGroup>
    <Analyzer Include="$work/package/analyzers/dotnet/cs/*.dll" />
    <Reference Include="$work/package/lib/netstandard2.0/TokenLint.dll" />
  </ItemGroup>
  <Import Project="$work/package/build/TokenLint.targets" />
</Project>
TARGETS
    echo "$version" >"$work/package.version"
  fi
  local props=(-p:CustomAfterMicrosoftCommonTargets="$work/TokenLint.Scan.targets" -p:TreatWarningsAsErrors=false -p:WarningsAsErrors=
    -p:UseSharedCompilation=false)
  if ! "${dotnet_cmd[@]}" restore "$checkout/$project" -nologo "${props[@]}" >"$work/restore-$name.log" 2>&1; then
    echo "  $project: restore failed ($(grep -o -E 'error NU[0-9]+[^[]*' "$work/restore-$name.log" | sort -u | head -3 | tr '\n' ';' | cut -c1-300)); harness over its folder instead"
    harness "$(dirname "$checkout/$project")"
    return
  fi
  "${dotnet_cmd[@]}" build "$checkout/$project" --no-restore --no-incremental -c Debug -nologo "${props[@]}" >"$work/build-$name.log" 2>&1 \
    && echo "  $project: built" || echo "  $project: build failed, diagnostics of what compiled are kept ($(grep -c -E ': error ' "$work/build-$name.log") error lines, see $work/build-$name.log)"
  grep -E ': (warning|error|info) (TL[0-9]{4}|AD0001)' "$work/build-$name.log" | sed -E 's# \[[^]]*\]$##' | sort -u \
    | sed -n -E 's#^(.*)\(([0-9]+),[0-9]+\): (warning|error|info) (TL[0-9]{4}|AD0001): (.*)$#\4\t\1:\2\t\5#p' \
    | sed "s#\t$checkout/#\t#" >>"$findings"
}

echo "Scanning $checkout (work folder $work)"
if [ $# -eq 0 ]; then
  harness "$checkout"
else
  for project in "$@"; do build "$project"; done
fi

sort -u "$findings" -o "$findings"
echo
echo "Diagnostics ($(wc -l <"$findings")):"
sort -t$'\t' -k2,2 "$findings" | awk -F'\t' '{ printf "%s  %s  %s\n", $1, $2, $3 }'
echo
echo "Per rule:"
cut -f1 "$findings" | sort | uniq -c | awk '{ printf "  %s %d\n", $2, $1 }'
grep -q '^AD0001' "$findings" && { echo "An analyzer threw (AD0001)." >&2; exit 1; }
exit 0
