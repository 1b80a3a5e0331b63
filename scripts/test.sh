#!/usr/bin/env bash
# The test job: install what is missing, build, and run every test; then build again with
# AddressSanitizer + UBSan and run the tests that feed bad input and check bit-exactness.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release
(cd build/release && ctest --output-on-failure -j"$(nproc)")
scripts/build.sh asan
(cd build/asan && ctest --output-on-failure -j"$(nproc)" -LE slow)
