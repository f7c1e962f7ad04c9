"""The chat page as a person uses it: click, type, read; waits come from the sandbox's own state.

Every action is done through the page (a real click or key press in Chromium). To know when
the bot has finished reacting, the helper watches the sandbox the demo runs (the bot's answer to
a tap, its new messages), then waits until the page shows every message at its latest version.
So a test never sleeps, and never taps a button the page has not redrawn yet.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import Locator, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bot.demo import Demo
from sandbox.people import ChatMessage, SimUser
from sandbox.state import CallbackAnswer

TIMEOUT = 10.0
SCREEN_CHANGE_SECONDS = 3.0  # a tap answered before its edit: the edit waits its turn
_SYNCED = """(expected) => {
  const shown = [...document.querySelectorAll('#messages .msg')].map(
    (node) => [Number(node.dataset.messageId), Number(node.dataset.version)]);
  return JSON.stringify(shown) === JSON.stringify(expected);
}"""


def exactly(label: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(label)}\s*$")


class ChatPage:
    def __init__(self, page: Page, demo: Demo) -> None:
        self.page = page
        self.demo = demo

    # Who and what ---------------------------------------------------------------------------
    @property
    def user_id(self) -> int:
        match = re.search(r"#chat=(\d+)", self.page.url)
        assert match is not None, f"no chat open: {self.page.url}"
        return int(match.group(1))

    @property
    def person(self) -> SimUser:
        """The sandbox's view of the person whose chat is open."""
        return self.demo.sandbox.existing_user(self.user_id)

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator("#messages .msg.bot")

    @property
    def my_messages(self) -> Locator:
        return self.page.locator("#messages .msg.me")

    @property
    def last_bot_message(self) -> Locator:
        return self.bot_messages.last

    def inline_button(self, label: str) -> Locator:
        """The newest inline button with exactly this label."""
        return self.page.locator("#messages .inline-button").filter(has_text=exactly(label)).last

    def bot_labels(self, message: ChatMessage | None = None) -> list[str]:
        seen = message or self.person.last_bot_message()
        assert seen is not None, "the bot has not written yet"
        return seen.button_labels

    # Waiting --------------------------------------------------------------------------------
    async def synced(self) -> None:
        """Wait until the page shows exactly the sandbox's messages, each at its latest version."""
        deadline = time.monotonic() + TIMEOUT
        while True:  # the bot may still be writing: compare against its newest state each round
            expected = [[m.message_id, m.version] for m in self.person.chat()]
            try:
                await self.page.wait_for_function(_SYNCED, arg=expected, timeout=250)
                return
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    shown = await self.page.locator("#messages").inner_text()
                    raise AssertionError(
                        f"the page does not show the chat as sent; the page shows:\n{shown}\n"
                        f"the sandbox has:\n{self.person.transcript()}"
                    ) from None

    async def wait_for_bot(self, check: Callable[[ChatMessage], bool]) -> ChatMessage:
        """Wait in the sandbox until the newest bot message passes `check`, then for the page."""
        person = self.person

        def newest_matches() -> bool:
            message = person.last_bot_message()
            return message is not None and check(message)

        await person.wait_until(newest_matches, TIMEOUT)
        await self.synced()
        found = person.last_bot_message()
        assert found is not None
        return found

    async def wait_for_text(self, fragment: str) -> ChatMessage:
        return await self.wait_for_bot(lambda message: fragment in (message.text or ""))

    # Acting ---------------------------------------------------------------------------------
    async def tap(self, label: str) -> CallbackAnswer:
        """Click an inline button; wait for the bot's answer to the tap and for the page."""
        await self.answered_after(lambda: self.inline_button(label).click())
        return self.person.callback_answers[-1]

    async def answered_after(self, act: Callable[[], Awaitable[object]]) -> None:
        """Do `act` (a click or a key), wait for the tap's answer and, when it came without a
        notice, for the screen to change: under Telegram's pacing the bot answers a tap before
        its edit when the edit must wait for the chat's turn, and a person waits for the edit."""
        person = self.person
        answered = len(person.callback_answers)
        before = self._screen_state()
        await act()
        await person.wait_until(lambda: len(person.callback_answers) > answered, TIMEOUT)
        if person.callback_answers[-1].text is None:
            with contextlib.suppress(TimeoutError):
                await person.wait_until(
                    lambda: self._screen_state() != before, SCREEN_CHANGE_SECONDS
                )
        await self.synced()

    def _screen_state(self) -> tuple[int, int]:
        """How many bot messages there are and their versions' sum: any edit or send moves it."""
        mine = self.person.bot_messages()
        return len(mine), sum(message.version for message in mine)

    async def type(self, text: str, replies: int = 1) -> None:
        """Type into the message box and press Enter; wait for `replies` new bot messages."""
        person = self.person
        before = len(person.bot_messages())
        await self.page.get_by_label("Message", exact=True).fill(text)
        await self.page.keyboard.press("Enter")
        await person.wait_until(lambda: len(person.bot_messages()) >= before + replies, TIMEOUT)
        await self.synced()

    async def command(self, name: str, replies: int = 1) -> None:
        """Send a command from the bot's menu (the "Menu" button beside the message box)."""
        person = self.person
        before = len(person.bot_messages())
        await self.page.get_by_role("button", name="☰ Menu").click()
        await self.page.get_by_role("menuitem").filter(has_text=f"/{name}").first.click()
        await person.wait_until(lambda: len(person.bot_messages()) >= before + replies, TIMEOUT)
        await self.synced()

    async def screenshot(self, path: Path) -> Path:
        await self.page.screenshot(path=path)
        return path

    async def expect_last_bot_text(self, fragment: str) -> None:
        await expect(self.last_bot_message.locator(".text")).to_contain_text(fragment)
