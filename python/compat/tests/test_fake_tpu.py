"""pycoral over coralpi on the fake Edge TPU (tests/backend/fakes/fake_edgetpu.c), which runs a
compiled model's CPU twin (here the plain MobileNet v1) through fake_edgetpu_twin_runner: ctest's
python_compat_fake_tpu gives FAKE_EDGETPU and FAKE_EDGETPU_TWIN_RUNNER."""

import os

import pytest

from conftest import run_example

pytestmark = pytest.mark.fake_tpu

COMPILED = "mobilenet_v1_0.25_128_quant_edgetpu.tflite"
PLAIN = "mobilenet_v1_0.25_128_quant.tflite"


@pytest.fixture
def fake_tpu(testdata, monkeypatch):
    """The environment of a machine with one (fake) PCIe Edge TPU."""
    if not os.environ.get("FAKE_EDGETPU"):
        pytest.skip("no fake libedgetpu: run through ctest (python_compat_fake_tpu)")
    env = {
        "CORALPI_EDGETPU_LIB": os.environ["FAKE_EDGETPU"],
        "FAKE_EDGETPU_DEVICES": "pci:/dev/apex_0",
        "FAKE_EDGETPU_TWIN": str(testdata / "models" / PLAIN),
        "FAKE_EDGETPU_TWIN_RUNNER": os.environ["FAKE_EDGETPU_TWIN_RUNNER"],
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def test_classify_image_on_the_tpu_finds_the_macaw(testdata, fake_tpu):
    out = run_example("classify_image.py", "-m", testdata / "models" / COMPILED,
                      "-l", testdata / "labels" / "imagenet_labels.txt",
                      "-i", testdata / "images" / "parrot.jpg", env=fake_tpu)
    assert out.split("-------RESULTS--------\n")[1].startswith("macaw: "), out


def test_make_interpreter_opens_the_edge_tpu(testdata, fake_tpu):  # pylint: disable=unused-argument
    from pycoral.utils import edgetpu  # pylint: disable=import-outside-toplevel
    interpreter = edgetpu.make_interpreter(str(testdata / "models" / COMPILED), device="pci:0")
    assert interpreter._impl.backend == "edgetpu"  # pylint: disable=protected-access
    assert edgetpu.list_edge_tpus() == [{"type": "pci", "path": "/dev/apex_0"}]
    assert edgetpu.get_runtime_version()
