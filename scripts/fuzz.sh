#!/usr/bin/env bash
# CI's short fuzz run: every libFuzzer target of the clang fuzz build (build/fuzz, every name in
# build/fuzz/fuzz/targets.txt, i.e. every fuzz/fuzz_*.cc) for a fixed time on its seed corpus
# (scripts/fuzz-common.sh), failing on any crash, leak, timeout or out-of-memory. A failing
# input is left in build/fuzz/fuzz/findings/<target>/; fix the bug, then keep the input as a
# regression test in tests/fuzz/regressions/<target>/ (tests/fuzz replays them in every build).
# Usage: scripts/fuzz.sh [SECONDS]   (default 30 per target; FUZZ_JOBS targets at once, default
#                                     the number of CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-common.sh
seconds=${1:-30}
jobs=${FUZZ_JOBS:-$(nproc)}

[ -x "$fuzz_bin/seeds/make_fuzz_seeds" ] || scripts/build.sh fuzz
fuzz_make_seeds

# Runs target $1 from a fresh working corpus; its log goes to findings/<target>.log.
run_target() {
  local t=$1 work=$fuzz_bin/work/$1 findings=$fuzz_bin/findings/$1
  rm -rf "$work" "$findings"
  mkdir -p "$work" "$findings"
  local seeds
  mapfile -t seeds < <(fuzz_seed_dirs "$t")
  local rc=0
  "$fuzz_bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$findings/" "$work" "${seeds[@]}" >"$findings.log" 2>&1 || rc=$?
  echo "$rc" >"$findings.rc"
}

# One line per target: runs, coverage, and the failing input if any.
report_target() {
  local t=$1 rc=$2 runs cov ft corp
  read -r runs cov ft corp <<<"$(fuzz_last_stats "$fuzz_bin/findings/$t.log")" || true
  if [ "$rc" = 0 ]; then
    printf '%-20s ok      %10s runs in %ss, cov %s ft %s corpus %s\n' "$t" "${runs:-?}" \
      "$seconds" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    return 0
  fi
  echo "$t FAILED (exit $rc); the end of its log:"
  grep -v -E '^\s+NEW_FUNC' "$fuzz_bin/findings/$t.log" | tail -40
  for f in "$fuzz_bin/findings/$t"/*; do
    [ -e "$f" ] && echo "  input: $f  (once fixed: cp $f tests/fuzz/regressions/$t/)"
  done
  return 1
}

mapfile -t targets <"$fuzz_bin/targets.txt"
echo "fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait
failed=0
for t in "${targets[@]}"; do
  report_target "$t" "$(cat "$fuzz_bin/findings/$t.rc")" || failed=1
done
exit $failed
