"""Find Debian's Chromium for the browser tests, installing it with apt when it is missing.

Playwright's own browser download does not work here (no internet but the package mirrors),
so the tests drive the distribution's build, which apt can always fetch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
APT_TIMEOUT_SECONDS = 900
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


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def ensure_chromium(path: Path = CHROMIUM) -> Path:
    """Return the Chromium binary, running `apt-get update && apt-get install -y chromium`
    (non-interactive) first when it is not there; the emoji font makes screenshots readable."""
    if path.exists():
        return path
    apt = shutil.which("apt-get")
    if apt is None:
        raise ChromiumUnavailable(f"{path} is missing and there is no apt-get to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt, "update"], [apt, "install", "-y", "chromium", "fonts-noto-color-emoji"]):
        try:
            result = subprocess.run(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=APT_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ChromiumUnavailable(f"`{' '.join(command)}` did not finish: {error}") from None
        if result.returncode != 0:
            raise ChromiumUnavailable(
                f"`{' '.join(command)}` failed with exit status {result.returncode} "
                f"(running as root?):\n{_tail(result.stderr or result.stdout)}"
            )
    if not path.exists():
        raise ChromiumUnavailable(f"apt installed chromium, but {path} still does not exist")
    return path
