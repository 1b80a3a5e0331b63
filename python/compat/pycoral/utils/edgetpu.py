"""pycoral.utils.edgetpu: interpreters for the Edge TPU, and its devices and runtime.

coralpi's difference: a model without an edgetpu-custom-op runs on coralpi's CPU engine even
with no Edge TPU present; a model compiled for the Edge TPU without one raises ValueError with
what is missing."""

import os

import numpy as np

import coralpi
from tflite_runtime.interpreter import Interpreter, load_delegate

__all__ = ["get_runtime_version", "list_edge_tpus", "load_edgetpu_delegate", "make_interpreter",
           "run_inference"]

EDGETPU_SHARED_LIB = "libedgetpu.so.1"


def load_edgetpu_delegate(options=None):
    """The Edge TPU delegate, with libedgetpu's options (e.g. {"device": "usb:0"})."""
    return load_delegate(EDGETPU_SHARED_LIB, options or {})


def make_interpreter(model_path_or_content, device=None, delegate=None):
    """An Interpreter for a model file path or the model's bytes, on the Edge TPU `device`
    names: None (any), ":N", "usb", "usb:N", "pci" or "pci:N"; or with `delegate`."""
    if delegate is None:
        delegate = load_edgetpu_delegate({"device": device} if device else None)
    if isinstance(model_path_or_content, (bytes, bytearray, memoryview)):
        return Interpreter(model_content=bytes(model_path_or_content),
                           experimental_delegates=[delegate])
    return Interpreter(model_path=os.fspath(model_path_or_content),
                       experimental_delegates=[delegate])


def list_edge_tpus():
    """The Edge TPUs libedgetpu lists: [{"type": "pci" or "usb", "path": ...}]; [] when the
    runtime does not load."""
    runtime = coralpi.devices()["runtime"]
    return [{"type": d["type"], "path": d["path"]} for d in runtime.get("devices", [])]


def get_runtime_version():
    """libedgetpu's version string (its edgetpu_version())."""
    edgetpu = coralpi.devices()["runtime"]["edgetpu"]
    if not edgetpu.get("loaded"):
        raise RuntimeError(edgetpu.get("error", "libedgetpu does not load"))
    return edgetpu["version"]


def run_inference(interpreter, input_data):
    """Copies input_data (the input's bytes, flat: bytes or a 1-D uint8 array) into the first
    input and invokes."""
    details = interpreter.get_input_details()[0]
    data = np.frombuffer(bytes(input_data), dtype=np.uint8) \
        if isinstance(input_data, (bytes, bytearray, memoryview)) else np.asarray(input_data)
    tensor = np.asarray(data).view(details["dtype"]).reshape(details["shape"])
    interpreter.set_tensor(details["index"], tensor)
    interpreter.invoke()
