#!/usr/bin/env bash
# Builds the Debian packages build/deb/coralpi_<version>_amd64.deb and _arm64.deb.
#   amd64: the native build (build/release, target coralpi only)
#   arm64: the cross build (build/arm64 against build/arm64-sysroot; scripts/cross-arm64.sh)
#   (the machine's own architecture, dpkg --print-architecture, is always the native build: on an
#   arm64 machine `scripts/package.sh arm64` builds build/release there, as for amd64 here)
# For the native architecture also python3-coralpi_<version>_<arch>.deb and
# python3-coralpi-compat_<version>_all.deb (scripts/package-python.sh: the Python module and the
# tflite_runtime / pycoral compatibility layer).
# Each package: /usr/bin/coralpi and /usr/libexec/coralpi/coralpi-live (stripped; cli/live_forward.h),
# /usr/share/man/man1/coralpi.1.gz made from the
# binary's own --help (so the two match), /etc/udev/rules.d/65-apex.rules as a conffile, a
# postinst that creates the apex group, Depends: from dpkg-shlibdeps (for arm64 against the
# downloaded arm64 .debs), and Recommends: libedgetpu1-std | libedgetpu1-max (dlopen'ed, the only
# library the Edge TPU path needs). Then dpkg-deb -I/-c and lintian (if present), and the binary run from
# the unpacked package (under qemu for arm64).
# Also /lib/systemd/system/coralpi.service (coralpi serve) with /etc/coralpi/coralpi.yaml as a
# conffile; the postinst creates the coralpi user it runs as; it is not enabled until asked.
# Usage: scripts/package.sh [amd64] [arm64]        (default: both; on a non-amd64 machine its own)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/deb-build.sh
# ccache keyed on paths relative to the checkout (as scripts/build.sh), so clones share it.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
native=$(dpkg --print-architecture)
arches=("$@")
[ ${#arches[@]} -eq 0 ] && { [ "$native" = amd64 ] && arches=(amd64 arm64) || arches=("$native"); }
jobs=${JOBS:-2}
build=${CORALPI_BUILD_ROOT:-build}
out=$root/$build/deb
mkdir -p "$out"
version=$(sed -n 's/^project(coralpi VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
# The packages' date (man page, changelog): SOURCE_DATE_EPOCH, else the last commit's, else (no
# git, as in scripts/debian13.sh's root) CMakeLists.txt's modification time.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || stat -c %Y CMakeLists.txt)}
sysroot=$root/$build/arm64-sysroot
qemu=(qemu-aarch64 -cpu cortex-a76 -L "$sysroot")

scripts/deps.sh
# dpkg-shlibdeps (dpkg-dev) and lintian check the packages.
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
for p in dpkg-dev lintian; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p"
  fi
done

build_dir() {
  case "$1" in
    "$native")
      # CORALPI_PYTHON=ON: the Python packages (scripts/package-python.sh) need the module.
      cmake -S . -B "$build/release" -DCMAKE_BUILD_TYPE=Release -DCORALPI_PYTHON=ON >/dev/null
      cmake --build "$build/release" -j"$jobs" --target coralpi coralpi-live >/dev/null
      echo "$root/$build/release" ;;
    arm64)
      CORALPI_TARGET=coralpi scripts/cross-arm64.sh >/dev/null
      echo "$root/$build/arm64" ;;
  esac
}

run_coralpi() {  # arch binary args...
  local arch=$1 bin=$2; shift 2
  if [ "$arch" != "$native" ]; then "${qemu[@]}" "$bin" "$@"; else "$bin" "$@"; fi
}

# Depends: through dpkg-shlibdeps (symbols/shlibs files of the packages that provide each
# NEEDED library). amd64: the host's dpkg database. arm64: the libraries are in the sysroot and
# their packages are not installed anywhere, so a throw-away dpkg database (build/deb/arm64-admin)
# is made from the downloaded .debs: their control files as "installed", their file lists
# (with the sysroot's path in front, as dpkg-shlibdeps finds them there), symbols and shlibs.
shlibdeps() {  # arch binary...
  local arch=$1 work=$out/$1/shlibdeps args=()
  shift
  mkdir -p "$work/debian"
  printf 'Source: coralpi\n\nPackage: coralpi\nArchitecture: any\n' > "$work/debian/control"
  if [ "$arch" != "$native" ]; then
    local adm=$out/arm64-admin d p t l f
    rm -rf "$adm"; mkdir -p "$adm/info"; : > "$adm/status"; printf 'amd64\narm64\n' > "$adm/arch"
    for d in "$root/$build"/arm64-debs/*_arm64.deb; do
      p=$(dpkg-deb -f "$d" Package); t=$(mktemp -d)
      dpkg-deb -e "$d" "$t"
      dpkg-deb -c "$d" | awk '{print $6}' | sed 's#^\./#/#; s#/$##' | grep -v '^/\?$' |
        sed "s#^#$sysroot#" > "$adm/info/$p.list"
      for f in symbols shlibs; do [ ! -f "$t/$f" ] || cp "$t/$f" "$adm/info/$p.$f"; done
      for f in list symbols shlibs; do [ ! -f "$adm/info/$p.$f" ] || cp "$adm/info/$p.$f" "$adm/info/$p:arm64.$f"; done
      { sed '/^Package:/a Status: install ok installed' "$t/control"; echo; } >> "$adm/status"
      rm -rf "$t"
    done
    args=(--admindir="$adm" -l"$sysroot/usr/lib/aarch64-linux-gnu" -l"$sysroot/lib/aarch64-linux-gnu")
  fi
  (cd "$work" && DEB_HOST_ARCH=$arch dpkg-shlibdeps "${args[@]}" -O "$@") | sed -n 's/^shlibs:Depends=//p'
}

# A man page from the binary's --help: the command, then one section per subcommand.
man_page() {  # arch binary
  local arch=$1 bin=$2 cmd
  printf '.TH CORALPI 1 "%s" "coralpi %s" "User Commands"\n' "$(date -u -d "@$epoch" +%Y-%m-%d)" "$version"
  printf '.SH NAME\ncoralpi \\- fast computer vision on a Raspberry Pi 5, with or without a Coral Edge TPU\n'
  printf '.SH SYNOPSIS\n.B coralpi\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.SH DESCRIPTION\n'
  printf 'The output of \\fBcoralpi \\-\\-help\\fR and \\fBcoralpi \\fICOMMAND\\fB \\-\\-help\\fR.\n'
  printf '.PP\n.nf\n'; run_coralpi "$arch" "$bin" --help | sed "s#$bin#coralpi#g" | sed 's/\\/\\e/g; s/^[.'"'"']/\\\&&/'; printf '.fi\n'
  for cmd in $(run_coralpi "$arch" "$bin" --help | awk 'tolower($0) ~ /^subcommands:/ {s=1; next} s && NF {print $1}'); do
    printf '.SH "COMMAND: %s"\n.nf\n' "$cmd"
    run_coralpi "$arch" "$bin" "$cmd" --help | sed "s#$bin#coralpi#g" | sed 's/\\/\\e/g; s/^[.'"'"']/\\\&&/'
    printf '.fi\n'
  done
  printf '.SH EXIT STATUS\n0 ok, 1 internal error, 2 usage or a bad argument, 3 when \\fBdoctor\\fR or \\fBsetup\\fR found problems, 4 a file missing or unusable (corrupt, truncated), 5 unsupported (an operator or type this build cannot run), 6 the Edge TPU or its runtime absent or failing.\n'
  printf '.SH FILES\n.TP\n.I /etc/udev/rules.d/65-apex.rules\nGives the Edge TPU (/dev/apex_*) to the \\fBapex\\fR group, mode 0660.\n'
}

for arch in "${arches[@]}"; do
  bdir=$(build_dir "$arch")
  stage=$out/$arch/root
  rm -rf "$out/$arch"; mkdir -p "$stage/DEBIAN"
  DESTDIR=$stage cmake --install "$bdir" --prefix /usr --strip >/dev/null
  bin=$stage/usr/bin/coralpi
  live=$stage/usr/libexec/coralpi/coralpi-live  # the whole CLI (cli/live_forward.h)
  mkdir -p "$stage/usr/share/man/man1"
  # From coralpi-live, which answers every command's --help itself (coralpi hands watch and
  # serve over by executing it, which an arm64 binary under qemu cannot without binfmt).
  man_page "$arch" "$live" | gzip -9n > "$stage/usr/share/man/man1/coralpi.1.gz"
  printf 'coralpi (%s) unstable; urgency=medium\n\n  * Package built by scripts/package.sh.\n\n -- coralpi developers <coralpi@lists.invalid>  %s\n' \
    "$version" "$(date -u -R -d "@$epoch")" | gzip -9n > "$stage/usr/share/doc/coralpi/changelog.gz"
  deps=$(shlibdeps "$arch" "$bin" "$live")
  cat > "$stage/DEBIAN/control" <<CONTROL
Package: coralpi
Version: $version
Architecture: $arch
Maintainer: coralpi developers <coralpi@lists.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $deps, adduser, fonts-dejavu-core, gstreamer1.0-plugins-base
Recommends: udev, libedgetpu1-std | libedgetpu1-max, gstreamer1.0-plugins-good
Section: science
Priority: optional
Homepage: https://github.com/coralpi/coralpi
Description: fast computer vision on a Raspberry Pi 5, with or without a Coral
 coralpi reads TensorFlow Lite models itself and runs them on its own CPU
 engine over XNNPACK (classify, inspect, bench, compare), and runs Edge TPU
 models with libedgetpu alone (libedgetpu1-std or -max, 16.0 or later; no
 TensorFlow Lite needed). It checks and repairs the Raspberry Pi 5 + Coral
 Edge TPU setup (doctor, setup, devices).
 The udev rule gives the Edge TPU (/dev/apex_*) to the apex group.
CONTROL
  echo /etc/udev/rules.d/65-apex.rules > "$stage/DEBIAN/conffiles"
  echo /etc/coralpi/coralpi.yaml >> "$stage/DEBIAN/conffiles"
  install -m 0755 packaging/postinst "$stage/DEBIAN/postinst"
  deb=$out/coralpi_${version}_${arch}.deb
  build_and_check_deb "$stage" "$deb" "$out/$arch/lintian.txt"
  # Unpacked into a scratch root (dpkg -x): the binary runs from it.
  scratch=$out/$arch/scratch
  rm -rf "$scratch"
  dpkg -x "$deb" "$scratch"
  echo "-- from the unpacked package: $(run_coralpi "$arch" "$scratch/usr/bin/coralpi" --version)"
  set +e
  run_coralpi "$arch" "$scratch/usr/bin/coralpi" doctor --no-color > "$out/$arch/doctor.txt" 2>&1; rc=$?
  set -e
  echo "-- coralpi doctor from it: exit $rc (3: problems found, as off a Pi 5); $(grep -c . "$out/$arch/doctor.txt") lines in $out/$arch/doctor.txt"
  [ $rc -eq 0 ] || [ $rc -eq 3 ] || exit 1
  if [ "$arch" = "$native" ]; then
    scripts/package-python.sh "$arch" "$bdir" "$out" "$version" "$epoch"
  else
    echo "-- python3-coralpi for $arch: not cross-built (no Python module in the cross build); run scripts/package.sh $arch on an $arch machine"
  fi
done
