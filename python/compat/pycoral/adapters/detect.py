"""pycoral.adapters.detect: the objects of an SSD model with TFLite_Detection_PostProcess."""

import collections

from . import common

__all__ = ["BBox", "Object", "get_objects"]

Object = collections.namedtuple("Object", ["id", "score", "bbox"])
Object.__doc__ = "A detected object: its class id, its score and its BBox."


class BBox(collections.namedtuple("BBox", ["xmin", "ymin", "xmax", "ymax"])):
    """A box, x to the right, y down."""

    __slots__ = ()

    @property
    def width(self):
        return self.xmax - self.xmin

    @property
    def height(self):
        return self.ymax - self.ymin

    @property
    def area(self):
        return self.width * self.height

    @property
    def valid(self):
        """Whether the box has no negative width or height."""
        return self.width >= 0 and self.height >= 0

    def scale(self, sx, sy):
        return BBox(self.xmin * sx, self.ymin * sy, self.xmax * sx, self.ymax * sy)

    def translate(self, dx, dy):
        return BBox(self.xmin + dx, self.ymin + dy, self.xmax + dx, self.ymax + dy)

    def map(self, f):
        """The box with f applied to each coordinate, e.g. map(int)."""
        return BBox(f(self.xmin), f(self.ymin), f(self.xmax), f(self.ymax))

    @staticmethod
    def intersect(a, b):
        """The overlap of a and b (not valid when they do not overlap)."""
        return BBox(max(a.xmin, b.xmin), max(a.ymin, b.ymin), min(a.xmax, b.xmax),
                    min(a.ymax, b.ymax))

    @staticmethod
    def union(a, b):
        """The smallest box holding a and b."""
        return BBox(min(a.xmin, b.xmin), min(a.ymin, b.ymin), max(a.xmax, b.xmax),
                    max(a.ymax, b.ymax))

    @staticmethod
    def iou(a, b):
        """Intersection over union of a and b; 0 when they do not overlap."""
        overlap = BBox.intersect(a, b)
        if not overlap.valid:
            return 0.0
        union = a.area + b.area - overlap.area
        return overlap.area / union if union > 0 else 0.0


def _outputs(interpreter):
    """(boxes, class ids, scores, count) whichever order the model has them in: TensorFlow 1's
    (boxes, classes, scores, count) or TensorFlow 2's (scores, boxes, count, classes)."""
    tensors = [common.output_tensor(interpreter, i) for i in range(4)]
    if tensors[3].size == 1:
        boxes, class_ids, scores, count = tensors
    else:
        scores, boxes, count, class_ids = tensors
    return boxes[0], class_ids[0], scores[0], int(count[0])


def get_objects(interpreter, score_threshold=-float("inf"), image_scale=(1.0, 1.0)):
    """The objects scoring at least score_threshold, their boxes in the input's pixels divided
    by image_scale (the scale set_resized_input returned), as ints."""
    if len(interpreter.get_output_details()) != 4:
        raise ValueError("get_objects needs a model ending in TFLite_Detection_PostProcess "
                         "(4 outputs)")
    boxes, class_ids, scores, count = _outputs(interpreter)
    width, height = common.input_size(interpreter)
    sx, sy = width / image_scale[0], height / image_scale[1]
    objects = []
    for i in range(count):
        if scores[i] < score_threshold:
            continue
        ymin, xmin, ymax, xmax = (float(v) for v in boxes[i])
        box = BBox(xmin, ymin, xmax, ymax).scale(sx, sy).map(int)
        objects.append(Object(int(class_ids[i]), float(scores[i]), box))
    return objects
