"""A seeded crowd that does everything Telegram lets people do, and then some.

`Crowd` drives 50+ sandbox people with a weighted mix of actions: commands and free text, taps
(single, doubled within a millisecond, on inaccessible or vanishing messages, with forged or
someone else's data), stickers, photos, voice notes, documents, contacts, dice, edits, channel
posts, locations (valid, at the edges, forged off the map), reply-keyboard presses, blocking and
unblocking, and the bot's clock jumping ahead. It keeps a bounded number of updates in flight
(a closed loop), so latency measures the bot, not a queue the test built up.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox import SandboxServer, SimChannel, SimUser
from sandbox.inbound import SandboxUsageError
from tests.support.clock import TestClock

COMMANDS = (
    "/start",
    "/help",
    "/now",
    "/settings",
    "/pain",
    "/stats",
    "/privacy",
    "/export",
    "/pause",
    "/resume",
    "/stop",
    "/delete",
    "/nonsense",
)
TEXTS = (
    "hello",
    "07:30",
    "7pm",
    "Berlin",
    "Europe/Paris",
    "UTC+3",
    "yes",
    "no",
    "😀",
    "a" * 300,
    "<b>bold?</b> & <i>",
    "Ünïcödé ✓ 中文",
    "   spaced   out   ",
    "25:99",
    "my hamstrings feel tight",
)


@dataclass
class Figures:
    seed: int
    people: int
    actions: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    started_at: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0

    def as_dict(self, server: SandboxServer) -> dict[str, Any]:
        referee = server.referee
        latencies = sorted(referee.reaction_seconds)

        def pct(p: float) -> float | None:
            if not latencies:
                return None
            return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 3)

        return {
            "seed": self.seed,
            "people": self.people,
            "actions": self.actions,
            "skipped_actions": self.skipped,
            "private_updates": referee.private_updates,
            "callback_queries": len(server.state.callback_queries),
            "bot_api_calls": len(server.calls),
            "elapsed_s": round(self.elapsed, 1),
            "updates_per_s": round(referee.private_updates / self.elapsed, 1)
            if self.elapsed
            else None,
            "reaction_p50_s": pct(0.5),
            "reaction_p95_s": pct(0.95),
            "reaction_max_s": round(latencies[-1], 3) if latencies else None,
            "reactions_over_8s": sum(1 for x in latencies if x > 8.0),
            "refusals": len(referee.unexpected_refusals()),
            "refusals_by_class": referee.refusals_by_class(),
            "excused_by_class": dict(sorted(referee.excused.items())),
            "declared_refusals": len(referee.refusals) - len(referee.unexpected_refusals()),
            "not_modified": referee.not_modified,
            "tracebacks": len(referee.unexpected_tracebacks()),
            "unanswered_callbacks": len(server.unanswered_callbacks()),
            "updates_without_reaction": sum(
                len(kinds) for kinds in referee.unanswered_updates().values()
            ),
            "slowest": sorted(referee.slow_reactions, key=lambda r: -r[3])[:5],
            "kinds": dict(sorted(self.kinds.items())),
        }


Action = Callable[[SimUser], Awaitable[Any]]


class Crowd:
    def __init__(
        self,
        server: SandboxServer,
        clock: TestClock,
        *,
        seed: int,
        people: int = 60,
        in_flight: int = 24,
    ) -> None:
        self.server = server
        self.clock = clock
        self.rng = random.Random(seed)
        self.people = [server.user(f"Fuzz{n}", language_code="en") for n in range(people)]
        self.in_flight = in_flight
        self.figures = Figures(seed=seed, people=people)
        self.channel: SimChannel = server.channel("Fuzz channel", self.people[:3])
        # Only what no bot can avoid: the 403 that tells it of a block, the first edit of a
        # message the person deleted while the bot was at it. A retry of either counts.
        server.excuse_unavoidable()
        self._actions: list[tuple[int, str, Action]] = [
            (22, "command", self._command),
            (8, "text", self._text),
            (30, "tap", self._tap),
            (4, "double_tap", self._double_tap),
            (2, "tap_inaccessible", self._tap_inaccessible),
            (2, "tap_then_delete", self._tap_then_delete),
            (2, "tap_forged", self._tap_forged),
            (2, "tap_foreign", self._tap_foreign),
            (3, "press", self._press),
            (1, "sticker", lambda p: p.send_sticker()),
            (1, "photo", lambda p: p.send_photo(caption=self.rng.choice([None, "look"]))),
            (1, "voice", lambda p: p.send_voice()),
            (1, "document", lambda p: p.send_document()),
            (1, "contact", lambda p: p.send_contact()),
            (1, "dice", lambda p: p.send_dice(self.rng.choice(["🎲", "🎯", "🎰", "🏀"]))),
            (2, "edit", self._edit),
            (3, "location", self._location),
            (1, "channel_post", self._channel_post),
            (1, "block", self._block),
            (1, "clock", self._clock),
        ]
        self._weights = [weight for weight, _, _ in self._actions]

    # The loop -------------------------------------------------------------------------------
    def _pending(self) -> int:
        referee = self.server.referee
        waiting = sum(len(kinds) for kinds in referee.unanswered_updates().values())
        return waiting + len(self.server.unanswered_callbacks())

    async def run(self, actions: int, seconds: float) -> Figures:
        deadline = time.monotonic() + seconds
        events = self.server.state.events
        while self.figures.actions < actions and time.monotonic() < deadline:
            await events.wait_for(
                lambda: True if self._pending() < self.in_flight else None, timeout=60
            )
            person = self.rng.choice(self.people)
            _, kind, action = self.rng.choices(self._actions, weights=self._weights)[0]
            if person.blocked and kind != "block":
                kind, action = "block", self._block  # the only thing a blocked person can do
            try:
                await action(person)
            except (SandboxUsageError, KeyError):
                self.figures.skipped += 1  # nothing to tap, nothing to edit, ...
                continue
            self.figures.actions += 1
            self.figures.kinds[kind] += 1
        self.figures.elapsed = time.monotonic() - self.figures.started_at
        return self.figures

    # Actions --------------------------------------------------------------------------------
    async def _command(self, person: SimUser) -> None:
        await person.send(self.rng.choice(COMMANDS))

    async def _text(self, person: SimUser) -> None:
        await person.send(self.rng.choice(TEXTS))

    def _callback_buttons(self, person: SimUser) -> list[tuple[int, str, str | None]]:
        found = []
        for message in person.recent_bot_messages(3):
            for row in message.buttons:
                for button in row:
                    if button.callback_data is not None:
                        found.append((message.message_id, button.text, button.callback_data))
        return found

    def _pick(self, person: SimUser) -> tuple[int, str, str | None]:
        buttons = self._callback_buttons(person)
        if not buttons:
            raise SandboxUsageError("no button to tap")
        return self.rng.choice(buttons)

    async def _tap(self, person: SimUser) -> None:
        message_id, _, data = self._pick(person)
        await person.tap(data=data, message=message_id)

    async def _double_tap(self, person: SimUser) -> None:
        message_id, _, data = self._pick(person)
        await person.double_tap(data=data, message=message_id, times=self.rng.choice([2, 2, 3]))

    async def _tap_inaccessible(self, person: SimUser) -> None:
        message_id, _, data = self._pick(person)
        await person.tap_inaccessible(data=data, message=message_id)

    async def _tap_then_delete(self, person: SimUser) -> None:
        message_id, _, data = self._pick(person)
        await person.tap_then_delete(data=data, message=message_id)

    async def _tap_forged(self, person: SimUser) -> None:
        message_id, _, _ = self._pick(person)
        forged = self.rng.choice(
            ["x", "card_go:nope", "0" * 64, "é" * 32, "set_edit:tz", "pain_ans:1:0:0"]
        )
        await person.tap_data(forged, message=message_id)

    async def _tap_foreign(self, person: SimUser) -> None:
        other = self.rng.choice(self.people)
        _, _, data = self._pick(other)
        message_id, _, _ = self._pick(person)
        assert data is not None
        await person.tap_data(data, message=message_id)

    async def _press(self, person: SimUser) -> None:
        keyboard = person.reply_keyboard
        if not keyboard:
            raise SandboxUsageError("no reply keyboard")
        label = self.rng.choice([label for row in keyboard for label in row])
        await person.press(label)

    async def _edit(self, person: SimUser) -> None:
        own = [m for m in person.chat() if not m.from_bot and m.kind == "text"]
        if not own:
            raise SandboxUsageError("nothing to edit")
        await person.edit(self.rng.choice(own[-3:]), self.rng.choice(COMMANDS + TEXTS))

    async def _location(self, person: SimUser) -> None:
        choice = self.rng.random()
        if choice < 0.5:
            lat, lon = self.rng.uniform(-90, 90), self.rng.uniform(-180, 180)
            await person.share_location(lat, lon)
        elif choice < 0.8:
            lat, lon = self.rng.choice([-90.0, 90.0, 0.0]), self.rng.choice([-180.0, 180.0, 0.0])
            await person.share_location(lat, lon)
        else:
            lat = self.rng.choice([90.000001, -91.0, 1e9, 45.0])
            lon = self.rng.choice([180.5, -181.0, 0.0]) if lat == 45.0 else 0.0
            await person.share_location(lat, lon, forged=True)

    async def _channel_post(self, person: SimUser) -> None:
        author = self.rng.choice(self.people[:3])
        await self.channel.post(author, self.rng.choice(COMMANDS + TEXTS))

    async def _block(self, person: SimUser) -> None:
        if person.blocked:
            await person.unblock()
        elif self.rng.random() < 0.5:
            await person.block()
        else:
            raise SandboxUsageError("stays")

    async def _clock(self, person: SimUser) -> None:
        self.clock.advance(minutes=self.rng.choice([5, 30, 90, 600]))
