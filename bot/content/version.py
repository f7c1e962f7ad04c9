"""A short fingerprint of the content folder, so an operator can tell which content is live."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.content.loader import default_content_dir


def content_version(directory: Path | None = None) -> str:
    """The first 12 hex digits of a SHA-256 over every YAML file's name and bytes."""
    root = directory or default_content_dir()
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.y*ml")):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
