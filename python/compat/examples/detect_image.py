#!/usr/bin/python3
"""Detects objects in an image and draws their boxes, written the way pycoral's examples are:
runs unchanged over coralpi's compat packages or a real pycoral.

    detect_image.py -m ssd_mobilenet_pets_quant_postprocess.tflite -l pet_labels.txt \
        -i pets.jpg -o pets_boxes.png
"""

import argparse
import time

from PIL import Image, ImageDraw

from pycoral.adapters import common, detect
from pycoral.utils.dataset import read_label_file
from pycoral.utils.edgetpu import make_interpreter


def draw_objects(draw, objects, labels):
    """A red box and a label per object."""
    for obj in objects:
        box = obj.bbox
        draw.rectangle([(box.xmin, box.ymin), (box.xmax, box.ymax)], outline="red")
        draw.text((box.xmin + 10, box.ymin + 10),
                  f"{labels.get(obj.id, obj.id)}\n{obj.score:.2f}", fill="red")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-m", "--model", required=True, help="the .tflite model")
    parser.add_argument("-i", "--input", required=True, help="the image")
    parser.add_argument("-l", "--labels", help="the label file")
    parser.add_argument("-t", "--threshold", type=float, default=0.4)
    parser.add_argument("-o", "--output", help="where to save the image with the boxes")
    parser.add_argument("-c", "--count", type=int, default=1, help="how many times to run")
    args = parser.parse_args()

    labels = read_label_file(args.labels) if args.labels else {}
    interpreter = make_interpreter(args.model)
    interpreter.allocate_tensors()
    image = Image.open(args.input).convert("RGB")
    _, scale = common.set_resized_input(
        interpreter, image.size, lambda size: image.resize(size, Image.BILINEAR))

    print("----INFERENCE TIME----")
    for _ in range(args.count):
        start = time.perf_counter()
        interpreter.invoke()
        objects = detect.get_objects(interpreter, args.threshold, scale)
        print(f"{(time.perf_counter() - start) * 1000:.2f} ms")
    print("-------RESULTS--------")
    if not objects:
        print("No objects detected")
    for obj in objects:
        print(labels.get(obj.id, obj.id))
        print("  id:    ", obj.id)
        print("  score: ", f"{obj.score:.5f}")
        print("  bbox:  ", tuple(obj.bbox))
    if args.output:
        draw_objects(ImageDraw.Draw(image), objects, labels)
        image.save(args.output)
        print(f"saved {args.output}")


if __name__ == "__main__":
    main()
