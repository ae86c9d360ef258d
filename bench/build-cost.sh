#!/usr/bin/env bash
# What TokenLint adds to the build of a real project. Packs TokenLint from this checkout, copies the project's
# checkout twice (one copy references the package, the other does not: nothing in the checkout is edited), then
#   1. builds the copy with TokenLint with -p:ReportAnalyzer=true and sums, per compiled project, the time the
#      compiler reports for TokenLint's analyzers and for its generator (median over RUNS builds);
#   2. times clean rebuilds (--no-incremental) of both copies in turn, RUNS pairs, and prints the medians and the
#      median of the pairwise ratio.
# It fetches nothing: CHECKOUT is a folder holding the code; restore uses the NuGet feeds already configured.
#
# Usage: bench/build-cost.sh CHECKOUT [PROJECT_OR_SOLUTION relative to CHECKOUT] [RUNS]
#        (default: the only *.sln or *.slnx in CHECKOUT; RUNS 5)
# Builds run with UseSharedCompilation=false (a fresh compiler process per project, as CI machines without the
# compiler server run them): the load and JIT cost of every analyzer is counted in full.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkout="$(cd "$1" && pwd)"
target="${2:-}"
runs="${3:-5}"
if [ -z "$target" ]; then
  target="$(cd "$checkout" && ls -1 *.sln *.slnx 2>/dev/null | head -1 || true)"
  [ -n "$target" ] || { echo "No solution in $checkout: name the project or solution to build." >&2; exit 2; }
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-build-cost.XXXXXX")"
version="0.1.0-cost.$(date -u +%Y%m%d%H%M%S).$$"
feed="$work/feed"
echo "Work folder: $work"

echo "Packing TokenLint $version"
dotnet pack "$root/src/TokenLint/TokenLint.csproj" -c Release -o "$feed" -p:Version="$version" -nologo -v quiet >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; exit 1; }

# Adds the package to every project of the copy that gets it, through a targets file MSBuild imports after
# Microsoft.Common.targets, so the checkout's own files stay as they are.
cat >"$work/TokenLint.BuildCost.targets" <<EOF
<Project>
  <ItemGroup Condition="'\$(ManagePackageVersionsCentrally)' != 'true'">
    <PackageReference Include="TokenLint" Version="$version" />
  </ItemGroup>
  <ItemGroup Condition="'\$(ManagePackageVersionsCentrally)' == 'true'">
    <PackageReference Include="TokenLint" VersionOverride="$version" />
  </ItemGroup>
</Project>
EOF

for copy in without with; do
  mkdir -p "$work/$copy"
  (cd "$checkout" && tar --exclude='./.git' --exclude='*/bin' --exclude='*/obj' -cf - .) | (cd "$work/$copy" && tar -xf -)
done

common=(-c Release -nologo -p:UseSharedCompilation=false --disable-build-servers)
with_props=(-p:CustomAfterMicrosoftCommonTargets="$work/TokenLint.BuildCost.targets" -p:RestoreAdditionalProjectSources="$feed")

