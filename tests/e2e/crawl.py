"""Every button of a screen, tapped as a stranger would: once, twice at once, on a message that
is gone, and on one Telegram no longer shows the bot (older than 48 h).

A `Screen` says how a fresh person gets to one bot message with buttons. `crawl` reads the
buttons off that message and, for each, lets four fresh people reach the same screen: one taps
once (the reference), one taps twice within a millisecond, one taps and deletes the message
before the bot acts, and one taps a copy the bot can no longer see. The last three must end
where the reference did: the same new messages, the tapped message showing the same (or, when
it is gone or out of reach, that screen sent anew), one answer per tap, no apology. The strict
sandbox fails the test at teardown on any refusal other than the one edit of a deleted message
the bot cannot know about, and on any logged traceback.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bot.chat.texts import common as common_texts
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, current, subscribe

Reach = Callable[[RunningBot, SimUser], Awaitable[ChatMessage]]
Label = str | Callable[[ChatMessage], str]

GONE = "message to edit not found"
"""Telegram's refusal of an edit of a deleted message: the bot cannot know before it tries."""


@dataclass(frozen=True)
class Screen:
    """One screen a person can reach, and how. `skip` names buttons checked elsewhere, with
    the reason in a comment where the screen is listed."""

    name: str
    reach: Reach
    skip: frozenset[str] = field(default_factory=frozenset)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Seen:
    """What a tap left in the chat: the tapped message now (None: deleted), the new messages,
    the answers to the taps."""

    tapped: tuple[str, tuple[str, ...]] | None
    new: list[tuple[str, tuple[str, ...]]]
    answers: list[str | None]


_DIGITS = re.compile(r"\d+")


def shown(message: ChatMessage) -> tuple[str, tuple[str, ...]]:
    """A message as a person reads it, with numbers blurred (countdowns, dates, ids move on)."""
    text = _DIGITS.sub("#", message.text or "")
    return text, tuple(_DIGITS.sub("#", label) for label in message.button_labels)


def apologies() -> tuple[str, ...]:
    return (common_texts.something_went_wrong(), common_texts.notes_unreachable_tap())


def assert_no_apology(person: SimUser) -> None:
    said = [m.text or "" for m in person.bot_messages()]
    said += [a.text or "" for a in person.callback_answers]
    for sorry in apologies():
        assert not any(sorry in line for line in said), person.transcript()


class Crawler:
    """Fresh people for one screen; `bot` is shared by all of them."""

    def __init__(self, bot: RunningBot, screen: Screen) -> None:
        self.bot = bot
        self.screen = screen
        self._count = 0

    def fresh(self) -> SimUser:
        self._count += 1
        return self.bot.sandbox.user("Alex", language_code="en")

    async def labels(self) -> list[str]:
        message = await self.screen.reach(self.bot, self.fresh())
        return [label for label in message.button_labels if label not in self.screen.skip]

    async def settle(self) -> None:
        assert await self.bot.sandbox.settle(TIMEOUT), self.bot.sandbox.problems()

    async def _after(
        self, person: SimUser, message: ChatMessage, answers: Iterable[str | None]
    ) -> Seen:
        await self.settle()
        now = person.message(message.message_id)
        new = [shown(m) for m in person.bot_messages() if m.message_id > message.message_id]
        blurred = [_DIGITS.sub("#", a) if a else a for a in answers]
        return Seen(shown(now) if now is not None else None, new, blurred)

    async def once(self, label: str) -> tuple[ChatMessage, Seen]:
        person = self.fresh()
        message = await self.screen.reach(self.bot, person)
        tap = await person.tap(label, message=message)
        answer = await tap.answered(TIMEOUT)
        seen = await self._after(person, message, [answer.text])
        assert_no_apology(person)
        return message, seen

    async def twice(self, label: str) -> Seen:
        person = self.fresh()
        message = await self.screen.reach(self.bot, person)
        taps = await person.double_tap(label, message=message)
        answers = [(await tap.answered(TIMEOUT)).text for tap in taps]
        seen = await self._after(person, message, answers)
        assert_no_apology(person)
        return seen

    async def gone(self, label: str) -> Seen:
        person = self.fresh()
        message = await self.screen.reach(self.bot, person)
        tap = await person.tap_then_delete(label, message=message)
        answer = await tap.answered(TIMEOUT)
        seen = await self._after(person, message, [answer.text])
        assert_no_apology(person)
        return seen

    async def out_of_reach(self, label: str) -> tuple[ChatMessage, Seen]:
        person = self.fresh()
        message = await self.screen.reach(self.bot, person)
        tap = await person.tap_inaccessible(label, message=message)
        answer = await tap.answered(TIMEOUT)
        seen = await self._after(person, message, [answer.text])
        assert_no_apology(person)
        return message, seen


