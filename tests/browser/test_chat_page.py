"""The demo's chat page in Chromium: sign up by tapping, get the reminder, do a session, report
pain; plus a second person, a shared location, the command menu, files, and escaping.

Each test drives the page only (clicks and typing); the sandbox behind it is read to know when
the bot is done. The `chat` fixture saves a screenshot of each test's last screen under the
test's temporary folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import expect
from sqlalchemy import select

from bot.db import subscribers
from bot.db.models import PainReport, SubscriberStatus
from tests.browser.chat import ChatPage

HOLD_BUTTON = re.compile(r"^▶️ Start .*(hold|rounds)$")
GENTLE = "Gentle stretch 👍"
NONE = "None of these"


async def subscribe_by_tapping(chat: ChatPage) -> None:
    """/start from the START button, then every onboarding step by tapping buttons."""
    await chat.page.get_by_role("button", name="START", exact=True).click()
    await chat.wait_for_text("guidance, not medical advice")
    await chat.tap("✅ I understand")
    for number in range(1, 5):
        await chat.expect_last_bot_text(f"Question {number} of 4")
        await chat.tap("No")
    await chat.expect_last_bot_text("Time zone")
    await chat.tap("Berlin")
    await chat.tap("07:30")
    await chat.tap("Done ✓")  # the weekdays, Monday to Friday as offered
    await chat.tap("▫️ Hamstrings")
    await chat.tap("▫️ Lower back")
    await chat.tap("Done ✓")
    await chat.tap("🌱 Beginner: new to it")
    await chat.tap("5 min")
    await chat.expect_last_bot_text("Your first routine arrives")


async def test_subscribing_by_tapping_edits_one_message_in_place(
    chat: ChatPage, tmp_path: Path
) -> None:
    page = chat.page
    await expect(page.locator("#start-bar")).to_be_visible()
    await expect(page.get_by_label("Message", exact=True)).to_be_hidden()
    await subscribe_by_tapping(chat)

    # The whole sign-up happened in one bot message, edited in place, as on Telegram.
    await expect(chat.bot_messages).to_have_count(1)
    summary = chat.last_bot_message
    await expect(summary.locator(".edited")).to_have_text("edited")
    await expect(summary.locator(".inline-button")).to_have_text(
        ["▶️ Start a session now", "⚙️ Settings"]
    )
    await expect(chat.my_messages).to_have_count(1)
    await expect(chat.my_messages.locator(".text")).to_have_text("/start")
    # The bot's HTML formatting arrives as real tags, rebuilt from the whitelist.
    assert await summary.locator(".text b").count() > 0
    await expect(page.get_by_label("Message", exact=True)).to_be_visible()

    async with chat.demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, chat.user_id)
    assert subscriber is not None and subscriber.status is SubscriberStatus.ACTIVE
    assert subscriber.timezone == "Europe/Berlin"
    assert subscriber.preferences.next_reminder_at is not None
    await chat.screenshot(tmp_path / "subscribed.png")


async def finish_session(chat: ChatPage) -> None:
    """Tap through every hold and check-in (holds are shortened) until the summary."""
    for _ in range(60):
        message = chat.person.last_bot_message()
        assert message is not None
        text = message.text or ""
        if "Session done!" in text:
            return
        labels = message.button_labels
        hold = next((label for label in labels if HOLD_BUTTON.match(label)), None)
        if hold is not None:
            await chat.tap(hold)
            # The hold runs on the bot's timer; its end comes as a new message.
            await chat.wait_for_bot(lambda m, old=message.message_id: m.message_id != old)
        elif GENTLE in labels:
            await chat.tap(GENTLE)
        elif "I understand, go on" in labels:
            await chat.tap("I understand, go on")
        elif "▶️ Continue" in labels:
            await chat.tap("▶️ Continue")
        else:
            await chat.wait_for_bot(
                lambda m, seen=message: (
                    m.version != seen.version or (m.message_id != seen.message_id)
                )
            )
    raise AssertionError(f"the session did not end; last screen:\n{chat.person.transcript()}")


async def test_reminder_session_and_pain_report(chat: ChatPage, tmp_path: Path) -> None:
    page = chat.page
    await subscribe_by_tapping(chat)

    await page.get_by_role("button", name="⏰ Send the next reminder now").click()
    await expect(page.locator("#demo-status")).to_contain_text("Sent Alex's reminder for")
    reminder = chat.last_bot_message
    await expect(reminder.locator(".text")).to_contain_text("Time to stretch")
    await expect(reminder.locator(".text b").first).to_have_text("Time to stretch")
    await expect(reminder.locator(".inline-button")).to_have_text(
        ["▶️ Start", re.compile("⏰ In"), "🙅 Not today", "🆘 I'm in pain"]
    )
    await expect(page.locator("#bot-clock")).to_contain_text("UTC")
    await chat.synced()

    await chat.tap("▶️ Start")
    await chat.wait_for_text("1/")
    await finish_session(chat)
    await chat.expect_last_bot_text("Session done!")
    await chat.screenshot(tmp_path / "session-done.png")

    # /stats answers with a chart: a photo the page shows (and it really loads).
    await chat.command("stats")
    photo = chat.last_bot_message.locator("img.photo")
    await expect(photo).to_be_visible()
    await expect(chat.last_bot_message.locator(".text")).to_contain_text("Streak")
    assert await photo.evaluate("(image) => image.complete && image.naturalWidth") > 100

    # Pain, from the command menu: the triage ends with "stop and get it checked".
    await chat.command("pain")
    await chat.expect_last_bot_text("Sorry it hurts")
    await chat.tap(NONE)
    await chat.tap("Sharp or shooting pain")
    await chat.expect_last_bot_text("Stop and get it checked")
    await expect(chat.last_bot_message.locator(".text")).to_contain_text(
        "doctor or physiotherapist"
    )

    async with chat.demo.services.db() as db:
        subscriber = await subscribers.get_by_user_id(db, chat.user_id)
        assert subscriber is not None
        reports = list((await db.execute(select(PainReport))).scalars())
    assert [row.outcome for row in reports] == ["professional"]
    # A hold on the person, not a pause of the subscription: no reminder until lifted.
    assert subscriber.status is SubscriberStatus.ACTIVE
    assert subscriber.preferences.next_reminder_at is None


async def test_second_person_shares_a_location_from_the_keyboard(
    chat: ChatPage, tmp_path: Path
) -> None:
    page = chat.page
    alex = chat.user_id
    await page.get_by_role("button", name="👤 New person").click()
    await expect(page.locator(".person[aria-current='true']")).to_have_text(re.compile("Sam"))
    assert chat.user_id != alex
    await expect(page.locator("#viewer")).to_have_text("You are Sam")
    await page.get_by_role("button", name="START", exact=True).click()
    await chat.wait_for_text("guidance, not medical advice")
    await chat.tap("✅ I understand")
    for _ in range(4):
        await chat.tap("No")
    await chat.tap("📍 Share my location")

    keyboard = page.locator("#reply-keyboard")
    await expect(keyboard.get_by_role("button")).to_have_text(["📍 Send my location"])
    await keyboard.get_by_role("button", name="📍 Send my location").click()
    before = len(chat.person.bot_messages())
    await page.get_by_role("menuitem", name="📍 Tokyo").click()
    await chat.person.wait_until(lambda: len(chat.person.bot_messages()) >= before + 2)
    await chat.synced()
    await expect(chat.my_messages.last.locator(".location")).to_contain_text("📍 Tokyo")
    await expect(page.locator(".msg.bot .text").filter(has_text="Time zone: Tokyo")).to_have_count(
        1
    )
    await expect(keyboard).to_be_hidden()  # the bot removed its keyboard

    # Alex's chat is untouched and still there.
    await page.locator(f".person[data-user-id='{alex}']").click()
    await expect(page.locator("#viewer")).to_have_text("You are Alex")
    await expect(page.locator("#start-bar")).to_be_visible()
    await expect(chat.bot_messages).to_have_count(0)
    await chat.screenshot(tmp_path / "two-people.png")


async def test_menu_files_and_escaping(chat: ChatPage, tmp_path: Path) -> None:
    page = chat.page
    await page.get_by_role("button", name="START", exact=True).click()
    await chat.wait_for_text("guidance, not medical advice")

    # The command menu is what the bot set with setMyCommands.
    await page.get_by_role("button", name="☰ Menu").click()
    items = page.get_by_role("menuitem")
    expected = [f"/{c.command}" for c in await chat.demo.application.bot.get_my_commands()]
    await expect(items.locator(".command")).to_have_text(expected)
    await page.keyboard.press("Escape")

    # A person's text is shown as text, never as markup.
    hostile = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold?</b> & co'
    await chat.type(hostile, replies=2)  # at the safety step: a hint and the step again
    mine = chat.my_messages.last.locator(".text")
    await expect(mine).to_have_text(hostile)
    assert await mine.locator("img, b").count() == 0
    assert await page.evaluate("document.body.dataset.pwned") is None
    assert await page.locator("img:not(.photo)").count() == 0

    # A document from the bot can be downloaded.
    await chat.command("export")
    document = chat.last_bot_message.locator("a.document")
    await expect(document).to_contain_text(".json")
    async with page.expect_download() as download_info:
        await document.click()
    download = await download_info.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    assert b'"person"' in saved.read_bytes()
    await chat.screenshot(tmp_path / "menu-files.png")


async def test_the_whitelist_rebuilds_only_telegrams_formatting(chat: ChatPage) -> None:
    """format.js on hostile input: tags outside Telegram's dialect, event handlers, scripts and
    javascript: links come out as plain text or not at all."""
    rebuilt = await chat.page.evaluate(
        """async (html) => {
            const { formatted } = await import('/static/format.js');
            const box = document.createElement('div');
            box.append(formatted(html));
            return box.innerHTML;
        }""",
        '<b onclick="window.bad=1">bold</b> <i>it</i> <img src=x onerror="window.bad=1">'
        '<a href="javascript:window.bad=1">js</a> <a href="https://example.org/x">ok</a>'
        "<script>window.bad=1</script><tg-spoiler>secret</tg-spoiler>"
        '<pre><code class="language-py">x = 1</code></pre><blockquote>q</blockquote>&lt;b&gt;',
    )
    assert rebuilt == (
        "<b>bold</b> <i>it</i> js "
        '<a href="https://example.org/x" target="_blank" rel="noopener noreferrer">ok</a>'
        '<span class="spoiler" title="Spoiler: click to show" tabindex="0" role="button">'
        "secret</span>"
        "<pre><code>x = 1</code></pre><blockquote>q</blockquote>&lt;b&gt;"
    )
    assert await chat.page.evaluate("window.bad") is None
