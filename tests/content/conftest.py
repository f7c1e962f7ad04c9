"""Fixtures for the content tests: a content folder built from one broken-fixture case.

Each case under `fixtures/<case>/` holds only the stretches and routines files it breaks; the
shipped `safety.yaml`, `symptoms.yaml` and language lexicons (`symptoms.<lang>.yaml`) are copied
next to them (unless the case breaks one of those), so a case never drifts from the real files
and the issues listed are exactly those the case was written to cause.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.symptoms import LEXICON_LANGUAGES, lexicon_file

from .paths import FIXTURES, SHIPPED

#: The files every case shares with the shipped content unless it brings its own.
SHARED_FILES = ("safety.yaml", "symptoms.yaml", *(lexicon_file(lang) for lang in LEXICON_LANGUAGES))


@pytest.fixture
def case_dir(tmp_path: Path) -> Callable[[str], Path]:
    """Returns a function: case name -> a temporary content folder for that case."""

    def build(case: str) -> Path:
        folder = tmp_path / case
        shutil.copytree(FIXTURES / case, folder)
        for name in SHARED_FILES:
            if not (folder / name).exists():
                shutil.copy(SHIPPED / name, folder / name)
        return folder

    return build
