"""Images per second of a Python detect loop against `coralpi detect` on the same frames (issue
18's performance item). Makes N frames from one image (shifted copies, written as BMP so decoding
costs little and the same on both sides), then times:
  - Model.detect(array) over the frames in memory (what a picamera2 / OpenCV loop does),
  - Model.detect(path) over the BMP files (the same work as the command line),
  - `coralpi detect --model M frames/` (its own "images per second" line; decode overlapped).
A measurement, not a test: nothing is asserted.

Usage: PYTHONPATH=build/release/python python3 python/bench/detect_loop.py MODEL IMAGE
           [--frames 100] [--threads N] [--backend cpu] [--cli build/release/cli/coralpi]
"""

import argparse
import pathlib
import re
import struct
import subprocess
import tempfile
import time

import numpy as np

import coralpi


def write_bmp(path, rgb):
    """A 24-bit bottom-up BMP of an HxWx3 uint8 RGB array."""
    h, w, _ = rgb.shape
    stride = (w * 3 + 3) & ~3
    rows = np.zeros((h, stride), dtype=np.uint8)
    rows[:, :w * 3] = rgb[::-1, :, ::-1].reshape(h, w * 3)
    header = struct.pack("<2sIHHI", b"BM", 54 + rows.size, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, rows.size, 2835, 2835, 0, 0)
    pathlib.Path(path).write_bytes(header + info + rows.tobytes())


def make_frames(image, n):
    """n frames: the image's pixels (read with PIL, python3-pil) rolled 3 columns further each
    time."""
    from PIL import Image
    pixels = np.asarray(Image.open(image).convert("RGB"))
    return [np.ascontiguousarray(np.roll(pixels, 3 * i, axis=1)) for i in range(n)]


def per_second(fn, items):
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("image")
    p.add_argument("--frames", type=int, default=100)
    p.add_argument("--threads", type=int)
    p.add_argument("--backend", default="auto")
    p.add_argument("--labels")
    p.add_argument("--cli")
    a = p.parse_args()
    model = coralpi.Model(a.model, backend=a.backend, threads=a.threads, labels=a.labels)
    frames = make_frames(a.image, a.frames)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [f"{tmp}/frame{i:03d}.bmp" for i in range(len(frames))]
        for path, frame in zip(paths, frames):
            write_bmp(path, frame)
        model.detect(frames[0])  # warm up
        print(f"{len(frames)} frames {frames[0].shape[1]}x{frames[0].shape[0]}, "
              f"backend {model.backend}")
        print(f"Python Model.detect(array): {per_second(model.detect, frames):.1f} images/s")
        print(f"Python Model.detect(path):  {per_second(model.detect, paths):.1f} images/s")
        if a.cli:
            args = [a.cli, "detect", "--backend", a.backend, "--model", a.model, tmp]
            if a.threads:
                args += ["--threads", str(a.threads)]
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
            rate = re.search(r"([0-9.]+) images per second", out)
            print(f"coralpi detect:             {rate.group(1) if rate else '?'} images/s "
                  "(its own timing, decode overlapped with invoke)")


if __name__ == "__main__":
    main()
