"""Install a Debian package for a test that needs a tool the image may lack (Chromium, compose).

The machines that run the suite reach the package mirrors but not the rest of the internet, so
apt is the one way to fetch such tools; both callers say what apt said when it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess

APT_TIMEOUT_SECONDS = 900


class AptFailed(RuntimeError):
    """apt is missing, did not finish, or failed; the message carries the tail of its output."""


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def apt_install(*packages: str) -> None:
    """`apt-get update` then `apt-get install -y PACKAGES`, non-interactive; raise AptFailed."""
    apt = shutil.which("apt-get")
    if apt is None:
        raise AptFailed("there is no apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt, "update"], [apt, "install", "-y", *packages]):
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
            raise AptFailed(f"`{' '.join(command)}` did not finish: {error}") from None
        if result.returncode != 0:
            raise AptFailed(
                f"`{' '.join(command)}` failed with exit status {result.returncode} "
                f"(running as root?):\n{_tail(result.stderr or result.stdout)}"
            )
