#!/usr/bin/env bash
# The arm64 test job: cross-build (scripts/cross-arm64.sh), then run the tests under
# qemu-aarch64 -cpu cortex-a76 (the Pi 5's CPU) with the arm64 sysroot as the loader's root.
# What runs and why, and the expected differences from x86: docs/arm64.md.
#   1. ctest in build/arm64 (the toolchain file sets CMAKE_CROSSCOMPILING_EMULATOR, so every
#      test executable runs under qemu; gtest discovery also runs under qemu, at test time).
#   2. The coralpi binary itself under qemu: --version, classify parrot.jpg (macaw first),
#      the same with 16K pages (qemu-aarch64 -p 16384), and doctor.
# Usage: scripts/test-arm64.sh          (JOBS=n for the build and ctest; default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${JOBS:-2}
sysroot=$root/build/arm64-sysroot
testdata=$root/../shared/testdata
start=$(date +%s)

scripts/cross-arm64.sh
built=$(date +%s)

qemu=(qemu-aarch64 -cpu cortex-a76 -L "$sysroot")
coralpi=$root/build/arm64/cli/coralpi

# Tests left out under emulation (docs/arm64.md says more):
#  - label cli: these tests start build/arm64/cli/coralpi through /bin/sh (std::system). The
#    shell is the host's amd64 one, which cannot exec an arm64 binary unless binfmt_misc has
#    qemu-aarch64 registered (package qemu-user-binfmt). Section 2 below runs the binary
#    under qemu instead. They run when binfmt is there.
exclude_labels=()
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then exclude_labels=(-LE cli); fi
# XNNPACK with a thread pool under qemu: see docs/arm64.md ("Threads under qemu").
exclude_tests=${CORALPI_ARM64_EXCLUDE:-}

echo "== 1. ctest under ${qemu[*]}"
(cd build/arm64 && ctest --output-on-failure -j"$jobs" --timeout 900 "${exclude_labels[@]}" \
   ${exclude_tests:+-E "$exclude_tests"})

echo "== 2. the coralpi binary under qemu"
"${qemu[@]}" "$coralpi" --version
fail=0
if [ -f "$testdata/models/mobilenet_v2_1.0_224_quant.tflite" ]; then
  for pages in 4096 16384; do
    out=$("${qemu[@]}" -p "$pages" "$coralpi" classify \
          --model "$testdata/models/mobilenet_v2_1.0_224_quant.tflite" \
          --labels "$testdata/labels/imagenet_labels.txt" "$testdata/images/parrot.jpg")
    echo "-- classify parrot.jpg, ${pages}-byte pages:"; echo "$out" | head -3
    echo "$out" | grep -v '^#' | head -1 | grep -q macaw || { echo "FAIL: macaw is not first"; fail=1; }
  done
else
  echo "(skipped classify: $testdata/models/mobilenet_v2_1.0_224_quant.tflite is missing)"
fi
set +e
"${qemu[@]}" "$coralpi" doctor --no-color >/dev/null; rc=$?
set -e
echo "-- doctor under qemu: exit $rc (3 = problems found: this is not a Pi 5)"
[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail=1

echo "coralpi: arm64 build $((built - start)) s, tests $(( $(date +%s) - built )) s"
exit $fail
