"""Keyboards for signing up and for the preference pickers that /settings reuses.

Every picker button carries its `Mode` ("o" onboarding, "s" settings) so one keyboard serves
both; toggles (days, focus) carry the whole current choice as a bit mask, so nothing is written
to the database until the person taps Done.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton
from telegram import ReplyKeyboardMarkup as ReplyKeyboard

from bot.chat.keyboards import Buttons
from bot.chat.keyboards.pain import CHECKED
from bot.chat.keyboards.settings import MENU as SETTINGS
from bot.chat.texts import onboarding as texts
from bot.chat.texts import settings as settings_texts
from bot.content.models import Level
from bot.content.safety import ScreeningContent, ScreeningQuestion
from bot.domain.onboarding import (
    FOCUS_ORDER,
    SESSION_MINUTES,
    SUGGESTED_TIMES,
    WEEKDAY_COUNT,
    Mode,
    clock_arg,
    clock_text,
)
from bot.domain.zones import zone_from_key
from bot.i18n.content import content_text
from bot.i18n.dates import weekday_names, zone_name

# Callback actions of this module (the router's contract).
SAFETY_OK = "ob_safe"
SCREEN = "ob_scr"
URGENT = "ob_urg"
PROFESSIONAL = "ob_pro"
ZONE = "tz"
ZONE_LOCATION = "tz_loc"
ZONE_CHANGE = "tz_chg"
TIME = "tm"
DAY = "day"
DAYS_DONE = "days"
FOCUS = "foc"
FOCUS_DONE = "focs"
LEVEL = "lvl"
LENGTH = "len"
NOW = "now"  # owned by the session feature: today's session card


def _back_row(buttons: Buttons, mode: Mode) -> list[InlineKeyboardButton]:
    """Pickers opened from /settings get a way back to the menu."""
    return [buttons.button(settings_texts.back(), SETTINGS)] if mode is Mode.SETTINGS else []


def safety(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup([[buttons.button(texts.understood(), SAFETY_OK)]])


def screening(
    buttons: Buttons, content: ScreeningContent, question: ScreeningQuestion
) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [
                buttons.button(content_text(content.yes_label), SCREEN, question.id, "y"),
                buttons.button(content_text(content.no_label), SCREEN, question.id, "n"),
            ]
        ]
    )


def _cleared_row(buttons: Buttons, label: str, report_id: int | None) -> list[InlineKeyboardButton]:
    """The way out of a held step is the lifting every red flag has (`bot.chat.pain`): the
    button names the screening's report, so it expires once a newer flag is raised."""
    return [buttons.button(label, CHECKED, report_id)] if report_id is not None else []


def urgent(
    buttons: Buttons, checked_label: str, not_yet_label: str, report_id: int | None
) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            _cleared_row(buttons, checked_label, report_id),
            [buttons.button(not_yet_label, URGENT, "n")],
        ]
    )


def professional(buttons: Buttons, report_id: int | None) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            _cleared_row(buttons, texts.professional_continue(), report_id),
            [buttons.button(texts.professional_later(), PROFESSIONAL, "n")],
        ]
    )


def zones(buttons: Buttons, mode: Mode, keys: Sequence[str]) -> InlineKeyboardMarkup:
    labels = [(zone_name(zone_from_key(key)), key) for key in keys]
    rows = [
        [buttons.button(label, ZONE, mode, key) for label, key in labels[i : i + 3]]
        for i in range(0, len(labels), 3)
    ]
    rows.append([buttons.button(texts.share_location(), ZONE_LOCATION, mode)])
    rows.append(_back_row(buttons, mode))
    return buttons.markup(rows)


def location_request() -> ReplyKeyboard:
    """The only reply keyboard: Telegram sends a location only from one of these."""
    return ReplyKeyboard(
        [[KeyboardButton(texts.location_button(), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def times(
    buttons: Buttons, mode: Mode, suggested: Sequence[time] = SUGGESTED_TIMES
) -> InlineKeyboardMarkup:
    labels = [(clock_text(t), clock_arg(t)) for t in suggested]
    rows = [
        [buttons.button(label, TIME, mode, arg) for label, arg in labels[i : i + 4]]
        for i in range(0, len(labels), 4)
    ]
    if mode is Mode.ONBOARDING:
        rows.append([buttons.button(texts.change_zone(), ZONE_CHANGE, mode)])
    rows.append(_back_row(buttons, mode))
    return buttons.markup(rows)


def _mark(on: bool, label: str) -> str:
    return f"{texts.CHECK if on else texts.UNCHECKED} {label}"


def days(buttons: Buttons, mode: Mode, mask: int) -> InlineKeyboardMarkup:
    short = weekday_names("abbreviated")
    day_buttons = [
        buttons.button(_mark(bool(mask >> day & 1), short[day]), DAY, mode, mask, day)
        for day in range(WEEKDAY_COUNT)
    ]
    return buttons.markup(
        [
            day_buttons[:4],
            day_buttons[4:],
            [buttons.button(texts.done(), DAYS_DONE, mode, mask)],
            _back_row(buttons, mode),
        ]
    )


def focus(buttons: Buttons, mode: Mode, mask: int) -> InlineKeyboardMarkup:
    rows = [
        [
            buttons.button(
                _mark(bool(mask >> index & 1), texts.focus_name(area)), FOCUS, mode, mask, index
            )
        ]
        for index, area in enumerate(FOCUS_ORDER)
    ]
    rows.append([buttons.button(texts.done(), FOCUS_DONE, mode, mask)])
    rows.append(_back_row(buttons, mode))
    return buttons.markup(rows)


def levels(buttons: Buttons, mode: Mode) -> InlineKeyboardMarkup:
    rows = [
        [buttons.button(texts.level_choice(level), LEVEL, mode, level.value)] for level in Level
    ]
    rows.append(_back_row(buttons, mode))
    return buttons.markup(rows)


def lengths(buttons: Buttons, mode: Mode) -> InlineKeyboardMarkup:
    row = [buttons.button(texts.minutes_label(m), LENGTH, mode, m) for m in SESSION_MINUTES]
    return buttons.markup([row, _back_row(buttons, mode)])


def summary(buttons: Buttons) -> InlineKeyboardMarkup:
    return buttons.markup(
        [
            [buttons.button(texts.start_now(), NOW)],
            [buttons.button(texts.open_settings(), SETTINGS)],
        ]
    )
