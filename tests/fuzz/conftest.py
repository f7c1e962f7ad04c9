"""The fuzz test runs the real bot exactly as the end-to-end tests do (strict teardown too)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chat.timers import HOLD_SCALE_KEY
from tests.e2e.conftest import bot_settings, clock, stretchbot

__all__ = ["bot_settings", "clock", "stretchbot"]


@pytest.fixture
def bot_extras() -> dict[str, Any]:
    return {HOLD_SCALE_KEY: 0.01}  # a 30 s hold lasts 0.3 s: timers fire during the run
