#!/usr/bin/env bash
# Replays one project's compiler call from a bench/build-cost.sh work folder with TokenLint's analyzer files taken
# from another folder, so that two builds of TokenLint can be compared on a real project in seconds, without
# MSBuild. Prints TokenLint's analyzer and generator times as -p:ReportAnalyzer=true reports them.
#
# Usage: bench/replay-compile.sh WORK_FOLDER PROJECT_NAME ANALYZER_FOLDER [RUNS] [--sequential]
#   WORK_FOLDER      the folder bench/build-cost.sh printed ("Work folder: ..."); its report-1.log holds the calls
#   PROJECT_NAME     as the build named it (Agent.Harness)
#   ANALYZER_FOLDER  TokenLint.*.dll and their dependencies (src/TokenLint.CodeFixes/bin/Release/netstandard2.0
#                    after a Release build, plus TokenLint.Generators.dll)
#   --sequential     compile with /parallel-: analyzers run one at a time, so each one's time is its own work
#                    (in a concurrent compile on 2 cores it includes waiting for the processor and for locks and
#                    JIT compilations that other analyzer threads hold), which makes small differences visible.
# The compiler writes its outputs into a copy of the project folder under the work folder's replay/ folder.
set -euo pipefail
if [ $# -lt 3 ]; then sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
work="$(cd "$1" && pwd)"; project="$2"; analyzers="$(cd "$3" && pwd)"; runs="${4:-3}"; sequential="${5:-}"
log="$work/report-1.log"
line="$(grep -n "Compilation request $project " "$log" | head -1 | cut -d: -f1)"
[ -n "$line" ] || { echo "No compiler call for $project in $log" >&2; exit 1; }
call="$(sed -n "$((line - 1))p" "$log" | sed 's/^ *//')"
compiler="${call%% *}"
source_dir="$(dirname "$(grep -m1 -oE "[^ ]*/$project\.csproj" "$log")")"
replay="$work/replay/$project"
mkdir -p "$replay" && cp -r "$source_dir/." "$replay/"
rsp="$work/replay/$project.rsp"
echo "${call#"$compiler" }" | sed -E "s#/analyzer:[^ ]*/tokenlint/[^/]+/analyzers/dotnet/cs#/analyzer:$analyzers#g" >"$rsp"
[ "$sequential" = "--sequential" ] && echo " /parallel-" >>"$rsp"
cd "$replay"
for _ in $(seq 1 "$runs"); do
  "$compiler" @"$rsp" >"$work/replay/$project.log" 2>&1 || true
  analyzers_s=$(grep -E "^\s+[0-9.<]+\s+[0-9<]+\s+TokenLint\.Analyzers, Version" "$work/replay/$project.log" | awk '{print $1}')
  generator_s=$(grep -E "^\s+[0-9.<]+\s+[0-9<]+\s+TokenLint\.Generators, Version" "$work/replay/$project.log" | awk '{print $1}')
  echo "$project TokenLint analyzers ${analyzers_s:-?} s, generator ${generator_s:-?} s"
done
