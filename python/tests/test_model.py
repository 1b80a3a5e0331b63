"""Model: its tensors, run() with copies and views, errors, threads."""

import shutil
import threading

import numpy as np
import pytest

import coralpi

MOBILENET_V1 = "models/mobilenet_v1_0.25_128_quant.tflite"
MOBILENET_V2 = "models/mobilenet_v2_1.0_224_quant.tflite"


@pytest.fixture(scope="module")
def v1(testdata):
    return coralpi.Model(testdata / MOBILENET_V1, threads=1)


def test_inputs_and_outputs(v1):
    # coralpi inspect: input uint8 [1, 128, 128, 3] scale 0.0078125 zero point 128;
    # output MobilenetV1/Predictions/Reshape_1 uint8 [1, 1001] scale 0.00390625 zero point 0
    assert v1.inputs == [coralpi.TensorInfo("input", (1, 128, 128, 3), np.dtype(np.uint8),
                                            (0.0078125, 128))]
    (out,) = v1.outputs
    assert out.name == "MobilenetV1/Predictions/Reshape_1"
    assert out.shape == (1, 1001)
    assert out.dtype == np.uint8
    assert out.quantization == (0.00390625, 0)
    assert v1.backend == "cpu"


def test_run_copies_and_views(v1):
    x = np.full((1, 128, 128, 3), 128, dtype=np.uint8)
    c1 = v1.run(x)[0]
    c2 = v1.run([x], copy=True)[0]
    assert c1.shape == (1, 1001) and c1.dtype == np.uint8
    assert not np.shares_memory(c1, c2)
    assert np.array_equal(c1, c2)
    v_a = v1.run(x, copy=False)[0]
    v_b = v1.run(x, copy=False)[0]
    assert v_a.base is not None
    assert np.shares_memory(v_a, v_b)  # the model's own output memory, each run
    assert not v_a.flags.writeable
    assert np.array_equal(v_a, c1)
    # A view sees the next run; a copy does not.
    y = np.zeros((1, 128, 128, 3), dtype=np.uint8)
    after = v1.run(y)[0]
    if not np.array_equal(after, c1):
        assert np.array_equal(v_a, after)
        assert not np.array_equal(c1, after)


def test_run_agrees_with_classify(testdata):
    model = coralpi.Model(testdata / MOBILENET_V2)
    raw = np.fromfile(testdata / "images/sunflower.rgb", dtype=np.uint8).reshape(224, 224, 3)
    (scores,) = model.run(raw[np.newaxis])
    assert int(scores.argmax()) == 986  # daisy, as coralpi classify sunflower.rgb says
    (top,) = model.classify(raw, top_k=1)
    scale, zero = model.outputs[0].quantization
    assert top.score == pytest.approx(scale * (int(scores[0, 986]) - zero))


def test_run_refuses_bad_arrays(v1):
    with pytest.raises(ValueError, match="float32"):
        v1.run(np.zeros((1, 128, 128, 3), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\[1, 128, 128, 3\]"):
        v1.run(np.zeros((1, 64, 64, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="1 input"):
        v1.run([np.zeros((1, 128, 128, 3), dtype=np.uint8)] * 2)
    with pytest.raises(ValueError, match="numpy array"):
        v1.run([[1, 2, 3]])


def test_images_refused(v1):
    with pytest.raises(ValueError, match="HxWx3"):
        v1.classify(np.zeros((128, 128), dtype=np.uint8))
    with pytest.raises(ValueError, match="HxWx3"):
        v1.classify(np.zeros((128, 128, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        v1.classify(np.zeros((128, 128, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="file path"):
        v1.classify(42)
    with pytest.raises(coralpi.Error, match="no_such_image.jpg"):
        v1.classify("no_such_image.jpg")
    with pytest.raises(ValueError):
        v1.classify(np.zeros((128, 128, 3), dtype=np.uint8), top_k=0)


def test_open_errors(testdata, tmp_path):
    missing = tmp_path / "missing.tflite"
    with pytest.raises(coralpi.Error, match="missing.tflite") as e:
        coralpi.Model(missing)
    assert isinstance(e.value, RuntimeError)
    with pytest.raises(ValueError, match="gpu"):
        coralpi.Model(testdata / MOBILENET_V1, backend="gpu")
    with pytest.raises(ValueError, match="threads"):
        coralpi.Model(testdata / MOBILENET_V1, threads=0)
    with pytest.raises(coralpi.Error):
        coralpi.Model(testdata / MOBILENET_V1, labels=tmp_path / "no_labels.txt")
    # A detector's head is not a classifier's, and the error says which model.
    with pytest.raises(coralpi.Error, match="mobilenet_v1"):
        coralpi.Model(testdata / MOBILENET_V1).pose(np.zeros((8, 8, 3), dtype=np.uint8))


def test_model_file_removed_while_loaded(testdata, tmp_path):
    copy = tmp_path / "model.tflite"
    shutil.copy(testdata / MOBILENET_V2, copy)
    model = coralpi.Model(copy, labels=testdata / "labels/imagenet_labels.txt")
    copy.unlink()
    assert model.classify(testdata / "images/parrot.jpg", top_k=1)[0].label == "macaw"


def test_two_models_in_two_threads(testdata):
    classifier = coralpi.Model(testdata / MOBILENET_V2,
                               labels=testdata / "labels/imagenet_labels.txt", threads=1)
    detector = coralpi.Model(testdata / "models/ssd_mobilenet_pets_quant_postprocess.tflite",
                             labels=testdata / "labels/pet_labels.txt", threads=1)
    results = {"classify": [], "detect": []}
    errors = []

    def loop(name, fn):
        try:
            for _ in range(8):
                results[name].append(fn())
        except Exception as e:  # reported below, with the thread's name
            errors.append((name, e))

    threads = [
        threading.Thread(target=loop, args=("classify", lambda: classifier.classify(
            testdata / "images/parrot.jpg", top_k=1)[0].label)),
        threading.Thread(target=loop, args=("detect", lambda: [d.label for d in detector.detect(
            testdata / "images/pets.jpg", threshold=0.25)])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results["classify"] == ["macaw"] * 8
    assert results["detect"] == [["staffordshire_bull_terrier", "boxer"]] * 8


def test_one_model_shared_by_threads(testdata):
    model = coralpi.Model(testdata / MOBILENET_V1, threads=1)
    x = np.full((1, 128, 128, 3), 100, dtype=np.uint8)
    expected = model.run(x)[0]
    outs = []

    def loop():
        for _ in range(20):
            outs.append(model.run(x)[0])

    threads = [threading.Thread(target=loop) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outs) == 60
    assert all(np.array_equal(o, expected) for o in outs)
