"""get_input_details()/get_output_details() against what TensorFlow Lite itself reports for
the shared models. The expected values were written down by hand from TensorFlow Lite 2.19's
C library (tools/tflite_tensor_details.py over ../anchors/tflite-x86_64/libtensorflowlite_c.so:
tensor index, name, type, dims, dims signature, scale and zero point), never from coralpi."""

import numpy as np
import pytest

from tflite_runtime.interpreter import Interpreter

KEYS = ["name", "index", "shape", "shape_signature", "dtype", "quantization",
        "quantization_parameters", "sparsity_parameters"]


def tensor(name, index, shape, dtype, scale=0.0, zero_point=0):
    quantized = scale != 0.0
    return {
        "name": name, "index": index, "shape": shape, "shape_signature": shape,
        "dtype": dtype, "quantization": (scale, zero_point),
        "scales": [scale] if quantized else [], "zero_points": [zero_point] if quantized else [],
    }


EXPECTED = {
    "mobilenet_v2_1.0_224_quant.tflite": (
        [tensor("input", 0, [1, 224, 224, 3], np.uint8, 0.0078125, 128)],
        [tensor("MobilenetV2/Predictions/Softmax", 173, [1, 1001], np.uint8, 0.00390625, 0)]),
    "ssd_mobilenet_pets_quant_postprocess.tflite": (
        [tensor("normalized_input_image_tensor", 175, [1, 300, 300, 3], np.uint8, 0.0078125,
                128)],
        [tensor("TFLite_Detection_PostProcess", 167, [1, 10, 4], np.float32),
         tensor("TFLite_Detection_PostProcess:1", 168, [1, 10], np.float32),
         tensor("TFLite_Detection_PostProcess:2", 169, [1, 10], np.float32),
         tensor("TFLite_Detection_PostProcess:3", 170, [1], np.float32)]),
    "deeplabv3_mnv2_dm05_pascal_quant.tflite": (
        [tensor("MobilenetV2/MobilenetV2/input", 0, [1, 513, 513, 3], np.uint8, 0.0078125,
                128)],
        [tensor("ArgMax", 185, [1, 513, 513], np.int64)]),
    "tf2_mobilenet_v2_1.0_224_ptq.tflite": (
        [tensor("input", 0, [1, 224, 224, 3], np.uint8, 0.007843137718737125, 127)],
        [tensor("Identity", 176, [1, 1001], np.uint8, 0.00390625, 0)]),
}


def check(details, expected):
    assert list(details.keys()) == KEYS
    for key in ("name", "index", "dtype"):
        assert details[key] == expected[key], key
    for key in ("shape", "shape_signature"):
        assert details[key].dtype == np.int32, key
        assert details[key].tolist() == expected[key], key
    scale, zero_point = details["quantization"]
    assert (np.float32(scale), zero_point) == (np.float32(expected["quantization"][0]),
                                               expected["quantization"][1])
    params = details["quantization_parameters"]
    assert list(params.keys()) == ["scales", "zero_points", "quantized_dimension"]
    assert params["scales"].dtype == np.float32 and params["zero_points"].dtype == np.int32
    assert params["scales"].tolist() == pytest.approx(expected["scales"])
    assert params["zero_points"].tolist() == expected["zero_points"]
    assert params["quantized_dimension"] == 0
    assert details["sparsity_parameters"] == {}


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_details_agree_with_tensorflow_lite(testdata, model):
    interpreter = Interpreter(model_path=str(testdata / "models" / model))
    interpreter.allocate_tensors()
    inputs, outputs = EXPECTED[model]
    got_inputs, got_outputs = interpreter.get_input_details(), interpreter.get_output_details()
    assert len(got_inputs) == len(inputs) and len(got_outputs) == len(outputs)
    for details, expected in zip(got_inputs + got_outputs, inputs + outputs):
        check(details, expected)
