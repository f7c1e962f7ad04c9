"""Taps that arrive twice, on a deleted message or on one the bot can no longer see, and posts
in a channel: what reaches the bot, and what the strict referee makes of the bot's answers."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxServer, SandboxUsageError, SimUser
from tests.sandbox.helpers import RawApi

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done:7")]])
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


async def ask(bot: telegram.Bot, user: SimUser) -> telegram.Message:
    """The bot's reply to /start (so only the taps wait for a reaction), read past /start."""
    sent = await bot.send_message(user.id, "Hold 30 s", reply_markup=KEYBOARD)
    await bot.get_updates(offset=-1)
    return sent


async def queries_after(bot: telegram.Bot, offset: int) -> list[telegram.CallbackQuery]:
    return [u.callback_query for u in await bot.get_updates(offset=offset) if u.callback_query]


# A double tap -----------------------------------------------------------------------------------


async def test_a_double_tap_is_two_queries_on_the_same_message_within_a_millisecond(
    sandbox: SandboxServer, started: SimUser, bot: telegram.Bot
) -> None:
    sent = await ask(bot, started)
    (start,) = await bot.get_updates(offset=-1)
    taps = await started.double_tap("Done")
    assert len(taps) == 2
    assert taps[0].query_id != taps[1].query_id
    assert {(tap.message_id, tap.data) for tap in taps} == {(sent.message_id, "done:7")}
    records = [sandbox.state.callback_queries[tap.query_id] for tap in taps]
    assert abs(records[1].created_at - records[0].created_at) < 0.001
    queries = await queries_after(bot, start.update_id + 1)
    assert [q.id for q in queries] == [tap.query_id for tap in taps]
    for query in queries:
        assert query.data == "done:7"
        assert query.from_user.id == started.id
        assert isinstance(query.message, telegram.Message)
        assert query.message.message_id == sent.message_id
        assert query.message.text == "Hold 30 s"  # both saw it before any edit landed
    assert queries[0].chat_instance == queries[1].chat_instance


async def test_a_double_tap_can_be_more_taps(started: SimUser, bot: telegram.Bot) -> None:
    await ask(bot, started)
    taps = await started.double_tap(data="done:7", times=3)
    assert len({tap.query_id for tap in taps}) == 3


async def test_each_tap_of_a_double_tap_must_be_answered(
    sandbox: SandboxServer, started: SimUser, bot: telegram.Bot
) -> None:
    await ask(bot, started)
    first, second = await started.double_tap("Done")
    assert sandbox.problems() == [
        f"callback query never answered: 'done:7' from {started.id}",
        f"callback query never answered: 'done:7' from {started.id}",
        f"no reaction in chat {started.id} to: callback_query, callback_query",
    ]
    await bot.answer_callback_query(first.query_id, text="Counted")
    assert sandbox.problems() == [
        f"callback query never answered: 'done:7' from {started.id}",
        f"no reaction in chat {started.id} to: callback_query",
    ]
    assert not await sandbox.settle(timeout=0.05)
    with pytest.raises(AssertionError, match="never answered: 'done:7'"):
        sandbox.assert_strict()
    assert second.answer is None
    await bot.answer_callback_query(second.query_id)
    assert sandbox.problems() == []
    assert await sandbox.settle(timeout=0.05)
    assert [answer.text for answer in started.callback_answers] == ["Counted", None]


async def test_answering_one_tap_of_a_double_tap_twice_is_refused_and_leaves_the_other(
    sandbox: SandboxServer, started: SimUser, raw: RawApi, bot: telegram.Bot
) -> None:
    await ask(bot, started)
    first, _second = await started.double_tap("Done")
    status, _ = await raw.call("answerCallbackQuery", callback_query_id=first.query_id)
    assert status == 200
    found = await raw.description("answerCallbackQuery", callback_query_id=first.query_id)
    assert found == f"Bad Request: {QUERY_INVALID}"
    (refusal,) = sandbox.referee.refusals
    assert (refusal.method, refusal.status, refusal.kind) == (
        "answerCallbackQuery",
        400,
        "callback_answer",
    )
    assert sandbox.problems() == [
        f"refused by Telegram: answerCallbackQuery -> 400 'Bad Request: {QUERY_INVALID}'"
        " [callback_answer]",
        f"callback query never answered: 'done:7' from {started.id}",
        f"no reaction in chat {started.id} to: callback_query",
    ]


# A tap, then the message is deleted ---------------------------------------------------------------


