"""A person's side of a conversation, recorded as they see it, plus the onboarding path.

`Walkthrough` wraps a sandbox person: every message, tap and shared location waits for the
bot's reaction and appends what changed in the chat (new messages, messages edited in place,
keyboards) to `lines`, so a failing test can print the conversation and a run can save it as a
transcript.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.db import subscribers
from bot.db.models import Subscriber
from sandbox.people import ChatMessage, SimUser
from sandbox.state import CallbackAnswer
from tests.e2e.conftest import RunningBot

SCREEN_CHANGE_SECONDS = 3.0
"""How long a tap answered without a notice may take to change the screen (a second per chat
under Telegram's pacing, plus slack for a loaded machine)."""


class Walkthrough:
    def __init__(self, person: SimUser) -> None:
        self.person = person
        self.lines: list[str] = []
        self._versions: dict[int, int] = {}

    # Acting --------------------------------------------------------------------------------
    async def send(self, text: str, replies: int = 1) -> list[ChatMessage]:
        """Type `text` and wait for `replies` new bot messages."""
        self.lines.append(f"{self.person.first_name}: {text}")
        await self.person.send(text)
        messages = [await self.person.next_message() for _ in range(replies)]
        self._record()
        return messages

    async def tap(self, label: str, message: ChatMessage | int | None = None) -> CallbackAnswer:
        """Tap a button (on the newest message having it) and wait for the bot's answer."""
        self.lines.append(f"{self.person.first_name} taps [{label}]")
        before = self._screen_state()
        tap = await self.person.tap(label, message=message)
        answer = await tap.answered()
        if answer.text is None:
            # Under Telegram's pacing the bot answers a tap before its edit when the edit must
            # wait for the chat's turn: look at the screen once it changed, as a person would.
            with contextlib.suppress(TimeoutError):
                await self.person.wait_until(
                    lambda: self._screen_state() != before, timeout=SCREEN_CHANGE_SECONDS
                )
        self._record()
        if answer.text:
            self.lines.append(f"    (the tapped button answers: {answer.text})")
        return answer

    async def share_location(self, latitude: float, longitude: float, replies: int) -> None:
        self.lines.append(f"{self.person.first_name} shares a location ({latitude}, {longitude})")
        await self.person.share_location(latitude, longitude)
        for _ in range(replies):
            await self.person.next_message()
        self._record()

    # Reading -------------------------------------------------------------------------------
    def _screen_state(self) -> tuple[int, int]:
        """How many bot messages there are and their versions' sum: any edit or send moves it."""
        mine = self.person.bot_messages()
        return len(mine), sum(message.version for message in mine)

    @property
    def screen(self) -> ChatMessage:
        """The newest bot message, as it looks now."""
        message = self.person.last_bot_message()
        assert message is not None, "the bot has not written yet"
        return message

    def transcript(self) -> str:
        return "\n".join(self.lines) + "\n"

    def save(self, path: Path, title: str) -> None:
        path.write_text(f"{title}\n{'=' * len(title)}\n\n{self.transcript()}", encoding="utf-8")

    def _record(self) -> None:
        for message in self.person.chat():
            if not message.from_bot or self._versions.get(message.message_id) == message.version:
                continue
            edited = message.message_id in self._versions
            self._versions[message.message_id] = message.version
            self.lines.append(_render(message, edited))
        self.person.mark_read()


def _render(message: ChatMessage, edited: bool) -> str:
    who = f"Bot (edits message #{message.message_id})" if edited else "Bot"
    body = "\n".join(f"    {line}" for line in (message.text or "").splitlines())
    parts = [f"{who}:", body]
    for row in message.buttons:
        parts.append("    " + " ".join(f"[{button.text}]" for button in row))
    if message.reply_keyboard:
        keys = " ".join(f"[{key}]" for row in message.reply_keyboard for key in row)
        parts.append(f"    keyboard under the input field: {keys}")
    if message.removes_keyboard:
        parts.append("    (the keyboard under the input field goes away)")
    if message.document_name:
        parts.append(f"    file: {message.document_name}")
    return "\n".join(part for part in parts if part)


def text_of(message: ChatMessage | None) -> str:
    return (message.text or "") if message is not None else ""


async def subscriber_of(bot: RunningBot, person: SimUser) -> Subscriber | None:
    async with bot.services.db() as db:
        return await subscribers.get_by_user_id(db, person.id)


async def through_screening(walk: Walkthrough) -> None:
    """/start, the safety note and four "No" answers: up to the time zone step."""
    await walk.send("/start")
    await walk.tap("✅ I understand")
    for _ in range(4):
        await walk.tap("No")


async def onboard(walk: Walkthrough, *, zone: str = "Berlin", clock: str = "07:30") -> None:
    """The shortest path through onboarding, by taps only, with the defaults for the rest."""
    await through_screening(walk)
    await walk.tap(zone)
    await walk.tap(clock)
    await walk.tap("Done ✓")  # Monday to Friday
    await walk.tap("▫️ Hamstrings")
    await walk.tap("Done ✓")
    await walk.tap("🌱 Beginner: new to it")
    await walk.tap("10 min")


async def onboard_in_german(walk: Walkthrough) -> None:
    """`onboard` for a person whose Telegram speaks German: the same choices, German buttons."""
    await walk.send("/start")
    await walk.tap("✅ Verstanden")
    for _ in range(4):
        await walk.tap("Nein")
    await walk.tap("Berlin")
    await walk.tap("07:30")
    await walk.tap("Fertig ✓")  # Monday to Friday
    await walk.tap("▫️ Oberschenkelrückseite")
    await walk.tap("Fertig ✓")
    await walk.tap("🌱 Einsteiger: ganz neu dabei")
    await walk.tap("10 Min.")
