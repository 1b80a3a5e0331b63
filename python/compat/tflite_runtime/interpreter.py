"""tflite_runtime.interpreter over coralpi: Interpreter and load_delegate as TensorFlow Lite
documents them (https://www.tensorflow.org/api_docs/python/tf/lite/Interpreter).

Without a delegate coralpi's CPU engine runs the model; with load_delegate("libedgetpu.so.1")
a model compiled for the Edge TPU runs on one (a plain model still runs on the CPU). Only the
inputs and outputs are kept: other tensor indices raise ValueError. Inputs take batch 1 only.
"""

import os

import numpy as np

import coralpi
from coralpi import _coralpi

__all__ = ["Delegate", "Interpreter", "load_delegate"]


class Delegate:
    """What load_delegate returns: the Edge TPU's runtime and its options."""

    def __init__(self, library, options=None):
        self._library = library
        self._options = dict(options or {})

    @property
    def library(self):
        return self._library

    @property
    def options(self):
        return dict(self._options)

    @property
    def device(self):
        return str(self._options.get("device", ""))

    @property
    def edgetpu_lib(self):
        """The library to load: a path as given; "" for the bare name (coralpi's default:
        $CORALPI_EDGETPU_LIB, else the library path)."""
        return self._library if os.sep in self._library else ""


def _is_edgetpu_library(library):
    name = os.path.basename(str(library))
    return name.startswith("libedgetpu.") or name in ("edgetpu", "edgetpu.dll")


def load_delegate(library, options=None):
    """The Edge TPU delegate for "libedgetpu.so.1" (or a path to it); options as libedgetpu
    takes them, e.g. {"device": "usb"}, {"device": "pci:0"}, {"device": ":0"}. coralpi hosts
    only the Edge TPU: any other delegate library is a ValueError."""
    if not _is_edgetpu_library(library):
        raise ValueError(f"Failed to load delegate from {library}: coralpi's tflite_runtime "
                         "runs only the Edge TPU delegate (libedgetpu.so.1)")
    return Delegate(str(library), options)


def _open(model_path, model_content, delegate, threads):
    backend = "cpu" if delegate is None else "auto"
    device = "" if delegate is None else delegate.device
    lib = "" if delegate is None else delegate.edgetpu_lib
    try:
        return _coralpi.Interpreter(
            path=None if model_path is None else os.fspath(model_path),
            content=None if model_content is None else bytes(model_content),
            backend=backend, device=device, edgetpu_lib=lib, threads=threads)
    except coralpi.Error as e:
        raise ValueError(str(e)) from e


def _one_delegate(delegates):
    delegates = list(delegates or [])
    for d in delegates:
        if not isinstance(d, Delegate):
            raise ValueError(f"{d!r} is not a delegate from load_delegate()")
    if len(delegates) > 1:
        raise ValueError("coralpi runs one delegate (the Edge TPU's), not "
                         f"{len(delegates)}")
    return delegates[0] if delegates else None


def _details(name, index, shape, dtype, scales, zero_points, axis):
    quantization = (scales[0], zero_points[0]) if scales else (0.0, 0)
    return {
        "name": name,
        "index": index,
        "shape": shape,
        "shape_signature": shape.copy(),  # coralpi's models have fixed shapes
        "dtype": dtype.type,
        "quantization": quantization,
        "quantization_parameters": {
            "scales": np.array(scales, dtype=np.float32),
            "zero_points": np.array(zero_points, dtype=np.int32),
            "quantized_dimension": axis,
        },
        "sparsity_parameters": {},
    }


class Interpreter:
    """TensorFlow Lite's Interpreter over coralpi (see the module's doc)."""

    def __init__(self, model_path=None, model_content=None, experimental_delegates=None,
                 num_threads=None, experimental_op_resolver_type=None,
                 experimental_preserve_all_tensors=False):
        if (model_path is None) == (model_content is None):
            raise ValueError("Can't both provide `model_path` and `model_content`"
                             if model_path is not None else
                             "`model_path` or `model_content` must be specified.")
        if num_threads is not None and not isinstance(num_threads, int):
            raise ValueError("type of num_threads should be int")
        threads = 1 if num_threads is None or num_threads < 1 else num_threads
        self._delegate = _one_delegate(experimental_delegates)
        self._impl = _open(model_path, model_content, self._delegate, threads)

    def allocate_tensors(self):
        """Nothing to do: coralpi allocates the tensors when it opens the model."""

    def get_input_details(self):
        return [_details(*d) for d in self._impl.input_details()]

    def get_output_details(self):
        return [_details(*d) for d in self._impl.output_details()]

    def get_tensor_details(self):
        """The details of the tensors coralpi keeps: the inputs, then the outputs."""
        return self.get_input_details() + self.get_output_details()

    def get_signature_list(self):
        return {}

    def set_tensor(self, tensor_index, value):
        self._impl.set_tensor(tensor_index, np.asarray(value))

    def get_tensor(self, tensor_index, subgraph_index=0):
        self._check_subgraph(subgraph_index)
        return self._impl.get_tensor(tensor_index, copy=True)

    def tensor(self, tensor_index):
        """A function returning a numpy view of the tensor's memory, valid until the next
        invoke (hold no view across invoke, as TensorFlow Lite asks)."""
        self._impl.get_tensor(tensor_index, copy=False)  # ValueError now for a bad index
        return lambda: self._impl.get_tensor(tensor_index, copy=False)

    def invoke(self):
        self._impl.invoke()

    def resize_tensor_input(self, input_index, tensor_size, strict=False):
        """coralpi runs the model's own shapes: only the shape the input has is accepted."""
        for d in self.get_input_details():
            if d["index"] == input_index:
                if list(np.asarray(tensor_size)) != list(d["shape"]):
                    raise ValueError(
                        f"coralpi cannot resize tensor {input_index} from {list(d['shape'])} "
                        f"to {list(np.asarray(tensor_size))}: it runs batch 1 at the model's "
                        "own input shape")
                return
        raise ValueError(f"tensor {input_index} is not an input of the model")

    def reset_all_variables(self):
        """Nothing to reset: coralpi's models hold no variables."""

    @staticmethod
    def _check_subgraph(subgraph_index):
        if subgraph_index != 0:
            raise ValueError("coralpi runs the model's first subgraph only")