echo "Restoring both copies"
dotnet restore "$work/without/$target" -nologo -v quiet >"$work/restore-without.log" 2>&1 || { cat "$work/restore-without.log"; exit 1; }
dotnet restore "$work/with/$target" -nologo -v quiet "${with_props[@]}" >"$work/restore-with.log" 2>&1 || { cat "$work/restore-with.log"; exit 1; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One line per compiled project: name, total analyzer time, TokenLint analyzers, TokenLint generator (seconds).
report_times() {
  awk '
    /Total analyzer execution time:/ { n++; total[n] = $(NF - 1); mode = "a" }
    /Total generator execution time:/ { mode = "g" }
    mode == "a" && / TokenLint\.Analyzers, Version=/ { tla[n] = $1 }
    mode == "g" && / TokenLint\.Generators, Version=/ { tlg[n] = $1 }
    / -> \// { name[n] = $1 }
    END { for (i = 1; i <= n; i++) printf "%s %s %s %s\n", name[i], total[i], (tla[i] == "" ? 0 : tla[i]), (tlg[i] == "" ? 0 : tlg[i]) }
  ' "$1" | sed 's/<0\.001/0.0005/g'
}

echo "ReportAnalyzer builds of the copy with TokenLint ($runs)"
for i in $(seq 1 "$runs"); do
  log="$work/report-$i.log"
  # One project at a time (-m:1), so that each compiler report stays in one piece in the log.
  dotnet build "$work/with/$target" --no-restore --no-incremental "${common[@]}" "${with_props[@]}" -p:ReportAnalyzer=true -v:d -m:1 >"$log" 2>&1 \
    || { grep -E 'error' "$log" | head -20; exit 1; }
  report_times "$log" >"$work/report-$i.txt"
done

echo
printf '%-28s %12s %12s %12s\n' "project (median, s)" "all analyzers" "TL analyzers" "TL generator"
sum_a=0; sum_g=0; sum_all=0
for project in $(cut -d' ' -f1 "$work/report-1.txt" | sort -u); do
  a_all=$(cat "$work"/report-*.txt | awk -v p="$project" '$1 == p { print $2 }' | median)
  a_tl=$(cat "$work"/report-*.txt | awk -v p="$project" '$1 == p { print $3 }' | median)
  g_tl=$(cat "$work"/report-*.txt | awk -v p="$project" '$1 == p { print $4 }' | median)
  printf '%-28s %12s %12s %12s\n' "$project" "$a_all" "$a_tl" "$g_tl"
  sum_a=$(awk -v s="$sum_a" -v x="$a_tl" 'BEGIN { print s + x }')
  sum_g=$(awk -v s="$sum_g" -v x="$g_tl" 'BEGIN { print s + x }')
  sum_all=$(awk -v s="$sum_all" -v x="$a_all" 'BEGIN { print s + x }')
done
printf 'TokenLint summed over projects: analyzers %.3f s + generator %.3f s = %.3f s\n' "$sum_a" "$sum_g" "$(awk -v a="$sum_a" -v g="$sum_g" 'BEGIN { print a + g }')"
# The compiler reports wall-clock time per callback, which grows with the machine's load; TokenLint's share of
# all analyzers' time compares better between runs on a busy machine.
printf 'TokenLint analyzers as a share of all analyzers: %.1f%% (load average %s)\n' \
  "$(awk -v a="$sum_a" -v t="$sum_all" 'BEGIN { print (t > 0 ? 100 * a / t : 0) }')" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "TokenLint diagnostics in the build: $(grep -oE ': (warning|error|info) TL[0-9]{4}' "$work/report-1.log" | sort | uniq -c | awk '{ printf "%s %s x%s; ", $3, $2, $1 }')"
if grep -qE 'AD0001|CS8032|CS8784|CS8785|CS9057' "$work/report-1.log"; then
  echo "An analyzer failed to load or threw: see $work/report-1.log" >&2
fi

echo
echo "Clean rebuilds, without and with TokenLint in turn ($runs pairs)"
rebuild_without=(dotnet build "$work/without/$target" --no-restore --no-incremental "${common[@]}" -v:q)
rebuild_with=(dotnet build "$work/with/$target" --no-restore --no-incremental "${common[@]}" "${with_props[@]}" -v:q)
"${rebuild_without[@]}" >/dev/null 2>&1; "${rebuild_with[@]}" >/dev/null 2>&1   # warm-up
: >"$work/wall.txt"
for i in $(seq 1 "$runs"); do
  t0=$(date +%s.%N); "${rebuild_without[@]}" >/dev/null 2>&1; t1=$(date +%s.%N)
  "${rebuild_with[@]}" >/dev/null 2>&1; t2=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f %.3f %.4f\n", b - a, c - b, (c - b) / (b - a) }' >>"$work/wall.txt"
done
printf 'wall without: %s s   with: %s s   ratio with/without (median of pairs): %s\n' \
  "$(cut -d' ' -f1 "$work/wall.txt" | median)" "$(cut -d' ' -f2 "$work/wall.txt" | median)" "$(cut -d' ' -f3 "$work/wall.txt" | median)"
echo "Each pair: $(tr '\n' ';' <"$work/wall.txt")"
echo "The two rebuild commands (to time them with another tool):"
echo "  ${rebuild_without[*]}"
echo "  ${rebuild_with[*]}"
