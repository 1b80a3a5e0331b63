#!/usr/bin/env bash
# Measures coralpi's CPU engine against TensorFlow Lite (the anchor build's benchmark_model with
# XNNPACK) side by side in one run: for every model and thread count, `coralpi bench --json`
# and `benchmark_model` alternate, with the same warm-up and run counts, for several repeats.
# Prints each tool's median latency (the median over the repeats of each run's median), the
# ratio coralpi / TensorFlow Lite with its range over the repeats, peak memory (max RSS from
# /usr/bin/time -v) and the CPU (lscpu's model name and its vector ISA flags).
#
# A benchmark, not a test: it exits non-zero only when something fails to run, never on a ratio.
#
# Usage: scripts/bench-vs-tflite.sh [--repeats N] [--threads "1 2"] [--warmup N] [--runs N]
#                                   [--only] [MODEL.tflite ...]
#   Models given are measured after the default three (or instead of them with --only).
#   CORALPI=path picks the coralpi binary (default build/release/cli/coralpi, built if missing);
#   TFLITE_BENCHMARK=path picks benchmark_model (default ../shared/anchors/tflite-x86_64/).
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=4 threads="1 2" warmup=20 runs=200 only=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --only) only=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-vs-tflite: unknown option $1" >&2; exit 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done

testdata=../shared/testdata/models
models=()
if [ "$only" = 0 ]; then
  for m in mobilenet_v2_1.0_224_quant tf2_mobilenet_v2_1.0_224_ptq mobilenet_v1_0.25_128_quant; do
    models+=("$testdata/$m.tflite")
  done
fi
models+=("${extra[@]+"${extra[@]}"}")
[ ${#models[@]} -gt 0 ] || { echo "bench-vs-tflite: no model to measure" >&2; exit 2; }

tflite=${TFLITE_BENCHMARK:-../shared/anchors/tflite-x86_64/benchmark_model}
coralpi=${CORALPI:-build/release/cli/coralpi}
for f in "${models[@]}" "$tflite"; do
  [ -e "$f" ] || { echo "bench-vs-tflite: error: $f: no such file" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench-vs-tflite: error: /usr/bin/time missing (scripts/deps.sh installs it)" >&2; exit 1; }
if [ -z "${CORALPI:-}" ] && [ ! -x "$coralpi" ]; then
  echo "bench-vs-tflite: building coralpi (scripts/build.sh release)" >&2
  scripts/deps.sh >&2
  scripts/build.sh release >&2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One measurement: runs a tool under /usr/bin/time -v, keeps its stdout and the time report.
# $1 tool (coralpi|tflite), $2 model, $3 threads, $4 file prefix.
measure() {
  local tool=$1 model=$2 t=$3 prefix=$4
  local cmd
  if [ "$tool" = coralpi ]; then
    cmd=("$coralpi" bench --backend cpu --model "$model" --threads "$t" --warmup "$warmup"
         --runs "$runs" --json)
  else
    cmd=("$tflite" --graph="$model" --num_threads="$t" --use_xnnpack=true
         --warmup_runs="$warmup" --warmup_min_secs=0 --num_runs="$runs" --min_secs=0)
  fi
  if ! /usr/bin/time -v -o "$prefix.time" "${cmd[@]}" >"$prefix.out" 2>"$prefix.err"; then
    echo "bench-vs-tflite: error: ${cmd[*]} failed:" >&2
    tail -n 5 "$prefix.err" "$prefix.out" >&2
    exit 1
  fi
}

i=0
for r in $(seq 1 "$repeats"); do
  for m in "${models[@]}"; do
    for t in $threads; do
      i=$((i + 1))
      prefix="$out/$(basename "$m" .tflite)@$t#$r"
      # Alternate which tool goes first, so neither always runs on a cooler machine.
      if [ $((r % 2)) = 1 ]; then order="coralpi tflite"; else order="tflite coralpi"; fi
      for tool in $order; do measure "$tool" "$m" "$t" "$prefix.$tool"; done
      echo "bench-vs-tflite: repeat $r/$repeats $(basename "$m") $t thread(s) done" >&2
    done
  done
done

python3 - "$out" "$repeats" "$warmup" "$runs" "$threads" "${models[@]}" <<'EOF'
import json, os, re, statistics, subprocess, sys

out, repeats, warmup, runs, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5].split()
models = sys.argv[6:]

def fail(msg):
    print("bench-vs-tflite: error: " + msg, file=sys.stderr)
    sys.exit(1)

def max_rss_mib(prefix):
    text = open(prefix + ".time").read()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not m: fail(prefix + ".time: no maximum resident set size")
    return int(m.group(1)) / 1024.0

def coralpi_median(prefix):
    try:
        j = json.load(open(prefix + ".out"))
        return j["invoke_ms"]["median"], j.get("threads")
    except (ValueError, KeyError) as e:
        fail(prefix + ".out: not coralpi bench JSON: %s" % e)

def tflite_median(prefix):
    text = open(prefix + ".out").read() + open(prefix + ".err").read()
    # The last "count=... median=..." line is the timed runs (the first is the warm-up).
    ms = re.findall(r"count=(\d+) .*?median=([0-9.]+)", text)
    if not ms: fail(prefix + ": no median in benchmark_model's output")
    return float(ms[-1][1]) / 1000.0

def cpu():
    lines = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    info = dict(l.split(":", 1) for l in lines if ":" in l)
    name = info.get("Model name", "?").strip()
    flags = info.get("Flags", "").split()
    isa = [f for f in flags if re.match(r"^(sse4_2|avx|avx2|fma|f16c|avx512\w*|avx_vnni\w*|amx\w*)$", f)]
    return name, isa, info.get("CPU(s)", "?").strip()

name, isa, ncpu = cpu()
print("CPU:     %s, %s CPUs" % (name, ncpu))
print("ISA:     %s" % " ".join(isa))
print("runs:    %s timed after %s warm-up, %d interleaved repeats; medians in ms (median over the"
      % (runs, warmup, repeats))
print("         repeats of each run's median); ratio = coralpi / TensorFlow Lite (range over repeats)")
print("TFLite:  anchor benchmark_model with the XNNPACK delegate, same thread count\n")
header = "| model | threads | coralpi ms | TFLite ms | ratio | ratio range | peak RSS MiB coralpi / TFLite |"
print(header)
print("|---|---|---|---|---|---|---|")
for m in models:
    base = os.path.basename(m)[:-len(".tflite")] if m.endswith(".tflite") else os.path.basename(m)
    for t in threads:
        c, tf, ratios, rss_c, rss_t = [], [], [], [], []
        for r in range(1, repeats + 1):
            prefix = os.path.join(out, "%s@%s#%d" % (base, t, r))
            cm, ran = coralpi_median(prefix + ".coralpi")
            if ran is not None and str(ran) != t: fail("%s: coralpi ran %s threads, asked %s" % (prefix, ran, t))
            tm = tflite_median(prefix + ".tflite")
            c.append(cm); tf.append(tm); ratios.append(cm / tm)
            rss_c.append(max_rss_mib(prefix + ".coralpi")); rss_t.append(max_rss_mib(prefix + ".tflite"))
        cmed, tmed = statistics.median(c), statistics.median(tf)
        print("| %s | %s | %.3f | %.3f | %.2f | %.2f-%.2f | %.1f / %.1f |" % (
            base, t, cmed, tmed, cmed / tmed, min(ratios), max(ratios), max(rss_c), max(rss_t)))
EOF
