"""coralpi.devices() and coralpi.doctor() on fake machine trees (board_make_fixture): the facts
the trees were written with, and the same dicts as the command line's --json."""

import json
import os
import subprocess

import pytest

import coralpi

MAKE_FIXTURE = os.environ.get("CORALPI_MAKE_FIXTURE")
CORALPI = os.environ.get("CORALPI_BIN")
NO_LIBEDGETPU = "/nonexistent/libedgetpu.so.1"

pytestmark = pytest.mark.skipif(
    not (MAKE_FIXTURE and CORALPI),
    reason="CORALPI_MAKE_FIXTURE and CORALPI_BIN are set by ctest (python_module)")


def run_program(args, check=True):
    """Runs one of the build's programs. Under the sanitizers they carry their own ASan runtime,
    so the one preloaded into python3 (python/CMakeLists.txt) is not handed down to them."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    return subprocess.run(args, check=check, capture_output=True, text=True, env=env)


def make_tree(kind, tmp_path):
    root = tmp_path / kind
    run_program([MAKE_FIXTURE, kind, str(root)])
    return root


def cli_json(*args):
    # doctor exits 3 when a check failed; the JSON is what is compared.
    return json.loads(run_program([CORALPI, *args, "--json"], check=False).stdout)


def test_devices_reads_both_tpus_of_the_tree(tmp_path):
    root = make_tree("two-tpus", tmp_path)
    d = coralpi.devices(root, edgetpu_lib=NO_LIBEDGETPU)
    # tests/board/apex_health_tree.h: apex_0 at 84.9 C, apex_1 at 91.3 C after two resets,
    # trip points 85/90/95 C.
    by_apex = {t["apex"]: t for t in d["pcie"]}
    assert set(by_apex) == {"apex_0", "apex_1"}
    assert by_apex["apex_0"]["address"] == "0000:01:00.0"
    assert by_apex["apex_0"]["temp_millicelsius"] == 84900
    assert by_apex["apex_0"]["throttled"] is False
    assert by_apex["apex_1"]["temp_millicelsius"] == 91300
    assert by_apex["apex_1"]["throttled"] is True
    assert by_apex["apex_1"]["reset_count"] == 2
    assert by_apex["apex_1"]["trip_points_millicelsius"] == [85000, 90000, 95000]
    assert d["usb"] == []
    assert d["runtime"]["edgetpu"]["loaded"] is False
    assert NO_LIBEDGETPU in d["runtime"]["edgetpu"]["error"]


def test_devices_is_what_the_command_prints(tmp_path):
    root = make_tree("two-tpus", tmp_path)
    assert coralpi.devices(root, edgetpu_lib=NO_LIBEDGETPU) == cli_json(
        "devices", "--root", str(root), "--edgetpu-lib", NO_LIBEDGETPU)


def test_doctor_passes_a_working_pi5(tmp_path):
    report = coralpi.doctor(make_tree("working", tmp_path), user="pi")
    assert report["is_pi5"] is True
    assert report["summary"]["fail"] == 0
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["usb.accelerator"] == "skip"
    assert all(s == "ok" for i, s in statuses.items() if i != "usb.accelerator"), statuses


def test_doctor_finds_what_a_stock_pi5_lacks(tmp_path):
    root = make_tree("stock", tmp_path)
    report = coralpi.doctor(root, user="pi")
    assert report["summary"]["fail"] > 0
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert all(c["message"] for c in failed)
    assert report == cli_json("doctor", "--root", str(root), "--user", "pi")


def test_a_root_that_is_not_a_directory_raises(tmp_path):
    missing = tmp_path / "no-such-tree"
    with pytest.raises(coralpi.Error, match="is not a directory"):
        coralpi.devices(missing)
    with pytest.raises(coralpi.Error, match="is not a directory"):
        coralpi.doctor(missing)


def test_an_unreadable_dmesg_file_raises(tmp_path):
    root = make_tree("working", tmp_path)
    with pytest.raises(coralpi.Error, match="--dmesg"):
        coralpi.doctor(root, user="pi", dmesg=tmp_path / "no-such-log")
