"""The demo page's finish, in Chromium: keyboard-only use with a visible focus ring, the chat
following a picture as it loads, message times on the bot's clock, "Send the next reminder
now" saying which day's it is, and a favicon."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from playwright.async_api import expect

from tests.browser.chat import TIMEOUT, ChatPage

TABS = 80
"""More than the page has controls: a control Tab cannot reach within this many is a bug."""
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  return {
    text: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
    tag: e.tagName, id: e.id, outline: style.outlineStyle, width: style.outlineWidth,
  };
}"""


async def focused(chat: ChatPage) -> dict[str, str] | None:
    result: dict[str, str] | None = await chat.page.evaluate(_FOCUSED)
    return result


async def tab_to(chat: ChatPage, label: str, *, backwards: bool = False) -> None:
    """Press Tab until the control with exactly this text (or label) has the focus, and check
    that the focus shows."""
    seen = []
    for _ in range(TABS):
        await chat.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = await focused(chat)
        if now is not None and now["text"] == label:
            assert (now["outline"], now["width"]) == ("solid", "3px"), f"no visible focus: {now}"
            return
        seen.append(now and now["text"])
    raise AssertionError(f"Tab never reached {label!r}; it went through {seen}")


async def press(chat: ChatPage, label: str, key: str) -> None:
    """Tab to an inline button and press it with `key`; wait for the bot's answer."""
    await tab_to(chat, label)
    await chat.answered_after(lambda: chat.page.keyboard.press(key))


async def test_signing_up_and_the_demo_controls_work_from_the_keyboard_alone(
    chat: ChatPage,
) -> None:
    page = chat.page
    await tab_to(chat, "START")
    await page.keyboard.press("Enter")
    await chat.wait_for_text("guidance, not medical advice")
    await press(chat, "✅ I understand", " ")
    for number in range(1, 5):
        await chat.expect_last_bot_text(f"Question {number} of 4")
        await press(chat, "No", "Enter" if number % 2 else " ")
    await press(chat, "Berlin", "Enter")
    await press(chat, "07:30", " ")
    await press(chat, "Done ✓", "Enter")
    await press(chat, "▫️ Hamstrings", " ")
    await press(chat, "Done ✓", "Enter")
    await press(chat, "🌱 Beginner: new to it", "Enter")
    await press(chat, "5 min", " ")
    await chat.expect_last_bot_text("Your first routine arrives")

    # The command menu: Enter opens it with the focus inside, arrows move, Escape goes back.
    await tab_to(chat, "☰ Menu")
    await page.keyboard.press("Enter")
    await expect(page.locator("#menu")).to_be_visible()
    first = await focused(chat)
    assert first is not None and first["text"].startswith("/")
    await page.keyboard.press("ArrowDown")
    second = await focused(chat)
    assert second is not None and second["text"] != first["text"]
    await page.keyboard.press("Escape")
    await expect(page.locator("#menu")).to_be_hidden()
    back = await focused(chat)
    assert back is not None and back["text"] == "☰ Menu"
    person = chat.person
    before = len(person.bot_messages())
    await page.keyboard.press("Enter")
    for _ in range(TABS):
        now = await focused(chat)
        if now is not None and now["text"].startswith("/help"):
            break
        await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await person.wait_until(lambda: len(person.bot_messages()) > before, TIMEOUT)
    await chat.expect_last_bot_text("/settings")

    # The message box, then the reminder button in the sidebar, without a mouse.
    await tab_to(chat, "Message")
    await page.keyboard.type("what now?")
    await page.keyboard.press("Enter")
    await chat.wait_for_text("didn't catch that")
    next_line = page.locator("#next-reminder")
    await expect(next_line).to_contain_text("Next reminder:")
    await expect(next_line).to_contain_text("07:30 (Europe/Berlin)")
    before_text = await next_line.inner_text()
    await tab_to(chat, "⏰ Send the next reminder now", backwards=True)
    await page.keyboard.press("Enter")
    await expect(page.locator("#demo-status")).to_contain_text("Sent Alex's reminder for")
    await expect(next_line).not_to_have_text(before_text)
    await expect(next_line).to_contain_text("07:30 (Europe/Berlin)")
    after_text = await next_line.inner_text()
    assert after_text.endswith(("tomorrow", "days")), after_text

    # Every control of the page is reachable: Tab goes round all of them.
    labels = set()
    for _ in range(TABS):
        await page.keyboard.press("Tab")
        now = await focused(chat)
        if now is not None:
            labels.add(now["text"])
    labels |= {label.split("\n")[-1] for label in labels}  # "A\nAlex": avatar letter, name
    for control in ("Alex", "👤 New person", "⏰ Send the next reminder now", "☰ Menu"):
        assert control in labels, (control, labels)
    assert {"Message", "Share a location", "Send", "▶️ Start"} <= labels


async def test_message_times_follow_the_bots_clock(chat: ChatPage) -> None:
    demo = chat.demo
    await chat.page.get_by_role("button", name="START", exact=True).click()
    await chat.wait_for_text("guidance, not medical advice")
    demo.clock.advance_to(datetime.now(UTC) + timedelta(hours=5))
    await demo.application.bot.send_message(chat.user_id, "Later")
    message = await chat.wait_for_bot(lambda m: m.text == "Later")
    shown = chat.last_bot_message.locator("time")
    stamp = await shown.get_attribute("datetime")
    assert stamp is not None
    at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert at == datetime.fromtimestamp(message.date, UTC)
    assert at - datetime.now(UTC) > timedelta(hours=4), "the page shows the wall clock"


def _picture() -> bytes:
    figure = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(figure)
    figure.add_subplot().plot([0, 1, 2], [2, 0, 1])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def test_the_chat_follows_a_picture_as_it_loads(chat: ChatPage) -> None:
    page, bot = chat.page, chat.demo.application.bot
    await page.get_by_role("button", name="START", exact=True).click()
    await chat.wait_for_text("guidance, not medical advice")
    for number in range(12):
        await bot.send_message(chat.user_id, f"Line {number}\n" + "·\n" * 4)
    await chat.wait_for_bot(lambda m: (m.text or "").startswith("Line 11"))
    await bot.send_photo(chat.user_id, _picture(), caption="A chart")
    await chat.wait_for_bot(lambda m: m.kind == "photo")
    photo = chat.last_bot_message.locator("img.photo")
    await expect(photo).to_be_visible()
    await page.wait_for_function(
        "(img) => img.complete && img.naturalHeight > 0", arg=await photo.element_handle()
    )
    await page.wait_for_function(
        """() => { const box = document.getElementById('messages');
                   return box.scrollHeight - box.scrollTop - box.clientHeight < 2; }"""
    )
    bottom = await page.evaluate(
        "() => { const last = document.querySelector('#messages .msg:last-child');"
        " const box = document.getElementById('messages').getBoundingClientRect();"
        " return last.getBoundingClientRect().bottom <= box.bottom + 1; }"
    )
    assert bottom, "the picture's message is cut off below the chat"


async def test_the_page_has_a_favicon(chat: ChatPage) -> None:
    href = await chat.page.locator("link[rel='icon']").get_attribute("href")
    assert href == "/static/favicon.svg"
    response = await chat.page.request.get(chat.demo.url.rstrip("/") + href)
    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert (await response.body()).lstrip().startswith(b"<svg")