async def test_tap_then_delete_delivers_the_tap_and_the_edit_finds_nothing(
    sandbox: SandboxServer, started: SimUser, raw: RawApi, bot: telegram.Bot
) -> None:
    sent = await ask(bot, started)
    (start,) = await bot.get_updates(offset=-1)
    tap = await started.tap_then_delete("Done")
    assert tap.message_id == sent.message_id
    assert started.message(sent.message_id) is None
    assert started.bot_messages() == []
    (query,) = await queries_after(bot, start.update_id + 1)
    assert query.id == tap.query_id
    assert isinstance(query.message, telegram.Message)  # queued before the deletion
    assert query.message.message_id == sent.message_id
    found = await raw.description(
        "editMessageText", chat_id=started.id, message_id=sent.message_id, text="Well done"
    )
    assert found == "Bad Request: message to edit not found"
    await bot.answer_callback_query(tap.query_id)  # the tap itself can still be answered
    assert sandbox.problems() == [
        f"refused by Telegram: editMessageText in chat {started.id} (message "
        f"{sent.message_id}) -> 400 'Bad Request: message to edit not found' [edit_gone]"
    ]


# A tap on a message the bot can no longer see --------------------------------------------------


async def test_tap_inaccessible_carries_only_chat_message_id_and_date_zero(
    sandbox: SandboxServer, started: SimUser, raw: RawApi, bot: telegram.Bot
) -> None:
    sent = await ask(bot, started)
    offset = (await bot.get_updates(offset=-1))[0].update_id + 1
    tap = await started.tap_inaccessible("Done")
    assert (tap.message_id, tap.data) == (sent.message_id, "done:7")
    assert started.message(sent.message_id) is not None  # the person still sees it
    status, body = await raw.call("getUpdates", offset=offset)
    assert status == 200
    (update,) = body["result"]
    assert update["callback_query"]["id"] == tap.query_id
    assert update["callback_query"]["message"] == {
        "chat": {"id": started.id, "type": "private", "first_name": "Dana", "username": "dana_s"},
        "message_id": sent.message_id,
        "date": 0,
    }
    (query,) = await queries_after(bot, offset)
    assert query.message is not None and not query.message.is_accessible
    assert query.data == "done:7"
    assert any("never answered" in line for line in sandbox.problems())
    await bot.answer_callback_query(tap.query_id, text="That card is gone")
    assert sandbox.problems() == []


# A channel post -------------------------------------------------------------------------------


async def test_a_channel_post_is_a_channel_post_update_in_the_channel_chat(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann = sandbox.user("Ann")
    channel = sandbox.channel("Stretch news", [ann])
    assert str(channel.id).startswith("-100")
    posted = await channel.post(ann, "/start new week")
    assert (posted.chat_id, posted.text) == (channel.id, "/start new week")
    (update,) = await bot.get_updates()
    assert update.message is None and update.edited_message is None
    post = update.channel_post
    assert post is not None
    assert post.message_id == posted.message_id
    assert (post.chat.id, post.chat.type, post.chat.title) == (
        channel.id,
        "channel",
        "Stretch news",
    )
    assert post.from_user is None  # a channel post has no author, only its channel
    assert post.sender_chat is not None and post.sender_chat.id == channel.id
    assert post.text == "/start new week"
    assert [m.text for m in channel.chat()] == ["/start new week"]
    assert ann.chat() == []  # nothing in the author's private chat


async def test_a_channel_post_needs_no_reaction(sandbox: SandboxServer, bot: telegram.Bot) -> None:
    ann = sandbox.user("Ann")
    channel = sandbox.channel("Stretch news", [ann])
    await channel.post(ann, "Monday: hamstrings")
    await channel.post(ann, "/start")
    assert sandbox.problems() == []
    assert await sandbox.settle(timeout=0.05)
    assert sandbox.referee.private_updates == 0


async def test_a_reply_in_a_channel_is_no_reaction_to_a_private_message(
    sandbox: SandboxServer, bot: telegram.Bot
) -> None:
    ann = sandbox.user("Ann")
    await ann.send("/start")
    channel = sandbox.channel("Stretch news", [ann])
    await channel.post(ann, "Monday: hamstrings")
    await bot.send_message(channel.id, "Noted")
    assert sandbox.problems() == [f"no reaction in chat {ann.id} to: message"]
    await bot.send_message(ann.id, "Welcome")
    assert sandbox.problems() == []


async def test_only_a_channel_admin_can_post(sandbox: SandboxServer) -> None:
    ann, ben = sandbox.user("Ann"), sandbox.user("Ben")
    channel = sandbox.channel("Stretch news", [ann])
    with pytest.raises(SandboxUsageError, match="cannot post"):
        await channel.post(ben, "hi")
