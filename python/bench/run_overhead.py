"""How much a Python Model.run() costs over the C++ invoke (issue 18's performance item): times
N run() calls (copy=True and copy=False) on one model and prints the median and mean per call,
next to the median invoke of `coralpi bench` on the same model and thread count when the CLI is
given; with the compat packages on the path also tflite_runtime's Interpreter.invoke() and
set_tensor() + invoke(). A measurement, not a test: nothing is asserted.

Usage: PYTHONPATH=build/release/python:build/release/python-compat \
         python3 python/bench/run_overhead.py MODEL
           [--runs 1000] [--threads 1] [--cli build/release/cli/coralpi]
"""

import argparse
import json
import statistics
import subprocess
import time

import numpy as np

import coralpi


def time_runs(model, x, runs, copy):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        model.run(x, copy=copy)
        times.append((time.perf_counter() - start) * 1e6)
    return times


def time_invokes(model_path, x, runs, threads):
    """tflite_runtime's Interpreter (python/compat) on the same model: invoke() alone and
    set_tensor() + invoke() per call; None without the compat packages on the path."""
    try:
        from tflite_runtime.interpreter import Interpreter
    except ImportError:
        return None
    interpreter = Interpreter(model_path=model_path, num_threads=threads)
    interpreter.allocate_tensors()
    index = interpreter.get_input_details()[0]["index"]
    interpreter.set_tensor(index, x)
    results = {}
    for name, call in (("invoke()", interpreter.invoke),
                       ("set_tensor() + invoke()",
                        lambda: (interpreter.set_tensor(index, x), interpreter.invoke()))):
        for _ in range(20):
            call()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1e6)
        results[name] = times
    return results


def cli_median_us(cli, model, threads, runs):
    out = subprocess.run([cli, "bench", "--json", "--backend", "cpu", "--model", model,
                          "--threads", str(threads), "--runs", str(runs)],
                         check=True, capture_output=True, text=True).stdout
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--cli")
    a = p.parse_args()
    model = coralpi.Model(a.model, backend="cpu", threads=a.threads)
    info = model.inputs[0]
    x = np.zeros(info.shape, dtype=info.dtype)
    time_runs(model, x, 20, True)  # warm up
    for copy in (True, False):
        t = time_runs(model, x, a.runs, copy)
        print(f"Model.run(copy={copy}): median {statistics.median(t):.1f} us, "
              f"mean {statistics.mean(t):.1f} us over {a.runs} runs")
    invokes = time_invokes(a.model, x, a.runs, a.threads)
    for name, t in (invokes or {}).items():
        print(f"tflite_runtime Interpreter {name}: median {statistics.median(t):.1f} us, "
              f"mean {statistics.mean(t):.1f} us over {a.runs} runs")
    if a.cli:
        print("coralpi bench --json:")
        print(cli_median_us(a.cli, a.model, a.threads, a.runs))


if __name__ == "__main__":
    main()
