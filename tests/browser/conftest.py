"""Browser fixtures: the demo running in the test's own event loop, and Debian's Chromium
driven by Playwright (async API) on the demo's chat page.

The demo runs in-process, on a free port, in the same loop as Playwright: the page talks to
it over real HTTP while the test can still read the sandbox and the database directly to wait
for the bot precisely (no sleeps) and to check what the page shows against what was sent.
A subprocess would hide that state; a thread would need a second loop and locking for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright

from bot.config import Settings
from bot.content.loader import Content
from bot.demo import Demo
from sandbox.server import DEFAULT_TOKEN
from tests.browser.chat import ChatPage
from tests.browser.chromium import CHROMIUM_ARGS, ChromiumUnavailable, ensure_chromium

HOLD_SCALE = 0.01  # a 30 s hold lasts 0.3 s
PAGE_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium() -> Path:
    try:
        return ensure_chromium()
    except ChromiumUnavailable as error:
        pytest.fail(f"the browser tests need Debian's Chromium: {error}", pytrace=False)


@pytest.fixture
def backend() -> str:
    """The page is what these tests look at: one database backend is enough."""
    return "sqlite"


@pytest.fixture
async def demo(database_url: str, content: Content) -> AsyncIterator[Demo]:
    settings = Settings(
        telegram_bot_token=DEFAULT_TOKEN,
        database_url=database_url,
        default_timezone="UTC",
        dispatch_interval_seconds=0.5,
    )
    async with Demo(settings, content, port=0, hold_scale=HOLD_SCALE) as running:
        yield running


@pytest.fixture
async def browser(chromium: Path, tmp_path: Path) -> AsyncIterator[BrowserContext]:
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",  # fresh for every test
            executable_path=str(chromium),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": 1200, "height": 820},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            await context.close()


@pytest.fixture
async def chat(
    demo: Demo, browser: BrowserContext, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[ChatPage]:
    """The demo page, open on the first person's chat; a screenshot is saved at the end."""
    page: Page = await browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    errors: list[Any] = []
    loads: list[str] = []
    page.on("pageerror", lambda error: errors.append(error))
    page.on("load", lambda loaded: loads.append(loaded.url))
    await page.goto(demo.url)
    await page.wait_for_selector("body[data-ready='true']")
    chat_page = ChatPage(page, demo)
    try:
        yield chat_page
    finally:
        await page.screenshot(path=tmp_path / f"{request.node.name}.png")
    assert not errors, f"the page raised: {errors}"
    assert len(loads) == 1, f"the page reloaded; everything should arrive live: {loads}"
