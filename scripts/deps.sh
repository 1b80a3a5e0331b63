#!/usr/bin/env bash
# Installs the Debian packages coralpi needs to build and test, on Debian 12 (bookworm) or
# Debian 13 (trixie) and the Raspberry Pi OS of both. Safe to run twice.
# Usage: scripts/deps.sh                   install what is missing
#        scripts/deps.sh --print [RELEASE] print the package names for RELEASE (default: this
#                                          machine's; bookworm or trixie) and install nothing
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/release.sh

# Package names that differ between the releases.
release_packages() {  # release
  case "$1" in
    # clang's libFuzzer + ASan runtime: the clang of each release.
    bookworm) echo clang-14 libclang-rt-14-dev ;;
    trixie) echo clang-19 libclang-rt-19-dev ;;
    *) echo "coralpi: scripts/deps.sh: unknown Debian release '$1' (bookworm or trixie)" >&2
       return 1 ;;
  esac
}

common=(
  build-essential cmake ccache pkg-config
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev
  libflatbuffers-dev flatbuffers-compiler
  libjpeg62-turbo-dev libspng-dev libpng-dev
  libcairo2-dev fonts-dejavu-core
  libfdt-dev device-tree-compiler
  libcli11-dev nlohmann-json3-dev
  libminizip-dev zlib1g-dev  # Ultralytics' metadata zip in YOLO .tflite files (src/model/appended_zip.cc)
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev python3-numpy python3-pytest  # the Python module (python/) and its tests
  python3-pil  # the pycoral-style example programs of the compat packages (python/compat/examples)
  time  # /usr/bin/time -v: peak memory in scripts/bench-vs-tflite.sh
  libusb-1.0-0
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libyaml-cpp-dev libmosquitto-dev libcpp-httplib-dev libssl-dev mosquitto
  chromium
)

if [ "${1:-}" = "--print" ]; then
  release=${2:-$(debian_release)}
  extra=$(release_packages "$release")
  echo "${common[*]} $extra"
  exit 0
fi

release=$(debian_release)
read -r -a extra <<<"$(release_packages "$release")"
packages=("${common[@]}" "${extra[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "coralpi: installing Debian $release packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
