"""The fuzz test runs the real bot exactly as the end-to-end tests do (strict teardown too)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import bot_settings, clock, stretchbot

__all__ = ["bot_settings", "clock", "stretchbot"]


@pytest.fixture
def bot_hold_scale() -> float:
    return 0.01  # a 30 s hold lasts 0.3 s: timers fire during the run
