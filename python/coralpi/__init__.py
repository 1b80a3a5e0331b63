"""coralpi from Python: vision models on a Raspberry Pi 5, on a Coral Edge TPU or the CPU.

A thin layer over coralpi's C++ library (the extension ``coralpi._coralpi``)::

    import coralpi
    model = coralpi.Model("mobilenet_v2_1.0_224_quant.tflite", labels="imagenet_labels.txt")
    print(model.classify("parrot.jpg", top_k=1))

An image is an HxWx3 uint8 numpy array (RGB; ``rgb=False`` for BGR as OpenCV gives it) or a
file path. The results have the fields of the command line's ``--json``.

Errors of the library raise ``coralpi.Error`` (a RuntimeError) with its message and ``kind``,
the kind's name; kinds a Python program branches on raise a subclass that is also the built-in
exception Python code expects for them:

    kind            raises                                               CLI exit code
    "internal"      coralpi.Error                                        1
    "bad argument"  coralpi.BadArgumentError, also a ValueError          2
    "not found"     coralpi.NotFoundError, also a FileNotFoundError      4
    "bad file"      coralpi.Error                                        4
    "unsupported"   coralpi.UnsupportedError, also a NotImplementedError 5
    "device"        coralpi.DeviceError, also an OSError                 6

A missing model is ``except FileNotFoundError``, a model with an operator coralpi cannot run
``except NotImplementedError``, no usable Edge TPU ``except coralpi.DeviceError``. Arguments
checked before the library sees them (an image's shape or dtype) raise ValueError.
"""

from __future__ import annotations

import json
import os
from typing import List, NamedTuple, Optional, Tuple

import numpy as np

from . import _coralpi

__all__ = [
    "BBox", "Class", "Detection", "Error", "Keypoint", "Model", "Person", "SegmentClass",
    "SegmentObject", "Segmentation", "TensorInfo", "devices", "doctor",
    "BadArgumentError", "NotFoundError", "UnsupportedError", "DeviceError",
]

Error = _coralpi.Error
BadArgumentError = _coralpi.BadArgumentError
NotFoundError = _coralpi.NotFoundError
UnsupportedError = _coralpi.UnsupportedError
DeviceError = _coralpi.DeviceError


class BBox(NamedTuple):
    """A box in pixels of the image, x to the right, y down."""
    xmin: float
    ymin: float
    xmax: float
    ymax: float


class Class(NamedTuple):
    id: int
    score: float
    label: Optional[str]  # None without labels


class Detection(NamedTuple):
    label: str  # "class <id>" without labels
    class_id: int
    score: float
    box: BBox


class Keypoint(NamedTuple):
    name: str
    x: float
    y: float
    score: float


class Person(NamedTuple):
    label: str
    score: float
    box: BBox
    keypoints: List[Keypoint]


class SegmentClass(NamedTuple):
    """A class of a segmentation with the pixels it covers (fraction: of the image)."""
    class_id: int
    label: str
    pixels: int
    fraction: float


class SegmentObject(NamedTuple):
    """An instance of a YOLO segmentation model: its box and the pixels its mask covers."""
    label: str
    class_id: int
    score: float
    box: BBox
    pixels: int


class Segmentation(NamedTuple):
    classes: np.ndarray  # HxW int32: the class of each pixel of the image, -1 for none
    counts: List[SegmentClass]  # most pixels first
    objects: List[SegmentObject]  # YOLO instance segmentation; [] for semantic models


class TensorInfo(NamedTuple):
    name: str
    shape: Tuple[int, ...]
    dtype: np.dtype
    quantization: Tuple[float, int]  # (scale, zero_point); (0.0, 0) when not quantized


