#!/usr/bin/env bash
# Configures and builds coralpi into build/<name> (default: build/release).
# Usage: scripts/build.sh [release|asan|fuzz] [extra cmake args...]
# CORALPI_BUILD_ROOT (default: build) is the folder the build folders go in; scripts/debian13.sh
# sets it to build/debian13 so that the Debian 13 builds never mix with this machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release.sh
kind=${1:-release}; shift || true
case "$kind" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  # Line tables only (-g1): reports keep file:line, and the tree is ~4x smaller than with -g.
  # No Python module here (CORALPI_PYTHON=OFF); the fuzz build's Python tests run under clang's
  # ASan + UBSan (python/CMakeLists.txt preloads the runtime into the uninstrumented python3).
  asan) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORALPI_ASAN=ON -DCORALPI_PYTHON=OFF
              "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
              "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG") ;;
  # The release's clang (14 on Debian 12, 19 on Debian 13): libFuzzer targets, everything under
  # ASan + UBSan, with the CLI, the tests and the Python module (its pytest tests run with the
  # ASan runtime preloaded).
  fuzz) clang_version=$(release_clang_version)
        export CC=clang-$clang_version CXX=clang++-$clang_version
        args=(-DCMAKE_BUILD_TYPE=Release -DCORALPI_FUZZ=ON -DCORALPI_TESTS=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan|fuzz]" >&2; exit 2 ;;
esac
# ccache: key on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
dir=${CORALPI_BUILD_ROOT:-build}/$kind
cmake -S . -B "$dir" "${args[@]}" "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
