"""Fixtures for the content tests: a content folder built from one broken-fixture case.

Each case under `fixtures/<case>/` holds only the stretches and routines files it breaks; the
shipped `safety.yaml` is copied next to them, so a case never drifts from the real safety file
and the issues listed are exactly those the case was written to cause.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .paths import FIXTURES, SHIPPED


@pytest.fixture
def case_dir(tmp_path: Path) -> Callable[[str], Path]:
    """Returns a function: case name -> a temporary content folder for that case."""

    def build(case: str) -> Path:
        folder = tmp_path / case
        shutil.copytree(FIXTURES / case, folder)
        shutil.copy(SHIPPED / "safety.yaml", folder / "safety.yaml")
        return folder

    return build
