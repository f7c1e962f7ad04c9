"""The people's side: what simulated people send the bot, and what they read and wait for."""

from __future__ import annotations

import asyncio
import time

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxServer, SandboxUsageError, SimUser


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"cb:{label}") for label in labels]]
    )


async def test_people_get_distinct_ids_and_their_own_chats(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann = sandbox.user("Ann", language_code="es")
    ben = sandbox.user("Ben", user_id=555)
    assert ann.id != ben.id
    assert ben.id == 555
    with pytest.raises(ValueError, match="already exists"):
        sandbox.user("Other", user_id=555)
    await ann.send("/start")
    await ben.send("/start")
    await bot.send_message(ann.id, "hola")
    assert [m.text for m in ann.chat()] == ["/start", "hola"]
    assert [m.text for m in ben.chat()] == ["/start"]
    updates = await bot.get_updates()
    assert updates[0].effective_user is not None
    assert updates[0].effective_user.language_code == "es"


async def test_a_command_is_a_message_with_a_bot_command_entity(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    user = sandbox.user("Ann")
    await user.send("/start reminder")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.parse_entities(["bot_command"]) == {update.message.entities[0]: "/start"}


async def test_tapping_sends_a_fresh_callback_query(
    sandbox: SandboxServer, started: SimUser, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(
        started.id, "How did it feel?", reply_markup=keyboard("Good", "Sore")
    )
    await bot.get_updates(offset=-1)
    first = await started.tap("Sore")
    second = await started.tap("Sore")
    assert first.query_id != second.query_id
    updates = await bot.get_updates(offset=-2)
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in queries] == ["cb:Sore", "cb:Sore"]
    query = queries[0]
    assert query.from_user.id == started.id
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id
    assert query.message.text == "How did it feel?"
    assert query.api_kwargs == {}


async def test_tap_finds_the_newest_message_with_the_button(
    started: SimUser, bot: telegram.Bot
) -> None:
    old = await bot.send_message(started.id, "old", reply_markup=keyboard("Done"))
    new = await bot.send_message(started.id, "new", reply_markup=keyboard("Done"))
    assert (await started.tap("Done")).message_id == new.message_id
    assert (await started.tap("Done", message=old.message_id)).message_id == old.message_id
    assert (await started.tap(data="cb:Done")).message_id == new.message_id
    with pytest.raises(SandboxUsageError, match="no inline button 'Skip'"):
        await started.tap("Skip")


async def test_url_buttons_cannot_be_tapped_as_callbacks(
    started: SimUser, bot: telegram.Bot
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Guide", url="https://example.org")]])
    await bot.send_message(started.id, "Read", reply_markup=markup)
    seen = started.last_bot_message()
    assert seen is not None
    assert seen.button("Guide").url == "https://example.org"
    with pytest.raises(SandboxUsageError, match="not a callback button"):
        await started.tap("Guide")


async def test_sharing_a_location(sandbox: SandboxServer, bot: telegram.Bot) -> None:
    user = sandbox.user("Ann")
    await user.share_location(48.8566, 2.3522)
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.location is not None
    assert (update.message.location.latitude, update.message.location.longitude) == (
        48.8566,
        2.3522,
    )
    with pytest.raises(SandboxUsageError):
        await user.share_location(91, 0)


async def test_blocking_and_unblocking_send_my_chat_member(
    started: SimUser, bot: telegram.Bot
) -> None:
    await bot.get_updates(offset=-1)
    await started.block()
    assert started.blocked
    with pytest.raises(SandboxUsageError, match="unblock"):
        await started.send("hello?")
    await started.unblock()
    updates = await bot.get_updates(offset=-2)
    changes = [u.my_chat_member for u in updates if u.my_chat_member]
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert changes[0].from_user.id == started.id
    assert changes[0].new_chat_member.user.is_bot


async def test_next_message_reads_in_order_even_if_replies_came_first(
    started: SimUser, bot: telegram.Bot
) -> None:
    await bot.send_message(started.id, "one")
    await bot.send_message(started.id, "two")
    assert (await started.next_message()).text == "one"
    assert (await started.next_message()).text == "two"
    assert started.unread() == []


async def test_waiting_is_woken_by_the_message_not_by_polling(
    started: SimUser, bot: telegram.Bot
) -> None:
    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(started.id, "later")

    task = asyncio.create_task(reply_later())
    begin = time.monotonic()
    message = await started.next_message(timeout=2)
    await task
    assert message.text == "later"
    assert time.monotonic() - begin < 0.5


async def test_wait_for_message_skips_to_the_match(started: SimUser, bot: telegram.Bot) -> None:
    for text in ("Typing…", "Your routine", "Tip"):
        await bot.send_message(started.id, text)
    found = await started.wait_for_message(lambda m: "routine" in (m.text or ""))
    assert found.text == "Your routine"
    assert [m.text for m in started.unread()] == ["Tip"]


async def test_a_timeout_says_what_the_chat_looked_like(started: SimUser) -> None:
    with pytest.raises(TimeoutError) as caught:
        await started.next_message(timeout=0.05)
    assert "'/start'" in str(caught.value)


async def test_wait_for_edit_and_deletion_and_condition(
    started: SimUser, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(started.id, "Hold 30 s", reply_markup=keyboard("Done"))
    snapshot = await started.next_message()

    async def change() -> None:
        await asyncio.sleep(0.02)
        await bot.edit_message_text("Well done", chat_id=started.id, message_id=sent.message_id)
        await asyncio.sleep(0.02)
        await bot.delete_message(started.id, sent.message_id)

    task = asyncio.create_task(change())
    edited = await started.wait_for_edit(snapshot, timeout=2)
    assert (edited.text, edited.version) == ("Well done", snapshot.version + 1)
    await started.wait_for_deletion(sent.message_id, timeout=2)
    await started.wait_until(lambda: started.message(sent.message_id) is None, timeout=1)
    await task


async def test_pressing_a_reply_keyboard_button_sends_its_label(
    started: SimUser, bot: telegram.Bot
) -> None:
    await bot.send_message(
        started.id, "When?", reply_markup=telegram.ReplyKeyboardMarkup([["Morning", "Evening"]])
    )
    sent = await started.press("Evening")
    assert sent.text == "Evening"
    with pytest.raises(SandboxUsageError):
        await started.press("Midnight")


async def test_group_chats_follow_privacy_mode(sandbox: SandboxServer, bot: telegram.Bot) -> None:
    ann, ben = sandbox.user("Ann"), sandbox.user("Ben")
    group = sandbox.group("Office stretch", [ann, ben])
    assert group.id < 0
    bot_reply = await bot.send_message(group.id, "Hello group")
    await group.send(ben, "just chatting")  # not for the bot
    await group.send(ben, "/today")
    await group.send(ann, "/today@other_bot")  # another bot's command
    await group.send(ann, "@stretchbot_sandbox_bot what now?")
    await group.send(ann, "sure", reply_to=bot_reply.message_id)
    updates = await bot.get_updates()
    joined = updates[0].my_chat_member
    assert joined is not None
    assert (joined.old_chat_member.status, joined.new_chat_member.status) == ("left", "member")
    assert joined.chat.type == "group"
    texts = [u.message.text for u in updates if u.message and u.message.text]
    assert texts == ["/today", "@stretchbot_sandbox_bot what now?", "sure"]
    both_see = [m.text for m in group.chat() if m.from_bot]
    assert both_see == ["Hello group"]
    with pytest.raises(SandboxUsageError, match="not a member"):
        await group.send(sandbox.user("Eve"), "hi")


async def test_without_privacy_mode_the_bot_reads_every_group_message() -> None:
    server = SandboxServer(privacy_mode=False)
    await server.start()
    try:
        ann = server.user("Ann")
        group = server.group("Club", [ann], supergroup=True)
        await group.send(ann, "just chatting")
        async with telegram.Bot(server.token, base_url=server.bot_base_url) as client:
            updates = await client.get_updates()
        messages = [u.message for u in updates if u.message and u.message.text]
        assert [m.text for m in messages] == ["just chatting"]
        assert messages[0].chat.type == "supergroup"
        assert str(messages[0].chat.id).startswith("-100")
    finally:
        await server.stop()


async def test_group_taps_come_from_the_tapping_member(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann, ben = sandbox.user("Ann"), sandbox.user("Ben")
    group = sandbox.group("Club", [ann, ben])
    await bot.send_message(group.id, "Who is in?", reply_markup=keyboard("Me"))
    tap = await group.tap(ben, "Me")
    updates = await bot.get_updates()
    query = next(u.callback_query for u in updates if u.callback_query)
    assert (query.id, query.from_user.id) == (tap.query_id, ben.id)
    await bot.answer_callback_query(query.id, text="Counted")
    assert [a.text for a in ben.callback_answers] == ["Counted"]
    assert ann.callback_answers == []
