"""The shipped content, read once per test run.

Content models are frozen, so every test may share one copy: the `content` fixture (root
conftest) and module constants both come from `shipped_content()`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.content.loader import Content, load_content

SHIPPED = Path(__file__).resolve().parents[2] / "content"


@cache
def shipped_content() -> Content:
    """The checkout's `content/` (what the bot ships), validated once; an operator's
    `STRETCHBOT_CONTENT_DIR` does not change what the tests read."""
    return load_content(SHIPPED)
