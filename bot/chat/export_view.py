"""/export in words: the stored rows (`subscribers.person_rows`) as a readable JSON document.

Named fields (stable English keys, for scripts), times in the person's own zone (ISO 8601 with
the offset), and every value a person reads in their own language: weekdays as names, stretches
and routines by their titles, focus areas and level by their names, every code as words
(`texts.export`). The shape is `docs/export.schema.json`, version `VERSION`; `FIELDS` says
where each stored column goes, so a column added to the schema without a place in the export
fails a test. Call it with the reader's language active (`bot.i18n.using`), as the handler is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo
from typing import Any

from bot.chat.texts import export as words
from bot.chat.texts import onboarding as choice_texts
from bot.content.loader import Content
from bot.content.models import FocusArea, Level
from bot.db.models import MONDAY_TO_FRIDAY
from bot.domain import nerve_check
from bot.i18n import _, current, dates
from bot.i18n.content import localized_content

VERSION = 3
"""Version 1 was the raw rows; version 2 the readable form in English; version 3 writes the
values in the reader's language (and says which in `written_in`)."""
SCHEMA = f"urn:stretchbot:export:{VERSION}"
"""The `$id` of docs/export.schema.json, written into every export as `schema`."""

FIELDS: Mapping[str, Mapping[str, str | None]] = {
    "subscribers": {
        "id": "person.number",
        "telegram_user_id": "person.telegram_user_id",
        "chat_id": "person.telegram_chat_id",
        "first_name": "person.first_name",
        "language_code": "person.language",
        "timezone": "person.time_zone",
        "status": "person.status",
        "pause_reason": "person.paused_because",
        "paused_until": "person.paused_until",
        "onboarding_step": "person.setup_step",
        "awaiting_input": "person.waiting_for_answer_to",
        "safety_acknowledged_at": "person.safety_note_accepted_at",
        "screening": "person.safety_questions",
        "last_screened_at": "person.safety_questions_answered_at",
        "nerve_check": "person.legs_always_tight",
        "created_at": "person.joined_at",
        "updated_at": "person.last_changed_at",
    },
    "preferences": {
        "subscriber_id": None,  # the person the settings belong to: they are nested in it
        "reminder_time": "settings.reminder_time",
        "weekdays": "settings.reminder_days",
        "focus_areas": "settings.focus_areas",
        "level": "settings.level",
        "session_minutes": "settings.session_minutes",
        "next_reminder_at": "settings.next_reminder_at",
        "quiet": "settings.silent_reminders",
        "quiet_from": "settings.quiet_hours_from",
        "quiet_until": "settings.quiet_hours_until",
    },
    "practice_sessions": {
        "id": "sessions[].number",
        "subscriber_id": None,
        "routine_id": "sessions[].routine",
        "status": "sessions[].status",
        "state": "sessions[].plan",  # and sessions[].current_step_number
        "message_id": "sessions[].telegram_message_id",
        "hold_ends_at": "sessions[].hold_ends_at",
        "hold_claimed_at": "sessions[].hold_timer_taken_at",
        "pain_rating": "sessions[].pain_rating",
        "started_at": "sessions[].started_at",
        "finished_at": "sessions[].finished_at",
    },
    "session_events": {
        "id": "sessions[].steps[].number",
        "session_id": None,  # nested in its session
        "step_index": "sessions[].steps[].step_number",
        "stretch_id": "sessions[].steps[].stretch",
        "side": "sessions[].steps[].side",
        "kind": "sessions[].steps[].what_happened",
        "checkin_answer": "sessions[].steps[].how_it_felt",
        "held_seconds": "sessions[].steps[].held_seconds",
        "planned_seconds": "sessions[].steps[].planned_seconds",
        "at": "sessions[].steps[].at",
    },
    "pain_reports": {
        "id": "pain_reports[].number",
        "subscriber_id": None,
        "session_id": "pain_reports[].during_session_number",
        "source": "pain_reports[].reported",
        "answers": "pain_reports[].answers",
        "outcome": "pain_reports[].advice",
        "created_at": "pain_reports[].reported_at",
        "resolved_at": "pain_reports[].closed_at",
        "checked_by": "pain_reports[].checked_by",
        "clearance": "pain_reports[].what_they_said",
    },
    "reminder_deliveries": {
        "id": "reminders[].number",
        "subscriber_id": None,
        "due_at": "reminders[].due_at",
        "kind": "reminders[].kind",
        "status": "reminders[].status",
        "routine_id": "reminders[].routine",
        "attempts": "reminders[].send_attempts",
        "message_id": "reminders[].telegram_message_id",
        "last_error": "reminders[].last_error",
        "created_at": "reminders[].created_at",
        "claimed_at": "reminders[].taken_for_sending_at",
        "sent_at": "reminders[].sent_at",
        "nudge_done": "reminders[].weekly_nudge_sessions_done",
    },
}
"""Stored table -> column -> where it is in the export (None: the nesting says it)."""


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _code(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.value if hasattr(value, "value") else value)


