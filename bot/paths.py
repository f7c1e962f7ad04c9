"""Where the project's data folders (`content/`, `alembic/`, `alembic.ini`) are.

A source checkout (or an editable install) has them beside the `bot` package. An installed
wheel does not: its `bot` lives in site-packages, and the image keeps the folders in its working
directory instead. So: `STRETCHBOT_HOME` if set, else the checkout around this package, else
the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "STRETCHBOT_HOME"
_CHECKOUT = Path(__file__).resolve().parent.parent


def project_home() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    if (_CHECKOUT / "alembic.ini").is_file():
        return _CHECKOUT
    return Path.cwd()
