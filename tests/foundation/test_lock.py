"""The lock files agree with pyproject.toml, so `make`, the Dockerfile and CI install what the
project asks for, pinned and hashed. After changing dependencies, run `make lock`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


@dataclass
class Pin:
    version: str
    hashes: int = 0
    via: set[str] = field(default_factory=set)


def read_lock(path: Path) -> dict[str, Pin]:
    """Name -> pinned version, hash count and what asked for it (uv's `# via` notes)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = pins[canonicalize_name(match[1])] = Pin(match[2])
        elif current is None:
            continue
        elif "--hash=sha256:" in line:
            current.hashes += 1
        elif line.strip().startswith("# via"):
            rest = line.strip().removeprefix("# via").strip()
            if rest:
                current.via.add(rest)
        elif line.strip().startswith("#   "):
            current.via.add(line.strip().removeprefix("#").strip())
    return pins


def project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build = [
        Requirement(line)
        for line in (LOCKS / "build.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return {
        "main": [Requirement(r) for r in data["dependencies"]],
        "dev": [Requirement(r) for r in data["optional-dependencies"]["dev"]],
        "build": build,
    }


def _direct(pins: dict[str, Pin]) -> set[str]:
    return {name for name, pin in pins.items() if "stretchbot (pyproject.toml)" in pin.via}


@pytest.mark.parametrize(
    ("lock", "groups"), [("main.lock", ("main", "build")), ("dev.lock", ("main", "dev", "build"))]
)
def test_every_requirement_is_pinned_within_its_range_and_hashed(
    lock: str, groups: tuple[str, ...]
) -> None:
    pins = read_lock(LOCKS / lock)
    wanted = [requirement for group in groups for requirement in project()[group]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements/{lock}: run `make lock`"
        version = pins[name].version
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{lock} pins {name}=={version}, outside {requirement}: run `make lock`"
        )
    assert all(pin.hashes for pin in pins.values()), "every pin needs its hashes"


@pytest.mark.parametrize(
    ("lock", "groups"), [("main.lock", ("main",)), ("dev.lock", ("main", "dev"))]
)
def test_the_lock_asks_for_nothing_pyproject_dropped(lock: str, groups: tuple[str, ...]) -> None:
    direct = _direct(read_lock(LOCKS / lock))
    declared = {
        canonicalize_name(requirement.name) for group in groups for requirement in project()[group]
    }
    assert direct == declared, "pyproject.toml and the lock disagree: run `make lock`"


def test_the_image_has_no_development_tools() -> None:
    main = read_lock(LOCKS / "main.lock")
    for requirement in project()["dev"]:
        assert canonicalize_name(requirement.name) not in main


def test_the_makefile_and_the_dockerfile_install_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LOCK)" in makefile and "LOCK := requirements/dev.lock" in makefile
    assert "--require-hashes -r requirements/main.lock" in dockerfile
    assert "lock:" in makefile
