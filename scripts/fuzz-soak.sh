#!/usr/bin/env bash
# A long fuzz run of one target: libFuzzer's fork mode with FORK jobs (default: every online CPU;
# FORK 1: one plain process) on the target's seed corpus (scripts/fuzz-common.sh), fork mode
# carrying on past findings, then a short summary: runs, runs/s, coverage (cov/ft from the last
# status line), corpus size and findings.
# The corpus grows in build/fuzz/soak/<target>/corpus across soaks; findings (crash-*, leak-*,
# timeout-*, oom-*) land in build/fuzz/soak/<target>/findings/, the log beside them.
# Usage: scripts/fuzz-soak.sh TARGET MINUTES [FORK]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-common.sh
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: scripts/fuzz-soak.sh TARGET MINUTES [FORK]" >&2
  exit 2
fi
target=$1 minutes=$2 fork=${3:-$(getconf _NPROCESSORS_ONLN)}
[ -x "$fuzz_bin/$target" ] || scripts/build.sh fuzz
if [ ! -x "$fuzz_bin/$target" ]; then
  echo "fuzz-soak: error: $fuzz_bin/$target: no such fuzz target; the targets are:" \
    $(cat "$fuzz_bin/targets.txt") >&2
  exit 2
fi
fuzz_make_seeds

soak=$fuzz_build/soak/$target
mkdir -p "$soak/corpus" "$soak/findings"
log=$soak/$(date +%Y%m%d-%H%M%S).log
mapfile -t seeds < <(fuzz_seed_dirs "$target")
before=$(ls "$soak/findings" | wc -l)
start=$(date +%s)
# A copy runs, so a rebuild during a long soak does not pull the binary from under it.
cp "$fuzz_bin/$target" "$soak/$target"
rc=0
# FORK 1: one plain libFuzzer process (it stops at the first finding); fork mode restarts a job
# every few seconds, each re-running its corpus, which costs a small target most of its runs.
mode=()
if [ "$fork" -gt 1 ]; then mode=(-fork="$fork" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); fi
"$soak/$target" "${mode[@]}" \
  -max_total_time=$((minutes * 60)) -timeout=25 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$soak/findings/" "$soak/corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
seconds=$(($(date +%s) - start))

read -r runs cov ft corp <<<"$(fuzz_last_stats "$log")" || true
runs=${runs:-0}
rate=$((runs / (seconds > 0 ? seconds : 1)))
findings=$(($(ls "$soak/findings" | wc -l) - before))
echo "$target: $runs runs in ${seconds}s ($rate runs/s, fork=$fork), cov ${cov:-?} ft ${ft:-?}," \
  "corpus ${corp:-?}; $findings new finding(s); libFuzzer exit $rc"
if [ "$rate" -gt 0 ]; then
  echo "  10 million runs at this rate: $((10000000 / rate / 60)) min"
fi
grep -E '^#[0-9]+[^0-9].*cov: ' "$log" | tail -1 | sed 's/^/  last status: /'
if [ "$findings" -gt 0 ]; then
  ls -t "$soak/findings" | head -"$findings" | sed "s|^|  finding: $soak/findings/|"
fi
echo "  log: $log"
[ "$findings" -eq 0 ]
