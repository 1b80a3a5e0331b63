#!/usr/bin/env bash
# Cross-builds coralpi for arm64 (Raspberry Pi 5) into build/arm64.
#
# 1. Host tools: g++-aarch64-linux-gnu (compiler, libc, libstdc++), qemu-user (tests), and the
#    amd64 build dependencies (scripts/deps.sh: flatc, dtc, ...).
# 2. Sysroot: Debian 12's arm64 packages (-dev and the runtime libraries they need) fetched with
#    `apt-get download pkg:arm64` and unpacked with `dpkg -x` into build/arm64-sysroot.
#    Nothing arm64 is installed into the host: `dpkg --add-architecture arm64` only lets apt
#    see the arm64 package lists (libxnnpack-dev and libcpuinfo-dev are not co-installable).
# 3. cmake with cmake/toolchain-aarch64.cmake, build with -j2 (override: JOBS=n). No Python
#    module (CORALPI_PYTHON=OFF): the sysroot has no Python headers.
#
# Usage: scripts/cross-arm64.sh [--sysroot-only] [extra cmake args...]
#        CORALPI_TARGET=coralpi scripts/cross-arm64.sh   (only the coralpi binary)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/release.sh
# ccache keyed on paths relative to the checkout (as scripts/build.sh), so clones share it.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build=$root/${CORALPI_BUILD_ROOT:-build}
sysroot=$build/arm64-sysroot
debs=$build/arm64-debs
jobs=${JOBS:-2}
sysroot_only=0
if [ "${1:-}" = "--sysroot-only" ]; then sysroot_only=1; shift; fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# --- host tools ---------------------------------------------------------------------------
scripts/deps.sh
host_pkgs=(g++-aarch64-linux-gnu qemu-user)
missing=()
for p in "${host_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "coralpi: dpkg --add-architecture arm64 (package lists only; nothing arm64 is installed)"
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
elif ! apt-cache show libxnnpack-dev:arm64 >/dev/null 2>&1; then
  $sudo apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "coralpi: installing host packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- sysroot ------------------------------------------------------------------------------
# The -dev packages of scripts/deps.sh that coralpi links, and the runtime libraries they pull
# in. Cairo's pkg-config file names its private dependencies (glib, pixman, X11, xcb, ...), whose
# .pc files pkg-config needs even for --cflags: their -dev packages are here for that.
# libc6/libstdc++6/libgcc-s1 are there for qemu-aarch64 -L (the Pi's own run-time libraries);
# the compiler links against the cross toolchain's copies of the same versions. libusb-1.0-0 (and
# its libudev1) are there for the real aarch64 libedgetpu the tests load (it links libusb).
# coralpi serve links yaml-cpp, libmosquitto and cpp-httplib (whose .pc requires openssl).
# The model layer links zlib's minizip (Ultralytics' metadata zip): libminizip1 / libminizip1t64.
arm64_pkgs=(
  libxnnpack-dev libpthreadpool-dev libpthreadpool0 libcpuinfo-dev libcpuinfo0
  libflatbuffers-dev
  libjpeg62-turbo-dev libjpeg62-turbo libspng-dev libspng0 zlib1g-dev zlib1g
  libfdt-dev libfdt1
  libgtest-dev libgmock-dev
  libcairo2-dev libcairo2 libpixman-1-dev libpixman-1-0 libfontconfig-dev libfontconfig1
  libfreetype-dev libfreetype6 libpng-dev libexpat1-dev libexpat1 libbrotli-dev libbrotli1
  libx11-dev libx11-6 libxext-dev libxext6 libxrender-dev libxrender1 libxcb1-dev libxcb1
  libxcb-render0-dev libxcb-render0 libxcb-shm0-dev libxcb-shm0 libxau-dev libxau6
  libxdmcp-dev libxdmcp6 libbsd0 libmd0 libglib2.0-dev libpcre2-dev libffi-dev
  libc6 libstdc++6 libgcc-s1
  libusb-1.0-0 libudev1
  libgstreamer1.0-dev libgstreamer1.0-0 libgstreamer-plugins-base1.0-dev libgstreamer-plugins-base1.0-0
  libffi8 libpcre2-8-0 liborc-0.4-dev
  libunwind-dev libunwind8 libdw-dev libelf-dev liblzma-dev liblzma5 libzstd1 libbz2-1.0
  libyaml-cpp-dev libmosquitto-dev libmosquitto1 libcpp-httplib-dev libssl-dev
  libminizip-dev
)
# The run-time libraries whose package names differ between the releases (Debian 13 renamed
# many for the 64-bit time_t transition and split glib's -dev package).
case "$(debian_release)" in
  bookworm) arm64_pkgs+=(libxnnpack0 libflatbuffers2 libpng16-16 libglib2.0-0 liborc-0.4-0 libdw1
                         libelf1 libyaml-cpp0.7 libcpp-httplib0.11 libssl3 libminizip1) ;;
  trixie) arm64_pkgs+=(libxnnpack0.20241108 libflatbuffers23.5.26 libpng16-16t64 libglib2.0-0t64
                       liborc-0.4-0t64 libdw1t64 libelf1t64 libyaml-cpp0.8 libcpp-httplib0.18
                       libssl3t64 libgio-2.0-dev libsysprof-capture-4-dev libzstd-dev libbz2-dev
                       libminizip1t64) ;;
esac
# Architecture: all (headers only).
all_pkgs=(libcli11-dev nlohmann-json3-dev x11proto-dev)

stamp=$sysroot/.coralpi-sysroot
want="${arm64_pkgs[*]} ${all_pkgs[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "coralpi: arm64 sysroot up to date: $sysroot"
else
  echo "coralpi: making the arm64 sysroot in $sysroot"
  rm -rf "$sysroot" "$debs"
  mkdir -p "$sysroot" "$debs"
  # apt-get download runs as the _apt user when root; let it write into the folder.
  chmod 777 "$debs"
  (cd "$debs" && apt-get download -qq "${arm64_pkgs[@]/%/:arm64}" "${all_pkgs[@]}")
  for d in "$debs"/*.deb; do dpkg -x "$d" "$sysroot"; done
  # Absolute symbolic links (/usr/lib/...) point into the host: make them relative.
  find "$sysroot" -type l -lname '/*' | while read -r link; do
    target=$(readlink "$link")
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot$target")" "$link"
  done
  ls "$debs" > "$sysroot/.coralpi-packages"
  echo "$want" > "$stamp"
fi
[ $sysroot_only -eq 1 ] && exit 0

# --- build --------------------------------------------------------------------------------
start=$(date +%s)
cmake -S . -B "$build/arm64" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64.cmake" \
  -DCORALPI_ARM64_SYSROOT="$sysroot" -DCMAKE_BUILD_TYPE=Release -DCORALPI_PYTHON=OFF \
  -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST "$@" >/dev/null
cmake --build "$build/arm64" -j"$jobs" ${CORALPI_TARGET:+--target "$CORALPI_TARGET"}
echo "coralpi: arm64 build in $build/arm64 ($(( $(date +%s) - start )) s): $(file -b "$build/arm64/cli/coralpi" | cut -d, -f1-2)"
