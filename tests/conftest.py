"""Shared fixtures. Real public data lives in ../shared/data beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite runs property tests with a fixed seed so a landing does not depend on luck;
# `make fuzz` explores with fresh random examples (HYPOTHESIS_PROFILE=explore) to find new cases.
settings.register_profile("default", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()


def shared(*parts: str) -> Path:
    """Path into ../shared/data; skips the test with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (needs ../shared/data beside the checkout)")
    return path


@pytest.fixture
def study(tmp_path):
    from tiplens.store import Study

    with Study(tmp_path / "study.duckdb") as s:
        yield s
