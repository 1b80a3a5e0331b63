#!/usr/bin/env bash
# Installs the Debian 12 packages coralpi needs to build and test. Safe to run twice.
set -euo pipefail
packages=(
  build-essential cmake ccache pkg-config
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev
  libflatbuffers-dev flatbuffers-compiler
  libjpeg62-turbo-dev libspng-dev libpng-dev
  libcairo2-dev fonts-dejavu-core
  libfdt-dev device-tree-compiler
  libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  time  # /usr/bin/time -v: peak memory in scripts/bench-vs-tflite.sh
  libusb-1.0-0
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libyaml-cpp-dev libmosquitto-dev libcpp-httplib-dev mosquitto
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "coralpi: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
