"""Every feature's buttons: which actions a person is offered and what each tap carries back.

Labels come from the texts (and change with translations); what these tests pin is the
router's contract: the action, its arguments, and the rows.
"""

from __future__ import annotations

import pytest

from bot.chat.keyboards import help as help_kb
from bot.chat.keyboards import kindness as kindness_kb
from bot.chat.keyboards import language as language_kb
from bot.chat.keyboards import onboarding as onboarding_kb
from bot.chat.keyboards import pain as pain_kb
from bot.chat.keyboards import privacy as privacy_kb
from bot.chat.keyboards import reminders as reminder_kb
from bot.chat.keyboards import rescreening as rescreening_kb
from bot.chat.keyboards import session as session_kb
from bot.chat.keyboards import settings as settings_kb
from bot.content.models import Level
from bot.domain.lifecycle import CheckedBy, Verdict
from bot.domain.onboarding import FOCUS_ORDER, SUGGESTED_TIMES, Mode, Step, clock_arg
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from tests.chat.markup import actions, buttons, labels, read
from tests.support.content import shipped_content

SAFETY = shipped_content().safety
REPORT = 31

# --- reminders ----------------------------------------------------------------------------


def test_a_reminder_offers_start_snooze_not_today_and_pain() -> None:
    markup = reminder_kb.reminder(
        buttons(),
        delivery_id=9,
        routine_id="seated_progression",
        snooze_minutes=30,
        can_snooze=True,
    )
    rows = read(markup)
    assert [[action for _, action, _ in row] for row in rows] == [
        [reminder_kb.START],
        [reminder_kb.SNOOZE, reminder_kb.SKIP],
        [reminder_kb.PAIN],
    ]
    assert rows[0][0][2] == ("seated_progression",)
    assert rows[1][0][2] == rows[1][1][2] == ("9",)
    assert rows[2][0][2] == (reminder_kb.PAIN_FROM_REMINDER,)


def test_a_snoozed_reminder_cannot_be_snoozed_again() -> None:
    markup = reminder_kb.reminder(
        buttons(), delivery_id=9, routine_id="r", snooze_minutes=30, can_snooze=False
    )
    assert actions(markup) == [[reminder_kb.START], [reminder_kb.SKIP], [reminder_kb.PAIN]]


@pytest.mark.parametrize("routine_id", [None, "x" * 80])
def test_without_a_routine_that_fits_start_opens_todays_card(routine_id: str | None) -> None:
    markup = reminder_kb.after_snooze(buttons(), routine_id=routine_id)
    assert actions(markup) == [[reminder_kb.NOW], [reminder_kb.PAIN]]


def test_after_a_skip_only_pain_stays() -> None:
    assert actions(reminder_kb.after_skip(buttons())) == [[reminder_kb.PAIN]]


def test_the_reminders_start_and_pain_are_the_sessions_own_actions() -> None:
    assert (reminder_kb.START, reminder_kb.NOW, reminder_kb.PAIN) == (
        session_kb.START,
        session_kb.NOW,
        session_kb.PAIN,
    )


# --- onboarding pickers ---------------------------------------------------------------------


def test_the_safety_note_is_acknowledged_with_one_button() -> None:
    assert actions(onboarding_kb.safety(buttons())) == [[onboarding_kb.SAFETY_OK]]


def test_a_screening_question_is_yes_or_no_for_that_question() -> None:
    screening = SAFETY.screening
    question = screening.questions[0]
    rows = read(onboarding_kb.screening(buttons(), screening, question))
    assert [(action, args) for _, action, args in rows[0]] == [
        (onboarding_kb.SCREEN, (question.id, "y")),
        (onboarding_kb.SCREEN, (question.id, "n")),
    ]


def test_a_held_step_offers_the_lifting_only_with_a_report() -> None:
    with_report = read(onboarding_kb.urgent(buttons(), "Checked", "Not yet", REPORT))
    assert [(action, args) for row in with_report for _, action, args in row] == [
        (pain_kb.CHECKED, (str(REPORT),)),
        (onboarding_kb.URGENT, ("n",)),
    ]
    without = onboarding_kb.professional(buttons(), None)
    assert actions(without) == [[onboarding_kb.PROFESSIONAL]]


