"""The task helpers on the shared models and images, against what the command line printed
for the same inputs (coralpi classify/detect/segment/pose --json, values written down by hand,
not computed by the module)."""

import numpy as np
import pytest

import coralpi

MOBILENET_V2 = "models/mobilenet_v2_1.0_224_quant.tflite"
SSD_PETS = "models/ssd_mobilenet_pets_quant_postprocess.tflite"


def assert_box_near(box, expected, tolerance=1.0):
    assert isinstance(box, coralpi.BBox)
    for got, want, name in zip(box, expected, box._fields):
        assert abs(got - want) <= tolerance, f"{name}: {got} vs {want} (box {box})"


def test_classify_parrot_is_macaw(testdata):
    model = coralpi.Model(testdata / MOBILENET_V2, labels=testdata / "labels/imagenet_labels.txt")
    classes = model.classify(str(testdata / "images/parrot.jpg"), top_k=3)
    # coralpi classify --json -k 3: 89 macaw 0.99609375, then background, tench at 0.0
    assert [c.id for c in classes] == [89, 0, 1]
    assert classes[0] == coralpi.Class(89, pytest.approx(0.99609375, abs=1e-6), "macaw")


def test_classify_array_as_file_and_bgr(testdata):
    model = coralpi.Model(testdata / MOBILENET_V2, labels=testdata / "labels/imagenet_labels.txt")
    raw = np.fromfile(testdata / "images/sunflower.rgb", dtype=np.uint8).reshape(224, 224, 3)
    # coralpi classify sunflower.rgb: 986 daisy 0.98047, 310 bee 0.00391
    from_file = model.classify(testdata / "images/sunflower.rgb", top_k=2)
    assert [(c.id, c.label) for c in from_file] == [(986, "daisy"), (310, "bee")]
    assert from_file[0].score == pytest.approx(0.98047, abs=1e-4)
    assert model.classify(raw, top_k=2) == from_file
    # BGR as OpenCV gives it, a strided view, and a contiguous copy of it.
    bgr = raw[:, :, ::-1]
    assert model.classify(bgr, top_k=2, rgb=False) == from_file
    assert model.classify(np.ascontiguousarray(bgr), top_k=2, rgb=False) == from_file
    assert model.classify(raw, top_k=1, threshold=0.99) == []


def test_classify_with_the_labels_packed_into_the_model(testdata):
    # Coral's MobileNets carry imagenet_labels.txt in a zip their TensorFlow Lite metadata names.
    model = coralpi.Model(testdata / MOBILENET_V2)
    assert model.classify(testdata / "images/parrot.jpg", top_k=1) == [
        coralpi.Class(89, pytest.approx(0.99609375, abs=1e-6), "macaw")]


def test_detect_pets_finds_both_dogs(testdata):
    model = coralpi.Model(testdata / SSD_PETS, labels=testdata / "labels/pet_labels.txt")
    dets = model.detect(testdata / "images/pets.jpg", threshold=0.25)
    # coralpi detect --json --threshold 0.25 on pets.jpg (512x430)
    assert [(d.label, d.class_id) for d in dets] == [("staffordshire_bull_terrier", 34),
                                                     ("boxer", 8)]
    assert dets[0].score == pytest.approx(0.625, abs=1e-3)
    assert dets[1].score == pytest.approx(0.2656, abs=1e-3)
    assert_box_near(dets[0].box, (152.22, 54.77, 242.85, 146.72))
    assert_box_near(dets[1].box, (387.57, 169.84, 495.34, 245.95))
    # At the default threshold (0.5 for a post-process detector) only the first remains.
    assert [d.label for d in model.detect(testdata / "images/pets.jpg")] == [
        "staffordshire_bull_terrier"]
    assert len(model.detect(testdata / "images/pets.jpg", threshold=0.25, max=1)) == 1


def test_detect_yolov8_bus_names_from_metadata(testdata):
    model = coralpi.Model(testdata / "models/yolov8n_320_full_integer_quant.tflite")
    dets = model.detect(testdata / "images/bus.jpg")
    # coralpi detect --json: person 0.846, bus 0.7279, person 0.6197, person 0.6197
    assert sorted(d.label for d in dets) == ["bus", "person", "person", "person"]
    bus = next(d for d in dets if d.label == "bus")
    assert bus.class_id == 5
    assert bus.score == pytest.approx(0.7279, abs=2e-3)
    assert_box_near(bus.box, (19.05, 236.39, 794.61, 719.78))
    assert_box_near(dets[0].box, (50.92, 395.75, 210.28, 889.77))


def test_segment_deeplab_bird(testdata):
    model = coralpi.Model(testdata / "models/deeplabv3_mnv2_dm05_pascal_quant.tflite",
                          labels=testdata / "labels/pascal_voc_segmentation_labels.txt")
    seg = model.segment(testdata / "images/bird.bmp")
    # coralpi segment --json on bird.bmp (512x343)
    assert seg.classes.shape == (343, 512)
    assert seg.classes.dtype == np.int32
    assert seg.counts == [
        coralpi.SegmentClass(0, "background", 144799, pytest.approx(0.824520544825073)),
        coralpi.SegmentClass(3, "bird", 30817, pytest.approx(0.1754794551749271)),
    ]
    assert int((seg.classes == 3).sum()) == 30817
    assert seg.objects == []


def test_pose_movenet_squat(testdata):
    model = coralpi.Model(testdata / "models/movenet_single_pose_lightning_ptq.tflite")
    people = model.pose(testdata / "images/squat.bmp")
    # coralpi pose --json on squat.bmp
    assert len(people) == 1
    person = people[0]
    assert person.label == "person"
    assert person.score == pytest.approx(0.5355, abs=1e-3)
    assert_box_near(person.box, (143.39, 187.43, 348.23, 552.3))
    assert len(person.keypoints) == 17
    kp = {k.name: k for k in person.keypoints}
    for name, x, y, score in [("nose", 290.88, 204.92, 0.3646), ("left_elbow", 348.23, 309.89, 0.7006),
                              ("right_hip", 143.39, 374.86, 0.6350),
                              ("left_ankle", 264.25, 512.31, 0.7006)]:
        assert abs(kp[name].x - x) <= 1 and abs(kp[name].y - y) <= 1, kp[name]
        assert kp[name].score == pytest.approx(score, abs=1e-3)
