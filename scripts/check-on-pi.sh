#!/usr/bin/env bash
# For someone with a real Raspberry Pi 5 and a Coral Edge TPU: runs coralpi's Edge TPU path on the
# hardware we do not have and prints one report to paste into an issue.
#
#   1. the system (board, kernel, page size, coralpi's version);
#   2. doctor and devices (libedgetpu's version and RuntimeVersion, the TPUs it lists);
#   3. for each task (classify, detect, segment, pose): the *_edgetpu model on the TPU
#      (--backend edgetpu: libedgetpu alone, no TensorFlow Lite) next to its CPU twin on the CPU
#      engine, the results of both, `compare` (per-output differences between TPU and CPU), and
#      `bench` of each (latencies).
# A task whose command this coralpi does not have yet, or whose models are missing, is reported
# as skipped with the reason; nothing stops the run.
#
# Usage: scripts/check-on-pi.sh [--coralpi BIN] [--data DIR] [--device DEV] [--runs N] [--out FILE]
#   --coralpi  the coralpi binary (default: coralpi on the PATH, else build/release/cli/coralpi)
#   --data     a folder with models/, labels/, images/ (default: ../shared/testdata)
#   --device   the Edge TPU to use: pci, usb, pci:N, usb:N, :N (default: the first one)
#   --runs     timed runs per bench (default: 100)
#   --out      where to write the report too (default: coralpi-check-<date>.md)
# Models it looks for in <data>/models (compiled, then the CPU twin beside it):
#   classify  mobilenet_v1_0.25_128_quant_edgetpu.tflite       + imagenet_labels.txt, parrot.jpg
#   detect    ssd_mobilenet_v2_coco_quant_postprocess_edgetpu.tflite + coco_labels.txt,
#             grace_hopper.bmp (from coral.ai/models; not in the test data)
#   segment   deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite  + pascal_voc_segmentation_labels.txt,
#             bird_segmentation.bmp
#   pose      movenet_single_pose_lightning_ptq_edgetpu.tflite + squat.bmp
set -uo pipefail
cd "$(dirname "$0")/.."

coralpi=""
data=../shared/testdata
device=""
runs=100
out="coralpi-check-$(date +%Y%m%d-%H%M%S).md"
while [ $# -gt 0 ]; do
  case "$1" in
    --coralpi) coralpi=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-on-pi: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$coralpi" ]; then
  coralpi=$(command -v coralpi || echo build/release/cli/coralpi)
fi
if [ ! -x "$coralpi" ]; then
  echo "check-on-pi: no coralpi binary at $coralpi (build it with scripts/build.sh, or install the .deb)" >&2
  exit 1
fi
device_args=()
[ -n "$device" ] && device_args=(--device "$device")

exec > >(tee "$out") 2>&1

# A fenced block with the command and its output (stdout and stderr), and its exit code.
run() {
  echo '```'
  echo "\$ coralpi ${*}"
  "$coralpi" "$@" 2>&1
  local rc=$?
  echo "(exit $rc)"
  echo '```'
  return $rc
}

has_command() { "$coralpi" --help 2>/dev/null | grep -Eq "^ +$1 "; }

echo "# coralpi on a Raspberry Pi 5 with a Coral Edge TPU"
echo
echo "## System"
echo '```'
echo "board:     $(tr -d '\0' 2>/dev/null </proc/device-tree/model || echo unknown)"
echo "os:        $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
echo "kernel:    $(uname -srm)"
echo "page size: $(getconf PAGE_SIZE)"
echo "coralpi:   $("$coralpi" --version 2>&1) ($coralpi)"
echo "lspci:     $(lspci -nn 2>/dev/null | grep -i '1ac1:089a' || echo 'no 1ac1:089a')"
echo "lsusb:     $(lsusb 2>/dev/null | grep -Ei '1a6e:089a|18d1:9302' || echo 'no USB Accelerator')"
echo '```'
echo
echo "## doctor"
run doctor --no-color
echo
echo "## devices"
run devices
echo

# task|command|compiled model|labels|image
tasks=(
  "classify|classify|mobilenet_v1_0.25_128_quant_edgetpu.tflite|imagenet_labels.txt|parrot.jpg"
  "detect|detect|ssd_mobilenet_v2_coco_quant_postprocess_edgetpu.tflite|coco_labels.txt|grace_hopper.bmp"
  "segment|segment|deeplabv3_mnv2_dm05_pascal_quant_edgetpu.tflite|pascal_voc_segmentation_labels.txt|bird_segmentation.bmp"
  "pose|pose|movenet_single_pose_lightning_ptq_edgetpu.tflite||squat.bmp"
)
summary=()
for t in "${tasks[@]}"; do
  IFS='|' read -r task cmd compiled labels image <<<"$t"
  compiled_path=$data/models/$compiled
  plain_path=$data/models/${compiled%_edgetpu.tflite}.tflite
  image_path=$data/images/$image
  echo "## $task"
  if ! has_command "$cmd"; then
    echo "skipped: this coralpi has no \`$cmd\` command yet"; echo
    summary+=("$task: skipped (no $cmd command)"); continue
  fi
  missing=""
  for f in "$compiled_path" "$plain_path" "$image_path"; do [ -f "$f" ] || missing+=" $f"; done
  if [ -n "$missing" ]; then
    echo "skipped: missing$missing"; echo
    summary+=("$task: skipped (missing files)"); continue
  fi
  label_args=()
  [ -n "$labels" ] && [ -f "$data/labels/$labels" ] && label_args=(--labels "$data/labels/$labels")
  json=(--json)
  [ "$cmd" = classify ] && json=()  # its text output shows the top classes and the backend
  echo "### Edge TPU: $compiled"
  run "$cmd" --backend edgetpu "${device_args[@]}" --model "$compiled_path" "${label_args[@]}" \
      "${json[@]}" "$image_path"
  tpu=$?
  echo "### CPU engine: $(basename "$plain_path")"
  run "$cmd" --backend cpu --threads 4 --model "$plain_path" "${label_args[@]}" "${json[@]}" \
      "$image_path"
  echo "### Differences, output by output (the CPU runs the twin)"
  run compare --backends edgetpu,cpu "${device_args[@]}" --threads 4 --model "$compiled_path" \
      "$image_path"
  echo "### Latency"
  run bench --backend edgetpu "${device_args[@]}" --model "$compiled_path" --runs "$runs"
  run bench --backend cpu --threads 4 --model "$plain_path" --runs "$runs"
  echo
  summary+=("$task: $([ $tpu -eq 0 ] && echo 'ran on the Edge TPU' || echo "Edge TPU run failed (exit $tpu)")")
done

echo "## Summary"
printf -- '- %s\n' "${summary[@]}"
echo
echo "(report written to $out: paste it into an issue)"
