#!/usr/bin/python3
"""Segments an image into PASCAL VOC classes and saves the image beside its colored mask,
written the way pycoral's examples are: runs unchanged over coralpi's compat packages or a real
pycoral. Prints the classes it found, largest first.

    semantic_segmentation.py --model deeplabv3_mnv2_dm05_pascal_quant.tflite \
        --input bird_segmentation.bmp --labels pascal_voc_segmentation_labels.txt --output out.png
"""

import argparse

import numpy as np
from PIL import Image

from pycoral.adapters import common, segment
from pycoral.utils.dataset import read_label_file
from pycoral.utils.edgetpu import make_interpreter


def color_map():
    """PASCAL VOC's colors: class bits spread over the high bits of R, G and B."""
    colors = np.zeros((256, 3), dtype=np.uint8)
    for label in range(256):
        c = label
        for shift in range(7, -1, -1):
            for channel in range(3):
                colors[label, channel] |= ((c >> channel) & 1) << shift
            c >>= 3
    return colors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the .tflite model")
    parser.add_argument("--input", required=True, help="the image")
    parser.add_argument("--labels", help="the label file")
    parser.add_argument("--output", help="where to save the image and its mask")
    parser.add_argument("--keep_aspect_ratio", action="store_true",
                        help="fit the image keeping its aspect (else stretch it)")
    args = parser.parse_args()

    labels = read_label_file(args.labels) if args.labels else {}
    interpreter = make_interpreter(args.model)
    interpreter.allocate_tensors()
    width, height = common.input_size(interpreter)
    image = Image.open(args.input).convert("RGB")
    if args.keep_aspect_ratio:
        resized, _ = common.set_resized_input(
            interpreter, image.size, lambda size: image.resize(size, Image.BILINEAR))
    else:
        resized = image.resize((width, height), Image.BILINEAR)
        common.set_input(interpreter, resized)
    interpreter.invoke()

    result = segment.get_output(interpreter)
    if len(result.shape) == 3:
        result = np.argmax(result, axis=-1)
    result = result[:resized.size[1], :resized.size[0]]
    ids, counts = np.unique(result, return_counts=True)
    for i in np.argsort(-counts, kind="stable"):
        print(f"{labels.get(int(ids[i]), int(ids[i]))}: {counts[i] / result.size:.4f}")
    if args.output:
        mask = Image.fromarray(color_map()[result.astype(np.uint8)])
        both = Image.new("RGB", (resized.size[0] * 2, resized.size[1]))
        both.paste(resized, (0, 0))
        both.paste(mask, (resized.size[0], 0))
        both.save(args.output)
        print(f"saved {args.output}")


if __name__ == "__main__":
    main()
