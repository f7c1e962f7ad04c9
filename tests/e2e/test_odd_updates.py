"""What real Telegram sends besides text and taps, and how the bot takes it.

Stickers, photos, voice notes, documents, contacts, dice and edits each get a short answer;
channel posts get silence; locations at the edges of the map work and impossible ones get a
clear line without losing the step; taps on messages that are gone or too old, and taps with
forged or someone else's data, are answered once and change nothing they should not. The
strict sandbox fails each test on any refusal, unanswered update or traceback.
"""

from __future__ import annotations

import pytest

from bot.chat.texts import common as common_texts
from bot.chat.texts import help as help_texts
from bot.chat.texts import onboarding as onboarding_texts
from bot.chat.texts import session as session_texts
from sandbox import Fault, FaultKind, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, has, open_card, subscribe
from tests.e2e.walkthrough import Walkthrough, onboard, text_of, through_screening

pytestmark = pytest.mark.e2e


async def test_every_kind_of_message_gets_an_answer(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await onboard(Walkthrough(person))
    person.mark_read()
    for send in (
        person.send_sticker,
        person.send_photo,
        person.send_voice,
        person.send_document,
        person.send_contact,
        person.send_dice,
    ):
        sent = await send()
        reply = await person.next_message(TIMEOUT)
        assert help_texts.not_text() in text_of(reply), (sent.kind, person.transcript())
    typed = await person.send("hello there")
    await person.next_message(TIMEOUT)
    await person.edit(typed, "/delete")
    reply = await person.next_message(TIMEOUT)
    assert text_of(reply) == help_texts.edited(), "an edit never acts (here: never deletes)"


async def test_a_channel_post_gets_silence(stretchbot: RunningBot, person: SimUser) -> None:
    channel = stretchbot.sandbox.channel("Stretch news", [person])
    await channel.post(person, "/start")
    await person.send("/help")
    await person.next_message(TIMEOUT)
    assert channel.bot_messages() == []


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(90.0, 180.0), (-90.0, -180.0), (0.0, 180.0), (-90.0, 0.0)]
)
async def test_locations_at_the_edges_of_the_map(
    stretchbot: RunningBot, person: SimUser, latitude: float, longitude: float
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    await walk.tap("📍 Share my location")
    await person.share_location(latitude, longitude)
    reply = await person.next_message(TIMEOUT)
    assert text_of(reply), "a clear answer, whichever it is"


@pytest.mark.parametrize(("latitude", "longitude"), [(91.0, 0.0), (0.0, -180.5), (1e9, 1e9)])
async def test_an_impossible_location_gets_a_clear_line_and_keeps_the_step(
    stretchbot: RunningBot, person: SimUser, latitude: float, longitude: float
) -> None:
    walk = Walkthrough(person)
    await through_screening(walk)
    await walk.tap("📍 Share my location")
    await person.share_location(latitude, longitude, forged=True)
    reply = await person.next_message(TIMEOUT)
    assert text_of(reply) == onboarding_texts.location_off_earth()
    await walk.share_location(35.68, 139.69, replies=2)  # Tokyo: the step was kept
    assert "Time zone: Tokyo" in text_of(person.bot_messages()[-2])


async def test_a_tap_on_an_inaccessible_message_sends_the_screen_anew(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person, "seated_progression")
    card = await open_card(person)
    tap = await person.tap_inaccessible(session_texts.preview_button(), message=card)
    assert (await tap.answered(TIMEOUT)).text is None
    preview = await person.next_message(TIMEOUT)
    assert session_texts.start() in preview.button_labels
    assert person.message(card.message_id) == card, "the old card is left as it was"


async def test_forged_and_foreign_data_change_nothing(
    stretchbot: RunningBot, person: SimUser
) -> None:
    other = stretchbot.sandbox.user("Robin")
    await subscribe(stretchbot, person, "seated_progression")
    await subscribe(stretchbot, other, "seated_progression")
    card = await open_card(person)
    theirs = await open_card(other)
    start_data = theirs.button(session_texts.start()).callback_data
    assert start_data is not None
    for data in (start_data, "x", "card_go:seated_progression:c", "é" * 30, "0" * 64):
        tap = await person.tap_data(data, message=card)
        assert (await tap.answered(TIMEOUT)).text == common_texts.button_expired()
    assert not any(has("1/")(m) for m in person.bot_messages()), "no session started"


@pytest.mark.parametrize("kind", [FaultKind.SERVER_ERROR, FaultKind.BAD_GATEWAY, FaultKind.DROP])
async def test_a_tap_answer_that_telegram_fails_is_sent_again(
    stretchbot: RunningBot, person: SimUser, kind: FaultKind
) -> None:
    """Under load Telegram (or the way to it) can fail an answerCallbackQuery without applying
    it: the tap must still be answered, once, and the screen still change."""
    await subscribe(stretchbot, person, "seated_progression")
    card = await open_card(person)
    if kind is FaultKind.BAD_GATEWAY:  # PTB itself logs the proxy's HTML page it cannot read
        stretchbot.sandbox.referee.expect_traceback(logger="telegram.request.BaseRequest")
    stretchbot.sandbox.script_faults("answerCallbackQuery", Fault(kind))
    tap = await person.tap(session_texts.preview_button(), message=card)
    await tap.answered(TIMEOUT)
    assert session_texts.start() in person.message(card.message_id).button_labels, "previewed"
