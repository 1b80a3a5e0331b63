#!/usr/bin/env bash
# The main job: install what is missing, build, then benchmark the built-in MobileNet v2 and,
# when ../shared/testdata is present, classify a real image with a real model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release
bin=${CORALPI_BUILD_ROOT:-build}/release/cli/coralpi
echo "== coralpi doctor"
# Exit code 3 means "problems found" (always the case off a Raspberry Pi 5): report, go on.
"$bin" doctor || [ $? -eq 3 ]
echo
echo "== coralpi bench (built-in MobileNet v2 1.0 224 uint8) on each available backend"
"$bin" bench --runs 50 --backend cpu,tflite,edgetpu
data=../shared/testdata
if [ -d "$data" ]; then
  echo "== coralpi classify parrot.jpg"
  "$bin" classify --model "$data/models/mobilenet_v2_1.0_224_quant.tflite" \
    --labels "$data/labels/imagenet_labels.txt" "$data/images/parrot.jpg"
else
  echo "(../shared/testdata not found: skipping the classify example)"
fi