class Model:
    """A .tflite model opened on a backend: "auto" (the Edge TPU for compiled models when one is
    usable, else the CPU engine), "cpu", "edgetpu", "tflite" or "tflite-edgetpu".

    device names the Edge TPU as libedgetpu takes it ("usb", "pci", ":0"); threads defaults to
    the online CPUs; labels is a label file (default: the model's Ultralytics metadata, if any).
    """

    def __init__(self, path, backend: str = "auto", device: Optional[str] = None,
                 threads: Optional[int] = None, labels=None):
        self._model = _coralpi.Model(os.fspath(path), backend, device, threads,
                                     None if labels is None else os.fspath(labels))

    def __repr__(self) -> str:
        return f"coralpi.Model({self.path!r}, backend={self.backend!r})"

    @property
    def path(self) -> str:
        return self._model.path

    @property
    def backend(self) -> str:
        """The backend that runs the model ("cpu", "edgetpu", ...)."""
        return self._model.backend

    @property
    def inputs(self) -> List[TensorInfo]:
        return [TensorInfo(*t) for t in self._model.inputs]

    @property
    def outputs(self) -> List[TensorInfo]:
        return [TensorInfo(*t) for t in self._model.outputs]

    def run(self, arrays, copy: bool = True) -> List[np.ndarray]:
        """Runs the model on one array (or a list, one per input) of the inputs' dtype and
        size. Returns the outputs; with copy=False read-only views of the model's memory, valid
        until the next run."""
        return self._model.run(arrays, copy)

    def classify(self, image, top_k: int = 5, threshold: float = 0.0,
                 rgb: bool = True) -> List[Class]:
        return [Class(*c) for c in self._model.classify(image, top_k, threshold, rgb)]

    def detect(self, image, threshold: Optional[float] = None, max: int = 100,
               iou: Optional[float] = None, rgb: bool = True) -> List[Detection]:
        """Objects, best first. threshold defaults to the model family's (0.5 for SSD
        post-process models, 0.25 for YOLO); iou is YOLO's non-maximum suppression."""
        return [_detection(d) for d in self._model.detect(image, threshold, max, iou, rgb)]

    def segment(self, image, rgb: bool = True) -> Segmentation:
        classes, counts, objects = self._model.segment(image, rgb)
        return Segmentation(
            classes, [SegmentClass(*c) for c in counts],
            [SegmentObject(label, class_id, score, BBox(*box), pixels)
             for label, class_id, score, box, pixels in objects])

    def pose(self, image, rgb: bool = True) -> List[Person]:
        return [Person(label, score, BBox(*box), [Keypoint(*k) for k in keypoints])
                for label, score, box, keypoints in self._model.pose(image, rgb)]


def _detection(d) -> Detection:
    label, class_id, score, box = d
    return Detection(label, class_id, score, BBox(*box))


def devices(root="/", edgetpu_lib=None) -> dict:
    """The Edge TPUs of this machine (or of the tree under root), what is wrong with each, and
    the runtime libraries that load: the dict ``coralpi devices --json`` prints.

    edgetpu_lib: the libedgetpu.so.1 to load (default: $CORALPI_EDGETPU_LIB, else the library
    path)."""
    return json.loads(_coralpi._devices_json(os.fspath(root), _path_or_empty(edgetpu_lib)))


def doctor(root="/", user=None, dtb=None, dmesg=None, edgetpu_lib=None) -> dict:
    """Every check of the Raspberry Pi 5 + Coral setup: the dict ``coralpi doctor --json`` prints
    (``summary`` counts, one entry per check with its status, message and fix).

    user: whose access to the TPU to check (default $SUDO_USER or $USER); dtb: also check this
    device tree blob; dmesg: read the kernel log from this file (default: the kernel's ring
    buffer, on this machine); edgetpu_lib: ask this libedgetpu for its version and devices."""
    return json.loads(_coralpi._doctor_json(
        os.fspath(root), user or "", _path_or_empty(dtb), _path_or_empty(dmesg),
        _path_or_empty(edgetpu_lib)))


def _path_or_empty(path) -> str:
    return "" if path is None else os.fspath(path)
