#!/usr/bin/env bash
# Runs scan.sh (harness mode) over each checkout given, one after another, keeps each run's output, and prints one
# table of findings per rule and checkout, so that two runs (before and after a rule change) can be diffed.
#
# Usage: bench/real-code-scan/rescan-all.sh CHECKOUT [CHECKOUT ...]
#   Outputs go to $RESCAN_OUT/NAME.txt (default: a new folder under $TMPDIR, printed first); the harness work folder
#   is $TOKENLINT_SCAN_WORK as for scan.sh (set it once so the harness is built once).
# Example: bench/real-code-scan/rescan-all.sh /tmp/scan/real2/*/ >before.txt; ...; diff before.txt after.txt
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${RESCAN_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-rescan.XXXXXX")}"
mkdir -p "$out"
export TOKENLINT_SCAN_WORK="${TOKENLINT_SCAN_WORK:-$out/work}"
echo "Outputs in $out" >&2

names=()
for checkout in "$@"; do
  name="$(basename "$checkout")"
  names+=("$name")
  "$here/scan.sh" "$checkout" >"$out/$name.txt" 2>&1 || echo "  $name: scan.sh exited $? (see $out/$name.txt)"
done

# Each output's "Per rule:" block lists "  TLxxxx N"; its harness lines count the model calls recognised. One row per
# rule: the total, then each checkout's count.
counts="$out/counts.txt"
for name in "${names[@]}"; do
  sed -n '/^Per rule:/,$p' "$out/$name.txt" | awk -v n="$name" '$1 ~ /^(TL[0-9][0-9][0-9][0-9]|AD0001)$/ { print $1, n, $2 }'
  grep -o -E '[0-9]+ model calls recognised' "$out/$name.txt" | awk -v n="$name" '{ s += $1 } END { print "calls", n, s + 0 }'
done >"$counts"
echo
echo "Per rule (total, then each checkout; 'calls' = model calls recognised):"
for rule in $(cut -d' ' -f1 "$counts" | sort -u); do
  row="" total=0
  for name in "${names[@]}"; do
    c="$(awk -v r="$rule" -v n="$name" '$1 == r && $2 == n { print $3 }' "$counts")"
    c="${c:-0}"; total=$((total + c)); row="$row $name=$c"
  done
  echo "$rule total=$total$row"
done
