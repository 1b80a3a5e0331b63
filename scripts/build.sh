#!/usr/bin/env bash
# Configures and builds coralpi into build/<name> (default: build/release).
# Usage: scripts/build.sh [release|asan|fuzz] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}; shift || true
case "$kind" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  # Line tables only (-g1): reports keep file:line, and the tree is ~4x smaller than with -g.
  asan) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORALPI_ASAN=ON
              "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
              "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG") ;;
  # clang 14: libFuzzer targets, everything under ASan + UBSan, with the CLI and the tests.
  fuzz) export CC=clang-14 CXX=clang++-14
        args=(-DCMAKE_BUILD_TYPE=Release -DCORALPI_FUZZ=ON -DCORALPI_TESTS=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan|fuzz]" >&2; exit 2 ;;
esac
# ccache: key on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "build/$kind" "${args[@]}" "$@" >/dev/null
cmake --build "build/$kind" -j"$(nproc)"
