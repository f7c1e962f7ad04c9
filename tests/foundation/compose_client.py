"""A compose client to validate docker-compose.yml with, installed from Debian when missing.

There is no container engine here; `config` only parses, interpolates and checks the file
against the Compose specification, which every client does without a daemon.
"""

from __future__ import annotations

import shutil
import subprocess

from tests.support.apt import AptFailed, apt_install


class ComposeUnavailable(RuntimeError):
    """No compose client, and apt could not install one; the message says what apt said."""


def _works(command: list[str]) -> bool:
    try:
        probe = subprocess.run([*command, "version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def find_compose() -> list[str] | None:
    """`docker compose` (the plugin), `docker-compose` or `podman-compose`, if one works."""
    candidates: list[list[str]] = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    for name in ("docker-compose", "podman-compose"):
        if shutil.which(name):
            candidates.append([name])
    return next((command for command in candidates if _works(command)), None)


def ensure_compose() -> list[str]:
    """A working compose command; `apt-get update` then `apt-get install -y docker-compose`
    (non-interactive) first when there is none."""
    found = find_compose()
    if found is not None:
        return found
    try:
        apt_install("docker-compose")
    except AptFailed as error:
        raise ComposeUnavailable(f"no compose client; apt could not install one: {error}") from None
    found = find_compose()
    if found is None:
        raise ComposeUnavailable("apt installed docker-compose, but it does not run")
    return found
