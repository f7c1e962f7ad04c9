"""Where the shipped content and the broken-fixture cases live, for the content tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = Path("/work/shared/seeds")
