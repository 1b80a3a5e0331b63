#!/usr/bin/env bash
# Builds the Debian packages build/deb/coralpi_<version>_amd64.deb and _arm64.deb.
#   amd64: the native build (build/release, target coralpi only)
#   arm64: the cross build (build/arm64 against build/arm64-sysroot; scripts/cross-arm64.sh)
# Each package: /usr/bin/coralpi (stripped), /usr/share/man/man1/coralpi.1.gz made from the
# binary's own --help (so the two match), /etc/udev/rules.d/65-apex.rules as a conffile, a
# postinst that creates the apex group, and Depends: computed from the binary's NEEDED entries
# through the shlibs files of the Debian packages that provide them (the host's dpkg database
# for amd64, the downloaded arm64 .debs for arm64). Then dpkg-deb -I/-c and lintian (if present).
# Usage: scripts/package.sh [amd64] [arm64]        (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
arches=("$@")
[ ${#arches[@]} -eq 0 ] && arches=(amd64 arm64)
jobs=${JOBS:-2}
out=$root/build/deb
mkdir -p "$out"
version=$(sed -n 's/^project(coralpi VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
sysroot=$root/build/arm64-sysroot
qemu=(qemu-aarch64 -cpu cortex-a76 -L "$sysroot")

scripts/deps.sh

build_dir() {
  case "$1" in
    amd64)
      cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/release -j"$jobs" --target coralpi >/dev/null
      echo "$root/build/release" ;;
    arm64)
      CORALPI_TARGET=coralpi scripts/cross-arm64.sh >/dev/null
      echo "$root/build/arm64" ;;
  esac
}

run_coralpi() {  # arch binary args...
  local arch=$1 bin=$2; shift 2
  if [ "$arch" = arm64 ]; then "${qemu[@]}" "$bin" "$@"; else "$bin" "$@"; fi
}

# "libXNNPACK.so.0" -> "libXNNPACK 0" (the key of a shlibs line).
shlibs_key() { echo "$1" | sed -E 's/^(.*)\.so\.(.*)$/\1 \2/'; }

# The Depends entry for one soname, from a shlibs text: "[type:] name version dependency".
dep_from_shlibs() {  # soname shlibs-text
  local key; key=$(shlibs_key "$1")
  echo "$2" | awk -v k="$key" '$1 !~ /:$/ && ($1" "$2)==k { $1=""; $2=""; sub(/^ +/, ""); print; exit }'
}

depends_amd64() {  # binary
  local so path pkg shl dep deps=()
  for so in $(objdump -p "$1" | awk '/NEEDED/ {print $2}'); do
    path=$(ldconfig -p | awk -v s="$so" '$1==s && /x86-64/ {print $NF; exit}')
    pkg=$( (dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null ||
            dpkg -S "${path#/usr}" 2>/dev/null) | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "package.sh: no package provides $so ($path)" >&2; exit 1; }
    shl=$(cat /var/lib/dpkg/info/"$pkg".shlibs /var/lib/dpkg/info/"$pkg":amd64.shlibs 2>/dev/null || true)
    dep=$(dep_from_shlibs "$so" "$shl")
    [ -n "$dep" ] || dep="$pkg (>= $(dpkg-query -W -f='${Version}' "$pkg:amd64" 2>/dev/null || dpkg-query -W -f='${Version}' "$pkg"))"
    deps+=("$dep")
  done
  printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g'
}

depends_arm64() {  # binary
  local so deb pkg dep deps=()
  for so in $(objdump -p "$1" | awk '/NEEDED/ {print $2}'); do
    deb=""
    for d in "$root"/build/arm64-debs/*.deb; do
      if dpkg-deb -c "$d" | awk '{print $6}' | grep -q "/$so\$"; then deb=$d; break; fi
    done
    [ -n "$deb" ] || { echo "package.sh: no downloaded arm64 package provides $so" >&2; exit 1; }
    pkg=$(dpkg-deb -f "$deb" Package)
    dep=$(dep_from_shlibs "$so" "$(dpkg-deb -I "$deb" shlibs 2>/dev/null || true)")
    [ -n "$dep" ] || dep="$pkg (>= $(dpkg-deb -f "$deb" Version))"
    deps+=("$dep")
  done
  printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g'
}

# A man page from the binary's --help: the command, then one section per subcommand.
man_page() {  # arch binary
  local arch=$1 bin=$2 cmd
  printf '.TH CORALPI 1 "%s" "coralpi %s" "User Commands"\n' "$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" +%Y-%m-%d)" "$version"
  printf '.SH NAME\ncoralpi \\- fast computer vision on a Raspberry Pi 5, with or without a Coral Edge TPU\n'
  printf '.SH SYNOPSIS\n.B coralpi\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.SH DESCRIPTION\n'
  printf 'The output of \\fBcoralpi \\-\\-help\\fR and \\fBcoralpi \\fICOMMAND\\fB \\-\\-help\\fR.\n'
  printf '.PP\n.nf\n'; run_coralpi "$arch" "$bin" --help | sed 's/\\/\\e/g; s/^[.'"'"']/\\\&&/'; printf '.fi\n'
  for cmd in $(run_coralpi "$arch" "$bin" --help | awk '/^SUBCOMMANDS:/ {s=1; next} s && NF {print $1}'); do
    printf '.SH "COMMAND: %s"\n.nf\n' "$cmd"
    run_coralpi "$arch" "$bin" "$cmd" --help | sed 's/\\/\\e/g; s/^[.'"'"']/\\\&&/'
    printf '.fi\n'
  done
  printf '.SH EXIT STATUS\n0 ok, 1 error, 2 usage, 3 when \\fBdoctor\\fR or \\fBsetup\\fR found problems.\n'
  printf '.SH FILES\n.TP\n.I /etc/udev/rules.d/65-apex.rules\nGives the Edge TPU (/dev/apex_*) to the \\fBapex\\fR group, mode 0660.\n'
}

for arch in "${arches[@]}"; do
  bdir=$(build_dir "$arch")
  stage=$out/$arch/root
  rm -rf "$out/$arch"; mkdir -p "$stage/DEBIAN"
  DESTDIR=$stage cmake --install "$bdir" --prefix /usr --strip >/dev/null
  bin=$stage/usr/bin/coralpi
  mkdir -p "$stage/usr/share/man/man1"
  man_page "$arch" "$bin" | gzip -9n > "$stage/usr/share/man/man1/coralpi.1.gz"
  printf 'coralpi (%s) unstable; urgency=medium\n\n  * Package built by scripts/package.sh.\n\n -- coralpi developers <coralpi@lists.invalid>  %s\n' \
    "$version" "$(date -u -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}")" | gzip -9n > "$stage/usr/share/doc/coralpi/changelog.gz"
  deps=$(depends_"$arch" "$bin")
  cat > "$stage/DEBIAN/control" <<CONTROL
Package: coralpi
Version: $version
Architecture: $arch
Maintainer: coralpi developers <coralpi@lists.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $deps
Recommends: udev
Section: science
Priority: optional
Homepage: https://github.com/coralpi/coralpi
Description: fast computer vision on a Raspberry Pi 5, with or without a Coral Edge TPU
 coralpi reads TensorFlow Lite models itself and runs them on its own CPU engine over
 XNNPACK (classify, inspect, bench, compare); it checks and repairs the Raspberry Pi 5 +
 Coral Edge TPU setup (doctor, setup, devices). The udev rule gives the Edge TPU to the
 apex group.
CONTROL
  echo /etc/udev/rules.d/65-apex.rules > "$stage/DEBIAN/conffiles"
  install -m 0755 packaging/postinst "$stage/DEBIAN/postinst"
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
  deb=$out/coralpi_${version}_${arch}.deb
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
  echo "== $deb"
  dpkg-deb -I "$deb" | sed -n '/Package:/,$p'
  dpkg-deb -c "$deb" | awk '{print $1, $6}'
  if command -v lintian >/dev/null; then
    echo "-- lintian"; lintian --no-tag-display-limit "$deb" || true
  fi
  # Unpacked into a scratch root (dpkg -x): the binary runs from it.
  scratch=$out/$arch/scratch
  dpkg -x "$deb" "$scratch"
  echo "-- from the unpacked package: $(run_coralpi "$arch" "$scratch/usr/bin/coralpi" --version)"
done
