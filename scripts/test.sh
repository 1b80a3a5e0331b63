#!/usr/bin/env bash
# The test job. Each step prints its time; the summary at the end lists them.
#   1. release   install what is missing, build, run every test (GCC; the tests that need a real
#                runtime library must find each one ../shared provides for this machine:
#                CORALPI_REAL_LIBS_REQUIRED names them, for this step only)
#   2. clang     the release's clang (14 on Debian 12, 19 on Debian 13) with ASan + UBSan and
#                libFuzzer: every test but the slow ones, then each fuzz target for 30 s
#                (scripts/fuzz.sh)
#   3. arm64     cross build and its tests under qemu-aarch64 -cpu cortex-a76 (scripts/test-arm64.sh,
#                docs/arm64.md); on Debian 12 hosts (CI's)
#   4. debian13  on a Debian 12 host: the release build and tests again in a Debian 13 root
#                (scripts/debian13.sh: GCC 14, XNNPACK 2024, cpp-httplib 0.18); on Debian 13 step 1
#                already was that
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release.sh
release=$(debian_release)
build=${CORALPI_BUILD_ROOT:-build}  # build/debian13 inside scripts/debian13.sh's root
summary=()
step() {  # name command...
  local name=$1 start=$SECONDS
  shift
  echo "== test step: $name"
  "$@"
  summary+=("$(printf '%-9s %5d s' "$name" $((SECONDS - start)))")
}

release_step() {
  scripts/deps.sh
  scripts/build.sh release
  local required=""
  if [ -f "../shared/anchors/tflite-$(uname -m)/libtensorflowlite_c.so" ]; then required+="TFLITE "; fi
  if [ -f "../shared/testdata/runtimes/libedgetpu-$(uname -m).so.1" ]; then required+="EDGETPU"; fi
  (export CORALPI_REAL_LIBS_REQUIRED=$required
   cd "$build/release" && ctest --output-on-failure -j"$(nproc)"
   echo "real-runtime tests (required: ${required:-none}):"
   ctest -L real-runtime | grep -E "Test +#|tests passed")
}

clang_step() {
  scripts/build.sh fuzz
  (cd "$build/fuzz" && ctest --output-on-failure -j"$(nproc)" -LE slow)
  scripts/fuzz.sh 30
}

step "release ($release, $(gcc -dumpfullversion))" release_step
step "clang $(release_clang_version) ASan+UBSan+fuzz" clang_step
if [ "$release" = bookworm ]; then
  step arm64 scripts/test-arm64.sh
  step "debian13" scripts/debian13.sh test
else
  echo "== test steps arm64 and debian13: left out on Debian 13 (this run is the Debian 13 one; the arm64 step runs on Debian 12 hosts)"
fi
echo "== test steps done:"
printf '  %s\n' "${summary[@]}"
