"""`stretchbot content check` and `content show`: what a content author runs after editing YAML.

Both return a process exit code so the CLI (and CI) can fail on broken content.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.loader import Content, load_content
from bot.content.preview import render_routine


def _load(directory: Path | None) -> Content | None:
    try:
        return load_content(directory)
    except ContentError as exc:
        for issue in exc.issues:
            print(issue)
        return None


def check(directory: Path | None = None) -> int:
    """Validate the content folder: 0 and a one-line summary, or 1 and every issue, one a line."""
    content = _load(directory)
    if content is None:
        return 1
    print(f"content OK: {len(content.stretches)} stretches, {len(content.routines)} routines")
    return 0


def show(routine_id: str, directory: Path | None = None) -> int:
    """Print one routine as a person would read it; 1 if the id is unknown or content broken."""
    content = _load(directory)
    if content is None:
        return 1
    routine = content.routines.get(routine_id)
    if routine is None:
        close = difflib.get_close_matches(routine_id, list(content.routines), n=3)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        print(f"unknown routine '{routine_id}'{hint}")
        return 1
    print(render_routine(routine, content.stretches))
    return 0
