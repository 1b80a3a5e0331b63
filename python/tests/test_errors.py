"""Errors by kind: coralpi.Error's `kind` and the subclass that is also the built-in exception
Python code expects (FileNotFoundError for a missing model, NotImplementedError for what coralpi
cannot run, OSError for the Edge TPU)."""

import pytest

import coralpi

MOBILENET_V1 = "models/mobilenet_v1_0.25_128_quant.tflite"
MOBILENET_V1_EDGETPU = "models/mobilenet_v1_0.25_128_quant_edgetpu.tflite"


def test_the_classes():
    assert issubclass(coralpi.Error, RuntimeError)
    for cls, builtin in [(coralpi.BadArgumentError, ValueError),
                         (coralpi.NotFoundError, FileNotFoundError),
                         (coralpi.UnsupportedError, NotImplementedError),
                         (coralpi.DeviceError, OSError)]:
        assert issubclass(cls, coralpi.Error)
        assert issubclass(cls, builtin)
    assert coralpi.NotFoundError.__module__ == "coralpi._coralpi"


def test_a_missing_model_is_not_found(tmp_path):
    missing = tmp_path / "missing.tflite"
    with pytest.raises(FileNotFoundError, match="missing.tflite") as e:
        coralpi.Model(missing)
    assert isinstance(e.value, coralpi.NotFoundError)
    assert isinstance(e.value, coralpi.Error)
    assert isinstance(e.value, RuntimeError)
    assert e.value.kind == "not found"
    assert str(e.value).startswith(str(missing) + ": ")


def test_garbage_bytes_are_a_bad_file(tmp_path):
    garbage = tmp_path / "garbage.tflite"
    garbage.write_bytes(b"not a model at all")
    with pytest.raises(coralpi.Error, match="not a TensorFlow Lite model") as e:
        coralpi.Model(garbage)
    assert e.value.kind == "bad file"
    assert type(e.value) is coralpi.Error
    empty = tmp_path / "empty.tflite"
    empty.write_bytes(b"")
    with pytest.raises(coralpi.Error, match="the file is empty") as e:
        coralpi.Model(empty)
    assert e.value.kind == "bad file"


def test_a_missing_image_is_not_found(testdata, tmp_path):
    model = coralpi.Model(testdata / MOBILENET_V1, threads=1)
    with pytest.raises(FileNotFoundError, match="no_such_image.jpg") as e:
        model.classify(str(tmp_path / "no_such_image.jpg"))
    assert e.value.kind == "not found"
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\x00 cut short")
    with pytest.raises(coralpi.Error, match="bad.jpg") as e:
        model.classify(str(bad))
    assert e.value.kind == "bad file"


def test_a_plain_model_on_the_edge_tpu_is_unsupported(testdata):
    with pytest.raises(NotImplementedError, match="edgetpu-custom-op") as e:
        coralpi.Model(testdata / MOBILENET_V1, backend="edgetpu")
    assert isinstance(e.value, coralpi.UnsupportedError)
    assert e.value.kind == "unsupported"


def test_no_edge_tpu_is_a_device_error(testdata, monkeypatch):
    monkeypatch.setenv("CORALPI_EDGETPU_LIB", "/nonexistent/libedgetpu.so.1")
    with pytest.raises(coralpi.DeviceError, match="cannot run on an Edge TPU") as e:
        coralpi.Model(testdata / MOBILENET_V1_EDGETPU, backend="edgetpu")
    assert isinstance(e.value, OSError)
    assert e.value.kind == "device"


def test_bad_arguments_stay_value_errors(testdata):
    with pytest.raises(ValueError, match="gpu"):
        coralpi.Model(testdata / MOBILENET_V1, backend="gpu")