def test_zones_come_three_a_row_then_location() -> None:
    keys = ["Europe/Berlin", "Europe/London", "Asia/Tokyo", "UTC"]
    rows = read(onboarding_kb.zones(buttons(), Mode.ONBOARDING, keys))
    assert [len(row) for row in rows] == [3, 1, 1]
    assert [args for row in rows[:2] for _, _, args in row] == [("o", key) for key in keys]
    assert rows[2][0][1:] == (onboarding_kb.ZONE_LOCATION, ("o",))


def test_pickers_opened_from_settings_get_a_way_back() -> None:
    onboarding = actions(onboarding_kb.levels(buttons(), Mode.ONBOARDING))
    settings = actions(onboarding_kb.levels(buttons(), Mode.SETTINGS))
    assert settings == [*onboarding, [settings_kb.MENU]]


def test_suggested_times_come_four_a_row_and_onboarding_can_change_the_zone() -> None:
    rows = read(onboarding_kb.times(buttons(), Mode.ONBOARDING))
    times = [args for row in rows[:-1] for _, _, args in row]
    assert times == [("o", clock_arg(t)) for t in SUGGESTED_TIMES]
    assert all(len(row) <= 4 for row in rows)
    assert rows[-1][0][1] == onboarding_kb.ZONE_CHANGE
    in_settings = actions(onboarding_kb.times(buttons(), Mode.SETTINGS))
    assert onboarding_kb.ZONE_CHANGE not in in_settings[-1]


def test_the_days_picker_marks_chosen_days_and_carries_the_mask() -> None:
    mask = 0b0000101  # Monday and Wednesday
    rows = read(onboarding_kb.days(buttons(), Mode.ONBOARDING, mask))
    days = [*rows[0], *rows[1]]
    assert [args for _, _, args in days] == [("o", str(mask), str(day)) for day in range(7)]
    chosen = [label.startswith(onboarding_kb.texts.CHECK) for label, _, _ in days]
    assert chosen == [True, False, True, False, False, False, False]
    assert rows[2] == [(rows[2][0][0], onboarding_kb.DAYS_DONE, ("o", str(mask)))]


def test_the_focus_picker_has_one_row_per_area_then_done() -> None:
    rows = read(onboarding_kb.focus(buttons(), Mode.ONBOARDING, 0b1))
    assert len(rows) == len(FOCUS_ORDER) + 1
    assert [args[-1] for row in rows[:-1] for _, _, args in row] == [
        str(i) for i in range(len(FOCUS_ORDER))
    ]
    assert rows[-1][0][1:] == (onboarding_kb.FOCUS_DONE, ("o", "1"))


def test_levels_carry_the_level_value() -> None:
    rows = read(onboarding_kb.levels(buttons(), Mode.ONBOARDING))
    assert [args for row in rows for _, _, args in row] == [("o", level.value) for level in Level]


def test_the_summary_starts_now_or_opens_settings() -> None:
    assert actions(onboarding_kb.summary(buttons())) == [[onboarding_kb.NOW], [settings_kb.MENU]]


def test_the_location_request_is_the_one_reply_keyboard() -> None:
    keyboard = onboarding_kb.location_request()
    (row,) = keyboard.keyboard
    (button,) = row
    assert button.request_location and keyboard.one_time_keyboard


# --- settings, privacy, help, language ------------------------------------------------------


@pytest.mark.parametrize("paused", [False, True])
def test_the_settings_menu_edits_every_step_and_pauses_or_resumes(paused: bool) -> None:
    rows = read(settings_kb.menu(buttons(), paused=paused))
    edits = [args[0] for row in rows[:3] for _, action, args in row if action == settings_kb.EDIT]
    steps = (Step.ZONE, Step.TIME, Step.DAYS, Step.FOCUS, Step.LEVEL, Step.LENGTH)
    assert edits == [step.value for step in steps]
    assert [action for _, action, _ in rows[3]] == [settings_kb.QUIET, settings_kb.QUIET_HOURS_MENU]
    toggle = settings_kb.RESUME if paused else settings_kb.PAUSE_MENU
    assert [action for _, action, _ in rows[4]] == [toggle, settings_kb.CLOSE]


