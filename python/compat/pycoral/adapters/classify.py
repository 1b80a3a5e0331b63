"""pycoral.adapters.classify: the classes of a classification model's output."""

import collections
import operator

import numpy as np

from . import common

__all__ = ["Class", "get_classes", "get_classes_from_scores", "get_scores", "num_classes"]

Class = collections.namedtuple("Class", ["id", "score"])
Class.__doc__ = "A class: its id and its score."


def num_classes(interpreter):
    """The number of classes of the output."""
    return int(np.prod(common.output_tensor(interpreter, 0).shape))


def get_scores(interpreter):
    """The output's scores, dequantized to floats for a quantized output."""
    details = interpreter.get_output_details()[0]
    scores = common.output_tensor(interpreter, 0).flatten()
    if np.issubdtype(details["dtype"], np.integer):
        scale, zero_point = details["quantization"]
        return scale * (scores.astype(np.int64) - zero_point)
    return scores.copy()


def get_classes_from_scores(scores, top_k=float("inf"), score_threshold=-float("inf")):
    """The classes scoring at least score_threshold, best first, at most top_k of them."""
    top_k = min(top_k, len(scores))
    classes = [Class(int(i), float(scores[i])) for i in np.argsort(-scores, kind="stable")]
    classes = [c for c in classes[:int(top_k)] if c.score >= score_threshold]
    return sorted(classes, key=operator.itemgetter(1), reverse=True)


def get_classes(interpreter, top_k=1, score_threshold=-float("inf")):
    """The top_k classes of the output scoring at least score_threshold, best first."""
    return get_classes_from_scores(get_scores(interpreter), top_k, score_threshold)
