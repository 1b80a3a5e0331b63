"""pycoral.adapters.segment: a segmentation model's output."""

from . import common

__all__ = ["get_output"]


def get_output(interpreter):
    """The first output of the first image: a class per pixel [height, width], or the scores
    per class [height, width, classes] for models that end before their argmax."""
    return common.output_tensor(interpreter, 0)[0]
