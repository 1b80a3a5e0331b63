#!/usr/bin/env bash
# The test job: install what is missing, build, and run every test; then build again with
# AddressSanitizer + UBSan and run the tests again; then with clang 14 (libFuzzer + ASan + UBSan)
# and run the tests and every fuzz target for 30 s (scripts/fuzz.sh); then the arm64 build and
# its tests under qemu-aarch64 -cpu cortex-a76 (scripts/test-arm64.sh, docs/arm64.md).
# The tests that need a real runtime library must find each one ../shared provides for this
# machine (CORALPI_REAL_LIBS_REQUIRED names them; set for the native release run only, never for
# the arm64 step, whose libraries differ).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release
required=""
if [ -f "../shared/anchors/tflite-$(uname -m)/libtensorflowlite_c.so" ]; then required+="TFLITE "; fi
if [ -f "../shared/testdata/runtimes/libedgetpu-$(uname -m).so.1" ]; then required+="EDGETPU"; fi
export CORALPI_REAL_LIBS_REQUIRED=$required
(cd build/release && ctest --output-on-failure -j"$(nproc)")
echo "real-runtime tests (required: ${required:-none}):"
(cd build/release && ctest -L real-runtime | grep -E "Test +#|tests passed")
unset CORALPI_REAL_LIBS_REQUIRED
scripts/build.sh asan
(cd build/asan && ctest --output-on-failure -j"$(nproc)" -LE slow)
clang_start=$SECONDS
scripts/build.sh fuzz
(cd build/fuzz && ctest --output-on-failure -j"$(nproc)" -LE slow)
scripts/fuzz.sh 30
echo "clang 14 build, its tests and the fuzz runs: $((SECONDS - clang_start)) s"
scripts/test-arm64.sh
