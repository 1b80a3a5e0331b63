"""pycoral over coralpi: the pycoral-style example programs on the shared models, the
adapters' helpers, and make_interpreter with and without an Edge TPU."""

import re

import numpy as np
import pytest

from conftest import run_example
from pycoral.adapters.detect import BBox
from pycoral.utils import dataset, edgetpu


def test_classify_image_finds_the_macaw(testdata):
    out = run_example("classify_image.py",
                      "-m", testdata / "models" / "mobilenet_v2_1.0_224_quant.tflite",
                      "-l", testdata / "labels" / "imagenet_labels.txt",
                      "-i", testdata / "images" / "parrot.jpg", "-k", 3)
    results = out.split("-------RESULTS--------\n")[1].splitlines()
    assert results[0].startswith("macaw: "), out
    assert len(results) == 3


def parse_objects(out):
    """[(label, id, score, bbox)] from detect_image.py's printout."""
    found = re.findall(r"^(\S+)\n  id:\s+(\d+)\n  score:\s+([\d.]+)\n  bbox:\s+\((.*)\)$", out,
                       re.MULTILINE)
    return [(l, int(i), float(s), tuple(int(v) for v in b.split(", "))) for l, i, s, b in found]


def best_per_place(objects):
    """The best-scoring object of each group of overlapping ones (objects come best first)."""
    best = []
    for obj in objects:
        if all(BBox.iou(BBox(*obj[3]), BBox(*b[3])) < 0.3 for b in best):
            best.append(obj)
    return best


def test_detect_image_finds_both_dogs(testdata, tmp_path):
    saved = tmp_path / "pets_boxes.png"
    out = run_example("detect_image.py",
                      "-m", testdata / "models" / "ssd_mobilenet_pets_quant_postprocess.tflite",
                      "-l", testdata / "labels" / "pet_labels.txt",
                      "-i", testdata / "images" / "pets.jpg", "-t", 0.2, "-o", saved)
    objects = parse_objects(out)
    # testdata/README.md: TensorFlow Lite finds the two dogs' heads, staffordshire_bull_terrier
    # 0.58 and boxer 0.29; weaker guesses of other breeds overlap them: the best per head counts.
    heads = best_per_place(objects)
    assert [label for label, *_ in heads] == ["staffordshire_bull_terrier", "boxer"], out
    assert heads[0][2] == pytest.approx(0.58, abs=0.05)
    assert heads[1][2] == pytest.approx(0.29, abs=0.05)
    boxes = [BBox(*b) for *_, b in heads]
    image = BBox(0, 0, 512, 430)  # pets.jpg: the boxes are in its pixels (image_scale)
    assert all(b.valid and b.area > 0 and BBox.intersect(b, image) == b for b in boxes)
    assert boxes[0].xmax < 256 < boxes[1].xmin  # the terrier on the left, the boxer right
    assert saved.stat().st_size > 0


def test_semantic_segmentation_finds_the_bird(testdata, tmp_path):
    out = run_example("semantic_segmentation.py",
                      "--model", testdata / "models" / "deeplabv3_mnv2_dm05_pascal_quant.tflite",
                      "--input", testdata / "images" / "bird_segmentation.bmp",
                      "--labels", testdata / "labels" / "pascal_voc_segmentation_labels.txt",
                      "--output", tmp_path / "mask.png")
    lines = out.splitlines()
    assert lines[0].startswith("background: ") and lines[1].startswith("bird: "), out


def test_segmentation_matches_the_mask(testdata):
    Image = pytest.importorskip("PIL.Image", reason="apt-get install python3-pil")
    from pycoral.adapters import common, segment  # pylint: disable=import-outside-toplevel
    interpreter = edgetpu.make_interpreter(
        str(testdata / "models" / "deeplabv3_mnv2_dm05_pascal_quant.tflite"))
    image = Image.open(testdata / "images" / "bird_segmentation.bmp").convert("RGB")
    common.set_input(interpreter, image.resize(common.input_size(interpreter), Image.BILINEAR))
    interpreter.invoke()
    bird = segment.get_output(interpreter) == 3
    mask = Image.open(testdata / "images" / "bird_segmentation_mask.bmp").convert("L")
    truth = np.asarray(mask.resize(bird.shape[::-1], Image.NEAREST)) > 0
    iou = np.sum(bird & truth) / np.sum(bird | truth)
    assert iou > 0.8  # testdata/README.md: 0.837 with TensorFlow Lite


def test_read_label_file(tmp_path):
    numbered = tmp_path / "numbered.txt"
    numbered.write_text("0  background\n3 cat\n7 hot dog\n")
    assert dataset.read_label_file(numbered) == {0: "background", 3: "cat", 7: "hot dog"}
    plain = tmp_path / "plain.txt"
    plain.write_text("background\ncat\nhot dog\n")
    assert dataset.read_label_file(plain) == {0: "background", 1: "cat", 2: "hot dog"}


def test_bbox():
    a, b = BBox(0, 0, 10, 10), BBox(5, 5, 15, 25)
    assert (a.width, a.height, a.area, a.valid) == (10, 10, 100, True)
    assert a.scale(2, 3) == BBox(0, 0, 20, 30)
    assert a.translate(1, 2) == BBox(1, 2, 11, 12)
    assert BBox(0.4, 1.6, 2.2, 3.9).map(int) == BBox(0, 1, 2, 3)
    assert BBox.intersect(a, b) == BBox(5, 5, 10, 10)
    assert BBox.union(a, b) == BBox(0, 0, 15, 25)
    assert BBox.iou(a, b) == pytest.approx(25 / (100 + 200 - 25))
    assert not BBox.intersect(a, BBox(20, 20, 30, 30)).valid
    assert BBox.iou(a, BBox(20, 20, 30, 30)) == 0.0


def test_a_cpu_model_runs_on_the_cpu_without_a_tpu(testdata, monkeypatch):
    monkeypatch.setenv("CORALPI_EDGETPU_LIB", "/nonexistent/libedgetpu.so.1")
    interpreter = edgetpu.make_interpreter(
        str(testdata / "models" / "mobilenet_v1_0.25_128_quant.tflite"))
    assert interpreter._impl.backend == "cpu"  # pylint: disable=protected-access
    edgetpu.run_inference(interpreter, np.zeros(128 * 128 * 3, np.uint8).tobytes())
    assert interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).shape == (1, 1001)


def test_make_interpreter_from_the_model_bytes(testdata):
    content = (testdata / "models" / "mobilenet_v1_0.25_128_quant.tflite").read_bytes()
    interpreter = edgetpu.make_interpreter(content)
    assert interpreter.get_input_details()[0]["shape"].tolist() == [1, 128, 128, 3]


def test_an_edgetpu_model_without_a_tpu_names_what_is_missing(testdata, monkeypatch):
    monkeypatch.setenv("CORALPI_EDGETPU_LIB", "/nonexistent/libedgetpu.so.1")
    with pytest.raises(ValueError, match="/nonexistent/libedgetpu.so.1"):
        edgetpu.make_interpreter(
            str(testdata / "models" / "mobilenet_v1_0.25_128_quant_edgetpu.tflite"))


def test_no_runtime_lists_no_edge_tpus(monkeypatch):
    monkeypatch.setenv("CORALPI_EDGETPU_LIB", "/nonexistent/libedgetpu.so.1")
    assert edgetpu.list_edge_tpus() == []
    with pytest.raises(RuntimeError):
        edgetpu.get_runtime_version()
