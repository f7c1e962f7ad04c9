"""Installed as a wheel (as the image does), not editable, the bot still finds content/ and
the migrations (from STRETCHBOT_HOME, or from the working directory) and speaks every language:
a catalog missing from the wheel would not fail, the bot would quietly fall back to English."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import bot
assert bot.__file__.startswith(sys.argv[1]), bot.__file__
from bot.content.loader import load_content
from bot.health import alembic_heads
from bot.db.migrate import upgrade
from bot.domain.parsing import parse_zone
assert parse_zone("Munich").key == "Europe/Berlin"  # places.toml ships in the wheel
from bot.i18n import LANGUAGES, catalog
from bot.i18n.content import content_text
for language in LANGUAGES[1:]:  # both catalogs of each language ship in the wheel
    assert catalog(language).gettext("Unsubscribe") != "Unsubscribe", language
    assert content_text("Seated forward fold", language) != "Seated forward fold", language
content = load_content()
upgrade("sqlite+aiosqlite:///" + sys.argv[2])
print(len(content.routines), sorted(alembic_heads()))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "-w", str(work), str(ROOT)], check=True, capture_output=True)
    (wheel,) = work.glob("stretchbot-*.whl")
    target = work / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    assert not (target / "content").exists() and not (target / "alembic").exists()
    return target


def home(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    for name in ("content", "alembic"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "alembic.ini", folder / "alembic.ini")
    return folder


@pytest.mark.parametrize("how", ["STRETCHBOT_HOME", "working directory"])
def test_an_installed_wheel_finds_content_and_migrations(
    site: Path, tmp_path: Path, how: str
) -> None:
    app = home(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRETCHBOT_")}
    cwd = tmp_path
    if how == "STRETCHBOT_HOME":
        env["STRETCHBOT_HOME"] = str(app)
    else:
        cwd = app
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(site), str(tmp_path / "x.db")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    routines, heads = result.stdout.split(" ", 1)
    assert int(routines) > 0 and heads.strip() != "[]"
    assert (tmp_path / "x.db").exists()