def test_pause_choices_list_every_length_then_cancel() -> None:
    rows = read(settings_kb.pause_choices(buttons()))
    choices = [args[0] for row in rows[:-1] for _, _, args in row]
    assert choices == list(settings_kb.texts.pause_choices())
    assert [action for _, action, _ in rows[-1]] == [settings_kb.MENU]


def test_stopping_and_deleting_ask_yes_or_no() -> None:
    for markup, action in (
        (settings_kb.stop_confirm(buttons()), settings_kb.STOP),
        (privacy_kb.delete_confirm(buttons()), privacy_kb.DELETE),
    ):
        assert [r[0][1:] for r in read(markup)] == [(action, ("y",)), (action, ("n",))]


def test_help_offers_a_session_and_the_settings() -> None:
    assert actions(help_kb.menu(buttons())) == [[onboarding_kb.NOW, settings_kb.MENU]]


def test_the_language_picker_ticks_the_current_language() -> None:
    markup = language_kb.picker(buttons(), "de")
    assert [args for row in read(markup) for _, _, args in row] == [(lang,) for lang in LANGUAGES]
    assert f"✓ {LANGUAGE_NAMES['de']}" in labels(markup)
    assert LANGUAGE_NAMES["en"] in labels(markup)


# --- pain, holds and rescreening ------------------------------------------------------------


def test_a_triage_question_lists_its_answers_by_position() -> None:
    item = SAFETY.triage.questions[0]
    rows = read(pain_kb.question(buttons(), REPORT, 2, item))
    assert [row[0][2] for row in rows] == [
        (str(REPORT), "2", str(n)) for n in range(len(item.answers))
    ]
    assert [row[0][0] for row in rows] == [a.label for a in item.answers]


def test_a_red_flag_hold_names_its_report_on_both_buttons() -> None:
    confirm = SAFETY.outcomes.confirm_checked
    rows = read(pain_kb.red_flag(buttons(), confirm, REPORT))
    assert [r[0][1:] for r in rows] == [
        (pain_kb.CHECKED, (str(REPORT),)),
        (pain_kb.NOT_YET, (str(REPORT),)),
    ]
    assert actions(pain_kb.checked_only(buttons(), confirm, REPORT)) == [[pain_kb.CHECKED]]


def test_who_checked_and_what_they_said_round_trip_through_one_letter_codes() -> None:
    who_rows = read(pain_kb.who_checked(buttons(), REPORT))
    codes = [row[0][2][1] for row in who_rows]
    assert [pain_kb.WHO_CODES[code] for code in codes] == list(pain_kb.WHO_CODES.values())
    assert set(pain_kb.WHO_CODES.values()) == set(CheckedBy)
    said = read(pain_kb.verdicts(buttons(), REPORT, CheckedBy.PHYSIO))
    assert {row[0][2][:2] for row in said} == {(str(REPORT), "p")}
    assert [pain_kb.VERDICT_CODES[row[0][2][2]] for row in said] == list(Verdict)


def test_a_waiting_session_carries_on_gently_or_ends() -> None:
    rows = read(pain_kb.paused_session(buttons(), 17, 4))
    assert [r[0][1:] for r in rows] == [
        (session_kb.RESUME, ("17", "4")),
        (session_kb.END, ("17", "4")),
    ]
    assert actions(pain_kb.back_to_triage(buttons(), REPORT)) == [[pain_kb.BACK]]


def test_rescreening_carries_the_routine_and_the_answers_so_far() -> None:
    prompt = read(rescreening_kb.prompt(buttons(), "seated_progression"))
    assert [r[0][2] for r in prompt] == [
        (rescreening_kb.SAME, "seated_progression"),
        (rescreening_kb.CHANGED, "seated_progression"),
    ]
    question = read(rescreening_kb.question(buttons(), SAFETY.screening, "yn", "r1"))
    assert [args for _, _, args in question[0]] == [("yn", "y", "r1"), ("yn", "n", "r1")]


def test_many_skips_lead_to_the_days_the_pause_or_pain() -> None:
    rows = read(kindness_kb.rethink(buttons()))
    assert [r[0][1:] for r in rows] == [
        (settings_kb.EDIT, (Step.DAYS.value,)),
        (settings_kb.PAUSE_MENU, ()),
        (reminder_kb.PAIN, (reminder_kb.PAIN_FROM_REMINDER,)),
    ]
