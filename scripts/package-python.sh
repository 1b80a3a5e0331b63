#!/usr/bin/env bash
# The Python packages, built by scripts/package.sh for the machine's own architecture (the cross
# build has no Python module: its sysroot has no Python headers), into OUT beside coralpi's .deb:
#   python3-coralpi_<version>_<arch>.deb: the module coralpi in /usr/lib/python3/dist-packages/
#     (__init__.py and the extension _coralpi<EXT_SUFFIX>, stripped) for the system Python the
#     build used (3.11 on Debian 12, 3.13 on Debian 13: Depends: python3 (>= 3.X~), python3
#     (<< 3.X+1), as the extension is built for that one version), Depends: from dpkg-shlibdeps
#     and python3-numpy, Recommends: libedgetpu1-std | libedgetpu1-max (dlopen'ed) as coralpi.
#   python3-coralpi-compat_<version>_all.deb: the tflite_runtime / pycoral compatibility layer
#     (python/compat/{tflite_runtime,pycoral}: every .py file but tests) over python3-coralpi,
#     Conflicts: python3-pycoral, python3-tflite-runtime (the same module names).
# Both byte-compile in postinst and clean up in prerm (py3compile / py3clean, as dh_python3's
# snippets do), carry coralpi's copyright and a changelog, and are checked: dpkg-deb -I/-c,
# lintian (an error fails), then the module imported and a model run from the unpacked packages
# (PYTHONPATH into a scratch dir; nothing installed).
# Usage: scripts/package-python.sh ARCH BUILD_DIR OUT_DIR VERSION EPOCH   (from scripts/package.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/deb-build.sh
arch=$1 bdir=$2 out=$3 version=$4 epoch=$5
jobs=${JOBS:-2}
maint="coralpi developers <coralpi@lists.invalid>"
dist=usr/lib/python3/dist-packages

grep -q '^CORALPI_PYTHON:BOOL=ON' "$bdir/CMakeCache.txt" || {
  echo "package-python: $bdir is configured with CORALPI_PYTHON=OFF: no Python module to package" >&2
  exit 1
}
for p in tflite_runtime pycoral; do
  [ -d "python/compat/$p" ] || {
    echo "package-python: python/compat/$p is missing: python3-coralpi-compat needs the" \
         "compatibility layer's packages python/compat/{tflite_runtime,pycoral}" >&2
    exit 1
  }
done
cmake --build "$bdir" -j"$jobs" --target coralpi_python >/dev/null

