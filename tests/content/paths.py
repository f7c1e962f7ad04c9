"""Where the shipped content and the broken-fixture cases live, for the content tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The source articles sit in shared/ beside the clone (CI and developers' machines alike).
SEEDS = next(
    (
        candidate
        for candidate in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds"))
        if candidate.is_dir()
    ),
    REPO.parent / "shared" / "seeds",
)
