"""Find Debian's Chromium for the browser tests, installing it with apt when it is missing.

Playwright's own browser download does not work here (no internet but the package mirrors),
so the tests drive the distribution's build, which apt can always fetch.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.apt import AptFailed, apt_install

CHROMIUM = Path("/usr/bin/chromium")
# What Playwright's own launcher would add, minus what the distribution build must not get:
# no sandbox (we may run as root in a container), no GPU, and no traffic to Google's services.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class ChromiumUnavailable(RuntimeError):
    """Chromium is missing and apt could not install it; the message says what apt said."""


def ensure_chromium(path: Path = CHROMIUM) -> Path:
    """Return the Chromium binary, running `apt-get update && apt-get install -y chromium`
    (non-interactive) first when it is not there; the emoji font makes screenshots readable."""
    if path.exists():
        return path
    try:
        apt_install("chromium", "fonts-noto-color-emoji")
    except AptFailed as error:
        raise ChromiumUnavailable(f"{path} is missing; apt could not install it: {error}") from None
    if not path.exists():
        raise ChromiumUnavailable(f"apt installed chromium, but {path} still does not exist")
    return path
