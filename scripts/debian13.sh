#!/usr/bin/env bash
# A Debian 13 (trixie) root for building and testing coralpi on an x86-64 Debian 12 machine, as a
# Pi 5 with today's Raspberry Pi OS has it: GCC 14, XNNPACK 0.0~git20241108, cpp-httplib 0.18.
#
#   scripts/debian13.sh root          make build/debian13/root with mmdebstrap from the Debian
#                                     archive this machine's apt uses, with every package that
#                                     scripts/deps.sh names for trixie (kept, and brought up to
#                                     date when that list changes)
#   scripts/debian13.sh run CMD...    run CMD in the root, in this checkout (../shared beside it)
#   scripts/debian13.sh test          the release build and its tests in the root (CI's step);
#                                     the build goes to build/debian13/release
#
# The checkout's parent folder is bind-mounted at /coralpi inside the root, in a private mount
# namespace (unshare), so the mounts end with the command. ccache's folder inside the root is
# this machine's ~/.cache/coralpi-debian13-ccache, so that a fresh clone's root (CI's) starts
# with the objects an earlier build made. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
name=$(basename "$checkout")
base=$checkout/build/debian13
root=$base/root
ccache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/coralpi-debian13-ccache
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# The first Debian archive in apt's sources (deb822 or one-line form).
debian_mirror() {
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' \
          /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  if [ -z "$uri" ]; then
    uri=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\/debian\)[[:space:]].*/\2/p' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
  fi
  [ -n "$uri" ] || { echo "coralpi: no Debian archive found in /etc/apt/sources*" >&2; return 1; }
  echo "$uri"
}

make_root() {
  local packages stamp want
  packages=$(scripts/deps.sh --print trixie)
  stamp=$root/.coralpi-root
  want="trixie $packages"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "coralpi: Debian 13 root up to date: $root"
    return
  fi
  if ! command -v mmdebstrap >/dev/null; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mmdebstrap
  fi
  if [ -f "$root/etc/os-release" ]; then
    echo "coralpi: Debian 13 root: installing the changed package list"
    in_root apt-get update -qq
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
  else
    local mirror
    mirror=$(debian_mirror)
    echo "coralpi: making the Debian 13 root $root from $mirror (a few minutes)"
    rm -rf "$root"; mkdir -p "$base"
    $sudo mmdebstrap --mode=root --variant=apt --format=directory -q \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --include="${packages// /,}" trixie "$root" "$mirror"
  fi
  echo "$want" > "$stamp"
}

# Runs shell code (its arguments, joined by spaces) in the root, from the checkout, with /proc,
# /sys, /dev and the checkout's parent folder mounted.
in_root() {
  [ -f "$root/etc/os-release" ] || { echo "coralpi: no Debian 13 root yet: scripts/debian13.sh root" >&2; return 1; }
  local q="$*"
  $sudo unshare --mount --propagation private -- bash -euc '
    root=$1 parent=$2 name=$3 cache=$4; shift 4
    mkdir -p "$root/coralpi" "$root/root/.cache/ccache" "$cache"
    mount --bind "$parent" "$root/coralpi"
    mount --bind "$cache" "$root/root/.cache/ccache"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount -t tmpfs tmpfs "$root/tmp"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CI="${CI:-}" \
      CCACHE_DIR=/root/.cache/ccache \
      CORALPI_BUILD_ROOT=build/debian13 bash -c "cd /coralpi/$name && $*"
  ' coralpi-debian13 "$root" "$(dirname "$checkout")" "$name" "$ccache_dir" "$q"
}

case "${1:-}" in
  root) make_root ;;
  run) shift; in_root "$@" ;;
  test)
    make_root
    in_root 'gcc --version | head -n 1
      dpkg-query -W -f="XNNPACK \${Version}\n" libxnnpack-dev
      scripts/build.sh release
      cd build/debian13/release && ctest --output-on-failure -j"$(nproc)"' ;;
  *) echo "usage: scripts/debian13.sh root | run CMD... | test" >&2; exit 2 ;;
esac
