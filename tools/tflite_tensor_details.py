#!/usr/bin/python3
"""Prints what TensorFlow Lite itself reports for a model's inputs and outputs, through its C
library (ctypes; TensorFlow Lite's Python package is not needed): per tensor its subgraph index,
name, type, dims, dims signature and (scale, zero_point). The compat tests'
expected get_input_details()/get_output_details() values were written down from its output.

    tools/tflite_tensor_details.py [--lib libtensorflowlite_c.so] model.tflite...
"""

import argparse
import ctypes

# TfLiteType numbers (tensorflow/lite/core/c/c_api_types.h) -> numpy's names.
TYPES = {0: "none", 1: "float32", 2: "int32", 3: "uint8", 4: "int64", 5: "string", 6: "bool",
         7: "int16", 8: "complex64", 9: "int8", 10: "float16", 11: "float64"}
DEFAULT_LIB = "/work/shared/anchors/tflite-x86_64/libtensorflowlite_c.so"


class QuantParams(ctypes.Structure):
    _fields_ = [("scale", ctypes.c_float), ("zero_point", ctypes.c_int32)]


def load(path):
    lib = ctypes.CDLL(path)
    p = ctypes.c_void_p
    sigs = {
        "TfLiteModelCreateFromFile": ([ctypes.c_char_p], p),
        "TfLiteInterpreterCreate": ([p, p], p),
        "TfLiteInterpreterAllocateTensors": ([p], ctypes.c_int),
        "TfLiteInterpreterGetInputTensorCount": ([p], ctypes.c_int32),
        "TfLiteInterpreterGetOutputTensorCount": ([p], ctypes.c_int32),
        "TfLiteInterpreterGetInputTensor": ([p, ctypes.c_int32], p),
        "TfLiteInterpreterGetOutputTensor": ([p, ctypes.c_int32], p),
        "TfLiteInterpreterGetInputTensorIndex": ([p, ctypes.c_int32], ctypes.c_int),
        "TfLiteInterpreterGetOutputTensorIndex": ([p, ctypes.c_int32], ctypes.c_int),
        "TfLiteTensorName": ([p], ctypes.c_char_p),
        "TfLiteTensorType": ([p], ctypes.c_int),
        "TfLiteTensorNumDims": ([p], ctypes.c_int32),
        "TfLiteTensorDim": ([p, ctypes.c_int32], ctypes.c_int32),
        "TfLiteTensorGetDimsSignature": ([p], ctypes.POINTER(ctypes.c_int)),
        "TfLiteTensorQuantizationParams": ([p], QuantParams),
    }
    for name, (args, res) in sigs.items():
        f = getattr(lib, name)
        f.argtypes, f.restype = args, res
    return lib


def describe(lib, tensor, index):
    dims = [lib.TfLiteTensorDim(tensor, d) for d in range(lib.TfLiteTensorNumDims(tensor))]
    sig = lib.TfLiteTensorGetDimsSignature(tensor)  # TfLiteIntArray: size, then the data
    signature = [sig[1 + i] for i in range(sig[0])] if sig and sig[0] > 0 else None
    q = lib.TfLiteTensorQuantizationParams(tensor)
    return (f"index={index} name={lib.TfLiteTensorName(tensor).decode()!r} "
            f"type={TYPES.get(lib.TfLiteTensorType(tensor))} dims={dims} "
            f"dims_signature={signature} scale={q.scale!r} zero_point={q.zero_point}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", default=DEFAULT_LIB)
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    lib = load(args.lib)
    for path in args.models:
        interpreter = lib.TfLiteInterpreterCreate(lib.TfLiteModelCreateFromFile(path.encode()), None)
        if not interpreter or lib.TfLiteInterpreterAllocateTensors(interpreter) != 0:
            raise SystemExit(f"{path}: TensorFlow Lite cannot open it")
        print(path)
        for kind in ("Input", "Output"):
            count = getattr(lib, f"TfLiteInterpreterGet{kind}TensorCount")(interpreter)
            for i in range(count):
                tensor = getattr(lib, f"TfLiteInterpreterGet{kind}Tensor")(interpreter, i)
                index = getattr(lib, f"TfLiteInterpreterGet{kind}TensorIndex")(interpreter, i)
                print(f"  {kind.lower()} {i}: {describe(lib, tensor, index)}")


if __name__ == "__main__":
    main()
