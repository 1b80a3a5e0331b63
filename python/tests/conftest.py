"""Shared fixtures: where ../shared/testdata is (CORALPI_TESTDATA_DIR, set by ctest), and
skipping the tests that need it when it is absent."""

import os
import pathlib

import pytest

_DEFAULT = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata"
TESTDATA = pathlib.Path(os.environ.get("CORALPI_TESTDATA_DIR") or _DEFAULT)


@pytest.fixture(scope="session")
def testdata():
    """The testdata folder; skips the test when it is not there."""
    if not (TESTDATA / "models").is_dir():
        pytest.skip(f"no test data: {TESTDATA} is absent (clone the shared test data beside "
                    "the checkout or set CORALPI_TESTDATA_DIR)")
    return TESTDATA
