#!/usr/bin/env bash
# The test job: install what is missing, build, and run every test; then build again with
# AddressSanitizer + UBSan and run the tests again; then the arm64 build and its tests under
# qemu-aarch64 -cpu cortex-a76 (scripts/test-arm64.sh, docs/arm64.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release
(cd build/release && ctest --output-on-failure -j"$(nproc)")
scripts/build.sh asan
(cd build/asan && ctest --output-on-failure -j"$(nproc)" -LE slow)
scripts/test-arm64.sh