class _View:
    def __init__(self, content: Content, zone: tzinfo) -> None:
        self.content = content
        self.zone = zone

    def at(self, value: datetime | None) -> str | None:
        return value.astimezone(self.zone).isoformat() if value is not None else None

    def stretch(self, stretch_id: str | None) -> str | None:
        if not stretch_id:
            return None
        found = self.content.stretches.get(stretch_id)
        return found.name if found else stretch_id.replace("_", " ")

    def routine(self, routine_id: str | None) -> str | None:
        if not routine_id:
            return None
        found = self.content.routines.get(routine_id)
        return found.title if found else routine_id.replace("_", " ")

    def person(self, row: Mapping[str, Any]) -> dict[str, Any]:
        language = row["language_code"]
        paused_until: date | None = row["paused_until"]
        return {
            "number": row["id"],
            "telegram_user_id": row["telegram_user_id"],
            "telegram_chat_id": row["chat_id"],
            "first_name": row["first_name"],
            "language": _(words.LANGUAGES[language]) if language in words.LANGUAGES else language,
            "time_zone": row["timezone"],
            "status": words.word(words.STATUS, _code(row["status"])),
            "paused_because": words.word(words.PAUSE_REASON, _code(row["pause_reason"])),
            "paused_until": paused_until.isoformat() if paused_until else None,
            "setup_step": words.word(words.SETUP_STEP, row["onboarding_step"]),
            "waiting_for_answer_to": words.word(words.OPEN_QUESTION, row["awaiting_input"]),
            "safety_note_accepted_at": self.at(row["safety_acknowledged_at"]),
            "safety_questions": self.screening(row["screening"]),
            "safety_questions_answered_at": self.at(row["last_screened_at"]),
            "legs_always_tight": self.nerve_check(row["nerve_check"]),
            "joined_at": self.at(row["created_at"]),
            "last_changed_at": self.at(row["updated_at"]),
        }

    def screening(self, record: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if not record:
            return None
        questions = {q.id: q.text for q in self.content.safety.screening.questions}
        answers = record.get("answers") or {}
        return {
            "answers": [
                {
                    "question": questions.get(q, q.replace("_", " ")),
                    "answer": words.word(words.ANSWER, str(a)),
                }
                for q, a in answers.items()
            ],
            "advice": words.word(words.ADVICE, record.get("outcome")),
            "finished": bool(record.get("finished", False)),
            "went_on_after_advice": bool(record.get("confirmed", False)),
        }

    def nerve_check(self, record: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The question before the first nerve-tension routine, and who cleared a "yes"."""
        check = nerve_check.read(record)
        if check is None:
            return None
        return {
            "question": words.legs_question(),
            "answer": words.word(words.ANSWER, "yes" if check.tight else "no"),
            "checked_by": words.word(
                words.CHECKED_BY, check.checked_by.value if check.checked_by else None
            ),
            "what_they_said": words.word(
                words.CLEARANCE, check.verdict.value if check.verdict else None
            ),
        }

    def settings(self, row: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if row is None:
            return None
        reminder: time | None = row["reminder_time"]
        mask = row["weekdays"] if row["weekdays"] is not None else MONDAY_TO_FRIDAY
        focus = []
        for area in row["focus_areas"] or []:
            try:
                focus.append(choice_texts.focus_name(FocusArea(area)))
            except ValueError:
                focus.append(str(area).replace("_", " "))
        return {
            "reminder_time": reminder.strftime("%H:%M") if reminder else None,
            "reminder_days": [dates.weekday_name(bit) for bit in range(7) if mask >> bit & 1],
            "focus_areas": focus,
            "level": _level(row["level"]),
            "session_minutes": row["session_minutes"],
            "next_reminder_at": self.at(row["next_reminder_at"]),
            "silent_reminders": bool(row.get("quiet", False)),
            "quiet_hours_from": _clock(row.get("quiet_from")),
            "quiet_hours_until": _clock(row.get("quiet_until")),
        }

    def plan(self, state: Mapping[str, Any] | None) -> list[dict[str, Any]]:
        steps = (state or {}).get("steps") or []
        plan = []
        for step in steps:
            if not isinstance(step, Mapping):
                continue
            plan.append(
                {
                    "stretch": self.stretch(str(step.get("stretch_id", ""))),
                    "hold_seconds": step.get("hold_seconds"),
                    "repetitions": step.get("repetitions"),
                    "sides": step.get("sides"),
                }
            )
        return plan

    def checkin(self, answer_id: str | None) -> str | None:
        if answer_id is None:
            return None
        found = self.content.safety.checkin.answer(answer_id)
        return found.label if found else answer_id.replace("_", " ")

    def step(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "number": row["id"],
            "step_number": row["step_index"] + 1,
            "stretch": self.stretch(row["stretch_id"]),
            "side": words.word(words.SIDE, row["side"]),
            "what_happened": words.word(words.EVENT, row["kind"]),
            "how_it_felt": self.checkin(row["checkin_answer"]),
            "held_seconds": row["held_seconds"],
            "planned_seconds": row["planned_seconds"],
            "at": self.at(row["at"]),
        }

    def session(self, row: Mapping[str, Any], steps: list[dict[str, Any]]) -> dict[str, Any]:
        started: datetime = row["started_at"]
        return {
            "number": row["id"],
            "routine": self.routine(row["routine_id"]),
            "status": words.word(words.SESSION_STATUS, _code(row["status"])),
            "weekday": dates.weekday_name(started.astimezone(self.zone).weekday()),
            "started_at": self.at(started),
            "finished_at": self.at(row["finished_at"]),
            "current_step_number": _step(row["state"]) + 1,
            "plan": self.plan(row["state"]),
            "telegram_message_id": row["message_id"],
            "hold_ends_at": self.at(row["hold_ends_at"]),
            "hold_timer_taken_at": self.at(row["hold_claimed_at"]),
            "pain_rating": row["pain_rating"],
            "steps": steps,
        }

    def answers(self, answers: Mapping[str, str] | None) -> list[dict[str, str | None]]:
        triage = {q.id: q for q in self.content.safety.triage.questions}
        screening = {q.id: q.text for q in self.content.safety.screening.questions}
        found: list[dict[str, str | None]] = []
        for question_id, answer_id in (answers or {}).items():
            question = triage.get(question_id)
            if question is not None:
                answer = question.answer(answer_id)
                found.append(
                    {
                        "question": question.text,
                        "answer": answer.label if answer else answer_id.replace("_", " "),
                    }
                )
            elif question_id == "checkin":
                found.append(
                    {"question": words.checkin_question(), "answer": self.checkin(answer_id)}
                )
            else:
                found.append(
                    {
                        "question": screening.get(question_id, question_id.replace("_", " ")),
                        "answer": words.word(words.ANSWER, answer_id),
                    }
                )
        return found

    def pain_report(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "number": row["id"],
            "reported_at": self.at(row["created_at"]),
            "reported": words.word(words.PAIN_SOURCE, row["source"]),
            "during_session_number": row["session_id"],
            "answers": self.answers(row["answers"]),
            "advice": words.word(words.ADVICE, row["outcome"]),
            "closed_at": self.at(row["resolved_at"]),
            "checked_by": words.word(words.CHECKED_BY, row["checked_by"]),
            "what_they_said": words.word(words.CLEARANCE, row["clearance"]),
        }

    def reminder(self, row: Mapping[str, Any]) -> dict[str, Any]:
        due: datetime = row["due_at"]
        return {
            "number": row["id"],
            "kind": words.word(words.REMINDER_KIND, _code(row["kind"])),
            "weekday": dates.weekday_name(due.astimezone(self.zone).weekday()),
            "due_at": self.at(due),
            "routine": self.routine(row["routine_id"]),
            "status": words.word(words.REMINDER_STATUS, _code(row["status"])),
            "send_attempts": row["attempts"],
            "telegram_message_id": row["message_id"],
            "last_error": row["last_error"],
            "created_at": self.at(row["created_at"]),
            "taken_for_sending_at": self.at(row["claimed_at"]),
            "sent_at": self.at(row["sent_at"]),
            "weekly_nudge_sessions_done": row["nudge_done"],
        }


def readable(
    rows: Mapping[str, Any], content: Content, zone: tzinfo, now: datetime
) -> dict[str, Any]:
    """The export document for `rows` (from `subscribers.person_rows`), times in `zone`."""
    view = _View(localized_content(content), zone)
    steps: dict[int, list[dict[str, Any]]] = {}
    for event in rows["session_events"]:
        steps.setdefault(event["session_id"], []).append(view.step(event))
    return {
        "schema": SCHEMA,
        "export_version": VERSION,
        "written_in": current().language,
        "exported_at": view.at(now),
        "times_are_in": rows["subscriber"]["timezone"] or str(zone),
        "person": view.person(rows["subscriber"]),
        "settings": view.settings(rows["preferences"]),
        "sessions": [
            view.session(row, steps.get(row["id"], [])) for row in rows["practice_sessions"]
        ],
        "pain_reports": [view.pain_report(row) for row in rows["pain_reports"]],
        "reminders": [view.reminder(row) for row in rows["reminder_deliveries"]],
    }


def _level(stored: object) -> str | None:
    if stored is None:
        return None
    try:
        return choice_texts.level_name(Level(str(stored)))
    except ValueError:
        return str(stored).replace("_", " ")


def _step(state: Mapping[str, Any] | None) -> int:
    """The step the session is at (from 0), as the flow stored it; 0 before the first save."""
    step = (state or {}).get("step")
    return step if isinstance(step, int) else 0
