"""pycoral.adapters.common: a model's input and output tensors."""

import numpy as np

__all__ = ["input_details", "input_size", "input_tensor", "output_tensor", "set_input",
           "set_resized_input"]


def output_tensor(interpreter, i):
    """The model's i-th output tensor (a view, valid until the next invoke)."""
    return interpreter.tensor(interpreter.get_output_details()[i]["index"])()


def input_details(interpreter, key):
    """The value of `key` in the first input's details."""
    return interpreter.get_input_details()[0][key]


def input_size(interpreter):
    """(width, height) of the first input, an image [1, height, width, channels]."""
    _, height, width, _ = input_details(interpreter, "shape")
    return int(width), int(height)


def input_tensor(interpreter):
    """The first input as a [height, width, channels] view to write into."""
    return interpreter.tensor(input_details(interpreter, "index"))()[0]


def set_input(interpreter, data):
    """Copies `data` (already the input's size) into the first input."""
    input_tensor(interpreter)[:, :] = data


def set_resized_input(interpreter, size, resize):
    """Fits an image of `size` (width, height) into the input, keeping its aspect: `resize` gets
    the fitted (width, height) and returns the image at that size, which lands at the top left
    of the input, the rest zero. Returns (the fitted image, (scale_x, scale_y))."""
    width, height = input_size(interpreter)
    w, h = size
    scale = min(width / w, height / h)
    w, h = int(w * scale), int(h * scale)
    tensor = input_tensor(interpreter)
    tensor.fill(0)
    channels = tensor.shape[-1]
    result = resize((w, h))
    tensor[:h, :w] = np.reshape(result, (h, w, channels))
    return result, (scale, scale)
