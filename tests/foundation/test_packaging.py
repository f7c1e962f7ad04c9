"""Compose and Dockerfile describe the deployment the README promises."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _compose_plugin_available() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run(
        [docker, "compose", "version"], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _compose_plugin_available(), reason="no docker compose client here")
def test_docker_compose_config_is_valid() -> None:
    result = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_bot_waits_for_a_healthy_postgres_and_restarts() -> None:
    services = _compose()["services"]
    db, bot = services["db"], services["bot"]
    assert db["image"].startswith("postgres:16")
    assert "healthcheck" in db
    assert any(volume.startswith("pgdata:") for volume in db["volumes"])
    assert "pgdata" in _compose()["volumes"]
    assert bot["build"] == "."
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["restart"] == "unless-stopped"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@db:5432/" in bot["environment"]["DATABASE_URL"]
    assert bot["env_file"] == ".env"


def test_dockerfile_installs_the_package_like_the_makefile() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install" in dockerfile and "-e ." in dockerfile
    assert "pip install --quiet -e '.[dev]'" in makefile
    copied = " ".join(line for line in dockerfile.splitlines() if line.startswith("COPY "))
    for needed in ("pyproject.toml", "alembic.ini", "alembic", "content", "bot"):
        assert f" {needed} " in f"{copied} ", f"the image lacks {needed}"
    assert 'CMD ["stretchbot", "run"]' in dockerfile


def test_the_bot_container_is_healthy_only_when_ready() -> None:
    bot = _compose()["services"]["bot"]
    port = bot["environment"]["METRICS_PORT"]
    probe = " ".join(bot["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/readyz" in probe
    assert bot["environment"]["METRICS_HOST"] == "0.0.0.0"