def by_command(command: str, button: str | None = None, routine: str | None = None) -> Reach:
    """A subscriber (today's routine: `routine`, else the seated progression) sends `command`
    and gets a message with buttons (`button` among them)."""

    async def reach(bot: RunningBot, person: SimUser) -> ChatMessage:
        await subscribe(bot, person, routine or "seated_progression")
        return await send_for(person, command, button)

    return reach


async def send_for(person: SimUser, command: str, button: str | None = None) -> ChatMessage:
    """Send `command`; the newest message with buttons (`button` among them) it brings."""
    await person.send(command)
    return await person.wait_for_message(
        lambda m: bool(m.buttons) and (button is None or button in m.button_labels),
        timeout=TIMEOUT,
    )


def then_tap(first: Reach, *labels: Label) -> Reach:
    """`first`, then a tap on each of `labels` in turn: the screen the last tap shows, in
    place or as a new message (a label may be picked off the message, as a hold's is)."""

    async def reach(bot: RunningBot, person: SimUser) -> ChatMessage:
        message = await first(bot, person)
        for label in labels:
            named = label if isinstance(label, str) else label(message)
            tap = await person.tap(named, message=message)
            await tap.answered(TIMEOUT)
            assert await bot.sandbox.settle(TIMEOUT)
            newest = person.last_bot_message()
            assert newest is not None
            if newest.message_id > message.message_id:
                message = newest
            else:
                message = await current(person, message)
        return message

    return reach


def _sent_anew(before: ChatMessage, reference: Seen, seen: Seen, label: str, how: str) -> None:
    """`seen` (after a tap on a message the bot could not edit) shows what the reference's
    tapped message came to show, as a new message, plus the reference's own new messages."""
    expected = list(reference.new)
    edited = reference.tapped is not None and reference.tapped != shown(before)
    if edited and reference.tapped is not None and reference.tapped[1]:
        # A screen with buttons: it must come back. One that only lost its buttons (a card
        # after Start) or became a bare line has done its job; sending it again is optional.
        expected.insert(0, reference.tapped)
    missing = [m for m in expected if m not in seen.new]
    assert not missing, f"[{label}] {how}: missing {missing}\nreference {reference}\nseen {seen}"
    if not reference.new and not edited and reference.answers[0] is None:
        return  # the reference itself showed nothing new (a no-op): nothing to compare
    assert seen.new or seen.answers[0], f"[{label}] {how}: the person saw nothing\n{seen}"


async def crawl(bot: RunningBot, screen: Screen) -> list[str]:
    """Run the four taps on every button of `screen`; returns the labels checked."""
    bot.sandbox.expect_refusal("editMessageText", description=GONE)
    bot.sandbox.expect_refusal("editMessageReplyMarkup", description=GONE)
    crawler = Crawler(bot, screen)
    labels = await crawler.labels()
    assert labels, f"{screen} shows no buttons"
    for label in labels:
        before, reference = await crawler.once(label)
        double = await crawler.twice(label)
        assert double.tapped == reference.tapped, (label, "double tap", reference, double)
        assert double.new == reference.new, (label, "double tap", reference, double)
        assert double.answers[0] == reference.answers[0], (label, reference, double)
        _sent_anew(before, reference, await crawler.gone(label), label, "deleted")
        old, far = await crawler.out_of_reach(label)
        assert far.tapped == shown(old), f"[{label}] a message out of reach is left alone"
        _sent_anew(before, reference, far, label, "older than 48 h")
    return labels
