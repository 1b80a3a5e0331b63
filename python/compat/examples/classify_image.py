#!/usr/bin/python3
"""Classifies an image, written the way pycoral's examples are (pycoral.utils.edgetpu,
pycoral.adapters): runs unchanged over coralpi's compat packages or a real pycoral.

    classify_image.py -m mobilenet_v2_1.0_224_quant.tflite -l imagenet_labels.txt -i parrot.jpg
"""

import argparse
import time

import numpy as np
from PIL import Image

from pycoral.adapters import classify, common
from pycoral.utils.dataset import read_label_file
from pycoral.utils.edgetpu import make_interpreter


def set_image(interpreter, image, mean, std):
    """The image into the input, normalized (x - mean) / std then quantized, unless the input's
    quantization already is that normalization (then the pixels go in as they are)."""
    params = common.input_details(interpreter, "quantization_parameters")
    scale, zero_point = params["scales"][0], params["zero_points"][0]
    if abs(scale * std - 1) < 1e-5 and abs(mean - zero_point) < 1e-5:
        common.set_input(interpreter, image)
        return
    normalized = (np.asarray(image) - mean) / (std * scale) + zero_point
    common.set_input(interpreter, np.clip(np.rint(normalized), 0, 255).astype(np.uint8))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-m", "--model", required=True, help="the .tflite model")
    parser.add_argument("-i", "--input", required=True, help="the image")
    parser.add_argument("-l", "--labels", help="the label file")
    parser.add_argument("-k", "--top_k", type=int, default=1)
    parser.add_argument("-t", "--threshold", type=float, default=0.0)
    parser.add_argument("-c", "--count", type=int, default=1, help="how many times to run")
    parser.add_argument("-a", "--input_mean", type=float, default=128.0)
    parser.add_argument("-s", "--input_std", type=float, default=128.0)
    args = parser.parse_args()

    labels = read_label_file(args.labels) if args.labels else {}
    interpreter = make_interpreter(*args.model.split("@"))
    interpreter.allocate_tensors()
    if common.input_details(interpreter, "dtype") != np.uint8:
        raise SystemExit("only uint8 input models are supported")
    image = Image.open(args.input).convert("RGB").resize(common.input_size(interpreter),
                                                         Image.BILINEAR)
    set_image(interpreter, image, args.input_mean, args.input_std)

    print("----INFERENCE TIME----")
    for _ in range(args.count):
        start = time.perf_counter()
        interpreter.invoke()
        classes = classify.get_classes(interpreter, args.top_k, args.threshold)
        print(f"{(time.perf_counter() - start) * 1000:.1f}ms")
    print("-------RESULTS--------")
    for c in classes:
        print(f"{labels.get(c.id, c.id)}: {c.score:.5f}")


if __name__ == "__main__":
    main()
