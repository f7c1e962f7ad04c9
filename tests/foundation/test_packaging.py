"""Compose and Dockerfile describe the deployment the README promises."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import IN_CI
from tests.foundation.compose_client import ComposeUnavailable, ensure_compose

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def compose() -> list[str]:
    """A compose client: the one installed, or Debian's docker-compose installed now."""
    try:
        return ensure_compose()
    except ComposeUnavailable as error:
        if IN_CI:
            pytest.fail(f"CI=true requires a compose client: {error}", pytrace=False)
        pytest.skip(str(error))


def test_docker_compose_config_is_valid(compose: list[str], tmp_path: Path) -> None:
    """The whole file, every profile, as a compose client reads it (no engine needed)."""
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123456:test\n", encoding="utf-8")
    for extra in _referenced_files():
        target = tmp_path / extra
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / extra).is_dir():
            shutil.copytree(ROOT / extra, target, dirs_exist_ok=True)
        elif (ROOT / extra).exists():
            shutil.copy(ROOT / extra, target)
    profiles = sorted(
        {p for service in _compose()["services"].values() for p in service.get("profiles", [])}
    )
    for profile in ["", *profiles]:
        env = {**os.environ, "COMPOSE_PROFILES": profile}
        result = subprocess.run(
            [*compose, "-f", "docker-compose.yml", "config", "-q"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"profile {profile or '(default)'}: {result.stderr}"


def _referenced_files() -> list[str]:
    """Files the compose file mounts or builds from (nginx config, say), relative to ROOT."""
    found: list[str] = []
    for service in _compose()["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else ""
            if source.startswith("./"):
                found.append(source[2:])
    return found


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


def test_dockerfile_installs_the_locked_wheel_not_an_editable_tree() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line.split()[0] for line in dockerfile.splitlines() if line[:1].isupper()]
    assert " -e " not in dockerfile and "--editable" not in dockerfile
    assert "--require-hashes -r requirements/main.lock" in dockerfile
    assert "pip wheel" in dockerfile and "--no-deps /wheels/*.whl" in dockerfile
    copied = " ".join(line for line in dockerfile.splitlines() if line.startswith("COPY "))
    for needed in ("pyproject.toml", "alembic.ini", "alembic", "content", "bot", "sandbox"):
        assert f" {needed} " in f"{copied} ", f"the image lacks {needed}"
    assert "STRETCHBOT_HOME=/app" in dockerfile  # where bot.paths finds content/ and alembic/
    assert 'CMD ["stretchbot", "run"]' in dockerfile
    assert "HEALTHCHECK" in instructions and "/readyz" in dockerfile
    assert "USER stretchbot" in dockerfile


def test_the_base_image_is_pinned() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = dockerfile.splitlines()
    (image,) = {line.split("=", 1)[1] for line in lines if "PYTHON_IMAGE=" in line}
    name, tag = image.split(":")
    assert name == "python" and tag.count(".") == 2 and tag.endswith(("-bookworm", "-trixie"))
    assert all(
        line.split()[1] == "${PYTHON_IMAGE}"
        for line in dockerfile.splitlines()
        if line.startswith("FROM ")
    )


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", ".env", "*.db", "tests"):
        assert entry in ignored


def test_the_bot_container_is_healthy_only_when_ready() -> None:
    bot = _compose()["services"]["bot"]
    port = bot["environment"]["METRICS_PORT"]
    probe = " ".join(bot["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/readyz" in probe
    assert bot["environment"]["METRICS_HOST"] == "0.0.0.0"


def test_the_scale_profile_puts_nginx_before_two_workers_and_a_dispatcher() -> None:
    services = _compose()["services"]
    scaled = {name for name, service in services.items() if "scale" in service.get("profiles", [])}
    assert scaled == {"migrate", "worker-1", "worker-2", "dispatcher", "proxy"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]
    for name in ("worker-1", "worker-2"):
        assert services[name]["command"] == ["stretchbot", "run", "--webhook", "--role", "worker"]
        assert "@db:5432/" in services[name]["environment"]["DATABASE_URL"]
    assert services["dispatcher"]["command"] == ["stretchbot", "run", "--role", "dispatcher"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for name in ("worker-1", "worker-2"):
        assert f"server {name}:8080" in nginx, "nginx balances over both workers"
    assert "proxy_next_upstream" in nginx, "a dead worker is skipped"
