#!/usr/bin/python3
"""Classifies an image with TensorFlow Lite's Python Interpreter API (get_input_details,
set_tensor, invoke, get_tensor), the way TensorFlow Lite's label_image example does: runs
unchanged over coralpi's tflite_runtime or a real one.

    label_image.py -m mobilenet_v2_1.0_224_quant.tflite -l imagenet_labels.txt -i parrot.jpg
"""

import argparse
import time

import numpy as np
from PIL import Image

from tflite_runtime.interpreter import Interpreter, load_delegate


def load_labels(path):
    with open(path, "r", encoding="utf-8") as f:
        return [line.strip() for line in f]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--image", required=True, help="the image")
    parser.add_argument("-m", "--model_file", required=True, help="the .tflite model")
    parser.add_argument("-l", "--label_file", required=True, help="the label file")
    parser.add_argument("--input_mean", type=float, default=127.5)
    parser.add_argument("--input_std", type=float, default=127.5)
    parser.add_argument("--num_threads", type=int, default=None)
    parser.add_argument("-e", "--ext_delegate", help="a delegate library, e.g. libedgetpu.so.1")
    parser.add_argument("--from_bytes", action="store_true",
                        help="give the interpreter the model's bytes (model_content)")
    args = parser.parse_args()

    delegates = [load_delegate(args.ext_delegate)] if args.ext_delegate else None
    if args.from_bytes:
        with open(args.model_file, "rb") as f:
            interpreter = Interpreter(model_content=f.read(), experimental_delegates=delegates,
                                      num_threads=args.num_threads)
    else:
        interpreter = Interpreter(model_path=args.model_file, experimental_delegates=delegates,
                                  num_threads=args.num_threads)
    interpreter.allocate_tensors()

    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()
    floating_model = input_details[0]["dtype"] == np.float32
    height, width = input_details[0]["shape"][1], input_details[0]["shape"][2]
    image = Image.open(args.image).convert("RGB").resize((width, height), Image.BILINEAR)
    input_data = np.expand_dims(image, axis=0)
    if floating_model:
        input_data = (np.float32(input_data) - args.input_mean) / args.input_std
    interpreter.set_tensor(input_details[0]["index"], input_data)

    start = time.perf_counter()
    interpreter.invoke()
    elapsed_ms = (time.perf_counter() - start) * 1000

    results = np.squeeze(interpreter.get_tensor(output_details[0]["index"]))
    labels = load_labels(args.label_file)
    for i in results.argsort()[-5:][::-1]:
        score = float(results[i]) if floating_model else float(results[i]) / 255.0
        print(f"{score:08.6f}: {labels[i]}")
    print(f"time: {elapsed_ms:.3f}ms")


if __name__ == "__main__":
    main()