# The Python the build used (FindPython3's, cached as _Python3_EXECUTABLE, or Python3_EXECUTABLE
# when given to cmake) decides the extension's name and the python3 versions it loads into.
python=$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p; s/^_Python3_EXECUTABLE:[A-Z]*=//p' "$bdir/CMakeCache.txt" | head -1)
[ -x "$python" ] || { echo "package-python: no Python3 executable in $bdir/CMakeCache.txt" >&2; exit 1; }
read -r pymin pymax suffix < <("$python" -c 'import sys, sysconfig; v = sys.version_info
print(f"{v[0]}.{v[1]}", f"{v[0]}.{v[1] + 1}", sysconfig.get_config_var("EXT_SUFFIX"))')
ext=$bdir/python/coralpi/_coralpi$suffix
[ -f "$ext" ] || { echo "package-python: $ext was not built (by $python)" >&2; exit 1; }

# Shared by both packages: doc files and maintainer scripts (dh_python3's).
docs() {  # stage package
  install -d "$1/usr/share/doc/$2"
  install -m 0644 packaging/copyright "$1/usr/share/doc/$2/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Package built by scripts/package.sh.\n\n -- %s  %s\n' \
    "$2" "$version" "$maint" "$(date -u -R -d "@$epoch")" | gzip -9n > "$1/usr/share/doc/$2/changelog.gz"
}
scripts() {  # stage package
  printf '#!/bin/sh\nset -e\nif [ "$1" = configure ] && command -v py3compile >/dev/null 2>&1; then\n  py3compile -p %s\nfi\n' \
    "$2" > "$1/DEBIAN/postinst"
  printf '#!/bin/sh\nset -e\nif command -v py3clean >/dev/null 2>&1; then\n  py3clean -p %s\nelse\n  dpkg -L %s | sed -En -e '"'"'/^(.*)\\/(.+)\\.py$/s,,rm "\\1/__pycache__/\\2".*,e'"'"'\n  find /%s -type d -name __pycache__ -empty -print0 | xargs --null --no-run-if-empty rmdir\nfi\n' \
    "$2" "$2" "$dist" > "$1/DEBIAN/prerm"
  chmod 0755 "$1/DEBIAN/postinst" "$1/DEBIAN/prerm"
}

# python3-coralpi
work=$out/python
rm -rf "$work"; mkdir -p "$work"
stage=$work/python3-coralpi
install -d "$stage/DEBIAN" "$stage/$dist/coralpi"
install -m 0644 python/coralpi/__init__.py "$stage/$dist/coralpi/__init__.py"
install -m 0644 "$ext" "$stage/$dist/coralpi/"
# As dh_strip strips shared objects.
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stage/$dist/coralpi/${ext##*/}"
docs "$stage" python3-coralpi
scripts "$stage" python3-coralpi
mkdir -p "$work/shlibdeps/debian"
printf 'Source: coralpi\n\nPackage: python3-coralpi\nArchitecture: any\n' > "$work/shlibdeps/debian/control"
deps=$(cd "$work/shlibdeps" && dpkg-shlibdeps -O "$stage/$dist/coralpi/${ext##*/}" | sed -n 's/^shlibs:Depends=//p')
cat > "$stage/DEBIAN/control" <<CONTROL
Package: python3-coralpi
Source: coralpi
Version: $version
Architecture: $arch
Maintainer: $maint
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $deps, python3 (>= $pymin~), python3 (<< $pymax), python3-numpy
Recommends: libedgetpu1-std | libedgetpu1-max
Section: python
Priority: optional
Homepage: https://github.com/coralpi/coralpi
Description: fast computer vision on a Raspberry Pi 5 (Python 3 module)
 The module coralpi runs TensorFlow Lite models on coralpi's own CPU engine
 (over XNNPACK) or on a Coral Edge TPU with libedgetpu alone (libedgetpu1-std
 or -max; no TensorFlow Lite needed): coralpi.Model opens a model, runs it on
 numpy arrays and classifies, detects, segments and estimates poses in images.
CONTROL
deb_py=$out/python3-coralpi_${version}_${arch}.deb
build_and_check_deb "$stage" "$deb_py" "$stage.lintian.txt"

# python3-coralpi-compat
stage=$work/python3-coralpi-compat
install -d "$stage/DEBIAN" "$stage/$dist"
for p in tflite_runtime pycoral; do
  (cd python/compat && find "$p" \( -name tests -o -name test \) -prune -o -type f -name '*.py' \
     ! -name 'test_*.py' ! -name '*_test.py' ! -name conftest.py -print) | sort |
    while read -r f; do install -D -m 0644 "python/compat/$f" "$stage/$dist/$f"; done
done
docs "$stage" python3-coralpi-compat
scripts "$stage" python3-coralpi-compat
# No Provides: python3-pycoral / python3-tflite-runtime: the layer implements the commonly used
# part of their API over coralpi, not all of it, and a Provides would let packages that depend on
# them (versioned or not) install against it as if it were the real thing. Conflicts (the same
# module names in dist-packages) makes apt swap one for the other.
cat > "$stage/DEBIAN/control" <<CONTROL
Package: python3-coralpi-compat
Source: coralpi
Version: $version
Architecture: all
Maintainer: $maint
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: python3:any, python3-numpy, python3-coralpi (= $version)
Conflicts: python3-pycoral, python3-tflite-runtime
Section: python
Priority: optional
Homepage: https://github.com/coralpi/coralpi
Description: tflite_runtime and pycoral compatibility layer over coralpi
 The Python packages tflite_runtime and pycoral implemented over the module
 coralpi (python3-coralpi), so that programs written for Coral's
 python3-tflite-runtime and python3-pycoral run unchanged on coralpi's CPU
 engine or on the Edge TPU through libedgetpu alone. It replaces those two
 packages (the same module names), which cannot be installed beside it.
CONTROL
deb_compat=$out/python3-coralpi-compat_${version}_all.deb
build_and_check_deb "$stage" "$deb_compat" "$stage.lintian.txt"

# From the unpacked packages (dpkg-deb -x; nothing installed): import coralpi from there (not the
# build tree: PYTHONPATH is only the scratch dir, run from /) and classify a model when
# ../shared/testdata is beside the checkout, else open a missing model (coralpi.Error).
scratch=$work/scratch
dpkg-deb -x "$deb_py" "$scratch"
dpkg-deb -x "$deb_compat" "$scratch"
testdata=$(sed -n 's/^CORALPI_TESTDATA_DIR:[A-Z]*=//p' "$bdir/CMakeCache.txt")
[ -d "$testdata/models" ] || testdata=$root/../shared/testdata
(cd / && PYTHONPATH=$scratch/$dist PYTHONDONTWRITEBYTECODE=1 "$python" - "$scratch/$dist" "$testdata" <<'PY'
import os, sys
import coralpi, tflite_runtime.interpreter, pycoral.utils.edgetpu
where, testdata = sys.argv[1:]
for m in (coralpi, tflite_runtime, pycoral):
    assert m.__file__.startswith(where + "/"), f"{m.__name__} from {m.__file__}, not {where}"
model = os.path.join(testdata, "models", "mobilenet_v2_1.0_224_quant.tflite")
if os.path.isfile(model):
    top = coralpi.Model(model, labels=os.path.join(testdata, "labels", "imagenet_labels.txt")
                        ).classify(os.path.join(testdata, "images", "parrot.jpg"), top_k=1)
    print(f"-- from the unpacked packages: coralpi, tflite_runtime, pycoral import; parrot.jpg: {top[0]}")
    assert top[0].label == "macaw", top
else:
    try:
        coralpi.Model("/nonexistent.tflite")
    except coralpi.Error as e:
        print(f"-- from the unpacked packages: coralpi, tflite_runtime, pycoral import; no test data, "
              f"a missing model raises coralpi.Error: {e}")
    else:
        raise SystemExit("coralpi.Model opened a missing model")
PY
)
