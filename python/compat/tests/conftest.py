"""Shared fixtures of the compat tests: the test data (CORALPI_TESTDATA_DIR, set by ctest;
skipped when absent), running the example programs, and the fake_tpu marker (the tests that
need the fake libedgetpu, run by the ctest test python_compat_fake_tpu)."""

import os
import pathlib
import subprocess
import sys

import pytest

_HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = _HERE.parent / "examples"
_DEFAULT = _HERE.parents[3] / ".." / "shared" / "testdata"
TESTDATA = pathlib.Path(os.environ.get("CORALPI_TESTDATA_DIR") or _DEFAULT)


def pytest_configure(config):
    config.addinivalue_line("markers", "fake_tpu: needs the fake libedgetpu (FAKE_EDGETPU)")


@pytest.fixture(scope="session")
def testdata():
    """The testdata folder; skips the test when it is not there."""
    if not (TESTDATA / "models").is_dir():
        pytest.skip(f"no test data: {TESTDATA} is absent (clone the shared test data beside "
                    "the checkout or set CORALPI_TESTDATA_DIR)")
    return TESTDATA


def run_example(name, *args, env=None):
    """Runs examples/<name> with this interpreter and PYTHONPATH; returns its stdout and
    fails with its stderr when it fails. Skips without PIL (Debian's python3-pil)."""
    pytest.importorskip("PIL", reason="the examples need PIL: apt-get install python3-pil")
    r = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)],
                       capture_output=True, text=True, env={**os.environ, **(env or {})},
                       timeout=300, check=False)
    assert r.returncode == 0, f"{name} failed:\n{r.stderr}"
    return r.stdout
