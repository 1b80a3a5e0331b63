"""tflite_runtime.interpreter over coralpi: the label_image-style example, and the Interpreter's
tensors, views, errors and delegates."""

import numpy as np
import pytest

from conftest import run_example
from tflite_runtime.interpreter import Interpreter, load_delegate

MOBILENET = "mobilenet_v2_1.0_224_quant.tflite"


def label_image(testdata, *extra):
    return run_example("label_image.py", "-m", testdata / "models" / MOBILENET,
                       "-l", testdata / "labels" / "imagenet_labels.txt",
                       "-i", testdata / "images" / "parrot.jpg", *extra)


def test_label_image_finds_the_macaw(testdata):
    out = label_image(testdata)
    assert out.splitlines()[0].endswith(": macaw"), out


def test_label_image_from_the_model_bytes(testdata):
    out = label_image(testdata, "--from_bytes", "--num_threads", "2")
    assert out.splitlines()[0].endswith(": macaw"), out


@pytest.fixture
def mobilenet(testdata):
    interpreter = Interpreter(model_path=str(testdata / "models" / MOBILENET))
    interpreter.allocate_tensors()
    return interpreter


def test_get_tensor_is_a_copy_and_tensor_a_view(mobilenet):
    inp = mobilenet.get_input_details()[0]
    out = mobilenet.get_output_details()[0]["index"]
    mobilenet.set_tensor(inp["index"], np.zeros(inp["shape"], np.uint8))
    mobilenet.invoke()
    copy, view = mobilenet.get_tensor(out), mobilenet.tensor(out)()
    mobilenet.tensor(inp["index"])()[:] = 255  # writes the input in place
    mobilenet.invoke()
    assert np.array_equal(view, mobilenet.get_tensor(out))  # the view follows the invoke
    assert not np.array_equal(copy, view)  # the copy kept the first result


def test_set_tensor_checks_the_type_and_size(mobilenet):
    index = mobilenet.get_input_details()[0]["index"]
    with pytest.raises(ValueError, match="takes uint8, not float32"):
        mobilenet.set_tensor(index, np.zeros((1, 224, 224, 3), np.float32))
    with pytest.raises(ValueError, match="takes shape"):
        mobilenet.set_tensor(index, np.zeros((1, 10), np.uint8))


def test_an_intermediate_tensor_is_a_clear_value_error(mobilenet):
    with pytest.raises(ValueError, match="coralpi keeps only input and output tensors; "
                                         "tensor 5 is an intermediate"):
        mobilenet.get_tensor(5)


def test_resize_only_to_the_shape_it_has(mobilenet):
    index = mobilenet.get_input_details()[0]["index"]
    mobilenet.resize_tensor_input(index, [1, 224, 224, 3])
    with pytest.raises(ValueError, match="batch 1"):
        mobilenet.resize_tensor_input(index, [4, 224, 224, 3])


def test_signature_list_is_empty(mobilenet):
    assert mobilenet.get_signature_list() == {}


def test_other_delegates_are_a_value_error_naming_them():
    with pytest.raises(ValueError, match="libfoo_delegate.so"):
        load_delegate("libfoo_delegate.so")
    assert load_delegate("/usr/lib/libedgetpu.so.1", {"device": "usb"}).device == "usb"


def test_a_model_is_needed():
    with pytest.raises(ValueError):
        Interpreter()
